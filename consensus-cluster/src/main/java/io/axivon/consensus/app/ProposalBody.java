package io.axivon.consensus.app;

import io.axivon.consensus.types.Evidence;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;

/**
 * What goes in a block a node proposes: the transactions, evidence of equivocation (added by the
 * node from its evidence pool) and the block time (Unix milliseconds, from the proposer's clock).
 * The engine stays clock-free; every other validator checks the time in {@link
 * Application#processProposal}.
 */
public record ProposalBody(List<Bytes> transactions, List<Evidence> evidence, long timeMillis) {
  /** No evidence: what an application proposes. */
  public ProposalBody(List<Bytes> transactions, long timeMillis) {
    this(transactions, List.of(), timeMillis);
  }

  public ProposalBody {
    transactions = List.copyOf(transactions);
    evidence = List.copyOf(evidence);
    if (timeMillis < 0) {
      throw new IllegalArgumentException("block time must be >= 0, got " + timeMillis);
    }
  }
}
