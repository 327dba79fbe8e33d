package io.axivon.consensus.app;

import java.util.List;
import org.apache.tuweni.bytes.Bytes;

/**
 * What the application puts in a block it proposes: the transactions and the block time (Unix
 * milliseconds, from the proposer's clock). The engine stays clock-free; every other validator
 * checks the time in {@link Application#processProposal}.
 */
public record ProposalBody(List<Bytes> transactions, long timeMillis) {
  public ProposalBody {
    transactions = List.copyOf(transactions);
    if (timeMillis < 0) {
      throw new IllegalArgumentException("block time must be >= 0, got " + timeMillis);
    }
  }
}
