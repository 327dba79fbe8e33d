package io.axivon.common.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RlpTest {
  private static Bytes hex(String s) {
    return Bytes.fromHexString(s);
  }

  private static Bytes ascii(String s) {
    return Bytes.wrap(s.getBytes(StandardCharsets.US_ASCII));
  }

  private static RlpItem v(Bytes b) {
    return new RlpItem.Value(b);
  }

  private static RlpItem seq(RlpItem... items) {
    return new RlpItem.Sequence(List.of(items));
  }

  private static <T> void assertRejected(RlpCodec<T> codec, String input, String message) {
    assertRejected(codec, input, RlpLimits.DEFAULT, message);
  }

  private static <T> void assertRejected(
      RlpCodec<T> codec, String input, RlpLimits limits, String message) {
    assertThatThrownBy(() -> Rlp.decode(codec, hex(input), limits))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(message);
  }

  // Vectors from Ethereum's RLP tests (ethereum/tests RLPTests/rlptest.json).
  @ParameterizedTest
  @CsvSource({
    "0, 0x80",
    "1, 0x01",
    "16, 0x10",
    "79, 0x4f",
    "127, 0x7f",
    "128, 0x8180",
    "1000, 0x8203e8",
    "100000, 0x830186a0",
    "18446744073709551615, 0x88ffffffffffffffff",
    "83729609699884896815286331701780722, 0x8f102030405060708090a0b0c0d0e0f2",
    "115792089237316195423570985008687907853269984665640564039457584007913129639935,"
        + " 0xa0ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
  })
  void integersMatchEthereum(String decimal, String encoding) {
    BigInteger n = new BigInteger(decimal);
    assertThat(Rlp.encode(Rlp.UINT256, n)).isEqualTo(hex(encoding));
    assertThat(Rlp.decode(Rlp.UINT256, hex(encoding))).isEqualTo(n);
    if (n.bitLength() <= 64) {
      assertThat(Rlp.encode(Rlp.UINT64, n.longValue())).isEqualTo(hex(encoding));
      assertThat(Rlp.decode(Rlp.UINT64, hex(encoding))).isEqualTo(n.longValue());
    }
  }

  @Test
  void stringsAndListsMatchEthereum() {
    assertThat(Rlp.encode(Rlp.BYTES, Bytes.EMPTY)).isEqualTo(hex("0x80"));
    assertThat(Rlp.encode(Rlp.BYTES, hex("0x00"))).isEqualTo(hex("0x00"));
    assertThat(Rlp.encode(Rlp.BYTES, hex("0x7f"))).isEqualTo(hex("0x7f"));
    assertThat(Rlp.encode(Rlp.BYTES, hex("0x80"))).isEqualTo(hex("0x8180"));
    assertThat(Rlp.encode(Rlp.BYTES, ascii("dog"))).isEqualTo(hex("0x83646f67"));
    String lorem55 = "Lorem ipsum dolor sit amet, consectetur adipisicing eli";
    assertThat(Rlp.encode(Rlp.BYTES, ascii(lorem55)).slice(0, 1)).isEqualTo(hex("0xb7"));
    assertThat(Rlp.encode(Rlp.BYTES, ascii(lorem55 + "t")).slice(0, 2)).isEqualTo(hex("0xb838"));
    assertThat(Rlp.encode(RlpItem.CODEC, seq())).isEqualTo(hex("0xc0"));
    assertThat(Rlp.encode(RlpItem.CODEC, seq(v(ascii("dog")), v(ascii("god")), v(ascii("cat")))))
        .isEqualTo(hex("0xcc83646f6783676f6483636174"));
    assertThat(Rlp.encode(RlpItem.CODEC, seq(v(ascii("zw")), seq(v(hex("0x04"))), v(hex("0x01")))))
        .isEqualTo(hex("0xc6827a77c10401"));
    RlpItem setTheoretic = seq(seq(), seq(seq()), seq(seq(), seq(seq())));
    assertThat(Rlp.encode(RlpItem.CODEC, setTheoretic)).isEqualTo(hex("0xc7c0c1c0c3c0c1c0"));
    assertThat(Rlp.decode(RlpItem.CODEC, hex("0xc7c0c1c0c3c0c1c0"))).isEqualTo(setTheoretic);
  }

  @Test
  void ethereumTransactionRoundTrips() {
    // The signed example transaction from EIP-155.
    Bytes raw =
        hex(
            "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a7640000"
                + "8025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d899"
                + "7f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83");
    LegacyTransaction tx = Rlp.decode(LegacyTransaction.CODEC, raw);
    assertThat(tx.nonce()).isEqualTo(9);
    assertThat(tx.gasPrice()).isEqualTo(BigInteger.valueOf(20_000_000_000L));
    assertThat(tx.gasLimit()).isEqualTo(21_000);
    assertThat(tx.to()).isEqualTo(hex("0x3535353535353535353535353535353535353535"));
    assertThat(tx.value()).isEqualTo(BigInteger.TEN.pow(18));
    assertThat(tx.data()).isEqualTo(Bytes.EMPTY);
    assertThat(tx.v()).isEqualTo(37);
    assertThat(tx.r())
        .isEqualTo(
            new BigInteger("28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276", 16));
    assertThat(Rlp.encode(LegacyTransaction.CODEC, tx)).isEqualTo(raw);
    assertThat(Rlp.encode(RlpItem.CODEC, Rlp.decode(RlpItem.CODEC, raw))).isEqualTo(raw);
  }

  @Test
  void transferExampleOfTheSpec() {
    Transfer t =
        new Transfer(
            Bytes.repeat((byte) 0x11, 20), 1, BigInteger.TEN.pow(18), Optional.empty(), false);
    Bytes enc = hex("0xe194" + "11".repeat(20) + "01" + "880de0b6b3a7640000" + "c0" + "80");
    assertThat(Rlp.encode(Transfer.CODEC, t)).isEqualTo(enc);
    assertThat(Rlp.decode(Transfer.CODEC, enc)).isEqualTo(t);
    assertThat(Rlp.encode(Rlp.optional(Rlp.UINT64), Optional.of(0L))).isEqualTo(hex("0xc180"));
    assertThat(Rlp.encode(Rlp.listOf(Rlp.UINT64), List.of(1L, 1024L)))
        .isEqualTo(hex("0xc401820400"));
  }

  @Test
  void recordsRoundTrip() {
    Transfer t =
        new Transfer(
            Bytes.repeat((byte) 0x11, 20),
            -1L,
            BigInteger.TWO.pow(200),
            Optional.of(Bytes32.repeat((byte) 7)),
            true);
    Transfer u =
        new Transfer(Bytes.repeat((byte) 0x22, 20), 0, BigInteger.ZERO, Optional.empty(), false);
    Batch b = new Batch(42, Bytes32.ZERO, List.of(t, u), hex("0xdeadbeef"));
    Bytes enc = Rlp.encode(Batch.CODEC, b);
    assertThat(Rlp.decode(Batch.CODEC, enc)).isEqualTo(b);
    assertThat(Rlp.encode(Transfer.CODEC, u))
        .isEqualTo(hex("0xd9942222222222222222222222222222222222222222" + "8080c080"));
  }

  // --- what Tuweni's strict mode rejects, reported through InvalidInputException with offsets ---

  @Test
  void rejectsSingleByteInLongForm() {
    assertRejected(Rlp.BYTES, "0x8100", "invalid RLP at byte 0");
    assertRejected(Rlp.BYTES, "0x8101", "single byte");
    assertRejected(Rlp.BYTES, "0x817f", "single byte");
    assertThat(Rlp.decode(Rlp.BYTES, hex("0x8180"))).isEqualTo(hex("0x80"));
  }

  @Test
  void rejectsLongFormLengthWhereShortFits() {
    assertRejected(Rlp.BYTES, "0xb800", "invalid RLP at byte 0");
    assertRejected(Rlp.BYTES, "0xb81000112233445566778899aabbccddeeff", "not minimally encoded");
    assertRejected(Rlp.BYTES, "0xb837" + "41".repeat(55), "not minimally encoded");
    assertRejected(RlpItem.CODEC, "0xf80180", "not minimally encoded");
  }

  @Test
  void rejectsLeadingZerosInLength() {
    assertRejected(Rlp.BYTES, "0xb90038" + "41".repeat(56), "leading zero");
    assertRejected(RlpItem.CODEC, "0xf90038" + "80".repeat(56), "leading zero");
  }

  @Test
  void rejectsLengthsBeyondTheInput() {
    assertRejected(Rlp.BYTES, "0x83646f", "Insufficient bytes");
    assertRejected(Rlp.BYTES, "0xb90100", "Insufficient bytes");
    assertRejected(RlpItem.CODEC, "0xc3830102", "invalid RLP at byte 1");
    assertRejected(RlpItem.CODEC, "0xc28301", "invalid RLP at byte 1");
    assertRejected(Rlp.BYTES, "0xbf7fffffffffffffff", "oversized");
    assertRejected(Rlp.BYTES, "0xbb80000000", "oversized");
  }

  // --- what this codec adds ---

  @Test
  void rejectsEmptyInputAndTrailingBytes() {
    assertRejected(Rlp.BYTES, "0x", "empty input");
    assertRejected(Rlp.UINT64, "0x0102", "invalid RLP at byte 1: 1 trailing bytes");
    assertRejected(RlpItem.CODEC, "0xc0c0", "invalid RLP at byte 1: 1 trailing bytes");
    assertRejected(Rlp.BYTES, "0x8180ff00", "invalid RLP at byte 2: 2 trailing bytes");
  }

  @Test
  void rejectsUnreadItemsInAList() {
    RlpCodec<Long> oneField = RlpCodec.struct((w, x) -> w.writeUInt64(x), r -> r.readUInt64());
    assertRejected(
        oneField,
        "0xc20102",
        "invalid RLP at byte 2: 1 unread bytes at the end of the list that starts at byte 0");
    assertRejected(
        oneField, "0xc0", "invalid RLP at byte 1: expected a uint64 but the enclosing list ends");
  }

  @Test
  void rejectsDeclaredLengthsAboveTheLimit() {
    RlpLimits three = new RlpLimits(3, 8);
    assertThat(Rlp.decode(Rlp.BYTES, hex("0x83646f67"), three)).isEqualTo(ascii("dog"));
    assertRejected(
        Rlp.BYTES, "0x8461626364", three, "byte string of 4 bytes exceeds the limit of 3");
    assertRejected(RlpItem.CODEC, "0xc4c3010203", three, "list of 4 bytes exceeds the limit of 3");
    assertRejected(Rlp.BYTES, "0x8461626364" + "00".repeat(20), three, "exceeds the limit of 12");
    assertThat(Rlp.decode(Rlp.BYTES, hex("0x8461626364"), new RlpLimits(4, 0)))
        .isEqualTo(ascii("abcd"));
  }

  @Test
  void rejectsListsNestedTooDeep() {
    RlpLimits two = new RlpLimits(1024, 2);
    assertThat(Rlp.decode(RlpItem.CODEC, hex("0xc1c0"), two)).isEqualTo(seq(seq()));
    assertRejected(
        RlpItem.CODEC,
        "0xc2c1c0",
        two,
        "invalid RLP at byte 2: list nested deeper than the limit of 2");
    assertRejected(RlpItem.CODEC, "0xc0", new RlpLimits(1024, 0), "nested deeper");
    RlpItem deep = seq();
    for (int i = 0; i < 40; i++) {
      deep = seq(deep);
    }
    assertRejected(
        RlpItem.CODEC,
        Rlp.encode(RlpItem.CODEC, deep).toHexString(),
        Canonical.LIMITS,
        "invalid RLP at byte 32: list nested deeper than the limit of 32");
  }

  @Test
  void rejectsNonCanonicalIntegers() {
    assertRejected(Rlp.UINT64, "0x00", "invalid RLP at byte 0: a uint64 has a leading zero byte");
    assertRejected(Rlp.UINT64, "0x820001", "leading zero");
    assertRejected(Rlp.UINT256, "0x8200ff", "leading zero");
    assertRejected(Rlp.UINT64, "0x89010000000000000000", "a uint64 has 9 bytes, at most 8 allowed");
    assertRejected(
        Rlp.UINT256,
        "0xa1010000000000000000000000000000000000000000000000000000000000000000",
        "a uint256 has 33 bytes, at most 32 allowed");
    assertThat(Rlp.decode(Rlp.UINT64, hex("0x80"))).isZero();
    assertRejected(
        Rlp.listOf(Rlp.UINT64),
        "0xc401820005",
        "invalid RLP at byte 2: a uint64 has a leading zero");
  }

  @Test
  void emptyStringIsZeroAndFalse() {
    assertThat(Rlp.encode(Rlp.UINT64, 0L)).isEqualTo(hex("0x80"));
    assertThat(Rlp.encode(Rlp.BOOLEAN, false)).isEqualTo(hex("0x80"));
    assertThat(Rlp.encode(Rlp.BOOLEAN, true)).isEqualTo(hex("0x01"));
    assertRejected(Rlp.BOOLEAN, "0x02", "expected a boolean");
    assertRejected(Rlp.BOOLEAN, "0x00", "leading zero");
  }

  @Test
  void rejectsWrongTypesAndSizes() {
    assertRejected(Rlp.UINT64, "0xc0", "invalid RLP at byte 0: expected a uint64, found a list");
    assertRejected(Rlp.listOf(Rlp.UINT64), "0x80", "expected a list, found a byte string");
    assertRejected(Rlp.BYTES32, "0x83010203", "expected a 32-byte string, found 3 bytes");
    assertRejected(Rlp.optional(Rlp.UINT64), "0xc20102", "at most one item");
    assertRejected(Rlp.fixedBytes(20), "0x8100", "single byte");
  }

  @Test
  void constructorRejectionsBecomeInvalidInput() {
    // "to" of 5 bytes passes readBytes(20) but the record refuses it.
    LegacyTransaction tx =
        new LegacyTransaction(
            1,
            BigInteger.ONE,
            2,
            Bytes.EMPTY,
            BigInteger.ZERO,
            Bytes.EMPTY,
            27,
            BigInteger.ONE,
            BigInteger.TWO);
    Bytes good = Rlp.encode(LegacyTransaction.CODEC, tx);
    Bytes bad =
        Bytes.concatenate(hex("0xce"), good.slice(1, 3), hex("0x850102030405"), good.slice(5));
    assertThatThrownBy(() -> Rlp.decode(LegacyTransaction.CODEC, bad))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("invalid RLP at byte 0: invalid value")
        .hasMessageContaining("to must be empty or 20 bytes, got 5");
  }

  @Test
  void decodedValuesDoNotShareTheCallersBuffer() {
    byte[] buf = hex("0x83646f67").toArrayUnsafe();
    Bytes dog = Rlp.decode(Rlp.BYTES, Bytes.wrap(buf));
    buf[1] = 'x';
    assertThat(dog).isEqualTo(ascii("dog"));
  }

  @Test
  void writerRefusesWhatCannotBeEncoded() {
    assertThat(Rlp.encode(Rlp.UINT64, -1L)).isEqualTo(hex("0x88ffffffffffffffff"));
    assertThatThrownBy(() -> Rlp.encode(Rlp.UINT256, BigInteger.valueOf(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Rlp.encode(Rlp.UINT256, BigInteger.TWO.pow(256)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Rlp.encode(Rlp.fixedBytes(20), Bytes.of(1)))
        .isInstanceOf(IllegalArgumentException.class);
    RlpCodec<Long> twoItems =
        RlpCodec.of((w, x) -> w.writeUInt64(x).writeUInt64(x), r -> r.readUInt64());
    assertThatThrownBy(() -> Rlp.encode(twoItems, 1L))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("wrote 2 items");
  }

  @Test
  void limitsAreValidated() {
    assertThatThrownBy(() -> new RlpLimits(-1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RlpLimits(1, RlpLimits.MAX_DEPTH_CAP + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new RlpLimits(100, 1).maxInputBytes()).isEqualTo(109);
  }
}
