package io.axivon.consensus.app;

import io.axivon.consensus.types.Block;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.apache.tuweni.bytes.Bytes32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Optimistic execution, as the Cosmos SDK does it behind CometBFT's ProcessProposal: a proposal the
 * application accepts starts executing at once on a thread of its own, while consensus collects the
 * votes on it. When that block is decided, {@link #finalizeBlock} takes the result instead of
 * running the block only then, so the decided block's state (and its receipts) is ready by up to a
 * vote collection earlier. A proposal at a height usually is the block decided; when it is not (a
 * later round decides another), the speculative state is dropped ({@link Application#discardBlock})
 * and the decided block runs as before.
 *
 * <p>What the calls answer never depends on speculation: every consensus call other than the
 * finalization of the speculated block, and every call that could read the speculative state as if
 * it were committed (another proposal's check, a new proposal), first waits for the speculation and
 * drops it. Calls from other threads ({@link #checkTx}, {@link #checkTxs}) go straight through, as
 * they do between a block's execution and its commit without speculation: the application answers
 * them without its executor (the EVM application checks against a copy of the committed head).
 *
 * <p>Consensus calls come from one thread, as {@link Application} says; the speculation runs on
 * {@code executor}, one at a time, and is always settled before the next consensus call that
 * touches state.
 */
public final class OptimisticExecution extends ForwardingApplication {
  private static final Logger LOG = LoggerFactory.getLogger(OptimisticExecution.class);

  /** What became of a speculative execution. */
  public enum Outcome {
    /** The block executed was decided: its result was used. */
    USED,
    /** Another block was decided, or a call needed the committed state: dropped. */
    DISCARDED,
    /** The execution threw: dropped, and the decided block runs again in the caller. */
    FAILED
  }

  private final Executor executor;
  private final Consumer<Outcome> outcomes;
  private Speculation running; // consensus thread only

  private record Speculation(Bytes32 hash, CompletableFuture<FinalizeResult> result) {}

  /**
   * @param app an application that {@link Application#canDiscardBlock can drop} an executed block
   * @param executor where speculative executions run (one at a time: a single thread is enough)
   * @param outcomes told what became of each speculation (metrics)
   */
  public OptimisticExecution(Application app, Executor executor, Consumer<Outcome> outcomes) {
    super(discarding(app));
    this.executor = Objects.requireNonNull(executor, "executor");
    this.outcomes = Objects.requireNonNull(outcomes, "outcomes");
  }

  @Override
  public ProposalBody prepareProposal(long height, long maxBytes) {
    settle();
    return delegate().prepareProposal(height, maxBytes);
  }

  /**
   * Checks {@code block} against the committed state (a speculation on another proposal of this
   * height is dropped first) and, if it is acceptable, starts executing it.
   */
  @Override
  public boolean processProposal(Block block) {
    settle();
    boolean ok = delegate().processProposal(block);
    if (ok) {
      try {
        running =
            new Speculation(
                block.hash(),
                CompletableFuture.supplyAsync(() -> delegate().finalizeBlock(block), executor));
      } catch (RejectedExecutionException e) {
        // The node is closing: the block, if decided, runs in finalizeBlock as without speculation.
      }
    }
    return ok;
  }

  @Override
  public FinalizeResult finalizeBlock(Block block) {
    Speculation s = running;
    if (s != null) {
      running = null;
      FinalizeResult result = await(s);
      if (result != null && s.hash().equals(block.hash())) {
        outcomes.accept(Outcome.USED);
        return result;
      }
      drop(result);
    }
    return delegate().finalizeBlock(block);
  }

  @Override
  public void commit() {
    settle(); // a commit always follows finalizeBlock, which took the speculation: none is left
    delegate().commit();
  }

  @Override
  public long committedHeight() {
    settle();
    return delegate().committedHeight();
  }

  @Override
  public boolean canDiscardBlock() {
    return true;
  }

  @Override
  public void discardBlock() {
    settle();
    delegate().discardBlock();
  }

  private static Application discarding(Application app) {
    if (!app.canDiscardBlock()) {
      throw new IllegalArgumentException("optimistic execution needs an application that can drop");
    }
    return app;
  }

  /** Waits for a running speculation, if any, and drops its state. */
  private void settle() {
    Speculation s = running;
    if (s == null) {
      return;
    }
    running = null;
    drop(await(s));
  }

  /** Drops a speculation's state; {@code result} is null when it failed. */
  private void drop(FinalizeResult result) {
    delegate().discardBlock();
    outcomes.accept(result == null ? Outcome.FAILED : Outcome.DISCARDED);
  }

  /** The speculation's result, or null if it threw (the caller then runs the block itself). */
  private static FinalizeResult await(Speculation s) {
    try {
      return s.result().join();
    } catch (CompletionException | java.util.concurrent.CancellationException e) {
      LOG.warn("optimistic execution of block {} failed", s.hash(), e.getCause());
      return null;
    }
  }
}
