package io.axivon.consensus.execution;

import static io.axivon.consensus.execution.ExecFixtures.GWEI;
import static io.axivon.consensus.execution.ExecFixtures.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.time.ManualClock;
import io.axivon.consensus.app.TxCheck;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.consensus.execution.system.SystemModules;
import io.axivon.consensus.execution.tx.DynamicFeeTransaction;
import io.axivon.consensus.execution.tx.SenderCache;
import io.axivon.consensus.execution.tx.TxSigner;
import io.axivon.consensus.types.Block;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.apache.tuweni.bytes.Bytes;

/**
 * {@link EvmApplication#checkTxs} gives the verdicts of {@link EvmApplication#checkTx} on each
 * transaction in turn, over mixes of valid, stale, future, underpriced, unaffordable (alone, or
 * only together with the sender's other ones, which each check leaves alone) and undecodable
 * transactions, after a block has moved some nonces and balances; and again for the same instances
 * (which a batch finds by identity) after another block.
 */
class EvmApplicationBatchProperties {
  private static final Address FEES = Address.fromHex("0x00000000000000000000000000000000000fee00");
  private static final Optional<Address> BOB =
      Optional.of(Address.fromHex("0x00000000000000000000000000000000000000b0"));

  /** What a transaction is made to be; the checks decide what it turns out to be. */
  enum Kind {
    PLAIN,
    UNDERPRICED,
    HALF_BALANCE,
    TWICE_BALANCE,
    OTHER_CHAIN,
    TRUNCATED,
    GARBAGE
  }

  record Spec(Kind kind, int sender, int nonce) {}

  @Provide
  Arbitrary<List<Spec>> specs() {
    return Combinators.combine(
            Arbitraries.frequency(
                net.jqwik.api.Tuple.of(6, Kind.PLAIN),
                net.jqwik.api.Tuple.of(1, Kind.UNDERPRICED),
                net.jqwik.api.Tuple.of(2, Kind.HALF_BALANCE),
                net.jqwik.api.Tuple.of(1, Kind.TWICE_BALANCE),
                net.jqwik.api.Tuple.of(1, Kind.OTHER_CHAIN),
                net.jqwik.api.Tuple.of(1, Kind.TRUNCATED),
                net.jqwik.api.Tuple.of(1, Kind.GARBAGE)),
            Arbitraries.integers().between(0, 2),
            Arbitraries.integers().between(0, 4))
        .as(Spec::new)
        .list()
        .ofMinSize(0)
        .ofMaxSize(14);
  }

  @Property(tries = 40)
  void checkTxsAnswersAsCheckTxOnEach(@ForAll("specs") List<Spec> specs) throws IOException {
    Path dir = Files.createTempDirectory("evm-batch");
    // a one-entry cache: the batch decodes and recovers afresh, as after the cache dropped them
    EvmChain chain =
        EvmChain.open(
            dir, Genesis.devnet(ExecFixtures.CHAIN_ID), SystemModules.none(), new SenderCache(1));
    try {
      EvmApplication app =
          new EvmApplication(
              chain, max -> List.of(), new ManualClock(1_700_000_000_000L), h -> FEES);
      // block 1: sender 0 is at nonce 1, sender 1 at nonce 2 (and poorer), sender 2 untouched
      List<Bytes> first =
          List.of(
              tx(0, 0, GWEI.multiply(BigInteger.TEN), BigInteger.ONE),
              tx(1, 0, GWEI.multiply(BigInteger.TEN), BigInteger.ONE),
              tx(1, 1, GWEI.multiply(BigInteger.TEN), Genesis.AXN));
      app.finalizeBlock(block(chain, 1_000, first));
      app.commit();
      assertThat(chain.state().nonce(key(1).address())).isEqualTo(2);

      List<Bytes> txs = new ArrayList<>();
      for (Spec s : specs) {
        txs.add(make(chain, s));
      }
      List<TxCheck> batch = app.checkTxs(txs);
      List<TxCheck> single = new ArrayList<>();
      for (Bytes tx : txs) {
        single.add(app.checkTx(tx));
      }
      assertThat(batch).isEqualTo(single);
      // again, and on copies
      assertThat(app.checkTxs(txs)).isEqualTo(single);
      assertThat(app.checkTxs(txs.stream().map(t -> Bytes.wrap(t.toArray())).toList()))
          .isEqualTo(single);
      // an accepted one's memo is the transaction decoded, and the re-check from the memos (the
      // mempool's after a block) answers as the checks
      List<Object> memos = new ArrayList<>();
      for (int i = 0; i < txs.size(); i++) {
        Object memo = single.get(i) instanceof TxCheck.Accepted a ? a.memo() : null;
        if (memo != null) {
          assertThat(((SenderCache.Decoded) memo).hash()).isEqualTo(Hashes.keccak256(txs.get(i)));
        }
        memos.add(memo);
      }
      assertThat(app.recheckTxs(txs, memos)).isEqualTo(single);
      // after another block, the memos answer for the new state as fresh checks do
      app.finalizeBlock(
          block(chain, 2_000, List.of(tx(2, 0, GWEI.multiply(BigInteger.TEN), BigInteger.ONE))));
      app.commit();
      List<TxCheck> after = new ArrayList<>();
      for (Bytes tx : txs) {
        after.add(app.checkTx(tx));
      }
      assertThat(app.checkTxs(txs)).isEqualTo(after);
      assertThat(app.recheckTxs(txs, memos)).isEqualTo(after);
      for (TxCheck c : single) {
        Statistics.label("verdict")
            .collect(
                c instanceof TxCheck.Rejected r
                    ? r.reason().replaceAll(":.*", "")
                    : "accepted, nonce " + ((TxCheck.Accepted) c).nonce());
      }
    } finally {
      chain.close();
      delete(dir);
    }
  }

  /** Every kind of verdict turns up: the property above is not vacuous. */
  @Property(tries = 1)
  void theMixMeetsEveryVerdict() throws IOException {
    Path dir = Files.createTempDirectory("evm-batch");
    EvmChain chain = EvmChain.open(dir, Genesis.devnet(ExecFixtures.CHAIN_ID));
    try {
      EvmApplication app =
          new EvmApplication(
              chain, max -> List.of(), new ManualClock(1_700_000_000_000L), h -> FEES);
      app.finalizeBlock(
          block(chain, 1_000, List.of(tx(0, 0, GWEI.multiply(BigInteger.TEN), BigInteger.ONE))));
      app.commit();
      List<Bytes> txs = new ArrayList<>();
      for (Kind k : Kind.values()) {
        for (int nonce = 0; nonce < 3; nonce++) {
          txs.add(make(chain, new Spec(k, 0, nonce)));
        }
      }
      List<TxCheck> batch = app.checkTxs(txs);
      Set<String> seen = new HashSet<>();
      for (TxCheck c : batch) {
        seen.add(
            c instanceof TxCheck.Rejected r
                ? r.reason().replaceAll(":.*", "")
                : ((TxCheck.Accepted) c).nonce() > 1 ? "future" : "accepted");
      }
      assertThat(seen)
          .contains(
              "accepted",
              "future",
              "nonce too low",
              "max fee per gas less than block base fee",
              "insufficient funds for gas * price + value",
              "invalid sender");
      assertThat(seen.size()).isGreaterThanOrEqualTo(7); // and at least one decoding failure
      // the half-balance ones of one sender are each affordable, though not all together
      assertThat(batch.subList(6, 9)).filteredOn(TxCheck::accepted).hasSize(2);
      assertThat(batch).isEqualTo(txs.stream().map(app::checkTx).toList());
    } finally {
      chain.close();
      delete(dir);
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static Bytes make(EvmChain chain, Spec s) {
    BigInteger balance = chain.state().balance(key(s.sender).address());
    BigInteger cap = GWEI.multiply(BigInteger.TEN);
    return switch (s.kind) {
      case PLAIN -> tx(s.sender, s.nonce, cap, BigInteger.ONE);
      case UNDERPRICED -> tx(s.sender, s.nonce, BigInteger.TEN, BigInteger.ONE);
      case HALF_BALANCE -> tx(s.sender, s.nonce, cap, balance.shiftRight(1));
      case TWICE_BALANCE -> tx(s.sender, s.nonce, cap, balance.shiftLeft(1));
      case OTHER_CHAIN ->
          TxSigner.sign(
                  new DynamicFeeTransaction(
                      ExecFixtures.CHAIN_ID + 1,
                      s.nonce,
                      BigInteger.ZERO,
                      cap,
                      21_000,
                      BOB,
                      BigInteger.ONE,
                      Bytes.EMPTY,
                      List.of(),
                      null),
                  key(s.sender))
              .encode();
      case TRUNCATED -> {
        Bytes whole = tx(s.sender, s.nonce, cap, BigInteger.ONE);
        yield whole.slice(0, whole.size() - 1 - s.nonce);
      }
      case GARBAGE -> Bytes.of(0x05 + s.nonce, 0xc0);
    };
  }

  /** A transfer to Bob with no tip, at most {@code maxFee} a gas. */
  private static Bytes tx(int sender, long nonce, BigInteger maxFee, BigInteger value) {
    return TxSigner.sign(
            new DynamicFeeTransaction(
                ExecFixtures.CHAIN_ID,
                nonce,
                BigInteger.ZERO,
                maxFee,
                21_000,
                BOB,
                value,
                Bytes.EMPTY,
                List.of(),
                null),
            key(sender))
        .encode();
  }

  private static Block block(EvmChain chain, long timeMillis, List<Bytes> txs) {
    return TestBlocks.next("evm-batch", chain, timeMillis, txs);
  }
}
