package io.axivon.consensus.mempool;

import io.axivon.consensus.app.TxCheck;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.tuweni.bytes.Bytes;

/**
 * Transactions for the mempool tests: {@code [sender, nonce, priority(2), bad, salt, padding...]}
 * checked against a mutable committed-nonce table, like an application's checkTx.
 */
final class TestTxs implements Function<Bytes, TxCheck> {
  final Map<Integer, Long> committed = new HashMap<>();

  static Bytes tx(int sender, int nonce, int priority, int padding) {
    return tx(sender, nonce, priority, padding, 0, false);
  }

  static Bytes tx(int sender, int nonce, int priority, int padding, int salt, boolean bad) {
    byte[] b = new byte[6 + padding];
    b[0] = (byte) sender;
    b[1] = (byte) nonce;
    b[2] = (byte) (priority >> 8);
    b[3] = (byte) priority;
    b[4] = (byte) (bad ? 1 : 0);
    b[5] = (byte) salt;
    return Bytes.wrap(b);
  }

  static int sender(Bytes tx) {
    return tx.get(0) & 0xff;
  }

  static long nonce(Bytes tx) {
    return tx.get(1) & 0xff;
  }

  static long priority(Bytes tx) {
    return ((tx.get(2) & 0xff) << 8) | (tx.get(3) & 0xff);
  }

  long next(int sender) {
    return committed.getOrDefault(sender, 0L);
  }

  @Override
  public TxCheck apply(Bytes tx) {
    if (tx.get(4) != 0) {
      return new TxCheck.Rejected("invalid sender");
    }
    long next = next(sender(tx));
    if (nonce(tx) < next) {
      return new TxCheck.Rejected("nonce too low");
    }
    return new TxCheck.Accepted(Bytes.of(sender(tx)), nonce(tx), next, priority(tx));
  }
}
