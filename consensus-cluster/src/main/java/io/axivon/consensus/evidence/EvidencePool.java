package io.axivon.consensus.evidence;

import io.axivon.consensus.types.Evidence;
import io.axivon.consensus.types.SignatureVerifier;
import io.axivon.consensus.types.ValidatorSet;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;

/** TEMPORARY stand-in until the store branch's evidence pool is merged. */
public final class EvidencePool {
  public sealed interface AddResult {
    record Added() implements AddResult {}

    record Duplicate() implements AddResult {}

    record Invalid(String reason) implements AddResult {}

    record Expired() implements AddResult {}
  }

  private final Set<Evidence> pending = new LinkedHashSet<>();

  public EvidencePool(
      String chainId,
      long maxAgeHeights,
      LongFunction<Optional<ValidatorSet>> validatorsAt,
      SignatureVerifier verifier) {}

  public synchronized AddResult add(Evidence e, long currentHeight) {
    return pending.add(e) ? new AddResult.Added() : new AddResult.Duplicate();
  }

  public synchronized List<Evidence> pending(int max) {
    return new ArrayList<>(pending).subList(0, Math.min(max, pending.size()));
  }

  public synchronized void markCommitted(Evidence e) {
    pending.remove(e);
  }

  public synchronized void prune(long currentHeight) {}
}
