package io.axivon.node.export;

import com.fasterxml.jackson.databind.JsonNode;
import io.axivon.common.InvalidInputException;
import io.axivon.sdk.eth.EthHex;
import io.axivon.sdk.rpc.JsonRpcClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Fetches blocks with full transactions and their receipts over JSON-RPC, a run of blocks per
 * batched HTTP request and the receipts in batches of at most {@link #MAX_BATCH} calls (the node's
 * default limit is 1,000). The chain has no eth_getBlockReceipts, so receipts come one call each.
 */
public final class RpcBlockSource implements BlockSource {
  /** Calls per batched request. */
  public static final int MAX_BATCH = 500;

  private final JsonRpcClient rpc;

  public RpcBlockSource(JsonRpcClient rpc) {
    this.rpc = Objects.requireNonNull(rpc, "rpc");
  }

  /** Blocks {@code from..to} inclusive ({@code to - from < MAX_BATCH}). */
  @Override
  public List<BlockData> fetch(long from, long to) {
    if (from < 0 || to < from || to - from >= MAX_BATCH) {
      throw new IllegalArgumentException("bad block run [" + from + ", " + to + "]");
    }
    JsonRpcClient.Batch blocks = rpc.batch();
    List<JsonRpcClient.BatchResult<JsonNode>> blockResults = new ArrayList<>();
    for (long n = from; n <= to; n++) {
      blockResults.add(
          blocks.add("eth_getBlockByNumber", JsonNode.class, EthHex.quantity(n), true));
    }
    blocks.send();
    List<JsonNode> fetched = new ArrayList<>(blockResults.size());
    List<String> hashes = new ArrayList<>();
    for (int i = 0; i < blockResults.size(); i++) {
      JsonNode b = blockResults.get(i).get();
      if (b == null || b.isNull()) {
        throw new InvalidInputException("the node has no block " + (from + i));
      }
      JsonNode txs = b.path("transactions");
      for (JsonNode tx : txs) {
        hashes.add(tx.isObject() ? tx.path("hash").asText() : tx.asText());
      }
      fetched.add(b);
    }
    List<JsonNode> receipts = receipts(hashes);
    List<BlockData> out = new ArrayList<>(fetched.size());
    int next = 0;
    for (JsonNode b : fetched) {
      int n = b.path("transactions").size();
      out.add(new BlockData(b, receipts.subList(next, next + n)));
      next += n;
    }
    return out;
  }

  private List<JsonNode> receipts(List<String> hashes) {
    List<JsonNode> out = new ArrayList<>(hashes.size());
    for (int start = 0; start < hashes.size(); start += MAX_BATCH) {
      JsonRpcClient.Batch batch = rpc.batch();
      List<JsonRpcClient.BatchResult<JsonNode>> results = new ArrayList<>();
      for (String h : hashes.subList(start, Math.min(hashes.size(), start + MAX_BATCH))) {
        results.add(batch.add("eth_getTransactionReceipt", JsonNode.class, h));
      }
      batch.send();
      for (JsonRpcClient.BatchResult<JsonNode> r : results) {
        out.add(r.get());
      }
    }
    return out;
  }
}
