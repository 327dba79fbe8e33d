package io.axivon.consensus.evidence;

import io.axivon.common.codec.Rlp;
import io.axivon.common.crypto.Hashes;
import io.axivon.consensus.types.Evidence;
import io.axivon.consensus.types.SignatureVerifier;
import io.axivon.consensus.types.ValidatorSet;
import io.axivon.consensus.types.Vote;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongFunction;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Verified proof of equivocation waiting to be put in a block. Evidence is valid when its two votes
 * share height, round, type and validator, name different values, and both carry that validator's
 * signature under the set of that height; it expires {@code maxAgeHeights} heights after the votes'
 * height. Committed evidence is remembered until it expires, so it is never accepted twice.
 *
 * <p>Thread-safe (one lock); signature checks run outside it.
 */
public final class EvidencePool {
  /** What {@link #add} did. */
  public sealed interface AddResult {
    record Added(Bytes32 hash) implements AddResult {}

    /** Already pending, or already committed. */
    record Duplicate(Bytes32 hash) implements AddResult {}

    record Invalid(String reason) implements AddResult {}

    /**
     * This node cannot judge it yet: its height is ahead of ours, or we know no validator set for
     * it (still syncing). Not the sender's fault: gossip ignores it rather than penalising.
     */
    record NotYet(String reason) implements AddResult {}

    /** Older than the pool's maximum age. */
    record Expired(long height) implements AddResult {}
  }

  private record Held(Evidence evidence, long height, long seq) {}

  private final String chainId;
  private final long maxAgeHeights;
  private final LongFunction<Optional<ValidatorSet>> validatorsAt;
  private final SignatureVerifier verifier;
  private final Map<Bytes32, Held> pending = new LinkedHashMap<>();
  private final Map<Bytes32, Long> committed = new HashMap<>();
  private long seq;

  /**
   * @param maxAgeHeights how many heights after its votes evidence stays acceptable
   * @param validatorsAt the validator set that voted at a height, if known
   */
  public EvidencePool(
      String chainId,
      long maxAgeHeights,
      LongFunction<Optional<ValidatorSet>> validatorsAt,
      SignatureVerifier verifier) {
    if (maxAgeHeights < 0) {
      throw new IllegalArgumentException("maxAgeHeights must be >= 0, got " + maxAgeHeights);
    }
    this.chainId = Objects.requireNonNull(chainId, "chainId");
    this.maxAgeHeights = maxAgeHeights;
    this.validatorsAt = Objects.requireNonNull(validatorsAt, "validatorsAt");
    this.verifier = Objects.requireNonNull(verifier, "verifier");
  }

  /** Keccak-256 of the evidence's canonical encoding. */
  public static Bytes32 hash(Evidence e) {
    return Hashes.keccak256(Rlp.encode(Evidence.CODEC, e));
  }

  /** Checks {@code e} against the chain at {@code currentHeight} and keeps it if valid and new. */
  public AddResult add(Evidence e, long currentHeight) {
    Bytes32 hash = hash(e);
    long height = e.first().height();
    synchronized (this) {
      if (pending.containsKey(hash) || committed.containsKey(hash)) {
        return new AddResult.Duplicate(hash);
      }
    }
    if (height > currentHeight) {
      return new AddResult.NotYet(
          "evidence of height " + height + " is ahead of the current height " + currentHeight);
    }
    if (expired(height, currentHeight)) {
      return new AddResult.Expired(height);
    }
    if (validatorsAt.apply(height).isEmpty()) {
      return new AddResult.NotYet("no validator set known for height " + height);
    }
    String invalid = check(e, height);
    if (invalid != null) {
      return new AddResult.Invalid(invalid);
    }
    synchronized (this) {
      if (pending.containsKey(hash) || committed.containsKey(hash)) {
        return new AddResult.Duplicate(hash);
      }
      pending.put(hash, new Held(e, height, seq++));
      return new AddResult.Added(hash);
    }
  }

  /**
   * Why {@code e} may not go into a block at {@code blockHeight}, or null if it may: it must
   * verify, be from an earlier height, not be expired and not be in a block already (as far as this
   * node remembers: the application keeps the durable record that stops replays).
   */
  public String rejectForBlock(Evidence e, long blockHeight) {
    long height = e.first().height();
    synchronized (this) {
      if (committed.containsKey(hash(e))) {
        return "evidence already in an earlier block";
      }
    }
    if (height >= blockHeight) {
      return "evidence of height " + height + " in block " + blockHeight;
    }
    if (expired(height, blockHeight)) {
      return "evidence of height " + height + " expired";
    }
    return check(e, height);
  }

  private boolean expired(long height, long currentHeight) {
    return currentHeight - height > maxAgeHeights;
  }

  /** Why {@code e} is invalid, or null. */
  private String check(Evidence e, long height) {
    Vote a = e.first();
    Vote b = e.second();
    // the record's constructor guarantees these; checked again since this is the pool's contract
    if (a.type() != b.type()
        || a.height() != b.height()
        || a.round() != b.round()
        || a.validatorIndex() != b.validatorIndex()) {
      return "evidence votes differ in type, height, round or validator";
    }
    if (a.blockHash().equals(b.blockHash())) {
      return "evidence votes are for the same value";
    }
    Optional<ValidatorSet> set = validatorsAt.apply(height);
    if (set.isEmpty()) {
      return "no validator set known for height " + height;
    }
    if (a.validatorIndex() >= set.get().size()) {
      return "validator index "
          + a.validatorIndex()
          + " is not in the set of "
          + set.get().size()
          + " at height "
          + height;
    }
    if (!a.verify(chainId, set.get(), verifier)) {
      return "first vote's signature does not verify";
    }
    if (!b.verify(chainId, set.get(), verifier)) {
      return "second vote's signature does not verify";
    }
    return null;
  }

  /** Up to {@code max} pending pieces, oldest height first (then arrival). */
  public synchronized List<Evidence> pending(int max) {
    List<Held> all = new ArrayList<>(pending.values());
    all.sort(Comparator.comparingLong(Held::height).thenComparingLong(Held::seq));
    List<Evidence> out = new ArrayList<>();
    for (int i = 0; i < Math.min(max, all.size()); i++) {
      out.add(all.get(i).evidence());
    }
    return out;
  }

  /** Evidence included in a block: dropped from pending and never accepted again. */
  public synchronized void markCommitted(Evidence e) {
    Bytes32 hash = hash(e);
    pending.remove(hash);
    committed.put(hash, e.first().height());
  }

  /** Forgets evidence (pending and committed) that has expired at {@code currentHeight}. */
  public synchronized void prune(long currentHeight) {
    pending.values().removeIf(h -> expired(h.height(), currentHeight));
    committed.values().removeIf(h -> expired(h, currentHeight));
  }

  public synchronized int size() {
    return pending.size();
  }
}
