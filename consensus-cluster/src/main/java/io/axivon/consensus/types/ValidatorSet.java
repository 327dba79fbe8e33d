package io.axivon.consensus.types;

import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.bls.BlsPublicKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The validators of one height in canonical order: power descending, then public key bytes
 * ascending (so every node indexes them the same way). Votes name validators by index here.
 */
public final class ValidatorSet {
  /** The canonical order. */
  public static final Comparator<Validator> ORDER =
      Comparator.comparingLong(Validator::power)
          .reversed()
          .thenComparing(v -> v.publicKey().toBytes());

  /** Decoding rejects sets that are not in canonical order, so each set has one encoding. */
  public static final RlpCodec<ValidatorSet> CODEC =
      RlpCodec.of(
          (w, s) -> w.writeListOf(s.validators, Validator.CODEC),
          r -> new ValidatorSet(r.readListOf(Validator.CODEC)));

  private final List<Validator> validators;
  private final long totalPower;
  private final Map<BlsPublicKey, Integer> indexByKey;

  /**
   * @throws IllegalArgumentException if empty, not in canonical order, keys repeat, or the total
   *     power exceeds {@link Validator#MAX_TOTAL_POWER}
   */
  public ValidatorSet(List<Validator> validators) {
    if (validators == null || validators.isEmpty()) {
      throw new IllegalArgumentException("validator set is empty");
    }
    this.validators = List.copyOf(validators);
    Map<BlsPublicKey, Integer> index = new HashMap<>();
    long total = 0;
    for (int i = 0; i < this.validators.size(); i++) {
      Validator v = this.validators.get(i);
      if (i > 0 && ORDER.compare(this.validators.get(i - 1), v) >= 0) {
        throw new IllegalArgumentException(
            "validators not in canonical order (power desc, key asc) at index " + i);
      }
      if (i >= Validator.MAX_VALIDATORS) {
        throw new IllegalArgumentException("more than " + Validator.MAX_VALIDATORS + " validators");
      }
      if (index.put(v.publicKey(), i) != null) {
        throw new IllegalArgumentException("validator key repeated at index " + i);
      }
      total += v.power();
      if (total > Validator.MAX_TOTAL_POWER) {
        throw new IllegalArgumentException(
            "total voting power exceeds " + Validator.MAX_TOTAL_POWER);
      }
    }
    this.totalPower = total;
    this.indexByKey = Map.copyOf(index);
  }

  /** The set of these validators, sorted into canonical order. */
  public static ValidatorSet of(List<Validator> validators) {
    List<Validator> sorted = new ArrayList<>(validators);
    sorted.sort(ORDER);
    return new ValidatorSet(sorted);
  }

  public List<Validator> validators() {
    return validators;
  }

  public int size() {
    return validators.size();
  }

  public Validator get(int index) {
    return validators.get(index);
  }

  public long power(int index) {
    return validators.get(index).power();
  }

  public long totalPower() {
    return totalPower;
  }

  /** The index of {@code key}, or -1. */
  public int indexOf(BlsPublicKey key) {
    return indexByKey.getOrDefault(key, -1);
  }

  /** Whether {@code power} is more than 2/3 of the total (a quorum, "2f+1"). */
  public boolean isQuorum(long power) {
    // 3 * power fits: power <= total <= Long.MAX_VALUE / 8.
    return 3 * power > 2 * totalPower;
  }

  /** Whether {@code power} is more than 1/3 of the total ("f+1": at least one honest). */
  public boolean isOneThird(long power) {
    return 3 * power > totalPower;
  }

  /** The smallest power that is a quorum. */
  public long quorumPower() {
    return 2 * totalPower / 3 + 1;
  }

  /** Keccak-256 of the canonical encoding; block headers commit to it. */
  public Bytes32 hash() {
    return Hashes.keccak256(Rlp.encode(CODEC, this));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ValidatorSet s && s.validators.equals(validators);
  }

  @Override
  public int hashCode() {
    return validators.hashCode();
  }

  @Override
  public String toString() {
    return "ValidatorSet" + validators;
  }
}
