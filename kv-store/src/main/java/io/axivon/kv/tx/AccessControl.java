package io.axivon.kv.tx;

import io.axivon.common.crypto.secp256k1.Address;
import java.util.Objects;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * One access-control operation of a KV transaction. Which of {@code key} and {@code account} are
 * present is fixed by the op (0G's table, specs/kv.md).
 */
public record AccessControl(
    Op op, Bytes32 streamId, Optional<Bytes> key, Optional<Address> account) {

  /** The op codes of 0G's KV node and which fields follow the stream id. */
  public enum Op {
    GRANT_ADMIN_ROLE(0x00, false, true),
    RENOUNCE_ADMIN_ROLE(0x01, false, false),
    SET_KEY_TO_SPECIAL(0x10, true, false),
    SET_KEY_TO_NORMAL(0x11, true, false),
    GRANT_WRITE_ROLE(0x20, false, true),
    REVOKE_WRITE_ROLE(0x21, false, true),
    RENOUNCE_WRITE_ROLE(0x22, false, false),
    GRANT_SPECIAL_WRITE_ROLE(0x30, true, true),
    REVOKE_SPECIAL_WRITE_ROLE(0x31, true, true),
    RENOUNCE_SPECIAL_WRITE_ROLE(0x32, true, false);

    private final int code;
    private final boolean hasKey;
    private final boolean hasAccount;

    Op(int code, boolean hasKey, boolean hasAccount) {
      this.code = code;
      this.hasKey = hasKey;
      this.hasAccount = hasAccount;
    }

    public int code() {
      return code;
    }

    public boolean hasKey() {
      return hasKey;
    }

    public boolean hasAccount() {
      return hasAccount;
    }

    /** The op with this code, or empty for an unknown code. */
    public static Optional<Op> ofCode(int code) {
      for (Op op : values()) {
        if (op.code == code) {
          return Optional.of(op);
        }
      }
      return Optional.empty();
    }
  }

  public AccessControl {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(streamId, "streamId");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(account, "account");
    if (key.isPresent() != op.hasKey()) {
      throw new IllegalArgumentException(op + (op.hasKey() ? " needs a key" : " takes no key"));
    }
    if (account.isPresent() != op.hasAccount()) {
      throw new IllegalArgumentException(
          op + (op.hasAccount() ? " needs an account" : " takes no account"));
    }
    key.ifPresent(KvTransaction::checkKey);
  }

  public static AccessControl of(Op op, Bytes32 streamId) {
    return new AccessControl(op, streamId, Optional.empty(), Optional.empty());
  }

  public static AccessControl withKey(Op op, Bytes32 streamId, Bytes key) {
    return new AccessControl(op, streamId, Optional.of(key), Optional.empty());
  }

  public static AccessControl withAccount(Op op, Bytes32 streamId, Address account) {
    return new AccessControl(op, streamId, Optional.empty(), Optional.of(account));
  }

  public static AccessControl withKeyAndAccount(
      Op op, Bytes32 streamId, Bytes key, Address account) {
    return new AccessControl(op, streamId, Optional.of(key), Optional.of(account));
  }
}
