package io.axivon.consensus.app;

import org.apache.tuweni.bytes.Bytes;

/**
 * The application's verdict on a transaction offered to the mempool. An accepted one says who sent
 * it, its per-sender sequence number and what it pays, so the mempool can order each sender's
 * transactions and evict the cheapest without understanding the transaction format.
 */
public sealed interface TxCheck {
  /**
   * @param sender opaque sender identity (an address for EVM transactions)
   * @param nonce the sender's sequence number; the mempool proposes a sender's transactions in
   *     nonce order
   * @param nextNonce the sender's next nonce in the committed state: transactions from there on
   *     without a gap are executable, later ones wait in the sender's bounded future queue
   * @param priority what including it is worth per unit of block space (for EVM: the effective tip
   *     per gas in wei, saturated at {@link Long#MAX_VALUE}); the cheapest are evicted first
   */
  record Accepted(Bytes sender, long nonce, long nextNonce, long priority) implements TxCheck {
    public Accepted {
      if (sender == null || nonce < 0 || nextNonce < 0 || nonce < nextNonce || priority < 0) {
        throw new IllegalArgumentException(
            "sender must be set, 0 <= nextNonce <= nonce and priority >= 0");
      }
    }
  }

  /** Refused, with a message for the submitter (go-ethereum's wording for EVM transactions). */
  record Rejected(String reason) implements TxCheck {}

  default boolean accepted() {
    return this instanceof Accepted;
  }
}
