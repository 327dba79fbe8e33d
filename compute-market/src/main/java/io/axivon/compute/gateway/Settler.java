package io.axivon.compute.gateway;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.sdk.compute.SignedRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Settles pending requests in batches. Safe to retry after any failure or crash: before each batch
 * it asks the chain which requests are already settled (nonce at or below the sub-account's) and
 * marks those settled instead of sending them again, so a batch whose transaction landed before a
 * crash is never resubmitted, and none is lost. Runs the chain calls without holding any lock of
 * the caller's: {@link Pending} locks what it must.
 */
public final class Settler {
  /** The pending requests, as the gateway exposes them to settlement. */
  public interface Pending {
    /** Settleable requests in acceptance order (none still being forwarded, nor after one). */
    List<SignedRequest> snapshot();

    /** Records these as settled (durably first). */
    void settled(List<SignedRequest> batch);
  }

  private final Address provider;
  private final Pending pending;
  private final SettlementChain chain;
  private final int maxBatch;

  public Settler(Address provider, Pending pending, SettlementChain chain, int maxBatch) {
    this.provider = provider;
    this.pending = pending;
    this.chain = chain;
    this.maxBatch = maxBatch;
  }

  /**
   * Reconciles with the chain, then settles at most one batch. Callers run one at a time.
   *
   * @return the number of requests now settled (sent or found settled)
   */
  public int settleOnce() throws Exception {
    List<SignedRequest> all = pending.snapshot();
    if (all.isEmpty()) {
      return 0;
    }
    Map<Address, Long> onChain = new HashMap<>();
    List<SignedRequest> already = new ArrayList<>();
    List<SignedRequest> batch = new ArrayList<>();
    for (SignedRequest s : all) {
      long n =
          onChain.computeIfAbsent(
              s.request().user(), u -> chain.account(u, provider).nonce().longValueExact());
      if (s.request().nonce().longValueExact() <= n) {
        already.add(s);
      } else if (batch.size() < maxBatch) {
        batch.add(s);
      }
    }
    if (!already.isEmpty()) {
      pending.settled(already);
    }
    if (!batch.isEmpty()) {
      chain.settle(batch);
      pending.settled(batch);
    }
    return already.size() + batch.size();
  }
}
