package io.axivon.kv.replay;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.kv.tx.AccessControl;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The outcome of replaying one KV transaction. {@link #text()} is the string {@code
 * kv_getTransactionResult} returns, in 0G's words (specs/kv.md section 5).
 */
public sealed interface TxResult {

  String text();

  default boolean committed() {
    return this instanceof Committed;
  }

  /** Every check passed; the effects were applied with the tx seq as their version. */
  record Committed() implements TxResult {
    @Override
    public String text() {
      return "Commit";
    }
  }

  /** The stream data did not decode. */
  record DataParseError(String reason) implements TxResult {
    public DataParseError {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String text() {
      return "DataParseError: " + reason;
    }
  }

  /** A read, write or control names a stream that the tags do not list. */
  record TagsMismatch(Bytes32 streamId) implements TxResult {
    @Override
    public String text() {
      return "TagsMismatch: stream " + streamId.toHexString() + " is not in the tags";
    }
  }

  /** A key read or written was changed after the version the transaction read at. */
  record VersionConfliction(Bytes32 streamId, Bytes key, long currentVersion, long readVersion)
      implements TxResult {
    @Override
    public String text() {
      return "VersionConfliction: stream "
          + streamId.toHexString()
          + " key "
          + key.toHexString()
          + " is at version "
          + Long.toUnsignedString(currentVersion)
          + ", read at "
          + Long.toUnsignedString(readVersion);
    }
  }

  /** The sender may not write this key. */
  record WritePermissionDenied(Bytes32 streamId, Bytes key) implements TxResult {
    @Override
    public String text() {
      return "WritePermissionDenied: stream "
          + streamId.toHexString()
          + " key "
          + key.toHexString();
    }
  }

  /** The sender may not perform this access-control operation. */
  record AccessControlPermissionDenied(AccessControl control, Address sender) implements TxResult {
    @Override
    public String text() {
      StringBuilder s =
          new StringBuilder("AccessControlPermissionDenied: ")
              .append(control.op())
              .append(" on stream ")
              .append(control.streamId().toHexString());
      control.key().ifPresent(k -> s.append(" key ").append(k.toHexString()));
      control.account().ifPresent(a -> s.append(" account ").append(a.toLowerHex()));
      return s.append(" by ").append(sender.toLowerHex()).toString();
    }
  }
}
