package io.axivon.compute.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.time.ManualClock;
import io.axivon.sdk.compute.SignedRequest;
import io.axivon.sdk.compute.SubAccount;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccountCacheTest {
  static final Address USER = Address.fromHex("0x00000000000000000000000000000000000000aa");
  static final Address PROVIDER = Address.fromHex("0x00000000000000000000000000000000000000bb");

  /** A chain whose balance the test sets, counting reads. */
  static final class CountingChain implements SettlementChain {
    long balance = 100;
    int reads;

    @Override
    public SubAccount account(Address user, Address provider) {
      reads++;
      return new SubAccount(BigInteger.valueOf(balance), BigInteger.ZERO, BigInteger.ZERO, 0);
    }

    @Override
    public void settle(List<SignedRequest> batch) {}
  }

  final CountingChain chain = new CountingChain();
  final ManualClock clock = new ManualClock(0);
  final AccountCache cache = new AccountCache(chain, PROVIDER, clock, Duration.ofSeconds(1));

  @Test
  void readsOncePerTtl() {
    assertThat(cache.get(USER).cached()).isFalse();
    chain.balance = 500;
    AccountCache.Read hit = cache.get(USER);
    assertThat(hit.cached()).isTrue();
    assertThat(hit.account().balance()).isEqualTo(100);
    assertThat(chain.reads).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    assertThat(cache.get(USER).account().balance()).isEqualTo(500);
    assertThat(chain.reads).isEqualTo(2);
  }

  @Test
  void invalidationForcesAReadAndBumpsTheEpoch() {
    AccountCache.Read before = cache.get(USER);
    chain.balance = 40; // a settlement charged the user
    cache.invalidate(USER);
    assertThat(cache.epoch()).isGreaterThan(before.epoch());
    AccountCache.Read after = cache.get(USER);
    assertThat(after.account().balance()).isEqualTo(40);
    assertThat(after.epoch()).isEqualTo(cache.epoch());
    assertThat(chain.reads).isEqualTo(2);
  }

  @Test
  void freshAlwaysReadsAndRefreshesTheEntry() {
    cache.get(USER);
    chain.balance = 700; // a top-up
    assertThat(cache.fresh(USER).account().balance()).isEqualTo(700);
    assertThat(cache.get(USER).account().balance()).isEqualTo(700);
    assertThat(chain.reads).isEqualTo(2);
  }

  @Test
  void zeroTtlReadsEveryTime() {
    AccountCache none = new AccountCache(chain, PROVIDER, clock, Duration.ZERO);
    none.get(USER);
    none.get(USER);
    assertThat(chain.reads).isEqualTo(2);
  }
}
