package io.axivon.common.codec;

import java.math.BigInteger;
import org.apache.tuweni.bytes.Bytes;

/**
 * An Ethereum legacy (pre-EIP-2718) signed transaction, to show that Ethereum objects go through
 * the same codec. {@code to} is empty for contract creation, else 20 bytes.
 */
record LegacyTransaction(
    long nonce,
    BigInteger gasPrice,
    long gasLimit,
    Bytes to,
    BigInteger value,
    Bytes data,
    long v,
    BigInteger r,
    BigInteger s) {
  LegacyTransaction {
    if (!to.isEmpty() && to.size() != 20) {
      throw new IllegalArgumentException("to must be empty or 20 bytes, got " + to.size());
    }
  }

  static final RlpCodec<LegacyTransaction> CODEC =
      RlpCodec.struct(
          (w, t) ->
              w.writeUInt64(t.nonce())
                  .writeUInt256(t.gasPrice())
                  .writeUInt64(t.gasLimit())
                  .writeBytes(t.to())
                  .writeUInt256(t.value())
                  .writeBytes(t.data())
                  .writeUInt64(t.v())
                  .writeUInt256(t.r())
                  .writeUInt256(t.s()),
          rd ->
              new LegacyTransaction(
                  rd.readUInt64(),
                  rd.readUInt256(),
                  rd.readUInt64(),
                  rd.readBytes(20),
                  rd.readUInt256(),
                  rd.readBytes(),
                  rd.readUInt64(),
                  rd.readUInt256(),
                  rd.readUInt256()));
}
