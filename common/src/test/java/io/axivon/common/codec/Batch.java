package io.axivon.common.codec;

import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/** Example protocol object with a nested list of records and free-form bytes. */
record Batch(long height, Bytes32 parent, List<Transfer> transfers, Bytes extra) {
  Batch {
    transfers = List.copyOf(transfers);
  }

  static final RlpCodec<Batch> CODEC =
      RlpCodec.struct(
          (w, b) ->
              w.writeUInt64(b.height())
                  .writeBytes(b.parent())
                  .writeListOf(b.transfers(), Transfer.CODEC)
                  .writeBytes(b.extra()),
          r ->
              new Batch(
                  r.readUInt64(),
                  r.readBytes32(),
                  r.readListOf(Transfer.CODEC),
                  r.readBytes(1024)));
}
