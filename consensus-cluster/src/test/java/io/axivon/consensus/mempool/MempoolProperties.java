package io.axivon.consensus.mempool;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.crypto.Hashes;
import io.axivon.consensus.app.TxCheck;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Random operation sequences against a small mempool (so that limits, queues and evictions are hit
 * often), checking its invariants after every operation.
 */
class MempoolProperties {
  static final MempoolConfig CONFIG = new MempoolConfig(12, 400, 60, 3, 10);

  sealed interface Op {}

  record Add(int sender, int nonce, int priority, int padding, int salt, boolean bad)
      implements Op {}

  record Reap(long maxBytes, int maxTxs) implements Op {}

  /** A block of the first {@code n} reaped transactions, plus {@code external} foreign nonces. */
  record Commit(int n, int externalSender, int external) implements Op {}

  /** An add: one of five senders, nonces 0-9, one in five refused by the checker. */
  private static Arbitrary<Add> adds() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 4),
            Arbitraries.integers().between(0, 9),
            Arbitraries.integers().between(0, 120),
            Arbitraries.integers().between(0, 58),
            Arbitraries.integers().between(0, 2),
            Arbitraries.of(false, false, false, false, true))
        .as(Add::new);
  }

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Op> add = adds().map(a -> a);
    Arbitrary<Op> reap =
        Combinators.combine(
                Arbitraries.longs().between(0, 500), Arbitraries.integers().between(0, 15))
            .as(Reap::new);
    Arbitrary<Op> commit =
        Combinators.combine(
                Arbitraries.integers().between(0, 6),
                Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 2))
            .as(Commit::new);
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(8, add),
            net.jqwik.api.Tuple.of(2, reap),
            net.jqwik.api.Tuple.of(1, commit))
        .list()
        .ofMinSize(1)
        .ofMaxSize(80);
  }

  @Property(tries = 300)
  void invariantsHoldUnderRandomOperations(@ForAll("ops") List<Op> ops) {
    TestTxs checker = new TestTxs();
    Mempool pool = new Mempool(CONFIG, checker);
    for (Op op : ops) {
      switch (op) {
        case Add a -> {
          Bytes tx = TestTxs.tx(a.sender, a.nonce, a.priority, a.padding, a.salt, a.bad);
          boolean held = pool.contains(Hashes.keccak256(tx));
          Set<Bytes32> executableBefore = executable(pool);
          AddResult r = pool.add(tx);
          net.jqwik.api.statistics.Statistics.label("add")
              .collect(
                  r instanceof AddResult.Rejected j ? j.reason() : r.getClass().getSimpleName());
          if (held) {
            assertThat(r).isInstanceOf(AddResult.Duplicate.class);
          }
          if (tx.size() > CONFIG.maxTxBytes()) {
            assertThat(r).isEqualTo(new AddResult.Rejected("oversized data"));
          } else if (a.bad && !held) {
            assertThat(r).isEqualTo(new AddResult.Rejected("invalid sender"));
          }
          Set<Bytes32> executableAfter = executable(pool);
          if (r instanceof AddResult.Added added) {
            assertThat(pool.contains(added.hash())).isTrue();
            assertThat(executableAfter.contains(added.hash())).isEqualTo(added.executable());
          }
          // neither eviction nor replacement opens a gap before a held transaction
          for (Bytes32 h : executableBefore) {
            if (pool.contains(h)) {
              assertThat(executableAfter).contains(h);
            }
          }
        }
        case Reap r -> checkReap(pool, checker, r.maxBytes, r.maxTxs);
        case Commit c -> {
          List<Bytes> block = pool.reap(Long.MAX_VALUE, c.n);
          for (Bytes tx : block) {
            checker.committed.merge(TestTxs.sender(tx), 1L, Long::sum);
          }
          checker.committed.merge(c.externalSender, (long) c.external, Long::sum);
          pool.update(block);
          for (Bytes tx : block) {
            assertThat(pool.contains(Hashes.keccak256(tx))).isFalse();
          }
          // after an update every held transaction passes the checker as of now
          for (Mempool.Held h : pool.held()) {
            int sender = h.sender().get(0) & 0xff;
            assertThat(h.nonce()).isGreaterThanOrEqualTo(checker.next(sender));
            assertThat(pool.nextNonce(h.sender())).contains(checker.next(sender));
          }
          checkReap(pool, checker, Long.MAX_VALUE, Integer.MAX_VALUE);
        }
      }
      checkInvariants(pool);
    }
  }

  /** A commit that also moves the checker's price floor and discount. */
  record Block(int n, int externalSender, int external, int floor, int discount) {}

  @Provide
  Arbitrary<List<Object>> addsAndBlocks() {
    Arbitrary<Object> add = adds().map(a -> a);
    Arbitrary<Object> block =
        Combinators.combine(
                Arbitraries.integers().between(0, 6),
                Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 40),
                Arbitraries.integers().between(0, 30))
            .as(Block::new);
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, add), net.jqwik.api.Tuple.of(1, block))
        .list()
        .ofMinSize(1)
        .ofMaxSize(80);
  }

  /**
   * The checker of the update properties: {@link TestTxs}, but also rejecting transactions below a
   * moving price floor and discounting priorities (as a base fee does); during an update (when
   * {@code updating[0]}) some transactions are poisoned: it throws on them (which must drop only
   * them) or, when not {@code throwing}, rejects them.
   */
  private static Function<Bytes, TxCheck> flooredChecker(
      TestTxs base, int[] floorAndDiscount, boolean[] updating, boolean throwing) {
    return tx -> {
      if (updating[0] && TestTxs.nonce(tx) % 3 == 2 && floorAndDiscount[0] % 2 == 1) {
        if (throwing) {
          throw new IllegalStateException("poisoned");
        }
        return new TxCheck.Rejected("poisoned");
      }
      TxCheck c = base.apply(tx);
      if (!(c instanceof TxCheck.Accepted a)) {
        return c;
      }
      if (a.priority() < floorAndDiscount[0]) {
        return new TxCheck.Rejected("below the floor");
      }
      return new TxCheck.Accepted(
          a.sender(), a.nonce(), a.nextNonce(), Math.max(0, a.priority() - floorAndDiscount[1]));
    };
  }

  /** {@code checker} on each in turn, counting the batches. */
  private static Function<List<Bytes>, List<TxCheck>> batchOf(
      Function<Bytes, TxCheck> checker, int[] batches) {
    return txs -> {
      batches[0]++;
      List<TxCheck> out = new ArrayList<>();
      for (Bytes tx : txs) {
        out.add(checker.apply(tx)); // a throw fails the whole batch
      }
      return out;
    };
  }

  /** The checker's state after {@code block} (reaped for {@code b}) is committed. */
  private static void commit(TestTxs base, int[] floorAndDiscount, List<Bytes> block, Block b) {
    for (Bytes tx : block) {
      base.committed.merge(TestTxs.sender(tx), 1L, Long::sum);
    }
    base.committed.merge(b.externalSender, (long) b.external, Long::sum);
    floorAndDiscount[0] = b.floor;
    floorAndDiscount[1] = b.discount;
  }

  /**
   * The in-place update leaves what re-inserting everything leaves, with a checker that also
   * rejects transactions below a moving price floor and discounts priorities (as a base fee does).
   */
  @Property(tries = 300)
  void updateInPlaceMatchesRebuilding(@ForAll("addsAndBlocks") List<Object> ops) {
    updateMatchesRebuild(ops, false);
  }

  /**
   * The same with a batch checker for the re-checks, whose batch fails as a whole when one
   * transaction makes the checker throw.
   */
  @Property(tries = 300)
  void updateInPlaceMatchesRebuildingWithABatchChecker(@ForAll("addsAndBlocks") List<Object> ops) {
    updateMatchesRebuild(ops, true);
  }

  private static void updateMatchesRebuild(List<Object> ops, boolean batched) {
    TestTxs base = new TestTxs();
    int[] floorAndDiscount = new int[2];
    boolean[] updating = new boolean[1];
    Function<Bytes, TxCheck> checker = flooredChecker(base, floorAndDiscount, updating, true);
    int[] batches = new int[1];
    Mempool inPlace =
        batched
            ? new Mempool(CONFIG, checker, batchOf(checker, batches), Hashes::keccak256)
            : new Mempool(CONFIG, checker);
    Mempool rebuilt =
        batched
            ? new Mempool(CONFIG, checker, batchOf(checker, batches), Hashes::keccak256)
            : new Mempool(CONFIG, checker);
    int blocks = 0;
    for (Object op : ops) {
      switch (op) {
        case Add a -> {
          Bytes tx = TestTxs.tx(a.sender, a.nonce, a.priority, a.padding, a.salt, a.bad);
          assertThat(inPlace.add(tx)).isEqualTo(rebuilt.add(tx));
        }
        case Block b -> {
          List<Bytes> block = inPlace.reap(Long.MAX_VALUE, b.n);
          commit(base, floorAndDiscount, block, b);
          updating[0] = true;
          if (batched) {
            // the committed ones by the hashes the application gives, in another order
            List<Bytes32> hashes = new ArrayList<>(block.stream().map(Hashes::keccak256).toList());
            Collections.reverse(hashes);
            inPlace.update(block, hashes);
          } else {
            inPlace.update(block);
          }
          rebuilt.rebuild(block);
          updating[0] = false;
          blocks++;
        }
        default -> throw new IllegalStateException();
      }
      assertThat(new HashSet<>(inPlace.held())).isEqualTo(new HashSet<>(rebuilt.held()));
      assertThat(inPlace.reap(Long.MAX_VALUE, Integer.MAX_VALUE))
          .isEqualTo(rebuilt.reap(Long.MAX_VALUE, Integer.MAX_VALUE));
      assertThat(inPlace.bytes()).isEqualTo(rebuilt.bytes());
      for (int sender = 0; sender <= 4; sender++) {
        assertThat(inPlace.nextNonce(Bytes.of(sender)))
            .isEqualTo(rebuilt.nextNonce(Bytes.of(sender)));
      }
      checkInvariants(inPlace);
      checkInvariants(rebuilt);
    }
    // one batch per update and per rebuild: the adds check one by one
    assertThat(batches[0]).isEqualTo(batched ? 2 * blocks : 0);
  }

  /**
   * A pool that re-checks in batches ends each step exactly as one that re-checks one by one: the
   * same answers to adds, the same held transactions in the same order, the same reaps. The batched
   * one's checker throws on the poisoned transactions, failing their batches; the other's rejects
   * them, which is what the batched pool must make of a throw.
   */
  @Property(tries = 300)
  void batchCheckerChangesNothing(@ForAll("addsAndBlocks") List<Object> ops) {
    TestTxs base = new TestTxs();
    int[] floorAndDiscount = new int[2];
    boolean[] updating = new boolean[1];
    Mempool single = new Mempool(CONFIG, flooredChecker(base, floorAndDiscount, updating, false));
    Function<Bytes, TxCheck> throwing = flooredChecker(base, floorAndDiscount, updating, true);
    boolean poisoned = false;
    Mempool batched =
        new Mempool(CONFIG, throwing, batchOf(throwing, new int[1]), Hashes::keccak256);
    for (Object op : ops) {
      switch (op) {
        case Add a -> {
          Bytes tx = TestTxs.tx(a.sender, a.nonce, a.priority, a.padding, a.salt, a.bad);
          assertThat(batched.add(tx)).isEqualTo(single.add(tx));
        }
        case Block b -> {
          List<Bytes> block = single.reap(Long.MAX_VALUE, b.n);
          assertThat(batched.reap(Long.MAX_VALUE, b.n)).isEqualTo(block);
          commit(base, floorAndDiscount, block, b);
          poisoned |= b.floor % 2 == 1 && batched.held().stream().anyMatch(h -> h.nonce() % 3 == 2);
          updating[0] = true;
          single.update(block);
          batched.update(block);
          updating[0] = false;
        }
        default -> throw new IllegalStateException();
      }
      assertThat(batched.held()).isEqualTo(single.held());
      assertThat(batched.executableCount()).isEqualTo(single.executableCount());
      checkInvariants(batched);
    }
    Statistics.label("a batch failed").collect(poisoned);
  }

  @Provide
  Arbitrary<List<Object>> batchesAndBlocks() {
    // batches of up to 8 adds (repeats within a batch included), and commits between them
    Arbitrary<Object> batch =
        adds()
            .list()
            .ofMinSize(1)
            .ofMaxSize(8)
            .map(
                l -> {
                  List<Add> b = new ArrayList<>(l);
                  if (b.size() > 2 && b.get(0).salt() == 0) {
                    b.add(b.get(0));
                  }
                  return (Object) b;
                });
    Arbitrary<Object> block =
        Combinators.combine(
                Arbitraries.integers().between(0, 6),
                Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 2))
            .as((n, s, e) -> (Object) new Commit(n, s, e));
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(4, batch), net.jqwik.api.Tuple.of(1, block))
        .list()
        .ofMinSize(1)
        .ofMaxSize(25);
  }

  /**
   * A gossiped batch through {@link Mempool#addAll} (one batch check, one lock) answers and leaves
   * the pool exactly as adding its transactions one by one does, whether the batch checker answers
   * or fails (then each is added alone).
   */
  @Property(tries = 300)
  void addAllMatchesAddingOneByOne(
      @ForAll("batchesAndBlocks") List<Object> ops, @ForAll boolean failingBatches) {
    TestTxs checker = new TestTxs();
    int[] batches = new int[1];
    Function<List<Bytes>, List<TxCheck>> batchChecker =
        failingBatches
            ? txs -> {
              throw new IllegalStateException("batch checker down");
            }
            : batchOf(checker, batches);
    Mempool batched = new Mempool(CONFIG, checker, batchChecker, Hashes::keccak256);
    Mempool single = new Mempool(CONFIG, checker);
    for (Object op : ops) {
      switch (op) {
        case List<?> adds -> {
          List<Bytes> txs = new ArrayList<>();
          for (Object o : adds) {
            Add a = (Add) o;
            txs.add(TestTxs.tx(a.sender, a.nonce, a.priority, a.padding, a.salt, a.bad));
          }
          List<AddResult> one = new ArrayList<>();
          for (Bytes tx : txs) {
            one.add(single.add(tx));
          }
          assertThat(batched.addAll(txs)).isEqualTo(one);
        }
        case Commit c -> {
          List<Bytes> block = single.reap(Long.MAX_VALUE, c.n);
          assertThat(batched.reap(Long.MAX_VALUE, c.n)).isEqualTo(block);
          for (Bytes tx : block) {
            checker.committed.merge(TestTxs.sender(tx), 1L, Long::sum);
          }
          checker.committed.merge(c.externalSender, (long) c.external, Long::sum);
          single.update(block);
          batched.update(block);
        }
        default -> throw new IllegalStateException();
      }
      assertThat(batched.held()).isEqualTo(single.held());
      checkInvariants(batched);
    }
    if (!failingBatches) {
      Statistics.label("batch checks").collect(batches[0] > 0);
    }
  }

  /**
   * Found by {@link #addAllMatchesAddingOneByOne}: a batch whose replacement (B, paying more)
   * evicts a transaction held when the batch came in (A); A's later copy is then no duplicate but
   * an underpriced replacement, as one-by-one adds answer.
   */
  @net.jqwik.api.Example
  void aTransactionReplacedEarlierInTheBatchIsJudgedAgainByItsLaterCopy() {
    TestTxs checker = new TestTxs();
    Bytes a = TestTxs.tx(0, 0, 0, 0, 0, false);
    Bytes b = TestTxs.tx(0, 0, 1, 0, 0, false);
    for (boolean failing : List.of(false, true)) {
      Mempool batched =
          new Mempool(
              CONFIG,
              checker,
              failing
                  ? txs -> {
                    throw new IllegalStateException("down");
                  }
                  : batchOf(checker, new int[1]),
              Hashes::keccak256);
      Mempool single = new Mempool(CONFIG, checker);
      batched.add(a);
      single.add(a);
      List<Bytes> batch = List.of(a, a, b, a);
      List<AddResult> one = new ArrayList<>();
      for (Bytes tx : batch) {
        one.add(single.add(tx));
      }
      assertThat(one.getLast()).isEqualTo(new AddResult.Rejected(Mempool.UNDERPRICED));
      assertThat(batched.addAll(batch)).isEqualTo(one);
      assertThat(batched.held()).isEqualTo(single.held());
    }
  }

  private static Set<Bytes32> executable(Mempool pool) {
    Set<Bytes32> out = new HashSet<>();
    for (Bytes tx : pool.reap(Long.MAX_VALUE, Integer.MAX_VALUE)) {
      out.add(Hashes.keccak256(tx));
    }
    return out;
  }

  private static void checkInvariants(Mempool pool) {
    List<Mempool.Held> held = pool.held();
    assertThat(pool.size()).isEqualTo(held.size()).isLessThanOrEqualTo(CONFIG.maxTxs());
    assertThat(pool.bytes())
        .isEqualTo(held.stream().mapToLong(Mempool.Held::size).sum())
        .isLessThanOrEqualTo(CONFIG.maxBytes());
    assertThat(held.stream().map(Mempool.Held::hash).distinct().count()).isEqualTo(held.size());
    Map<Bytes, Set<Long>> nonces = new HashMap<>();
    for (Mempool.Held h : held) {
      assertThat(nonces.computeIfAbsent(h.sender(), s -> new HashSet<>()).add(h.nonce()))
          .as("one transaction per sender and nonce")
          .isTrue();
      assertThat(pool.get(h.hash())).isPresent();
    }
    // future queues stay bounded
    for (Map.Entry<Bytes, Set<Long>> e : nonces.entrySet()) {
      long next = pool.nextNonce(e.getKey()).orElseThrow();
      long run = 0;
      while (e.getValue().contains(next + run)) {
        run++;
      }
      assertThat(e.getValue().size() - run).isLessThanOrEqualTo(CONFIG.maxQueuedPerSender());
    }
    assertThat(pool.reap(Long.MAX_VALUE, Integer.MAX_VALUE)).hasSize(pool.executableCount());
    assertThat(pool.runsCountedRight()).as("kept run lengths").isTrue();
  }

  private static void checkReap(Mempool pool, TestTxs checker, long maxBytes, int maxTxs) {
    List<Bytes> reaped = pool.reap(maxBytes, maxTxs);
    assertThat(reaped.size()).isLessThanOrEqualTo(maxTxs);
    assertThat(reaped.stream().mapToLong(Bytes::size).sum()).isLessThanOrEqualTo(maxBytes);
    assertThat(reaped.stream().distinct().count()).isEqualTo(reaped.size());
    Map<Integer, Long> expect = new HashMap<>();
    List<Long> headPriorities = new ArrayList<>();
    for (Bytes tx : reaped) {
      assertThat(pool.contains(Hashes.keccak256(tx))).isTrue();
      int sender = TestTxs.sender(tx);
      long want =
          expect.computeIfAbsent(
              sender,
              s -> {
                headPriorities.add(TestTxs.priority(tx));
                return pool.nextNonce(Bytes.of(s)).orElseThrow();
              });
      assertThat(TestTxs.nonce(tx))
          .as("sender %s in nonce order without gaps", sender)
          .isEqualTo(want);
      expect.put(sender, want + 1);
    }
    assertThat(checker).isNotNull();
    if (maxBytes == Long.MAX_VALUE && !reaped.isEmpty()) {
      // unconstrained, the first one is the best head of all
      long best =
          pool.held().stream()
              .filter(h -> h.nonce() == pool.nextNonce(h.sender()).orElseThrow())
              .mapToLong(Mempool.Held::priority)
              .max()
              .orElseThrow();
      assertThat(TestTxs.priority(reaped.getFirst())).isEqualTo(best);
    }
  }
}
