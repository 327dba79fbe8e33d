package io.axivon.common.crypto.vrf;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.Hashes;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Deterministic stake-weighted sortition, integer arithmetic only, so that every implementation of
 * specs/vrf.md selects the same members bit for bit.
 */
public final class Sortition {
  /** Fraction bits of the fixed-point -log2(u) in {@link #raceKey}. */
  static final int LOG_FRACTION_BITS = 48;

  /** Working precision (fraction bits) of the mantissa while computing log2. */
  static final int LOG_WORKING_BITS = 64;

  private static final BigInteger ONE_FIXED = BigInteger.ONE.shiftLeft(LOG_WORKING_BITS);
  private static final BigInteger TWO_FIXED = BigInteger.TWO.shiftLeft(LOG_WORKING_BITS);
  private static final BigInteger SIXTY_FOUR_FIXED =
      BigInteger.valueOf(64).shiftLeft(LOG_FRACTION_BITS);

  private Sortition() {}

  /**
   * A candidate for selection: a unique id (compared as unsigned bytes, lexicographically), its
   * stake (≥ 0), and its VRF output for this selection.
   */
  public record Candidate(Bytes id, long stake, Bytes32 vrfOutput) {
    public Candidate {
      if (id == null || vrfOutput == null) {
        throw new InvalidInputException("candidate id and VRF output are required");
      }
      if (stake < 0) {
        throw new InvalidInputException(
            "candidate " + id.toHexString() + " has negative stake " + stake);
      }
      id = id.copy();
    }
  }

  /**
   * Selects up to {@code k} members without replacement, each draw with probability proportional to
   * stake among those not yet drawn (Efraimidis–Spirakis): each candidate with stake w &gt; 0 gets
   * the race key -log2(u)/w, u from its VRF output, and the k smallest keys win, ties broken by the
   * smaller id. Candidates with zero stake are never selected.
   *
   * @return the selected candidates, smallest key first (independent of the input order)
   * @throws InvalidInputException if k &lt; 0 or two candidates share an id
   */
  public static List<Candidate> select(List<Candidate> candidates, int k) {
    if (candidates == null) {
      throw new InvalidInputException("candidates are required");
    }
    if (k < 0) {
      throw new InvalidInputException("number of members to select must be ≥ 0, got " + k);
    }
    Set<Bytes> ids = new HashSet<>();
    List<Keyed> keyed = new ArrayList<>();
    for (Candidate candidate : candidates) {
      if (!ids.add(candidate.id())) {
        throw new InvalidInputException("duplicate candidate id " + candidate.id().toHexString());
      }
      if (candidate.stake() > 0) {
        keyed.add(new Keyed(candidate, raceKey(candidate.vrfOutput())));
      }
    }
    keyed.sort(RACE_ORDER);
    return keyed.stream().limit(k).map(Keyed::candidate).toList();
  }

  /**
   * One index in [0, stakes.length) with probability stakes[i] / sum(stakes), derived from {@code
   * seed}: rejection sampling over x = the first 8 bytes (unsigned, big-endian) of sha256(seed ‖
   * counter), counter an 8-byte big-endian integer from 0, accepting x below the largest multiple
   * of the total stake that fits in 2^64 (no modulo bias); then r = x mod total picks the index
   * whose cumulative stake range contains r.
   *
   * @throws InvalidInputException if there are no stakes, one is negative, all are zero, or the sum
   *     exceeds 2^63 - 1
   */
  public static int weightedIndex(Bytes32 seed, long[] stakes) {
    if (seed == null || stakes == null || stakes.length == 0) {
      throw new InvalidInputException("weightedIndex needs a seed and at least one stake");
    }
    long total = 0;
    for (int i = 0; i < stakes.length; i++) {
      if (stakes[i] < 0) {
        throw new InvalidInputException("stake " + i + " is negative: " + stakes[i]);
      }
      try {
        total = Math.addExact(total, stakes[i]);
      } catch (ArithmeticException e) {
        throw new InvalidInputException("total stake exceeds 2^63 - 1", e);
      }
    }
    if (total == 0) {
      throw new InvalidInputException("total stake is zero: nothing to choose from");
    }
    // 2^64 mod total; accept x < 2^64 - that (as unsigned), i.e. whole copies of [0, total) only
    long excess = Long.remainderUnsigned(Long.remainderUnsigned(-1L, total) + 1, total);
    byte[] preimage = new byte[Bytes32.SIZE + Long.BYTES];
    System.arraycopy(seed.toArrayUnsafe(), 0, preimage, 0, Bytes32.SIZE);
    for (long counter = 0; ; counter++) {
      putLong(preimage, Bytes32.SIZE, counter);
      long x = getLong(Hashes.sha256(preimage), 0);
      if (excess == 0 || Long.compareUnsigned(x, -excess) < 0) {
        long r = Long.remainderUnsigned(x, total);
        for (int i = 0; i < stakes.length; i++) {
          if (r < stakes[i]) {
            return i;
          }
          r -= stakes[i];
        }
        throw new AssertionError("r < total always lands in a stake range");
      }
    }
  }

  /**
   * -log2(u) as a fixed-point integer with {@value #LOG_FRACTION_BITS} fraction bits, where u = (x
   * + 1) / 2^64 ∈ (0, 1] and x is the first 8 bytes (unsigned, big-endian) of the VRF output.
   */
  static BigInteger raceKey(Bytes32 vrfOutput) {
    BigInteger y =
        new BigInteger(1, Arrays.copyOf(vrfOutput.toArrayUnsafe(), Long.BYTES)).add(BigInteger.ONE);
    return SIXTY_FOUR_FIXED.subtract(log2Fixed(y));
  }

  /**
   * floor-style binary logarithm of y ≥ 1 with {@value #LOG_FRACTION_BITS} fraction bits: the
   * integer part is bitLength - 1; each fraction bit comes from squaring the mantissa (kept with
   * {@value #LOG_WORKING_BITS} fraction bits, truncated) and halving it when it reaches 2.
   */
  static BigInteger log2Fixed(BigInteger y) {
    int n = y.bitLength() - 1;
    BigInteger z = y.shiftLeft(LOG_WORKING_BITS).shiftRight(n);
    BigInteger result = BigInteger.valueOf(n);
    for (int i = 0; i < LOG_FRACTION_BITS; i++) {
      z = z.multiply(z).shiftRight(LOG_WORKING_BITS);
      result = result.shiftLeft(1);
      if (z.compareTo(TWO_FIXED) >= 0) {
        z = z.shiftRight(1);
        result = result.add(BigInteger.ONE);
      }
    }
    assert z.compareTo(ONE_FIXED) >= 0;
    return result;
  }

  private record Keyed(Candidate candidate, BigInteger key) {}

  /** key_a / w_a vs key_b / w_b, exactly, by cross-multiplying; then ids. */
  private static final Comparator<Keyed> RACE_ORDER =
      (a, b) -> {
        int byKey =
            a.key()
                .multiply(BigInteger.valueOf(b.candidate().stake()))
                .compareTo(b.key().multiply(BigInteger.valueOf(a.candidate().stake())));
        return byKey != 0 ? byKey : compareIds(a.candidate().id(), b.candidate().id());
      };

  /** Unsigned lexicographic order; a proper prefix comes first. */
  static int compareIds(Bytes a, Bytes b) {
    return Arrays.compareUnsigned(a.toArrayUnsafe(), b.toArrayUnsafe());
  }

  private static void putLong(byte[] out, int offset, long value) {
    for (int i = 0; i < Long.BYTES; i++) {
      out[offset + i] = (byte) (value >>> (56 - 8 * i));
    }
  }

  private static long getLong(byte[] in, int offset) {
    long value = 0;
    for (int i = 0; i < Long.BYTES; i++) {
      value = (value << 8) | (in[offset + i] & 0xff);
    }
    return value;
  }
}
