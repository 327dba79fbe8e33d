package io.axivon.consensus.app;

import java.util.List;
import org.apache.tuweni.bytes.Bytes;

/**
 * Where a proposer's application takes transactions from: the node plugs its mempool in. The
 * application still checks what it gets and decides what fits the block.
 */
@FunctionalInterface
public interface TxSource {
  /**
   * Transactions to consider for the next block, best first and each sender's in nonce order, of at
   * most {@code maxBytes} in total.
   */
  List<Bytes> candidates(long maxBytes);
}
