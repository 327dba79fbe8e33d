package io.axivon.consensus.execution.block;

import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The outcome of executing a block's transactions: those included with their receipts, and those
 * skipped with go-ethereum's reason. The state is changed but not committed.
 */
public record ExecutedBlock(
    List<Bytes> included, List<Receipt> receipts, List<Skipped> skipped, long gasUsed) {
  /** A transaction left out of the block at execution time, and why. */
  public record Skipped(Bytes32 hash, String reason) {}

  public ExecutedBlock {
    included = List.copyOf(included);
    receipts = List.copyOf(receipts);
    skipped = List.copyOf(skipped);
  }

  public Bytes logsBloom() {
    return Bloom.union(receipts.stream().map(Receipt::logsBloom).toList());
  }

  public Bytes32 transactionsRoot() {
    return TrieRoots.transactionsRoot(included);
  }

  public Bytes32 receiptsRoot() {
    return TrieRoots.receiptsRoot(receipts);
  }
}
