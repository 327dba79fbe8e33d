package io.axivon.common.codec;

import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/** Example protocol object: what a codec for a record looks like. */
record Transfer(Bytes to, long nonce, BigInteger amount, Optional<Bytes32> memo, boolean urgent) {
  Transfer {
    Objects.requireNonNull(memo, "memo");
    if (to.size() != 20) {
      throw new IllegalArgumentException("address must be 20 bytes, got " + to.size());
    }
  }

  static final RlpCodec<Transfer> CODEC =
      RlpCodec.struct(
          (w, t) ->
              w.writeBytes(t.to())
                  .writeUInt64(t.nonce())
                  .writeUInt256(t.amount())
                  .writeOptional(t.memo(), Rlp.BYTES32)
                  .writeBoolean(t.urgent()),
          r ->
              new Transfer(
                  r.readFixedBytes(20),
                  r.readUInt64(),
                  r.readUInt256(),
                  r.readOptional(Rlp.BYTES32),
                  r.readBoolean()));
}
