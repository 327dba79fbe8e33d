package io.axivon.consensus.execution.serving;

import static io.axivon.consensus.execution.serving.ServingHarness.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.consensus.execution.system.MapState;
import io.axivon.consensus.execution.system.ModuleResult;
import io.axivon.sdk.compute.ResponseReceipt;
import io.axivon.sdk.compute.ServingAbi;
import io.axivon.sdk.compute.ServingRequest;
import io.axivon.sdk.compute.SignedReceipt;
import io.axivon.sdk.compute.SignedRequest;
import io.axivon.sdk.compute.SubAccount;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.statistics.Statistics;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Random sequences of ledger operations and settlements against a plain model: every outcome
 * (success or refusal) and every balance matches the model, a refused call changes nothing, and
 * funds are conserved: the module holds exactly the ledger and sub-account balances and the
 * providers' bonds, and no wei is created or lost across wallets and module, through deposits,
 * transfers, settlements, refunds, bonds and disputes.
 */
class ServingLedgerProperties {
  static final List<Secp256k1PrivateKey> USERS = List.of(key(1), key(2), key(3));
  static final List<Secp256k1PrivateKey> PROVIDER_KEYS = List.of(key(100), key(101));
  static final List<Address> PROVIDERS =
      PROVIDER_KEYS.stream().map(Secp256k1PrivateKey::address).toList();

  sealed interface Op {}

  record Deposit(int user, long amount) implements Op {}

  record Transfer(int user, int provider, long amount) implements Op {}

  record Refund(int user, int provider, long amount) implements Op {}

  record ProcessRefund(int user, int provider) implements Op {}

  record Withdraw(int user, long amount) implements Op {}

  /** nonceStep ≤ 0 replays; forged requests are signed by the next user's key. */
  record Req(int user, int nonceStep, long fee, boolean forged) {}

  record Settle(int provider, List<Req> requests) implements Op {}

  record Advance(int blocks) implements Op {}

  record Bond(int provider, long amount) implements Op {}

  record Unbond(int provider, long amount) implements Op {}

  /** {@code afterLock}: the chain first reaches the unbond's unlock block. */
  record WithdrawBond(int provider, boolean afterLock) implements Op {}

  /**
   * A dispute of request {@code nonce} of (user, provider) with the request's {@code fee}: {@code
   * equivocation} two receipts, else an overmetered one; {@code flaw} 0 valid evidence, 1 evidence
   * that proves nothing (identical receipts, or units within the body), 2 signed by the other
   * provider's key.
   */
  record Dispute(int user, int provider, int nonce, boolean equivocation, long fee, int flaw)
      implements Op {}

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Integer> u = Arbitraries.integers().between(0, USERS.size() - 1);
    Arbitrary<Integer> p = Arbitraries.integers().between(0, PROVIDERS.size() - 1);
    Arbitrary<Long> amount =
        Arbitraries.longs().between(0, 120).withDistribution(RandomDistribution.uniform());
    Arbitrary<Long> deposit =
        Arbitraries.longs().between(0, 1_000).withDistribution(RandomDistribution.uniform());
    Arbitrary<Req> req =
        Combinators.combine(
                u,
                Arbitraries.frequency(
                    net.jqwik.api.Tuple.of(1, -1),
                    net.jqwik.api.Tuple.of(1, 0),
                    net.jqwik.api.Tuple.of(8, 1),
                    net.jqwik.api.Tuple.of(2, 3)),
                Arbitraries.longs().between(0, 120).withDistribution(RandomDistribution.uniform()),
                Arbitraries.integers().between(0, 29).map(x -> x == 0))
            .as(Req::new);
    Arbitrary<Op> op =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, Combinators.combine(u, deposit).as(Deposit::new)),
            net.jqwik.api.Tuple.of(4, Combinators.combine(u, p, amount).as(Transfer::new)),
            net.jqwik.api.Tuple.of(2, Combinators.combine(u, p, amount).as(Refund::new)),
            net.jqwik.api.Tuple.of(2, Combinators.combine(u, p).as(ProcessRefund::new)),
            net.jqwik.api.Tuple.of(2, Combinators.combine(u, amount).as(Withdraw::new)),
            net.jqwik.api.Tuple.of(
                6, Combinators.combine(p, req.list().ofMaxSize(4)).as(Settle::new)),
            net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(1, 12).map(Advance::new)),
            net.jqwik.api.Tuple.of(
                3,
                Combinators.combine(
                        p,
                        Arbitraries.longs()
                            .between(0, 3 * PENALTY)
                            .withDistribution(RandomDistribution.uniform()))
                    .as(Bond::new)),
            net.jqwik.api.Tuple.of(2, Combinators.combine(p, amount).as(Unbond::new)),
            net.jqwik.api.Tuple.of(
                2, Combinators.combine(p, Arbitraries.of(true, false)).as(WithdrawBond::new)),
            net.jqwik.api.Tuple.of(
                3,
                Combinators.combine(
                        u,
                        p,
                        Arbitraries.integers().between(1, 3),
                        Arbitraries.of(true, false),
                        Arbitraries.longs().between(0, 100),
                        Arbitraries.frequency(
                            net.jqwik.api.Tuple.of(6, 0),
                            net.jqwik.api.Tuple.of(1, 1),
                            net.jqwik.api.Tuple.of(1, 2)))
                    .as(Dispute::new)));
    return op.list().ofMinSize(10).ofMaxSize(40);
  }

  /** The model: plain maps. */
  static final class Model {
    final Map<Integer, BigInteger> ledger = new HashMap<>();
    final Map<List<Integer>, long[]> sub = new HashMap<>(); // nonce, balance
    final Map<List<Integer>, long[]> refund = new HashMap<>(); // unlock, pending
    final long[] bond = new long[PROVIDERS.size()];
    final long[][] unbond = new long[PROVIDERS.size()][2]; // unlock, pending
    final java.util.Set<List<Integer>> disputed =
        new java.util.HashSet<>(); // user, provider, nonce

    long ledger(int u) {
      return ledger.getOrDefault(u, BigInteger.ZERO).longValueExact();
    }

    long[] sub(int u, int p) {
      return sub.computeIfAbsent(List.of(u, p), k -> new long[2]);
    }

    long[] refund(int u, int p) {
      return refund.computeIfAbsent(List.of(u, p), k -> new long[2]);
    }

    void setLedger(int u, long v) {
      ledger.put(u, BigInteger.valueOf(v));
    }
  }

  static final long PENALTY = ServingModule.DISPUTE_PENALTY.longValueExact();

  @Property(tries = 80)
  void ledgerMatchesTheModelAndConservesFunds(@ForAll("ops") List<Op> ops) {
    ServingHarness h = new ServingHarness();
    USERS.forEach(k -> h.fund(k.address()));
    PROVIDERS.forEach(h::fund);
    BigInteger total = total(h);
    Model m = new Model();
    for (Op generated : ops) {
      Op op = resolve(m, generated);
      if (op instanceof WithdrawBond w && w.afterLock()) {
        h.block = Math.max(h.block, m.unbond[w.provider()][0]);
      }
      MapState before = h.state.copy();
      boolean expected = apply(m, op, h.block);
      ModuleResult r = run(h, op, m);
      assertThat(r.success()).as(() -> op + " -> " + reason(r)).isEqualTo(expected);
      Statistics.collect(op.getClass().getSimpleName(), r.success());
      if (!r.success()) {
        assertThat(h.state).as("refused %s changed state", op).isEqualTo(before);
      }
      check(h, m);
      assertThat(total(h)).isEqualTo(total);
    }
  }

  private static BigInteger total(ServingHarness h) {
    BigInteger t = h.state.balance(ServingModule.ADDRESS);
    for (Secp256k1PrivateKey k : USERS) {
      t = t.add(h.state.balance(k.address()));
    }
    for (Address p : PROVIDERS) {
      t = t.add(h.state.balance(p));
    }
    return t;
  }

  private static void check(ServingHarness h, Model m) {
    BigInteger held = BigInteger.ZERO;
    for (int u = 0; u < USERS.size(); u++) {
      Address a = USERS.get(u).address();
      assertThat(h.ledger(a).longValueExact()).isEqualTo(m.ledger(u));
      held = held.add(h.ledger(a));
      for (int p = 0; p < PROVIDERS.size(); p++) {
        SubAccount acc = h.account(a, PROVIDERS.get(p));
        long[] s = m.sub(u, p);
        long[] r = m.refund(u, p);
        assertThat(acc)
            .isEqualTo(
                new SubAccount(
                    BigInteger.valueOf(s[1]),
                    BigInteger.valueOf(s[0]),
                    BigInteger.valueOf(Math.min(r[1], s[1])),
                    r[0]));
        held = held.add(acc.balance());
      }
    }
    for (int p = 0; p < PROVIDERS.size(); p++) {
      io.axivon.sdk.compute.Bond b =
          ServingAbi.decodeBond(
              ok(h.view(
                      Bytes.concatenate(
                          ServingAbi.selector(ServingAbi.GET_BOND),
                          ServingAbi.word(PROVIDERS.get(p)))))
                  .returnData());
      assertThat(b)
          .isEqualTo(
              new io.axivon.sdk.compute.Bond(
                  big(m.bond[p]), big(Math.min(m.unbond[p][1], m.bond[p])), m.unbond[p][0]));
      held = held.add(b.amount());
    }
    // the module holds exactly the ledgers, the sub-accounts and the bonds
    assertThat(h.state.balance(ServingModule.ADDRESS)).isEqualTo(held);
  }

  /**
   * Turns the generated percentages (0..120) of transfers, refunds, withdrawals and fees into wei
   * of what is available now, so most operations are meaningful and some exceed the balance.
   */
  private static Op resolve(Model m, Op op) {
    return switch (op) {
      case Transfer t ->
          new Transfer(t.user(), t.provider(), m.ledger(t.user()) * t.amount() / 100);
      case Refund r -> {
        long[] s = m.sub(r.user(), r.provider());
        long free = s[1] - Math.min(m.refund(r.user(), r.provider())[1], s[1]);
        yield new Refund(r.user(), r.provider(), free * r.amount() / 100);
      }
      case Withdraw w -> new Withdraw(w.user(), m.ledger(w.user()) * w.amount() / 100);
      case Unbond b -> {
        long free =
            m.bond[b.provider()] - Math.min(m.unbond[b.provider()][1], m.bond[b.provider()]);
        // in two parts: free (up to 3 × 10^16) times 120 would overflow a long
        yield new Unbond(b.provider(), free / 100 * b.amount() + free % 100 * b.amount() / 100);
      }
      case Settle s ->
          new Settle(
              s.provider(),
              s.requests().stream()
                  .map(
                      q ->
                          new Req(
                              q.user(),
                              q.nonceStep(),
                              m.sub(q.user(), s.provider())[1] * q.fee() / 400,
                              q.forged()))
                  .toList());
      default -> op;
    };
  }

  /** Applies {@code op} to the model; returns whether the module must accept it. */
  private static boolean apply(Model m, Op op, long block) {
    switch (op) {
      case Deposit d -> {
        if (d.amount() == 0) {
          return false;
        }
        m.setLedger(d.user(), m.ledger(d.user()) + d.amount());
        return true;
      }
      case Transfer t -> {
        if (t.amount() == 0 || m.ledger(t.user()) < t.amount()) {
          return false;
        }
        m.setLedger(t.user(), m.ledger(t.user()) - t.amount());
        m.sub(t.user(), t.provider())[1] += t.amount();
        return true;
      }
      case Refund r -> {
        long[] s = m.sub(r.user(), r.provider());
        long[] f = m.refund(r.user(), r.provider());
        long pending = Math.min(f[1], s[1]);
        if (r.amount() == 0 || s[1] - pending < r.amount()) {
          return false;
        }
        f[0] = block + LOCK;
        f[1] = pending + r.amount();
        return true;
      }
      case ProcessRefund r -> {
        long[] s = m.sub(r.user(), r.provider());
        long[] f = m.refund(r.user(), r.provider());
        if (f[1] == 0 || block < f[0]) {
          return false;
        }
        long amount = Math.min(f[1], s[1]);
        s[1] -= amount;
        m.setLedger(r.user(), m.ledger(r.user()) + amount);
        f[0] = 0;
        f[1] = 0;
        return true;
      }
      case Withdraw w -> {
        if (w.amount() == 0 || m.ledger(w.user()) < w.amount()) {
          return false;
        }
        m.setLedger(w.user(), m.ledger(w.user()) - w.amount());
        return true;
      }
      case Settle s -> {
        if (s.requests().isEmpty()) {
          return false;
        }
        Map<Integer, long[]> next = new HashMap<>();
        for (Req q : s.requests()) {
          long[] cur = next.computeIfAbsent(q.user(), u -> m.sub(u, s.provider()).clone());
          long nonce = cur[0] + q.nonceStep();
          if (q.forged() || nonce < 0 || nonce <= cur[0] || cur[1] < q.fee()) {
            return false;
          }
          cur[0] = nonce;
          cur[1] -= q.fee();
        }
        next.forEach((u, v) -> m.sub.put(List.of(u, s.provider()), v));
        return true;
      }
      case Advance a -> {
        return true;
      }
      case Bond b -> {
        if (b.amount() == 0) {
          return false;
        }
        m.bond[b.provider()] += b.amount();
        return true;
      }
      case Unbond b -> {
        long[] f = m.unbond[b.provider()];
        long pending = Math.min(f[1], m.bond[b.provider()]);
        if (b.amount() == 0 || m.bond[b.provider()] - pending < b.amount()) {
          return false;
        }
        f[0] = block + LOCK;
        f[1] = pending + b.amount();
        return true;
      }
      case WithdrawBond b -> {
        long[] f = m.unbond[b.provider()];
        if (f[1] == 0 || block < f[0]) {
          return false;
        }
        m.bond[b.provider()] -= Math.min(f[1], m.bond[b.provider()]);
        f[0] = 0;
        f[1] = 0;
        return true;
      }
      case Dispute d -> {
        List<Integer> key = List.of(d.user(), d.provider(), d.nonce());
        if (d.flaw() != 0 || m.disputed.contains(key) || m.bond[d.provider()] == 0) {
          return false;
        }
        long paid = Math.min(m.bond[d.provider()], d.fee() + PENALTY);
        m.bond[d.provider()] -= paid;
        m.setLedger(d.user(), m.ledger(d.user()) + paid);
        m.disputed.add(key);
        return true;
      }
    }
  }

  /**
   * Runs {@code op} on the module. Settlement nonces are derived from the sub-accounts as they were
   * before the model applied the batch: the caller passes the model already updated, so the batch
   * is built from the module's own view instead.
   */
  private static ModuleResult run(ServingHarness h, Op op, Model m) {
    return switch (op) {
      case Deposit d -> h.invoke(user(d.user()), BigInteger.valueOf(d.amount()), depositCall());
      case Transfer t ->
          h.invoke(user(t.user()), transferCall(PROVIDERS.get(t.provider()), big(t.amount())));
      case Refund r ->
          h.invoke(user(r.user()), refundCall(PROVIDERS.get(r.provider()), big(r.amount())));
      case ProcessRefund r ->
          h.invoke(user(r.user()), processRefundCall(PROVIDERS.get(r.provider())));
      case Withdraw w -> h.invoke(user(w.user()), withdrawCall(big(w.amount())));
      case Settle s -> {
        Address provider = PROVIDERS.get(s.provider());
        Map<Integer, Long> nonces = new HashMap<>();
        List<SignedRequest> batch = new ArrayList<>();
        for (Req q : s.requests()) {
          long last =
              nonces.computeIfAbsent(
                  q.user(),
                  u -> h.account(USERS.get(u).address(), provider).nonce().longValueExact());
          long nonce = Math.max(0, last + q.nonceStep());
          nonces.put(q.user(), nonce);
          Secp256k1PrivateKey k = USERS.get(q.user());
          ServingRequest r =
              new ServingRequest(
                  k.address(), provider, "svc", big(nonce), big(q.fee()), Bytes32.ZERO);
          Secp256k1PrivateKey signer = q.forged() ? USERS.get((q.user() + 1) % USERS.size()) : k;
          batch.add(new SignedRequest(r, signer.sign(r.digest(DOMAIN))));
        }
        yield h.settle(provider, batch);
      }
      case Bond b ->
          h.invoke(
              PROVIDERS.get(b.provider()),
              big(b.amount()),
              ServingAbi.selector(ServingAbi.DEPOSIT_BOND));
      case Unbond b ->
          h.invoke(
              PROVIDERS.get(b.provider()),
              Bytes.concatenate(
                  ServingAbi.selector(ServingAbi.REQUEST_UNBOND), ServingAbi.uint(b.amount())));
      case WithdrawBond b ->
          h.invoke(PROVIDERS.get(b.provider()), ServingAbi.selector(ServingAbi.WITHDRAW_BOND));
      case Dispute d -> h.invoke(user(d.user()), disputeCall(d));
      case Advance a -> {
        h.block += a.blocks();
        yield new ModuleResult(
            ModuleResult.Status.SUCCESS, org.apache.tuweni.bytes.Bytes.EMPTY, 0, List.of(), "");
      }
    };
  }

  /** The dispute's call data: receipts for the request, flawed as the op says. */
  private static Bytes disputeCall(Dispute d) {
    Bytes body = Bytes.wrap(new byte[] {1, 2, 3, 4});
    Bytes32 bodyHash = io.axivon.common.crypto.Hashes.keccak256(body);
    ResponseReceipt r =
        new ResponseReceipt(
            user(d.user()),
            PROVIDERS.get(d.provider()),
            "svc",
            big(d.nonce()),
            big(d.fee()),
            Bytes32.ZERO,
            bodyHash,
            big(d.equivocation() || d.flaw() == 1 ? body.size() : body.size() + 1));
    Secp256k1PrivateKey signer = PROVIDER_KEYS.get(d.flaw() == 2 ? 1 - d.provider() : d.provider());
    SignedReceipt a = new SignedReceipt(r, signer.sign(r.digest(DOMAIN.separator())));
    if (!d.equivocation()) {
      return ServingAbi.disputeMeteringCall(a, body);
    }
    ResponseReceipt other =
        d.flaw() == 1
            ? r
            : new ResponseReceipt(
                r.user(),
                r.provider(),
                r.service(),
                r.nonce(),
                r.fee(),
                r.requestHash(),
                Bytes32.ZERO,
                r.outputUnits());
    SignedReceipt b = new SignedReceipt(other, signer.sign(other.digest(DOMAIN.separator())));
    return ServingAbi.disputeEquivocationCall(a, b);
  }

  private static Address user(int u) {
    return USERS.get(u).address();
  }

  private static BigInteger big(long v) {
    return BigInteger.valueOf(v);
  }
}
