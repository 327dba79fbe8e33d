package io.axivon.kv.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;

class KvTxCodecProperties {

  @Provide
  Arbitrary<KvTransaction> txs() {
    return KvGen.transactions();
  }

  @Property
  void roundTrip(@ForAll("txs") KvTransaction tx) {
    Bytes encoded = KvTxCodec.encode(tx);
    assertThat(KvTxCodec.decode(encoded)).isEqualTo(tx);
    assertThat(KvTxCodec.encode(KvTxCodec.decode(encoded))).isEqualTo(encoded);
  }

  @Property
  void everyProperPrefixIsRejectedAsTruncated(
      @ForAll("txs") KvTransaction tx, @ForAll @IntRange(min = 1, max = 1000) int cut) {
    Bytes encoded = KvTxCodec.encode(tx);
    Bytes prefix = encoded.slice(0, Math.max(0, encoded.size() - cut));
    // "truncated", or a value length that runs past the end
    assertThatThrownBy(() -> KvTxCodec.decode(prefix))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("KV transaction");
  }

  @Property
  void trailingBytesAreRejected(
      @ForAll("txs") KvTransaction tx, @ForAll @Size(min = 1, max = 8) byte[] extra) {
    Bytes encoded = Bytes.concatenate(KvTxCodec.encode(tx), Bytes.wrap(extra));
    assertThatThrownBy(() -> KvTxCodec.decode(encoded))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("trailing bytes");
  }

  @Property(tries = 2000)
  void randomBytesOnlyEverFailWithInvalidInput(@ForAll @Size(max = 200) byte[] bytes) {
    try {
      KvTransaction tx = KvTxCodec.decode(Bytes.wrap(bytes));
      assertThat(KvTxCodec.encode(tx)).isEqualTo(Bytes.wrap(bytes)); // one encoding per tx
    } catch (InvalidInputException e) {
      assertThat(e.getMessage()).startsWith("KV transaction");
    }
  }

  @Property(tries = 2000)
  void mutatedEncodingsOnlyEverFailWithInvalidInput(
      @ForAll("txs") KvTransaction tx,
      @ForAll @IntRange(min = 0, max = 10_000) int at,
      @ForAll byte value) {
    byte[] bytes = KvTxCodec.encode(tx).toArray();
    bytes[at % bytes.length] = value;
    try {
      KvTransaction decoded = KvTxCodec.decode(Bytes.wrap(bytes));
      assertThat(KvTxCodec.encode(decoded)).isEqualTo(Bytes.wrap(bytes));
    } catch (InvalidInputException e) {
      assertThat(e.getMessage()).startsWith("KV transaction");
    }
  }

  @Test
  void layoutIsZeroGsByteForByte() {
    Bytes32 stream = KvGen.stream(1);
    KvTransaction tx =
        KvTransaction.ofWrites(
            7, List.of(new StreamWrite(stream, Bytes.fromHexString("0102"), Bytes.of(9, 8, 7))));
    Bytes expected =
        Bytes.concatenate(
            Bytes.fromHexString("0000000000000007"), // version
            Bytes.fromHexString("00000000"), // no reads
            Bytes.fromHexString("00000001"), // one write
            stream,
            Bytes.fromHexString("000002" + "0102"), // u24 key length, key
            Bytes.fromHexString("0000000000000003"), // u64 value length
            Bytes.of(9, 8, 7), // values after all headers
            Bytes.fromHexString("00000000")); // no controls
    assertThat(KvTxCodec.encode(tx)).isEqualTo(expected);
  }

  @Test
  void controlFieldsFollowTheOpTable() {
    Bytes32 stream = KvGen.stream(2);
    AccessControl c =
        AccessControl.withKeyAndAccount(
            AccessControl.Op.GRANT_SPECIAL_WRITE_ROLE, stream, Bytes.of(0x41), KvGen.account(1));
    Bytes encoded = KvTxCodec.encode(new KvTransaction(0, List.of(), List.of(), List.of(c)));
    Bytes expected =
        Bytes.concatenate(
            Bytes.fromHexString("0000000000000000" + "00000000" + "00000000" + "00000001" + "30"),
            stream,
            Bytes.fromHexString("00000141"),
            KvGen.account(1).bytes());
    assertThat(encoded).isEqualTo(expected);
  }

  @Test
  void preciseErrors() {
    String base = "0000000000000000" + "00000000";
    assertThatThrownBy(() -> KvTxCodec.decode(Bytes.fromHexString(base + "00010001")))
        .hasMessage("KV transaction: write count 65537 at byte 12 exceeds the limit of 65536");
    Bytes emptyKey =
        Bytes.concatenate(
            Bytes.fromHexString(base + "00000001"), KvGen.stream(1), Bytes.fromHexString("000000"));
    assertThatThrownBy(() -> KvTxCodec.decode(emptyKey))
        .hasMessage("KV transaction: key of write 0 at byte 48 is empty");
    Bytes hugeValue =
        Bytes.concatenate(
            Bytes.fromHexString(base + "00000001"),
            KvGen.stream(1),
            Bytes.fromHexString("00000161" + "ffffffffffffffff" + "00000000"));
    assertThatThrownBy(() -> KvTxCodec.decode(hugeValue))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("value length 18446744073709551615 of write 0");
    Bytes badOp = Bytes.fromHexString(base + "00000000" + "00000001" + "99");
    assertThatThrownBy(() -> KvTxCodec.decode(badOp))
        .hasMessage("KV transaction: unknown access-control op type 0x99 of control 0 at byte 20");
  }

  @Test
  void tagsAreTheStreamDomainThenTheStreamIds() {
    assertThat(KvTags.STREAM_DOMAIN.toHexString())
        .isEqualTo("0xdf2ff3bb0af36c6384e6206552a4ed807f6f6a26e7d0aa6bff772ddc9d4307aa");
    List<Bytes32> ids = List.of(KvGen.stream(2), KvGen.stream(1));
    Bytes tags = KvTags.encode(List.of(KvGen.stream(2), KvGen.stream(1), KvGen.stream(2)));
    assertThat(tags.size()).isEqualTo(96);
    assertThat(KvTags.decode(tags)).contains(ids);
    assertThat(KvTags.decode(Bytes.EMPTY)).isEmpty();
    assertThat(KvTags.decode(tags.slice(0, 95))).isEmpty();
    assertThat(KvTags.decode(KvGen.stream(1))).isEmpty();
    assertThat(KvTags.decode(KvTags.STREAM_DOMAIN)).contains(List.of());
  }

  @Test
  void anEmptyLastValueDecodes() {
    // regression: the empty value ended the buffer and slicing it there threw
    KvTransaction tx =
        KvTransaction.ofWrites(
            1, List.of(new StreamWrite(KvGen.stream(1), Bytes.of(1), Bytes.EMPTY)));
    Bytes encoded = KvTxCodec.encode(tx);
    assertThat(KvTxCodec.decode(encoded)).isEqualTo(tx);
    Bytes noControls = encoded.slice(0, encoded.size() - 4);
    assertThatThrownBy(() -> KvTxCodec.decode(noControls))
        .hasMessage(
            "KV transaction truncated: control count needs 4 bytes at byte %d but only 0 remain",
            noControls.size());
  }
}
