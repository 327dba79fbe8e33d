package io.axivon.da.cert;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.vrf.Sortition;
import io.axivon.common.crypto.vrf.Vrf;
import io.axivon.da.blob.BlobSquare;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The members of one quorum in one epoch, in sortition order, and their shares of the coded rows of
 * a square (specs/da.md §7). A pure function of chain data: anyone recomputes it with {@link
 * #select}.
 */
public record Quorum(long epoch, long quorumId, List<DaOperator> members) {
  /** The domain of each operator's draw. */
  public static final String DOMAIN = "axivon/da-quorum";

  public Quorum {
    members = List.copyOf(members);
    if (members.isEmpty()) {
      throw new InvalidInputException("a quorum needs at least one member");
    }
    if (members.size() > DaCertificate.MAX_MEMBERS) {
      throw new InvalidInputException(
          "a quorum has at most " + DaCertificate.MAX_MEMBERS + " members, got " + members.size());
    }
    for (DaOperator m : members) {
      if (m.stake() <= 0) {
        throw new InvalidInputException("quorum member " + m.id().toHexString() + " has no stake");
      }
    }
  }

  /**
   * Selects up to {@code size} members by stake ({@link Sortition#select}, Efraimidis–Spirakis):
   * operator o draws {@code sha256(Vrf.message(DOMAIN, seed ‖ u64be(epoch) ‖ u64be(quorumId) ‖
   * id))}, where {@code seed} is the epoch's randomness from chain 0 (itself VRF output, so no
   * operator can steer its draw once registered). Operators with zero stake are never selected.
   */
  public static Quorum select(
      Bytes32 seed, long epoch, long quorumId, List<DaOperator> operators, int size) {
    Objects.requireNonNull(seed, "seed");
    Map<Bytes, DaOperator> byId = new HashMap<>();
    List<Sortition.Candidate> candidates = new ArrayList<>();
    for (DaOperator o : operators) {
      if (byId.put(o.id(), o) != null) {
        throw new InvalidInputException("operator " + o.id().toHexString() + " is listed twice");
      }
      Bytes input = Bytes.concatenate(seed, u64(epoch), u64(quorumId), o.id());
      Bytes32 draw = Hashes.sha256(Vrf.message(DOMAIN, input));
      candidates.add(new Sortition.Candidate(o.id(), o.stake(), draw));
    }
    List<DaOperator> members =
        Sortition.select(candidates, size).stream().map(c -> byId.get(c.id())).toList();
    if (members.isEmpty()) {
      throw new InvalidInputException("no operator with stake to form quorum " + quorumId);
    }
    return new Quorum(epoch, quorumId, members);
  }

  /**
   * How many of the 2k coded rows each member holds: {@code floor(2k · stake / total)}, plus one
   * for the members with the largest remainders (ties by sortition order) until 2k are given.
   */
  public int[] rowCounts(int k) {
    BlobSquare.checkWidth(k);
    int n = members.size();
    BigInteger rows = BigInteger.valueOf(2L * k);
    BigInteger total = BigInteger.ZERO;
    for (DaOperator m : members) {
      total = total.add(BigInteger.valueOf(m.stake()));
    }
    int[] counts = new int[n];
    BigInteger[] remainders = new BigInteger[n];
    int given = 0;
    for (int i = 0; i < n; i++) {
      BigInteger[] qr =
          rows.multiply(BigInteger.valueOf(members.get(i).stake())).divideAndRemainder(total);
      counts[i] = qr[0].intValueExact();
      remainders[i] = qr[1];
      given += counts[i];
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        Comparator.<Integer, BigInteger>comparing(i -> remainders[i])
            .reversed()
            .thenComparing(i -> i));
    for (int j = 0; given < 2 * k; j++, given++) {
      counts[order[j]]++;
    }
    return counts;
  }

  /** The first row index of each member: members take consecutive rows in sortition order. */
  public int[] firstRows(int k) {
    int[] counts = rowCounts(k);
    int[] first = new int[counts.length];
    for (int i = 1; i < counts.length; i++) {
      first[i] = first[i - 1] + counts[i - 1];
    }
    return first;
  }

  /** The member that holds row (and column) {@code row} of a square of width k. */
  public int holderOf(int row, int k) {
    int[] first = firstRows(k);
    int[] counts = rowCounts(k);
    for (int i = 0; i < counts.length; i++) {
      if (row >= first[i] && row < first[i] + counts[i]) {
        return i;
      }
    }
    throw new InvalidInputException("row " + row + " is outside 0.." + (2 * k - 1));
  }

  /** The coded rows a certificate's signers must hold: ceil(2/3 · 2k). */
  public static int threshold(int k) {
    BlobSquare.checkWidth(k);
    return (4 * k + 2) / 3;
  }

  static Bytes u64(long v) {
    return Bytes.ofUnsignedLong(v);
  }
}
