package io.axivon.node.export;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Where the export gets blocks with their receipts: the JSON-RPC ({@link RpcBlockSource}), or a
 * bench's memory.
 */
public interface BlockSource {
  /**
   * One block as {@code eth_getBlockByNumber(n, true)} answers and its receipts, in transaction
   * order.
   */
  record BlockData(JsonNode block, List<JsonNode> receipts) {}

  /** Blocks {@code from..to} inclusive, in order. */
  List<BlockData> fetch(long from, long to);
}
