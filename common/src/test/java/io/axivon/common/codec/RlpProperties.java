package io.axivon.common.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

class RlpProperties {
  private static final BigInteger UINT256_MAX =
      BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

  // --- generators ---

  /** Byte strings biased to the encoding's edges: 0, 1 (below/above 0x80), 55, 56 bytes. */
  static Arbitrary<Bytes> byteStrings() {
    Arbitrary<byte[]> lengths =
        Arbitraries.oneOf(
            Arbitraries.integers()
                .between(0, 2)
                .flatMap(n -> Arbitraries.bytes().array(byte[].class).ofSize(n)),
            Arbitraries.integers()
                .between(53, 58)
                .flatMap(n -> Arbitraries.bytes().array(byte[].class).ofSize(n)),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(300));
    return lengths.map(Bytes::wrap);
  }

  static Arbitrary<RlpItem> items() {
    return Arbitraries.lazyOf(
        () -> byteStrings().map(RlpItem.Value::new),
        () -> byteStrings().map(RlpItem.Value::new),
        () -> items().list().ofMaxSize(5).map(RlpItem.Sequence::new));
  }

  static Arbitrary<BigInteger> uint256s() {
    return Arbitraries.oneOf(
        Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.valueOf(300)),
        Arbitraries.bigIntegers().between(BigInteger.ZERO, UINT256_MAX));
  }

  static Arbitrary<Transfer> transfers() {
    return Combinators.combine(
            Arbitraries.bytes().array(byte[].class).ofSize(20).map(Bytes::wrap),
            Arbitraries.longs(),
            uint256s(),
            Arbitraries.bytes().array(byte[].class).ofSize(32).map(Bytes32::wrap).optional(),
            Arbitraries.of(true, false))
        .as(Transfer::new);
  }

  static Arbitrary<Batch> batches() {
    return Combinators.combine(
            Arbitraries.longs(),
            Arbitraries.bytes().array(byte[].class).ofSize(32).map(Bytes32::wrap),
            transfers().list().ofMaxSize(6),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(100).map(Bytes::wrap))
        .as(Batch::new);
  }

  /**
   * A valid encoding and the codec that wrote it. Parameters hold byte[], never Tuweni Bytes: jqwik
   * reflects on parameter types when it reports a failure, and Bytes' optional Vert.x methods would
   * then fail to load.
   */
  record Encoded(RlpCodec<?> codec, byte[] bytes) {
    static <T> Encoded of(RlpCodec<T> codec, T value) {
      return new Encoded(codec, Rlp.encode(codec, value).toArray());
    }

    @Override
    public String toString() {
      return Bytes.wrap(bytes).toHexString();
    }
  }

  @Provide
  Arbitrary<Encoded> encodings() {
    return Arbitraries.oneOf(
        items().map(i -> Encoded.of(RlpItem.CODEC, i)),
        transfers().map(t -> Encoded.of(Transfer.CODEC, t)),
        batches().map(b -> Encoded.of(Batch.CODEC, b)),
        Arbitraries.longs().list().ofMaxSize(20).map(l -> Encoded.of(Rlp.listOf(Rlp.UINT64), l)));
  }

  /** One edit of the kind a bad peer or a bad disk produces. */
  record Mutation(int kind, int position, int value) {
    Bytes apply(Bytes in) {
      byte[] a = in.toArray();
      if (a.length == 0) {
        return Bytes.of((byte) value);
      }
      int p = Math.floorMod(position, a.length);
      return switch (kind) {
        case 0 -> { // flip one bit
          a[p] ^= (byte) (1 << (value & 7));
          yield Bytes.wrap(a);
        }
        case 1 -> { // overwrite one byte
          a[p] = (byte) value;
          yield Bytes.wrap(a);
        }
        case 2 -> Bytes.concatenate(in.slice(0, p), Bytes.of((byte) value), in.slice(p)); // insert
        case 3 -> Bytes.concatenate(in.slice(0, p), in.slice(Math.min(p + 1, a.length))); // delete
        case 4 -> in.slice(0, p); // truncate
        default -> Bytes.concatenate(in, Bytes.of((byte) value)); // append
      };
    }
  }

  @Provide
  Arbitrary<List<Mutation>> mutations() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 5),
            Arbitraries.integers().greaterOrEqual(0),
            Arbitraries.integers().between(0, 255))
        .as(Mutation::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(4);
  }

  // --- properties ---

  @Property
  void itemsRoundTrip(@ForAll("anyItem") RlpItem item) {
    assertThat(Rlp.decode(RlpItem.CODEC, Rlp.encode(RlpItem.CODEC, item))).isEqualTo(item);
  }

  @Provide
  Arbitrary<RlpItem> anyItem() {
    return items();
  }

  @Property
  void recordsRoundTrip(@ForAll("anyBatch") Batch batch) {
    Bytes enc = Rlp.encode(Batch.CODEC, batch);
    assertThat(Rlp.decode(Batch.CODEC, enc, Canonical.LIMITS)).isEqualTo(batch);
  }

  @Provide
  Arbitrary<Batch> anyBatch() {
    return batches();
  }

  @Property
  void aListOfStringsAndMoreIsHashedAsItsEncoding(
      @ForAll("strings") List<Bytes> strings, @ForAll("anyItems") List<RlpItem> rest) {
    RlpCodec<List<Bytes>> stringList = Rlp.listOf(Rlp.BYTES);
    Bytes encodedRest =
        Bytes.concatenate(rest.stream().map(i -> Rlp.encode(RlpItem.CODEC, i)).toList());
    List<RlpItem> whole = new java.util.ArrayList<>();
    whole.add(new RlpItem.Sequence(strings.stream().<RlpItem>map(RlpItem.Value::new).toList()));
    whole.addAll(rest);
    Bytes encoding = Rlp.encode(RlpItem.CODEC, new RlpItem.Sequence(whole));

    assertThat(Rlp.keccak256OfList(strings, encodedRest))
        .isEqualTo(io.axivon.common.crypto.Hashes.keccak256(encoding));
    // the writer sizes a list of strings up front: the same bytes as item by item
    assertThat(Rlp.encode(stringList, strings))
        .isEqualTo(Rlp.encode(RlpItem.CODEC, whole.getFirst()));
  }

  @Provide
  Arbitrary<List<Bytes>> strings() {
    return Arbitraries.oneOf(
        byteStrings().list().ofMaxSize(20),
        // long enough for two- and three-byte list lengths
        Arbitraries.bytes()
            .array(byte[].class)
            .ofMinSize(100)
            .ofMaxSize(200)
            .map(Bytes::wrap)
            .list()
            .ofMinSize(300)
            .ofMaxSize(400));
  }

  @Provide
  Arbitrary<List<RlpItem>> anyItems() {
    return items().list().ofMaxSize(3);
  }

  @Property
  void ownBytesDecodeAsBytesDoButUnsharedWithTheMessage(@ForAll List<byte[]> items) {
    List<Bytes> values = items.stream().map(Bytes::wrap).toList();
    RlpCodec<List<Bytes>> shared = Rlp.listOf(Rlp.BYTES);
    RlpCodec<List<Bytes>> own = Rlp.listOf(Rlp.OWN_BYTES);
    Bytes enc = Rlp.encode(shared, values);
    assertThat(Rlp.encode(own, values)).isEqualTo(enc);
    List<Bytes> decoded = Rlp.decode(own, enc);
    assertThat(decoded).isEqualTo(Rlp.decode(shared, enc)).isEqualTo(values);
    byte[] message = enc.toArrayUnsafe();
    for (Bytes b : decoded) {
      assertThat(b.toArrayUnsafe()).isNotSameAs(message).hasSize(b.size()); // its own, exact array
      assertThat(b.toArrayUnsafe()).isSameAs(b.toArrayUnsafe()); // so never copied again
    }
  }

  /**
   * Our encoder against Tuweni's (the reference it replaced) on any tree of byte strings, unsigned
   * integers and lists: byte for byte the same.
   */
  @Property(tries = 2000)
  void encodesAsTuweniDoes(@ForAll("anyTree") List<Object> tree) {
    RlpCodec<List<Object>> ours =
        RlpCodec.of((w, v) -> writeTree(w, v), r -> List.of()); // read is not exercised here
    Bytes expected = org.apache.tuweni.rlp.RLP.encodeList(w -> writeTreeTuweni(w, tree));
    assertThat(Rlp.encode(ours, tree)).isEqualTo(expected);
  }

  private static void writeTree(StrictRlpWriter w, List<Object> list) {
    w.writeList(
        inner -> {
          for (Object o : list) {
            switch (o) {
              case Bytes b -> inner.writeBytes(b);
              case Long n -> inner.writeUInt64(n);
              case BigInteger n -> inner.writeUInt256(n);
              case List<?> l -> writeTree(inner, cast(l));
              default -> throw new IllegalStateException(o.toString());
            }
          }
        });
  }

  private static void writeTreeTuweni(org.apache.tuweni.rlp.RLPWriter w, List<Object> list) {
    for (Object o : list) {
      switch (o) {
        case Bytes b -> w.writeValue(b);
        case Long n -> w.writeValue(Bytes.ofUnsignedLong(n).trimLeadingZeros());
        case BigInteger n -> w.writeValue(Bytes.wrap(n.toByteArray()).trimLeadingZeros());
        case List<?> l -> w.writeList(inner -> writeTreeTuweni(inner, cast(l)));
        default -> throw new IllegalStateException(o.toString());
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Object> cast(List<?> l) {
    return (List<Object>) l;
  }

  @Provide
  Arbitrary<List<Object>> anyTree() {
    return trees(4);
  }

  /** Lists nested up to {@code depth}, with long payloads (past 55 and 255 bytes) now and then. */
  private static Arbitrary<List<Object>> trees(int depth) {
    Arbitrary<Object> leaf =
        Arbitraries.oneOf(
            byteStrings().map(b -> (Object) b),
            // past the one- and two-byte length-of-length bounds
            Arbitraries.integers()
                .between(200, 70_000)
                .map(n -> (Object) Bytes.wrap(new byte[n]).not()),
            Arbitraries.longs().map(n -> (Object) n),
            Arbitraries.of(0L, 1L, 127L, 128L, 255L, 256L, -1L).map(n -> (Object) n),
            uint256s().map(n -> (Object) n));
    Arbitrary<Object> node =
        depth == 0 ? leaf : Arbitraries.oneOf(leaf, leaf, trees(depth - 1).map(l -> (Object) l));
    return node.list().ofMaxSize(depth == 4 ? 12 : 5);
  }

  @Property
  void integersRoundTrip(@ForAll long n, @ForAll("anyUint256") BigInteger big) {
    assertThat(Rlp.decode(Rlp.UINT64, Rlp.encode(Rlp.UINT64, n))).isEqualTo(n);
    assertThat(Rlp.decode(Rlp.UINT256, Rlp.encode(Rlp.UINT256, big))).isEqualTo(big);
  }

  @Provide
  Arbitrary<BigInteger> anyUint256() {
    return uint256s();
  }

  /** Canonical uniqueness: whatever decodes is exactly the encoding of what it decodes to. */
  @Property(tries = 3000)
  void anyBytesDecodeCanonicallyOrFail(@ForAll("rlpLikeBytes") byte[] input) {
    boolean any = Canonical.checkAll(Bytes.wrap(input));
    Statistics.collect(any ? "some codec decoded" : "all rejected");
    Statistics.coverage(c -> c.check("some codec decoded").count(n -> n > 0));
  }

  /** Pure noise, plus noise that starts with a header so the decoder gets past the first byte. */
  @Provide
  Arbitrary<byte[]> rlpLikeBytes() {
    Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(80);
    Arbitrary<byte[]> listed =
        Combinators.combine(Arbitraries.integers().between(0xc0, 0xff), noise)
            .as((h, b) -> Bytes.concatenate(Bytes.of(h.byteValue()), Bytes.wrap(b)).toArray());
    return Arbitraries.oneOf(noise, listed);
  }

  @Property(tries = 3000)
  void mutatedEncodingsDecodeCanonicallyOrFail(
      @ForAll("encodings") Encoded valid, @ForAll("mutations") List<Mutation> edits) {
    Bytes input = Bytes.wrap(valid.bytes());
    for (Mutation m : edits) {
      input = m.apply(input);
    }
    boolean typed = Canonical.check(valid.codec(), input);
    boolean generic = Canonical.check(RlpItem.CODEC, input);
    // a few edits (e.g. inside a byte string) keep the input valid; make sure both outcomes occur
    Statistics.label("typed").collect(typed ? "decoded" : "rejected");
    Statistics.label("generic").collect(generic ? "decoded" : "rejected");
    Statistics.label("typed")
        .coverage(
            c -> {
              c.check("decoded").count(n -> n > 0);
              c.check("rejected").count(n -> n > 0);
            });
  }
}
