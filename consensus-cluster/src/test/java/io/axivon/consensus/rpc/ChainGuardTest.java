package io.axivon.consensus.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.consensus.app.Application;
import io.axivon.consensus.app.FinalizeResult;
import io.axivon.consensus.app.ProposalBody;
import io.axivon.consensus.app.TxCheck;
import io.axivon.consensus.types.Block;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;

class ChainGuardTest {
  /** Counts commits; finalizeBlock needs no block content. */
  static final class CountingApp implements Application {
    final AtomicInteger commits = new AtomicInteger();

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
      threads.submit(() -> app.finalizeBlock(null)).get(10, TimeUnit.SECONDS);
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
  void aReadGivesUpWhenNoCommitComes() {
    ChainGuard guard = new ChainGuard(50);
    new GuardedApplication(new CountingApp(), guard).finalizeBlock(null);
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
