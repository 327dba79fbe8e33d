package io.axivon.kv.replay;

import io.axivon.common.crypto.secp256k1.Address;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * One boolean of a stream's access-control state. {@code key} is empty and {@code account} is the
 * zero address where the kind has none.
 */
public record AclFlag(Kind kind, Bytes32 streamId, Bytes key, Address account) {
  private static final Address NONE = new Address(Bytes.wrap(new byte[Address.SIZE]));

  public enum Kind {
    /** The stream has had a committed transaction (its first sender became admin). */
    STREAM_OPENED,
    ADMIN,
    WRITER_OF_STREAM,
    SPECIAL_KEY,
    WRITER_OF_KEY
  }

  public AclFlag {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(streamId, "streamId");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(account, "account");
  }

  public static AclFlag streamOpened(Bytes32 stream) {
    return new AclFlag(Kind.STREAM_OPENED, stream, Bytes.EMPTY, NONE);
  }

  public static AclFlag admin(Bytes32 stream, Address account) {
    return new AclFlag(Kind.ADMIN, stream, Bytes.EMPTY, account);
  }

  public static AclFlag writerOfStream(Bytes32 stream, Address account) {
    return new AclFlag(Kind.WRITER_OF_STREAM, stream, Bytes.EMPTY, account);
  }

  public static AclFlag specialKey(Bytes32 stream, Bytes key) {
    return new AclFlag(Kind.SPECIAL_KEY, stream, key, NONE);
  }

  public static AclFlag writerOfKey(Bytes32 stream, Bytes key, Address account) {
    return new AclFlag(Kind.WRITER_OF_KEY, stream, key, account);
  }

  /** kind (1) ‖ stream id (32) ‖ account (20) ‖ key: unique per flag. */
  public Bytes encode() {
    return Bytes.concatenate(Bytes.of((byte) kind.ordinal()), streamId, account.bytes(), key);
  }
}
