package io.axivon.consensus.mempool;

import static io.axivon.consensus.mempool.TestTxs.tx;
import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.crypto.Hashes;
import io.axivon.consensus.app.TxCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.Test;

class MempoolTest {
  final TestTxs checker = new TestTxs();

  Mempool pool(int maxTxs, long maxBytes, int maxQueued) {
    return new Mempool(new MempoolConfig(maxTxs, maxBytes, 100, maxQueued, 10), checker);
  }

  @Test
  void deduplicatesAndPassesCheckerReasonsThrough() {
    Mempool p = pool(10, 10_000, 4);
    Bytes t = tx(1, 0, 5, 0);
    assertThat(p.add(t)).isEqualTo(new AddResult.Added(Hashes.keccak256(t), true));
    assertThat(p.add(t)).isEqualTo(new AddResult.Duplicate(Hashes.keccak256(t)));
    assertThat(p.add(tx(1, 1, 5, 0, 0, true))).isEqualTo(new AddResult.Rejected("invalid sender"));
    assertThat(p.add(Bytes.wrap(new byte[101])))
        .isEqualTo(new AddResult.Rejected("oversized data"));
    assertThat(p.size()).isOne();
    assertThat(p.bytes()).isEqualTo(6);
    assertThat(p.contains(Hashes.keccak256(t))).isTrue();
    assertThat(p.get(Hashes.keccak256(t))).contains(t);
  }

  @Test
  void replacementNeedsThePriceBump() {
    Mempool p = pool(10, 10_000, 4);
    p.add(tx(1, 0, 100, 0));
    assertThat(p.add(tx(1, 0, 109, 0)))
        .isEqualTo(new AddResult.Rejected("replacement transaction underpriced"));
    assertThat(p.add(tx(1, 0, 110, 3))).isInstanceOf(AddResult.Added.class);
    assertThat(p.size()).isOne();
    assertThat(p.bytes()).isEqualTo(9);
    assertThat(p.reap(1000, 10)).containsExactly(tx(1, 0, 110, 3));
  }

  @Test
  void queuesNonceGapsUpToTheBoundAndPromotesWhenFilled() {
    Mempool p = pool(10, 10_000, 2);
    assertThat(p.add(tx(1, 2, 5, 0)))
        .isEqualTo(new AddResult.Added(Hashes.keccak256(tx(1, 2, 5, 0)), false));
    assertThat(p.add(tx(1, 3, 5, 0))).isInstanceOf(AddResult.Added.class);
    assertThat(p.add(tx(1, 5, 5, 0)))
        .isEqualTo(new AddResult.Rejected("sender's future queue is full"));
    assertThat(p.reap(1000, 10)).isEmpty();
    // nonce 1 would still be queued, a third in the queue
    assertThat(p.add(tx(1, 1, 5, 0)))
        .isEqualTo(new AddResult.Rejected("sender's future queue is full"));
    assertThat(((AddResult.Added) p.add(tx(1, 0, 5, 0))).executable()).isTrue();
    assertThat(((AddResult.Added) p.add(tx(1, 1, 5, 0))).executable()).isTrue();
    assertThat(p.reap(1000, 10))
        .containsExactly(tx(1, 0, 5, 0), tx(1, 1, 5, 0), tx(1, 2, 5, 0), tx(1, 3, 5, 0));
  }

  @Test
  void reapInterleavesSendersByPriorityInNonceOrder() {
    Mempool p = pool(20, 10_000, 4);
    p.add(tx(1, 0, 10, 0));
    p.add(tx(1, 1, 50, 0));
    p.add(tx(2, 0, 30, 0));
    p.add(tx(2, 1, 5, 0));
    p.add(tx(3, 0, 20, 0));
    assertThat(p.reap(1000, 10))
        .containsExactly(
            tx(2, 0, 30, 0), tx(3, 0, 20, 0), tx(1, 0, 10, 0), tx(1, 1, 50, 0), tx(2, 1, 5, 0));
    assertThat(p.reap(1000, 2)).containsExactly(tx(2, 0, 30, 0), tx(3, 0, 20, 0));
  }

  @Test
  void reapPassesOverASenderWhoseNextDoesNotFit() {
    Mempool p = pool(20, 10_000, 4);
    p.add(tx(1, 0, 50, 40));
    p.add(tx(1, 1, 50, 0));
    p.add(tx(2, 0, 10, 0));
    assertThat(p.reap(20, 10)).containsExactly(tx(2, 0, 10, 0));
  }

  @Test
  void fullPoolEvictsTheCheapestTailOrRefusesTheCheapest() {
    Mempool p = pool(3, 10_000, 4);
    p.add(tx(1, 0, 5, 0));
    p.add(tx(1, 1, 50, 0));
    p.add(tx(2, 0, 20, 0));
    assertThat(p.add(tx(3, 0, 10, 0))).isEqualTo(new AddResult.Rejected("txpool is full"));
    assertThat(p.add(tx(3, 0, 20, 0))).isEqualTo(new AddResult.Rejected("txpool is full"));
    // 1's tail (priority 50) shields its cheap nonce 0: the cheapest tail is 2's
    assertThat(p.add(tx(3, 0, 21, 0))).isInstanceOf(AddResult.Added.class);
    assertThat(p.contains(Hashes.keccak256(tx(2, 0, 20, 0)))).isFalse();
    assertThat(p.size()).isEqualTo(3);
    // a newcomer on top of its own nonces is its sender's tail: cheaper than the others' tails
    // it is refused rather than evict its own lower nonce
    assertThat(p.add(tx(3, 1, 22, 0))).isEqualTo(new AddResult.Rejected("txpool is full"));
    assertThat(p.add(tx(3, 1, 60, 0))).isInstanceOf(AddResult.Added.class);
    assertThat(p.contains(Hashes.keccak256(tx(1, 1, 50, 0)))).isFalse();
    assertThat(p.reap(1000, 10)).containsExactly(tx(3, 0, 21, 0), tx(3, 1, 60, 0), tx(1, 0, 5, 0));
  }

  @Test
  void byteLimitEvictsAsMuchAsNeeded() {
    Mempool p = new Mempool(new MempoolConfig(100, 30, 30, 4, 10), checker);
    p.add(tx(1, 0, 5, 4)); // 10 bytes
    p.add(tx(2, 0, 6, 4));
    p.add(tx(3, 0, 7, 4));
    assertThat(p.add(tx(4, 0, 9, 14))).isInstanceOf(AddResult.Added.class); // 20 bytes
    assertThat(p.bytes()).isEqualTo(30);
    assertThat(p.reap(1000, 10)).containsExactly(tx(4, 0, 9, 14), tx(3, 0, 7, 4));
  }

  @Test
  void updateDropsTheCommittedByTheHashesTheApplicationGivesOrHashesThemWhenItGivesNone() {
    Mempool p = pool(10, 10_000, 4);
    Bytes a = tx(1, 0, 5, 0);
    Bytes b = tx(2, 0, 5, 0);
    Bytes c = tx(3, 0, 5, 0);
    p.add(a);
    p.add(b);
    p.add(c);
    // The checker's state does not move: only the committed list drops anything here.
    p.update(List.of(a), List.of(Hashes.keccak256(a)));
    assertThat(p.contains(Hashes.keccak256(a))).isFalse();
    assertThat(p.size()).isEqualTo(2);
    // the hashes are the application's word: one per transaction, and not computed again
    p.update(List.of(tx(9, 0, 5, 0)), List.of(Hashes.keccak256(b)));
    assertThat(p.contains(Hashes.keccak256(b))).isFalse();
    // another count than the transactions: ignored, the transactions hashed here
    p.update(List.of(c), List.of());
    assertThat(p.size()).isZero();
  }

  @Test
  void updateDropsCommittedRechecksAndPromotes() {
    Mempool p = pool(10, 10_000, 4);
    p.add(tx(1, 0, 5, 0));
    p.add(tx(1, 2, 5, 0));
    p.add(tx(2, 0, 5, 0));
    p.add(tx(2, 1, 5, 0));
    // block holds 1/0 and, from elsewhere, 1/1; sender 2's nonce 0 was replaced on chain
    checker.committed.put(1, 2L);
    checker.committed.put(2, 1L);
    p.update(List.of(tx(1, 0, 5, 0), tx(1, 1, 9, 0)));
    assertThat(p.size()).isEqualTo(2);
    assertThat(p.reap(1000, 10)).containsExactlyInAnyOrder(tx(1, 2, 5, 0), tx(2, 1, 5, 0));
    assertThat(p.nextNonce(Bytes.of(1))).contains(2L);
  }

  @Test
  void theRecheckGetsBackEachHeldTransactionsMemoFromItsLastCheck() {
    // memo: the checker's verdict count when it let the transaction in, or re-checked it
    int[] checks = {0};
    Function<Bytes, TxCheck> withMemo =
        tx -> {
          TxCheck.Accepted a = (TxCheck.Accepted) checker.apply(tx);
          return new TxCheck.Accepted(
              a.sender(), a.nonce(), a.nextNonce(), a.priority(), "check " + ++checks[0]);
        };
    List<List<Object>> seen = new ArrayList<>();
    Mempool p =
        new Mempool(
            new MempoolConfig(10, 10_000, 100, 4, 10),
            withMemo,
            txs -> txs.stream().map(withMemo).toList(),
            (txs, memos) -> {
              seen.add(List.copyOf(memos));
              return txs.stream().map(withMemo).toList();
            },
            Hashes::keccak256);
    p.add(tx(1, 0, 5, 0)); // check 1
    p.addAll(List.of(tx(2, 0, 5, 0))); // check 2, by the batch checker
    p.update(List.of()); // re-checks 3 and 4
    p.update(List.of());
    assertThat(seen).hasSize(2);
    assertThat(seen.get(0)).containsExactlyInAnyOrder("check 1", "check 2");
    assertThat(seen.get(1)).containsExactlyInAnyOrder("check 3", "check 4");
  }

  @Test
  void aThrowingCheckerNeverBreaksThePool() {
    boolean[] broken = {false};
    Mempool p =
        new Mempool(
            new MempoolConfig(10, 10_000, 100, 4, 10),
            tx -> {
              if (broken[0] || tx.get(0) == 9) {
                throw new io.axivon.common.InvalidInputException("cannot decode transaction");
              }
              return checker.apply(tx);
            });
    assertThat(p.add(tx(9, 0, 1, 0)))
        .isEqualTo(new AddResult.Rejected("cannot decode transaction"));
    p.add(tx(1, 0, 5, 0));
    p.add(tx(2, 0, 5, 0));
    broken[0] = true;
    p.update(List.of());
    assertThat(p.size()).isZero();
    assertThat(p.bytes()).isZero();
  }

  @Test
  void concurrentAddsKeepCountsConsistent() throws Exception {
    Mempool p = pool(1000, 1_000_000, 64);
    ExecutorService ex = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int sender = t;
        fs.add(
            ex.submit(
                () -> {
                  for (int n = 0; n < 50; n++) {
                    p.add(tx(sender, n, 10, n % 7));
                    p.add(tx(sender, n, 10, n % 7)); // duplicate
                    p.reap(200, 10);
                  }
                }));
      }
      for (Future<?> f : fs) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      ex.shutdownNow();
    }
    assertThat(p.size()).isEqualTo(200);
    assertThat(p.executableCount()).isEqualTo(200);
    assertThat(p.bytes()).isEqualTo(p.held().stream().mapToLong(Mempool.Held::size).sum());
  }
}
