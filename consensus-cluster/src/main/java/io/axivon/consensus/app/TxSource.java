package io.axivon.consensus.app;

import java.util.List;
import org.apache.tuweni.bytes.Bytes;

/** Where an application takes the transactions it proposes from: the node plugs its mempool in. */
@FunctionalInterface
public interface TxSource {
  /** Candidate transactions in the order to propose them, at most {@code maxBytes} in total. */
  List<Bytes> candidates(long maxBytes);
}
