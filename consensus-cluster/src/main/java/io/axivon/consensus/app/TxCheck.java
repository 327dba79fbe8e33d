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
   * @param memo what the checker made of the transaction (for EVM: its decoded form with the
   *     recovered sender), opaque to the mempool, which keeps it with the transaction and hands it
   *     back at the re-check after each block ({@link Application#recheckTxs}) so that the checker
   *     need not find it again; null for none. Not part of the verdict: equality ignores it.
   */
  record Accepted(Bytes sender, long nonce, long nextNonce, long priority, Object memo)
      implements TxCheck {
    public Accepted {
      if (sender == null || nonce < 0 || nextNonce < 0 || nonce < nextNonce || priority < 0) {
        throw new IllegalArgumentException(
            "sender must be set, 0 <= nextNonce <= nonce and priority >= 0");
      }
    }

    /** Without a memo. */
    public Accepted(Bytes sender, long nonce, long nextNonce, long priority) {
      this(sender, nonce, nextNonce, priority, null);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Accepted a
          && a.sender.equals(sender)
          && a.nonce == nonce
          && a.nextNonce == nextNonce
          && a.priority == priority;
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(sender, nonce, nextNonce, priority);
    }

    @Override
    public String toString() {
      return "Accepted[sender="
          + sender
          + ", nonce="
          + nonce
          + ", nextNonce="
          + nextNonce
          + ", priority="
          + priority
          + "]";
    }
  }

  /** Refused, with a message for the submitter (go-ethereum's wording for EVM transactions). */
  record Rejected(String reason) implements TxCheck {}

  default boolean accepted() {
    return this instanceof Accepted;
  }
}
