package io.axivon.consensus.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.consensus.app.Application;
import io.axivon.consensus.app.FinalizeResult;
import io.axivon.consensus.app.ProposalBody;
import io.axivon.consensus.app.TxCheck;
import io.axivon.consensus.types.Block;
import io.axivon.consensus.types.BlockHeader;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;

class ChainGuardTest {
  private static final Block EMPTY =
      new Block(
          new BlockHeader(
              "c",
              1,
              1000,
              Bytes32.ZERO,
              Block.txRoot(List.of()),
              Bytes32.ZERO,
              Bytes32.ZERO,
              Bytes32.ZERO,
              0),
          List.of());

  /** Counts commits; finalizeBlock needs no block content. */
  static final class CountingApp implements Application {
    final AtomicInteger commits = new AtomicInteger();
    final List<Bytes> prepared = new CopyOnWriteArrayList<>();

    @Override
    public void prepareTransactions(List<Bytes> txs) {
      prepared.addAll(txs);
    }

    @Override
    public TxCheck checkTx(Bytes tx) {
      return new TxCheck.Rejected("no");
    }

    @Override
    public ProposalBody prepareProposal(long height, long maxBytes) {
      return new ProposalBody(List.of(), 1);
    }

    @Override
    public boolean processProposal(Block block) {
      return true;
    }

    @Override
    public FinalizeResult finalizeBlock(Block block) {
      return new FinalizeResult(Bytes32.ZERO, List.of());
    }

    @Override
    public void commit() {
      commits.incrementAndGet();
    }
  }

  @Test
  void readsWaitBetweenExecutionAndCommitEvenAcrossThreads() throws Exception {
    ChainGuard guard = new ChainGuard();
    CountingApp inner = new CountingApp();
    GuardedApplication app = new GuardedApplication(inner, guard);
    // own threads (the common pool may have a single one, which the waiting read would hold)
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      // finalize on one thread, commit on another: the node may do exactly this
      threads.submit(() -> app.finalizeBlock(EMPTY)).get(10, TimeUnit.SECONDS);
      Future<Integer> read = threads.submit(() -> guard.read(inner.commits::get));
      // application calls still go through while the read waits
      assertThat(app.checkTx(Bytes.EMPTY)).isInstanceOf(TxCheck.Rejected.class);
      assertThat(read.isDone()).isFalse();
      threads.submit(app::commit).get(10, TimeUnit.SECONDS);
      // the read ran after the commit: it saw it
      assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    }
  }

  @Test
  void checksArePreparedAndAnsweredWhileTheLockIsHeld() throws Exception {
    ChainGuard guard = new ChainGuard();
    CountingApp inner = new CountingApp();
    GuardedApplication app = new GuardedApplication(inner, guard);
    Bytes tx = Bytes.of(1, 2, 3);
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<?> busy =
          threads.submit(
              () ->
                  guard.app(
                      () -> {
                        holding.countDown();
                        try {
                          return release.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                          throw new IllegalStateException(e);
                        }
                      }));
      assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
      // the lock is held elsewhere (a block executing), yet the check is prepared and answered:
      // the application checks against its committed head, without the executor
      assertThat(threads.submit(() -> app.checkTx(tx)).get(10, TimeUnit.SECONDS))
          .isInstanceOf(TxCheck.Rejected.class);
      assertThat(inner.prepared).containsExactly(tx);
      assertThat(threads.submit(() -> app.checkTxs(List.of(tx))).get(10, TimeUnit.SECONDS))
          .hasSize(1);
      release.countDown();
      busy.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aReadGivesUpWhenNoCommitComes() {
    ChainGuard guard = new ChainGuard(50);
    new GuardedApplication(new CountingApp(), guard).finalizeBlock(EMPTY);
    assertThatThrownBy(() -> guard.read(() -> 1))
        .isInstanceOf(RpcException.class)
        .hasMessage("execution state busy, try again");
  }

  @Test
  void readsRunWhenIdle() {
    ChainGuard guard = new ChainGuard();
    assertThat(guard.read(() -> 7)).isEqualTo(7);
  }
}
