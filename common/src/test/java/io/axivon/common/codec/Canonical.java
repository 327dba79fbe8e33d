package io.axivon.common.codec;

import io.axivon.common.InvalidInputException;
import io.axivon.common.merkle.InclusionProof;
import io.axivon.common.merkle.RangeProof;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;

/** The decoder invariant that property and fuzz tests check on arbitrary input. */
final class Canonical {
  private Canonical() {}

  /** Limits small enough that the generic decoder's recursion stays shallow under fuzzing. */
  static final RlpLimits LIMITS = new RlpLimits(1 << 16, 32);

  /** Every codec the invariant is checked on. */
  static final List<RlpCodec<?>> CODECS =
      List.of(
          RlpItem.CODEC,
          Transfer.CODEC,
          Batch.CODEC,
          LegacyTransaction.CODEC,
          Rlp.listOf(Rlp.UINT64),
          Rlp.optional(Rlp.UINT256),
          Rlp.BYTES32,
          Rlp.BOOLEAN,
          InclusionProof.CODEC,
          RangeProof.CODEC);

  /**
   * Decoding {@code input} either throws {@link InvalidInputException} or gives a value whose
   * encoding is exactly {@code input}; any other exception escapes to the caller.
   *
   * @return whether the input decoded
   */
  static <T> boolean check(RlpCodec<T> codec, Bytes input) {
    T value;
    try {
      value = Rlp.decode(codec, input, LIMITS);
    } catch (InvalidInputException e) {
      if (e.getMessage() == null || !e.getMessage().startsWith("invalid RLP")) {
        throw new AssertionError("decode error without a precise message: " + e.getMessage(), e);
      }
      return false;
    }
    Bytes again = Rlp.encode(codec, value);
    if (!again.equals(input)) {
      throw new AssertionError(
          "non-canonical input accepted: " + input.toHexString() + " re-encodes as " + again);
    }
    return true;
  }

  /** {@link #check} on every codec in {@link #CODECS}; whether any of them decoded the input. */
  static boolean checkAll(Bytes input) {
    boolean any = false;
    for (RlpCodec<?> codec : CODECS) {
      any |= check(codec, input);
    }
    return any;
  }
}
