package io.axivon.compute.gateway;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.sdk.compute.ServingDomain;
import io.axivon.sdk.compute.SignedRequest;
import io.axivon.sdk.compute.SubAccount;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The serving module's settlement rules in memory (signature, strictly increasing nonce, balance),
 * recording every request it settles, so tests can count duplicates and losses.
 */
final class FakeChain implements SettlementChain {
  final ServingDomain domain;
  final Map<Address, BigInteger> balances = new HashMap<>();
  final Map<Address, Long> nonces = new HashMap<>();
  final List<SignedRequest> settled = new ArrayList<>();
  int settleCalls;
  int accountReads;

  /** When set, the next settle applies its batch and then throws (a crash after the tx landed). */
  boolean failAfterApplying;

  FakeChain(ServingDomain domain) {
    this.domain = domain;
  }

  @Override
  public synchronized SubAccount account(Address user, Address provider) {
    accountReads++;
    return new SubAccount(
        balances.getOrDefault(user, BigInteger.ZERO),
        BigInteger.valueOf(nonces.getOrDefault(user, 0L)),
        BigInteger.ZERO,
        0);
  }

  @Override
  public synchronized void settle(List<SignedRequest> batch) {
    settleCalls++;
    Map<Address, Long> n = new HashMap<>(nonces);
    Map<Address, BigInteger> b = new HashMap<>(balances);
    for (SignedRequest s : batch) {
      Address u = s.request().user();
      if (!s.verify(domain)) {
        throw new IllegalStateException("forged request reached the chain");
      }
      long nonce = s.request().nonce().longValueExact();
      if (nonce <= n.getOrDefault(u, 0L)) {
        throw new IllegalStateException("replayed nonce " + nonce + " reached the chain");
      }
      BigInteger left = b.getOrDefault(u, BigInteger.ZERO).subtract(s.request().fee());
      if (left.signum() < 0) {
        throw new IllegalStateException("over balance");
      }
      n.put(u, nonce);
      b.put(u, left);
    }
    nonces.putAll(n);
    balances.putAll(b);
    settled.addAll(batch);
    if (failAfterApplying) {
      failAfterApplying = false;
      throw new IllegalStateException("connection lost after the transaction was sent");
    }
  }
}
