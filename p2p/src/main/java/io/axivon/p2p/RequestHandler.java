package io.axivon.p2p;

import java.util.concurrent.CompletionStage;
import org.apache.tuweni.bytes.Bytes;

/**
 * Answers requests of one protocol. Called on a network thread: return quickly, completing the
 * stage later from another thread if the work is slow. A failed stage or a thrown exception is sent
 * to the requester as a remote error carrying the exception's message.
 */
@FunctionalInterface
public interface RequestHandler {
  CompletionStage<Bytes> handle(NodeId from, Bytes request);
}
