package io.axivon.consensus.node;

import io.axivon.consensus.app.Application;
import io.axivon.consensus.app.FinalizeResult;
import io.axivon.consensus.app.ForwardingApplication;
import io.axivon.consensus.types.Block;

/** An application whose every block takes a known, fixed time to execute. */
final class SlowToExecute extends ForwardingApplication {
  private final long executionMs;

  SlowToExecute(Application inner, long executionMs) {
    super(inner);
    this.executionMs = executionMs;
  }

  @Override
  public FinalizeResult finalizeBlock(Block block) {
    try {
      Thread.sleep(executionMs); // stands for a block's execution
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return super.finalizeBlock(block);
  }
}
