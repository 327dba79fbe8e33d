package io.axivon.compute.gateway;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.time.Clock;
import io.axivon.sdk.compute.SubAccount;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sub-accounts read from chain 0, kept for a short time so a user's stream of requests costs one
 * chain read per {@code ttl} rather than one per request. Safe for admission because on chain a
 * sub-account's balance only falls through this provider's own settlements, which {@link
 * #invalidate} the users they charged, or through a refund, which first stays chargeable for the
 * module's lock window (many blocks, far longer than {@code ttl}); a stale view only under-counts
 * top-ups, and the gateway re-reads before refusing a request as underfunded.
 *
 * <p>An {@link #epoch} counts invalidations: a read that started before one is not cached, and
 * callers holding a read compare epochs to know whether it is still usable. Thread-safe.
 */
public final class AccountCache {
  /** One chain read: the sub-account, the epoch it was read in, and whether it came from cache. */
  public record Read(SubAccount account, long epoch, boolean cached) {}

  private record Entry(SubAccount account, long readAt) {}

  private final SettlementChain chain;
  private final Address provider;
  private final Clock clock;
  private final long ttlNanos;
  private final ConcurrentHashMap<Address, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicLong epoch = new AtomicLong();

  /**
   * @param ttl how long a read is used ({@link Duration#ZERO}: read on every request)
   */
  public AccountCache(SettlementChain chain, Address provider, Clock clock, Duration ttl) {
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must not be negative");
    }
    this.chain = chain;
    this.provider = provider;
    this.clock = clock;
    this.ttlNanos = ttl.toNanos();
  }

  /** The cached sub-account of {@code user} if younger than the ttl, else a fresh read. */
  public Read get(Address user) {
    long e = epoch.get();
    Entry entry = entries.get(user);
    if (entry != null && clock.nanos() - entry.readAt() < ttlNanos) {
      return new Read(entry.account(), e, true);
    }
    return fresh(user);
  }

  /** Reads {@code user}'s sub-account from chain and caches it unless invalidated meanwhile. */
  public Read fresh(Address user) {
    long e = epoch.get();
    long at = clock.nanos();
    SubAccount a = chain.account(user, provider);
    if (ttlNanos > 0) {
      entries.put(user, new Entry(a, at));
      if (epoch.get() != e) {
        entries.remove(user); // an invalidation raced with the read: do not keep it
      }
    }
    return new Read(a, e, false);
  }

  /** Drops {@code user}'s entry: its sub-account changed on chain (a settlement charged it). */
  public void invalidate(Address user) {
    epoch.incrementAndGet();
    entries.remove(user);
  }

  /** Bumped by every {@link #invalidate}: a {@link Read} of an older epoch may be stale. */
  public long epoch() {
    return epoch.get();
  }
}
