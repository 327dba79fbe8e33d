package io.axivon.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.time.ManualClock;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.apache.tuweni.bytes.Bytes;

class MessageIdHasherProperties {
  private static final long POLY_KEY_1 = 0x0123456789abcdefL;
  private static final long POLY_KEY_2 = 0x1fedcba987654321L;

  /**
   * The vector and scalar kernels both give the straightforward reference's id, for payloads of any
   * length (whole blocks, partial vectors, odd bytes), at any offset, handed over in pieces.
   */
  @Property(tries = 60)
  void vectorAndScalarMatchTheReference(
      @ForAll long seed,
      @ForAll @AlphaChars @StringLength(min = 1, max = 40) String topic,
      @ForAll @IntRange(min = 0, max = 200 * 1024) int size,
      @ForAll @IntRange(min = 0, max = 7) int offset,
      @ForAll @Size(max = 3) List<@IntRange(min = 0, max = 200 * 1024) Integer> cuts) {
    Random random = new Random(seed);
    long[] nhKey = new long[MessageIdHasher.NH_KEY_LONGS];
    for (int i = 0; i < nhKey.length; i++) {
      nhKey[i] = random.nextLong();
    }
    long k1 = random.nextLong() >>> 4;
    long k2 = random.nextLong() >>> 4;
    byte[] payload = new byte[size];
    random.nextBytes(payload);
    byte[] framed = new byte[offset + size + 5];
    System.arraycopy(payload, 0, framed, offset, size);
    MessageId expected = reference(nhKey, k1, k2, topic, payload);

    MessageIdHasher vector = new MessageIdHasher(nhKey, k1, k2, true);
    MessageIdHasher scalar = new MessageIdHasher(nhKey, k1, k2, false);
    Bytes whole = Bytes.wrap(framed, offset, size);
    Bytes pieces = inPieces(payload, cuts);
    assertThat(vector.of(topic, whole)).isEqualTo(expected);
    assertThat(vector.of(topic, pieces)).isEqualTo(expected);
    assertThat(scalar.of(topic, whole)).isEqualTo(expected);
    assertThat(scalar.of(topic, pieces)).isEqualTo(expected);
  }

  /** A single flipped bit anywhere changes the id (fixed keys, random payloads and bits). */
  @Property(tries = 300)
  void singleBitFlipsChangeTheId(
      @ForAll @IntRange(min = 1, max = 70_000) int size,
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int bit) {
    MessageIdHasher hasher = new MessageIdHasher(new Random(42), true);
    byte[] payload = new byte[size];
    new Random(seed).nextBytes(payload);
    MessageId id = hasher.of("blocks", Bytes.wrap(payload));
    int flipped = bit % (8 * size);
    payload[flipped / 8] ^= (byte) (1 << (flipped % 8));
    assertThat(hasher.of("blocks", Bytes.wrap(payload))).isNotEqualTo(id);
  }

  /** Appending or dropping bytes (zeros included, which padding would hide) changes the id. */
  @Property(tries = 200)
  void lengthChangesChangeTheId(
      @ForAll @IntRange(min = 0, max = 40_000) int size,
      @ForAll @IntRange(min = 1, max = 20) int delta,
      @ForAll long seed) {
    MessageIdHasher hasher = new MessageIdHasher(new Random(7), true);
    byte[] longer = new byte[size + delta]; // trailing zeros
    new Random(seed).nextBytes(longer);
    java.util.Arrays.fill(longer, size, size + delta, (byte) 0);
    MessageId shorter = hasher.of("t", Bytes.wrap(longer, 0, size));
    assertThat(hasher.of("t", Bytes.wrap(longer))).isNotEqualTo(shorter);
  }

  @Property(tries = 100)
  void sameKeySameIdDifferentKeyDifferentId(
      @ForAll @AlphaChars @StringLength(min = 1, max = 40) String topic,
      @ForAll @Size(max = 500) byte[] payload) {
    long seed = new SecureRandom().nextLong();
    MessageIdHasher hasher = new MessageIdHasher(new Random(seed), true);
    MessageId first = hasher.of(topic, Bytes.wrap(payload));
    assertThat(hasher.of(topic, Bytes.wrap(payload.clone()))).isEqualTo(first);
    assertThat(new MessageIdHasher(new Random(seed), true).of(topic, Bytes.wrap(payload)))
        .isEqualTo(first);
    assertThat(new MessageIdHasher(new Random(seed), false).of(topic, Bytes.wrap(payload)))
        .isEqualTo(first);
    // two nodes key their ids independently
    assertThat(new MessageIdHasher(new SecureRandom()).of(topic, Bytes.wrap(payload)))
        .isNotEqualTo(first);
  }

  /** Dedup keyed by these ids: the seen-cache admits each distinct (topic, payload) once. */
  @Property(tries = 100)
  void seenCacheDropsExactlyTheRepeats(
      @ForAll @Size(max = 200) List<@IntRange(min = 0, max = 30) Integer> messages) {
    MessageIdHasher hasher = new MessageIdHasher(new SecureRandom());
    SeenCache<MessageId> seen = new SeenCache<>(new ManualClock(0), Duration.ofMinutes(2), 1000);
    Set<Integer> delivered = new HashSet<>();
    for (int m : messages) {
      // (topic, payload) is a function of m, distinct for distinct m
      String topic = m % 2 == 0 ? "t" : "t" + (m % 3);
      Bytes payload = Bytes.of(m, m + 1);
      assertThat(seen.add(hasher.of(topic, payload))).isEqualTo(delivered.add(m));
    }
  }

  @Example
  void topicBoundaryIsKept() {
    MessageIdHasher hasher = new MessageIdHasher(new Random(1), true);
    assertThat(hasher.of("ab", Bytes.of('c'))).isNotEqualTo(hasher.of("a", Bytes.of('b', 'c')));
    assertThat(hasher.of("abcd", Bytes.EMPTY)).isNotEqualTo(hasher.of("abc", Bytes.of('d')));
  }

  /** specs/p2p.md section 9, computed there by an independent (Python) implementation. */
  @Example
  void specTestVectors() {
    long[] nhKey = new long[MessageIdHasher.NH_KEY_LONGS];
    for (int j = 0; j < nhKey.length; j++) {
      nhKey[j] = j * 0x9e3779b97f4a7c15L;
    }
    for (boolean vector : new boolean[] {true, false}) {
      MessageIdHasher hasher = new MessageIdHasher(nhKey, POLY_KEY_1, POLY_KEY_2, vector);
      assertThat(hasher.of("t", Bytes.fromHexString("0102030405060708")))
          .isEqualTo(new MessageId(0x18ed4271a5bf1acbL, 0x1928126730844061L));
      assertThat(hasher.of("t", Bytes.of(1)))
          .isEqualTo(new MessageId(0x15e5605a1853f5b8L, 0x09a23b0f664026fcL));
      byte[] counting = new byte[40_000];
      for (int i = 0; i < counting.length; i++) {
        counting[i] = (byte) (i % 251);
      }
      assertThat(hasher.of("block", Bytes.wrap(counting)))
          .isEqualTo(new MessageId(0x0e71d2073198aed0L, 0x012e42d7fa3cf475L));
    }
  }

  @Example
  void vectorKernelIsUsedWhereTheJvmOffersIt() {
    boolean module = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    assertThat(new MessageIdHasher(new SecureRandom()).vectorised())
        .isEqualTo(module && VectorNh.worthwhile());
    assertThat(new MessageIdHasher(new SecureRandom(), false).vectorised()).isFalse();
  }

  @Example
  void threadsShareTheKey() {
    MessageIdHasher hasher = new MessageIdHasher(new SecureRandom());
    Bytes payload = Bytes.wrap(new byte[100_000]);
    MessageId here = hasher.of("block", payload);
    assertThat(CompletableFuture.supplyAsync(() -> hasher.of("block", payload)).join())
        .isEqualTo(here);
  }

  @Example
  void rejectsMalformedKeys() {
    assertThatThrownBy(() -> new MessageIdHasher(new long[16], 1, 2, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NH key longs");
    long[] nhKey = new long[MessageIdHasher.NH_KEY_LONGS];
    assertThatThrownBy(() -> new MessageIdHasher(nhKey, MessageIdHasher.P, 2, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("polynomial keys");
  }

  @Property(tries = 200)
  void mulAddIsModularArithmetic(
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int a,
      @ForAll long h,
      @ForAll long k,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int e) {
    BigInteger p = BigInteger.valueOf(MessageIdHasher.P);
    long hr = Math.floorMod(h, MessageIdHasher.P);
    long kr = a % 3 == 0 ? MessageIdHasher.P - 1 : Math.floorMod(k, MessageIdHasher.P);
    long element = e * 2L + (a & 1);
    long expected =
        BigInteger.valueOf(hr)
            .multiply(BigInteger.valueOf(kr))
            .add(BigInteger.valueOf(element))
            .mod(p)
            .longValueExact();
    assertThat(MessageIdHasher.mulAdd(hr, kr, element)).isEqualTo(expected);
  }

  private static Bytes inPieces(byte[] payload, List<Integer> cuts) {
    List<Integer> sorted = new ArrayList<>();
    for (int c : cuts) {
      sorted.add(Math.min(c, payload.length));
    }
    sorted.sort(null);
    List<Bytes> parts = new ArrayList<>();
    int from = 0;
    for (int c : sorted) {
      parts.add(c == from ? Bytes.EMPTY : Bytes.wrap(payload, from, c - from));
      from = c;
    }
    parts.add(
        from == payload.length ? Bytes.EMPTY : Bytes.wrap(payload, from, payload.length - from));
    return Bytes.wrap(parts.toArray(Bytes[]::new));
  }

  /**
   * The construction as specs/p2p.md section 6 states it, one step at a time, mod p in BigInteger.
   */
  private static MessageId reference(long[] nhKey, long k1, long k2, String topic, byte[] payload) {
    List<Long> elements = new ArrayList<>();
    byte[] t = topic.getBytes(StandardCharsets.UTF_8);
    elements.add((long) t.length);
    for (int i = 0; i < t.length; i += 4) {
      long word = 0;
      for (int j = 0; j < 4 && i + j < t.length; j++) {
        word |= (long) (t[i + j] & 0xFF) << (8 * j);
      }
      elements.add(word);
    }
    int blockBytes = MessageIdHasher.BLOCK_BYTES;
    for (int start = 0; start < payload.length; start += blockBytes) {
      int len = Math.min(blockBytes, payload.length - start);
      byte[] block = new byte[(len + 7) / 8 * 8];
      System.arraycopy(payload, start, block, 0, len);
      long s1 = 0;
      long s2 = 0;
      for (int j = 0; j < block.length / 8; j++) {
        int m0 = word(block, 8 * j);
        int m1 = word(block, 8 * j + 4);
        s1 += nh(m0, m1, nhKey[j]);
        s2 += nh(m0, m1, nhKey[j + 2]);
      }
      elements.add(s1 & 0xFFFF_FFFFL);
      elements.add(s1 >>> 32);
      elements.add(s2 & 0xFFFF_FFFFL);
      elements.add(s2 >>> 32);
    }
    elements.add((long) payload.length);
    return new MessageId(poly(k1, elements), poly(k2, elements));
  }

  private static int word(byte[] b, int i) {
    return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | b[i + 3] << 24;
  }

  private static long nh(int m0, int m1, long keyPair) {
    int a = m0 + (int) keyPair;
    int b = m1 + (int) (keyPair >>> 32);
    return Integer.toUnsignedLong(a) * Integer.toUnsignedLong(b);
  }

  private static long poly(long key, List<Long> elements) {
    BigInteger p = BigInteger.valueOf(MessageIdHasher.P);
    BigInteger k = BigInteger.valueOf(key);
    BigInteger h = BigInteger.ONE;
    for (long e : elements) {
      h = h.multiply(k).add(BigInteger.valueOf(e)).mod(p);
    }
    return h.longValueExact();
  }
}
