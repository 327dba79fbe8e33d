package io.axivon.sdk.mining;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.apache.tuweni.bytes.MutableBytes;
import org.junit.jupiter.api.Test;

class AnswerCodecProperties {
  @Provide
  Arbitrary<Answer> answers() {
    Arbitrary<Long> pos = Arbitraries.longs().between(0, Pora.MAX_POSITION - 1);
    return Combinators.combine(
            Arbitraries.longs(), pos, pos, pos, Arbitraries.integers().between(0, Pora.MAX_PROOF))
        .as(
            (seed, a, b, c, m) -> {
              Random r = new Random(seed);
              long shards = 1L << r.nextInt(33); // any value decodes; the verifier judges it
              List<Bytes32> proof = new ArrayList<>();
              for (int i = 0; i < m; i++) {
                proof.add(Bytes32.random(r));
              }
              return new Answer(
                  Bytes32.random(r),
                  Bytes32.random(r),
                  Bytes32.random(r),
                  a,
                  b,
                  r.nextLong(shards),
                  shards,
                  c,
                  Bytes32.random(r),
                  Bytes32.random(r),
                  Bytes.random(Pora.UNIT_BYTES, r),
                  proof);
            });
  }

  @Property(tries = 200)
  void roundTrips(@ForAll("answers") Answer a) {
    Bytes call = AnswerCodec.encodeCall(a);
    assertThat(call.slice(0, 4)).isEqualTo(AnswerCodec.SELECTOR);
    assertThat(call.size()).isEqualTo(4 + AnswerCodec.argsSize(a.proof().size()));
    assertThat(AnswerCodec.decodeArgs(call.slice(4))).isEqualTo(a);
  }

  @Property(tries = 200)
  void anyOtherLengthIsRefused(
      @ForAll("answers") Answer a, @ForAll @IntRange(min = -40, max = 40) int delta) {
    Bytes args = AnswerCodec.encodeArgs(a);
    if (delta == 0) {
      return;
    }
    Bytes changed =
        delta < 0
            ? args.slice(0, Math.max(0, args.size() + delta))
            : Bytes.concatenate(args, Bytes.wrap(new byte[delta]));
    assertThatThrownBy(() -> AnswerCodec.decodeArgs(changed))
        .isInstanceOf(InvalidInputException.class);
  }

  @Property(tries = 200)
  void dirtyHeadWordsAreRefused(
      @ForAll("answers") Answer a,
      @ForAll("structuralBytes") int index,
      @ForAll @IntRange(min = 1, max = 255) int xor) {
    MutableBytes args = AnswerCodec.encodeArgs(a).mutableCopy();
    args.set(index, (byte) (args.get(index) ^ xor));
    assertThatThrownBy(() -> AnswerCodec.decodeArgs(args))
        .isInstanceOf(InvalidInputException.class);
  }

  /**
   * Bytes whose change always breaks canonical form: the tuple offset, the high bytes of the five
   * uint fields, the proof offset and the proof length's high bytes.
   */
  @Provide
  Arbitrary<Integer> structuralBytes() {
    int tuple = 32;
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      idx.add(i); // the tuple offset
      idx.add(tuple + AnswerCodec.PROOF_OFFSET - 32 + i); // the proof offset
    }
    for (int f = 3; f <= 7; f++) {
      for (int i = 0; i < 24; i++) {
        idx.add(tuple + 32 * f + i); // a uint field above 2^64
      }
    }
    for (int i = 0; i < 31; i++) {
      idx.add(tuple + AnswerCodec.PROOF_OFFSET + i); // the proof length, all but its last byte
    }
    return Arbitraries.of(idx);
  }

  @Test
  void sizeMismatchIsReported() {
    Answer a = answers().sample();
    Bytes args = AnswerCodec.encodeArgs(a);
    // with proof nodes the length no longer matches them; without, it is below the minimum
    assertThatThrownBy(() -> AnswerCodec.decodeArgs(args.slice(0, args.size() - 5)))
        .hasMessageContaining("call data is " + (4 + args.size() - 5) + " bytes, ")
        .hasMessageContaining(
            a.proof().isEmpty()
                ? "at least " + (4 + args.size())
                : "expected " + (4 + args.size()));
  }

  @Test
  void positionsAtOrAbove2to62AreRefused() {
    Answer a = answers().sample();
    MutableBytes args = AnswerCodec.encodeArgs(a).mutableCopy();
    args.set(32 + 96 + 24, (byte) 0x40); // rangeStart = 2^62 + …
    assertThatThrownBy(() -> AnswerCodec.decodeArgs(args)).hasMessageContaining("rangeStart");
  }

  @Test
  void selectorIsTheSignatureHash() {
    assertThat(AnswerCodec.SELECTOR)
        .isEqualTo(
            io.axivon.common.crypto.Hashes.keccak256(Bytes.wrap(AnswerCodec.SIGNATURE.getBytes()))
                .slice(0, 4));
    assertThat(AnswerCodec.PROOF_OFFSET).isEqualTo(0x1160);
  }
}
