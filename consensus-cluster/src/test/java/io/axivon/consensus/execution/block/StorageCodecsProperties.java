package io.axivon.consensus.execution.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.execution.evm.Log;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

class StorageCodecsProperties {
  private static Arbitrary<Address> address() {
    return Arbitraries.bytes().array(byte[].class).ofSize(20).map(b -> new Address(Bytes.wrap(b)));
  }

  private static Arbitrary<Bytes32> hash() {
    return Arbitraries.bytes().array(byte[].class).ofSize(32).map(Bytes32::wrap);
  }

  private static Arbitrary<Log> log() {
    return Combinators.combine(
            address(),
            hash().list().ofMaxSize(4),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(64).map(Bytes::wrap))
        .as(Log::new);
  }

  @Provide
  Arbitrary<Receipt> receipts() {
    return Combinators.combine(
            hash(),
            Arbitraries.integers().between(0, 2),
            Arbitraries.of(true, false),
            Arbitraries.longs().between(0, Long.MAX_VALUE),
            Arbitraries.longs().between(0, Long.MAX_VALUE),
            Arbitraries.bigIntegers()
                .between(BigInteger.ZERO, BigInteger.TWO.pow(256).subtract(BigInteger.ONE)),
            address(),
            Combinators.combine(
                    address().optional(),
                    address().optional(),
                    log().list().ofMaxSize(3),
                    Arbitraries.integers().between(0, 1 << 20))
                .as(List::of))
        .as(
            (h, type, ok, cum, used, price, from, rest) -> {
              @SuppressWarnings("unchecked")
              List<Log> logs = (List<Log>) rest.get(2);
              @SuppressWarnings("unchecked")
              Optional<Address> to = (Optional<Address>) rest.get(0);
              @SuppressWarnings("unchecked")
              Optional<Address> created = (Optional<Address>) rest.get(1);
              return new Receipt(
                  h,
                  type,
                  ok,
                  cum,
                  used,
                  price,
                  from,
                  to,
                  created,
                  logs,
                  Bloom.of(logs),
                  (Integer) rest.get(3));
            });
  }

  @Property(tries = 200)
  void receiptsRoundTrip(@ForAll("receipts") Receipt r) {
    Bytes enc = Rlp.encode(StorageCodecs.RECEIPT, r);
    assertThat(Rlp.decode(StorageCodecs.RECEIPT, enc)).isEqualTo(r);
  }

  /**
   * The stored layout with {@code bloom} written in the bloom's place: with {@link
   * Receipt#logsBloom}, the layout before blooms were left out.
   */
  private static Bytes storedWith(Receipt x, Bytes bloom) {
    return Rlp.encode(
        RlpCodec.<Receipt>struct(
            (w, r) ->
                w.writeBytes(r.txHash())
                    .writeUInt64(r.type())
                    .writeBoolean(r.success())
                    .writeUInt64(r.cumulativeGasUsed())
                    .writeUInt64(r.gasUsed())
                    .writeUInt256(r.effectiveGasPrice())
                    .write(StorageCodecs.ADDRESS, r.from())
                    .writeOptional(r.to(), StorageCodecs.ADDRESS)
                    .writeOptional(r.contractAddress(), StorageCodecs.ADDRESS)
                    .writeListOf(r.logs(), StorageCodecs.LOG)
                    .writeBytes(bloom)
                    .writeUInt64(r.firstLogIndex()),
            rd -> {
              throw new UnsupportedOperationException("write only");
            }),
        x);
  }

  /** {@code r} with another bloom. */
  private static Receipt withBloom(Receipt r, Bytes bloom) {
    return new Receipt(
        r.txHash(),
        r.type(),
        r.success(),
        r.cumulativeGasUsed(),
        r.gasUsed(),
        r.effectiveGasPrice(),
        r.from(),
        r.to(),
        r.contractAddress(),
        r.logs(),
        bloom,
        r.firstLogIndex());
  }

  @Property(tries = 200)
  void receiptsAreStoredWithoutTheirBloomAndReadWithIt(@ForAll("receipts") Receipt r) {
    Bytes whole = storedWith(r, r.logsBloom());
    Bytes stored = Rlp.encode(StorageCodecs.RECEIPT, r);
    assertThat(stored).isEqualTo(storedWith(r, Bytes.EMPTY));
    assertThat(stored.size()).isLessThanOrEqualTo(whole.size() - Bloom.BYTES);
    // receipts stored whole (before, or a bloom that is not its logs') read as they are
    assertThat(Rlp.decode(StorageCodecs.RECEIPT, whole)).isEqualTo(r);
    byte[] odd = new byte[Bloom.BYTES];
    odd[7] = 1; // one bit no log of r sets, or one it does: either way not r's bloom below
    Receipt other = withBloom(r, Bytes.wrap(odd));
    if (!other.logsBloom().equals(r.logsBloom())) { // a bloom that is not its logs' is kept
      assertThat(Rlp.decode(StorageCodecs.RECEIPT, Rlp.encode(StorageCodecs.RECEIPT, other)))
          .isEqualTo(other);
    }
  }

  @Property(tries = 50)
  void aStoredBloomOfAnotherLengthIsRefused(
      @ForAll("receipts") Receipt r, @ForAll @IntRange(min = 1, max = 255) int length) {
    Bytes shortBloom = storedWith(r, Bytes.wrap(new byte[length]));
    assertThatThrownBy(() -> Rlp.decode(StorageCodecs.RECEIPT, shortBloom))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("logs bloom has " + length + " bytes");
  }

  @Property(tries = 200)
  void blocksRoundTrip(
      @ForAll("receipts") Receipt r, @ForAll long number, @ForAll long time, @ForAll long gasUsed) {
    EthBlock b =
        new EthBlock(
            number & Long.MAX_VALUE,
            r.txHash(),
            Bytes32.ZERO,
            time & Long.MAX_VALUE,
            r.from(),
            r.txHash(),
            Bytes32.ZERO,
            r.txHash(),
            r.logsBloom(),
            30_000_000,
            gasUsed & Long.MAX_VALUE,
            r.effectiveGasPrice(),
            Bytes32.ZERO,
            List.of(r.txHash(), Bytes32.ZERO));
    assertThat(Rlp.decode(StorageCodecs.BLOCK, Rlp.encode(StorageCodecs.BLOCK, b))).isEqualTo(b);
    TxLocation l = new TxLocation(number & Long.MAX_VALUE, r.firstLogIndex());
    assertThat(Rlp.decode(StorageCodecs.LOCATION, Rlp.encode(StorageCodecs.LOCATION, l)))
        .isEqualTo(l);
  }
}
