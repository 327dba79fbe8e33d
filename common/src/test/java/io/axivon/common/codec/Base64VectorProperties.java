package io.axivon.common.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class Base64VectorProperties {
  private static final Base64Vector VECTOR = new Base64Vector();
  private static final Base64Vector SCALAR = new Base64Vector(false);

  /** Lengths biased to the vector blocks' edges (48/64 and 24/32 per block) and up to 100 KiB. */
  @Provide
  Arbitrary<Integer> lengths() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(0, 200),
        Arbitraries.integers().between(0, 102_400),
        Arbitraries.of(0, 1, 2, 3, 47, 48, 49, 50, 51, 95, 96, 97, 98, 144, 262_144));
  }

  private static byte[] random(long seed, int len) {
    byte[] b = new byte[len];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Example
  void theVectorPathIsTakenWhereTheJvmOffersIt() {
    // the tests run with --add-modules jdk.incubator.vector on a CPU with wide vectors, or the
    // vector path would go untested
    assertThat(VECTOR.vectorized()).isTrue();
    assertThat(SCALAR.vectorized()).isFalse();
  }

  @Property(tries = 300)
  void encodeIsTheJdkEncoding(
      @ForAll long seed,
      @ForAll("lengths") int len,
      @ForAll @IntRange(max = 70) int off,
      @ForAll @IntRange(max = 70) int outOff) {
    byte[] data = random(seed, off + len + 5);
    byte[] slice = Arrays.copyOfRange(data, off, off + len);
    byte[] expected = Base64.getEncoder().encode(slice);
    for (Base64Vector codec : new Base64Vector[] {VECTOR, SCALAR}) {
      byte[] out = new byte[outOff + expected.length + 7];
      Arrays.fill(out, (byte) 7);
      assertThat(codec.encode(data, off, len, out, outOff)).isEqualTo(expected.length);
      assertThat(Arrays.copyOfRange(out, outOff, outOff + expected.length)).isEqualTo(expected);
      // nothing written outside the span
      for (int i = 0; i < outOff; i++) {
        assertThat(out[i]).isEqualTo((byte) 7);
      }
      for (int i = outOff + expected.length; i < out.length; i++) {
        assertThat(out[i]).isEqualTo((byte) 7);
      }
      assertThat(codec.encode(slice)).isEqualTo(expected);
      assertThat(codec.encodeToString(slice)).isEqualTo(Base64.getEncoder().encodeToString(slice));
    }
  }

  @Property(tries = 300)
  void decodeInvertsEncode(
      @ForAll long seed,
      @ForAll("lengths") int len,
      @ForAll @IntRange(max = 70) int off,
      @ForAll @IntRange(max = 70) int outOff) {
    byte[] data = random(seed, len);
    byte[] text = Base64.getEncoder().encode(data);
    byte[] framed = new byte[off + text.length + 3];
    Arrays.fill(framed, (byte) '"');
    System.arraycopy(text, 0, framed, off, text.length);
    for (Base64Vector codec : new Base64Vector[] {VECTOR, SCALAR}) {
      assertThat(codec.decode(text)).isEqualTo(data);
      assertThat(codec.decode(framed, off, text.length)).isEqualTo(data);
      byte[] out = new byte[outOff + data.length + 9];
      Arrays.fill(out, (byte) 7);
      assertThat(codec.decode(framed, off, text.length, out, outOff)).isEqualTo(data.length);
      assertThat(Arrays.copyOfRange(out, outOff, outOff + data.length)).isEqualTo(data);
      for (int i = outOff + data.length; i < out.length; i++) {
        assertThat(out[i]).as("byte past the output").isEqualTo((byte) 7);
      }
    }
  }

  /** One way to spoil (or not) a valid base64 text. */
  enum Damage {
    REPLACE_ANY_BYTE,
    REPLACE_WITH_PAD,
    REPLACE_WITH_URL_SAFE,
    REPLACE_WITH_WHITESPACE,
    REPLACE_WITH_HIGH_BYTE,
    DROP_TAIL,
    APPEND,
    INSERT_PAD
  }

  @Property(tries = 2000)
  void decodeAcceptsAndRejectsWhatTheJdkDoes(
      @ForAll long seed,
      @ForAll @IntRange(max = 3000) int len,
      @ForAll Damage damage,
      @ForAll @IntRange(max = 70) int off) {
    Random r = new Random(seed);
    byte[] text = damage(Base64.getEncoder().encode(random(seed, len)), damage, r);
    byte[] framed = new byte[off + text.length + 2];
    System.arraycopy(text, 0, framed, off, text.length);
    Object whole = outcome(() -> Base64.getDecoder().decode(text));
    Object inFrame =
        outcome(
            () -> {
              ByteBuffer b = Base64.getDecoder().decode(ByteBuffer.wrap(framed, off, text.length));
              return Arrays.copyOfRange(b.array(), b.position(), b.limit());
            });
    for (Base64Vector codec : new Base64Vector[] {VECTOR, SCALAR}) {
      assertThat(outcome(() -> codec.decode(text))).isEqualTo(whole);
      assertThat(outcome(() -> codec.decode(framed, off, text.length))).isEqualTo(inFrame);
      assertThat(
              outcome(
                  () -> {
                    byte[] out = new byte[text.length];
                    int n = codec.decode(framed, off, text.length, out, 0);
                    return Arrays.copyOf(out, n);
                  }))
          .isEqualTo(inFrame);
    }
  }

  @Example
  void rejectsWithTheJdkMessages() {
    String good = Base64.getEncoder().encodeToString(random(1, 600));
    for (String bad :
        new String[] {
          good.substring(0, 100) + "-" + good.substring(101),
          good.substring(0, 300) + "=" + good.substring(301),
          good.substring(0, good.length() - 3),
          good.substring(0, 400) + "\u00c3" + good.substring(401),
          good + "=",
          good + "A",
          "A"
        }) {
      byte[] ascii = bad.getBytes(StandardCharsets.ISO_8859_1);
      IllegalArgumentException expected =
          (IllegalArgumentException) outcomeOrThrown(() -> Base64.getDecoder().decode(ascii));
      assertThatThrownBy(() -> VECTOR.decode(ascii))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(expected.getMessage());
    }
  }

  private static byte[] damage(byte[] text, Damage damage, Random r) {
    if (text.length == 0) {
      return damage == Damage.APPEND ? new byte[] {'Q'} : text;
    }
    int at = r.nextInt(text.length);
    byte[] t = text.clone();
    switch (damage) {
      case REPLACE_ANY_BYTE -> t[at] = (byte) r.nextInt(256);
      case REPLACE_WITH_PAD -> t[at] = '=';
      case REPLACE_WITH_URL_SAFE -> t[at] = r.nextBoolean() ? (byte) '-' : (byte) '_';
      case REPLACE_WITH_WHITESPACE -> t[at] = " \r\n\t".getBytes()[r.nextInt(4)];
      case REPLACE_WITH_HIGH_BYTE -> t[at] = (byte) (0x80 + r.nextInt(128));
      case DROP_TAIL ->
          t = Arrays.copyOf(text, text.length - 1 - r.nextInt(Math.min(3, text.length)));
      case APPEND -> {
        t = Arrays.copyOf(text, text.length + 1 + r.nextInt(3));
        for (int i = text.length; i < t.length; i++) {
          t[i] = r.nextBoolean() ? (byte) '=' : (byte) 'A';
        }
      }
      case INSERT_PAD -> {
        t = new byte[text.length + 1];
        System.arraycopy(text, 0, t, 0, at);
        t[at] = '=';
        System.arraycopy(text, at, t, at + 1, text.length - at);
      }
    }
    return t;
  }

  /** The decoded bytes as a list, or the exception's class and message. */
  private static Object outcome(java.util.function.Supplier<byte[]> decode) {
    Object o = outcomeOrThrown(decode);
    return o instanceof byte[] b
        ? java.util.HexFormat.of().formatHex(b)
        : o.getClass().getName() + ": " + ((Throwable) o).getMessage();
  }

  private static Object outcomeOrThrown(java.util.function.Supplier<byte[]> decode) {
    try {
      return decode.get();
    } catch (IllegalArgumentException e) {
      return e;
    }
  }

  @Property(tries = 1000)
  void indexOfFindsTheFirstOccurrence(
      @ForAll @IntRange(max = 300) int len,
      @ForAll long seed,
      @ForAll @IntRange(max = 5) int hits,
      @ForAll @IntRange(max = 300) int from,
      @ForAll @IntRange(max = 300) int cut) {
    byte[] b = new byte[len];
    Random r = new Random(seed);
    for (int i = 0; i < len; i++) {
      b[i] = (byte) ('A' + r.nextInt(26)); // no quote but the ones put in below
    }
    for (int h = 0; h < hits && len > 0; h++) {
      b[r.nextInt(len)] = '"';
    }
    int start = Math.min(from, len);
    int limit = Math.max(start, len - cut);
    int expected = start;
    while (expected < limit && b[expected] != '"') {
      expected++;
    }
    assertThat(VECTOR.indexOf(b, start, limit, (byte) '"')).isEqualTo(expected);
    assertThat(SCALAR.indexOf(b, start, limit, (byte) '"')).isEqualTo(expected);
  }
}
