package io.axivon.consensus.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.crypto.Hashes;
import io.axivon.consensus.types.Block;
import io.axivon.consensus.types.BlockHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OptimisticExecutionTest {
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(Thread.ofPlatform().name("speculation").factory());
  private final List<OptimisticExecution.Outcome> outcomes = new ArrayList<>();

  @AfterEach
  @AfterProperty
  void stop() {
    executor.shutdownNow();
  }

  /**
   * A chain of app hashes that holds at most one executed, uncommitted block: a second execution
   * before a commit or a discard fails, as the EVM chain's does. A block whose first transaction is
   * "boom" fails part-way (leaving a block pending); a block whose time is odd is refused.
   */
  static final class Ledger implements Application {
    Bytes32 committed = Bytes32.ZERO;
    Bytes32 pending;
    final List<String> calls = new ArrayList<>();
    final List<String> threads = new ArrayList<>();

    @Override
    public TxCheck checkTx(Bytes tx) {
      return new TxCheck.Rejected("not used");
    }

    @Override
    public ProposalBody prepareProposal(long height, long maxBytes) {
      calls.add("prepare " + (pending == null ? "clean" : "DIRTY"));
      return new ProposalBody(List.of(), List.of(), List.of(), 1000 * height);
    }

    @Override
    public boolean processProposal(Block block) {
      calls.add("process " + (pending == null ? "clean" : "DIRTY"));
      return block.header().timeMillis() % 2 == 0;
    }

    @Override
    public FinalizeResult finalizeBlock(Block block) {
      threads.add(Thread.currentThread().getName());
      if (pending != null) {
        throw new IllegalStateException("a block is already pending");
      }
      pending = Hashes.keccak256(Bytes.concatenate(committed, block.hash()));
      if (!block.transactions().isEmpty() && block.transactions().getFirst().equals(BOOM)) {
        throw new IllegalStateException("boom");
      }
      return new FinalizeResult(pending, List.of());
    }

    @Override
    public void commit() {
      if (pending == null) {
        throw new IllegalStateException("nothing to commit");
      }
      committed = pending;
      pending = null;
    }

    @Override
    public boolean canDiscardBlock() {
      return true;
    }

    @Override
    public void discardBlock() {
      calls.add("discard");
      pending = null;
    }
  }

  static final Bytes BOOM = Bytes.wrap("boom".getBytes(java.nio.charset.StandardCharsets.UTF_8));

  static Block block(long height, long time, Bytes... txs) {
    List<Bytes> list = List.of(txs);
    return new Block(
        new BlockHeader(
            "c",
            height,
            time,
            Bytes32.ZERO,
            Block.txRoot(list),
            Bytes32.ZERO,
            Bytes32.ZERO,
            Bytes32.ZERO,
            0),
        list);
  }

  private OptimisticExecution wrap(Ledger ledger) {
    return new OptimisticExecution(ledger, executor, outcomes::add);
  }

  @Test
  void aDecidedProposalIsExecutedOnceWhileItsVotesAreCollected() {
    Ledger ledger = new Ledger();
    OptimisticExecution oe = wrap(ledger);
    Block b = block(1, 2);
    assertThat(oe.processProposal(b)).isTrue();
    FinalizeResult r = oe.finalizeBlock(b);
    oe.commit();
    assertThat(r.appHash()).isEqualTo(Hashes.keccak256(Bytes.concatenate(Bytes32.ZERO, b.hash())));
    assertThat(ledger.threads).containsExactly("speculation");
    assertThat(ledger.calls).doesNotContain("discard");
    assertThat(ledger.committed).isEqualTo(r.appHash());
    assertThat(outcomes).containsExactly(OptimisticExecution.Outcome.USED);
  }

  @Test
  void anotherDecidedBlockDropsTheSpeculationAndRunsItself() {
    Ledger ledger = new Ledger();
    OptimisticExecution oe = wrap(ledger);
    Block proposed = block(1, 2);
    Block decided = block(1, 4);
    oe.processProposal(proposed);
    FinalizeResult r = oe.finalizeBlock(decided);
    oe.commit();
    assertThat(r.appHash())
        .isEqualTo(Hashes.keccak256(Bytes.concatenate(Bytes32.ZERO, decided.hash())));
    assertThat(ledger.calls).containsExactly("process clean", "discard");
    assertThat(ledger.threads).containsExactly("speculation", Thread.currentThread().getName());
    assertThat(outcomes).containsExactly(OptimisticExecution.Outcome.DISCARDED);
  }

  @Test
  void aSecondProposalIsCheckedAgainstTheCommittedState() {
    Ledger ledger = new Ledger();
    OptimisticExecution oe = wrap(ledger);
    oe.processProposal(block(1, 2));
    Block second = block(1, 6);
    assertThat(oe.processProposal(second)).isTrue();
    oe.finalizeBlock(second);
    assertThat(ledger.calls).containsExactly("process clean", "discard", "process clean");
    assertThat(outcomes)
        .containsExactly(OptimisticExecution.Outcome.DISCARDED, OptimisticExecution.Outcome.USED);
  }

  @Test
  void aRefusedProposalIsNotExecuted() {
    Ledger ledger = new Ledger();
    OptimisticExecution oe = wrap(ledger);
    Block refused = block(1, 3);
    assertThat(oe.processProposal(refused)).isFalse();
    oe.finalizeBlock(block(1, 2));
    assertThat(ledger.threads).containsExactly(Thread.currentThread().getName());
    assertThat(outcomes).isEmpty();
  }

  @Test
  void aFailedSpeculationIsDroppedAndTheFailureComesFromTheDecidedBlockItself() {
    Ledger ledger = new Ledger();
    OptimisticExecution oe = wrap(ledger);
    Block b = block(1, 2, BOOM);
    oe.processProposal(b);
    assertThatThrownBy(() -> oe.finalizeBlock(b)).hasMessage("boom");
    assertThat(ledger.calls).containsExactly("process clean", "discard");
    assertThat(outcomes).containsExactly(OptimisticExecution.Outcome.FAILED);
  }

  @Test
  void aNewProposalIsBuiltOnTheCommittedState() {
    Ledger ledger = new Ledger();
    OptimisticExecution oe = wrap(ledger);
    oe.processProposal(block(1, 2));
    oe.prepareProposal(1, 1024);
    assertThat(ledger.calls).containsExactly("process clean", "discard", "prepare clean");
  }

  @Test
  void anApplicationThatCannotDropIsRefused() {
    Application plain = new KvApplication();
    assertThatThrownBy(() -> new OptimisticExecution(plain, executor, o -> {}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ------------------------------------------------------------------ property

  /**
   * One height: proposals (by block time: even is acceptable) checked in order, then a decision.
   */
  record Height(List<Integer> proposalTimes, boolean prepareFirst, int decided, boolean boom) {}

  @Provide
  Arbitrary<List<Height>> heights() {
    Arbitrary<Height> h =
        Combinators.combine(
                Arbitraries.integers().between(1, 12).list().ofMaxSize(3),
                Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 9).map(i -> i == 0))
            .as(Height::new);
    return h.list().ofMinSize(1).ofMaxSize(12);
  }

  /**
   * Whatever the proposals and decisions, consensus sees the same answers with optimistic execution
   * as without it, the committed chain is the same, and no check or proposal ever reads a
   * speculative state.
   */
  @Property(tries = 300)
  void answersAndCommittedStateAreThoseOfThePlainApplication(
      @ForAll("heights") List<Height> heights) {
    Ledger plainLedger = new Ledger();
    Ledger optimisticLedger = new Ledger();
    List<Object> plain = run(plainLedger, plainLedger, heights);
    List<Object> optimistic = run(wrap(optimisticLedger), optimisticLedger, heights);
    assertThat(optimistic).isEqualTo(plain);
    assertThat(optimisticLedger.committed).isEqualTo(plainLedger.committed);
    assertThat(optimisticLedger.calls).noneMatch(c -> c.endsWith("DIRTY"));
  }

  /** The answers the engine would see, in order. */
  private static List<Object> run(Application app, Ledger ledger, List<Height> heights) {
    List<Object> seen = new ArrayList<>();
    long height = 1;
    for (Height h : heights) {
      if (h.prepareFirst()) {
        seen.add(app.prepareProposal(height, 1024).timeMillis());
      }
      List<Block> proposals = new ArrayList<>();
      for (int time : h.proposalTimes()) {
        Block b = h.boom() ? block(height, time, BOOM) : block(height, time);
        proposals.add(b);
        seen.add(app.processProposal(b));
      }
      Block decided =
          h.decided() < proposals.size() ? proposals.get(h.decided()) : block(height, 100);
      try {
        seen.add(app.finalizeBlock(decided).appHash());
        app.commit();
        height++;
      } catch (IllegalStateException e) {
        seen.add(e.getMessage());
        // A node whose execution failed stops there; the test's ledger needs a clean slate.
        if (app instanceof OptimisticExecution oe) {
          oe.discardBlock();
        } else {
          ledger.discardBlock();
        }
      }
    }
    return seen;
  }
}
