package io.axivon.consensus.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.common.codec.Rlp;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

class StoreCodecProperties {
  static final List<StoredBlock> CHAIN = ChainFixture.chain(3);

  @Provide
  Arbitrary<SignRecord> records() {
    return Combinators.combine(
            Arbitraries.longs().between(1, Long.MAX_VALUE),
            Arbitraries.integers().between(0, Integer.MAX_VALUE),
            Arbitraries.integers().between(1, 3),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(200).map(Bytes::wrap),
            Arbitraries.bytes().array(byte[].class).ofSize(96).map(Bytes::wrap))
        .as(SignRecord::new);
  }

  @Property(tries = 200)
  void signRecordRoundTrips(@ForAll("records") SignRecord r) {
    Bytes encoded = Rlp.encode(SignRecord.CODEC, r);
    assertThat(Rlp.decode(SignRecord.CODEC, encoded)).isEqualTo(r);
  }

  @Property(tries = 50)
  void signRecordRejectsBadSteps(
      @ForAll("records") SignRecord r, @ForAll @IntRange(min = 4) int step) {
    Bytes bad =
        Rlp.encode(
            io.axivon.common.codec.RlpCodec.<SignRecord>struct(
                (w, s) ->
                    w.writeUInt64(s.height())
                        .writeUInt64(s.round())
                        .writeUInt64(step)
                        .writeBytes(s.signBytes())
                        .writeBytes(s.signature()),
                rd -> null),
            r);
    assertThatThrownBy(() -> Rlp.decode(SignRecord.CODEC, bad))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("step 1..3");
  }

  @Property(tries = 30)
  void commitRowRoundTripsAndChecksItsSum(
      @ForAll @IntRange(min = 0, max = 2) int i, @ForAll("hashes") byte[] appBytes) {
    Bytes32 app = Bytes32.wrap(appBytes);
    StoredBlock b = CHAIN.get(i);
    BlockStore.CommitRow row = new BlockStore.CommitRow(b.commit(), b.validators().hash(), app);
    Bytes encoded = Rlp.encode(BlockStore.CommitRow.CODEC, row);
    assertThat(Rlp.decode(BlockStore.CommitRow.CODEC, encoded)).isEqualTo(row);
    byte[] damaged = encoded.toArray();
    damaged[damaged.length - 10] ^= 1; // last byte of appHashAfter (then check: header + 8)
    assertThatThrownBy(() -> Rlp.decode(BlockStore.CommitRow.CODEC, Bytes.wrap(damaged)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("checksum");
  }

  @Provide
  Arbitrary<byte[]> hashes() {
    // raw arrays: jqwik reflects over parameter types, and Tuweni's Bytes names optional Vert.x
    // types
    return Arbitraries.bytes().array(byte[].class).ofSize(32);
  }
}
