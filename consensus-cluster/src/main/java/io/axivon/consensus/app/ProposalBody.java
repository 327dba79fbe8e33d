package io.axivon.consensus.app;

import io.axivon.consensus.types.Evidence;
import io.axivon.consensus.types.SetChange;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;

/**
 * What goes in a block a node proposes: the transactions, evidence of equivocation (added by the
 * node from its evidence pool), chain 0's validator-set changes (on chains i &gt; 0 of a cluster)
 * and the block time (Unix milliseconds, from the proposer's clock). The engine stays clock-free;
 * every other validator checks the time in {@link Application#processProposal}.
 */
public record ProposalBody(
    List<Bytes> transactions,
    List<Evidence> evidence,
    List<SetChange> setChanges,
    long timeMillis) {
  /** No evidence and no set changes: what an application proposes on a lone chain. */
  public ProposalBody(List<Bytes> transactions, long timeMillis) {
    this(transactions, List.of(), List.of(), timeMillis);
  }

  public ProposalBody(List<Bytes> transactions, List<Evidence> evidence, long timeMillis) {
    this(transactions, evidence, List.of(), timeMillis);
  }

  public ProposalBody {
    transactions = List.copyOf(transactions);
    evidence = List.copyOf(evidence);
    setChanges = List.copyOf(setChanges);
    if (timeMillis < 0) {
      throw new IllegalArgumentException("block time must be >= 0, got " + timeMillis);
    }
  }
}
