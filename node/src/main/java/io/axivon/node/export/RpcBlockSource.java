package io.axivon.node.export;

import com.fasterxml.jackson.databind.JsonNode;
import io.axivon.common.InvalidInputException;
import io.axivon.sdk.eth.EthHex;
import io.axivon.sdk.rpc.JsonRpcClient;
import io.axivon.sdk.rpc.JsonRpcException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Fetches blocks with full transactions and their receipts over JSON-RPC, a run of blocks per
 * batched HTTP request and the receipts with one {@code eth_getBlockReceipts} per block in the same
 * kind of batch (at most {@link #MAX_BATCH} calls; the node's default limit is 1,000). A node
 * without that method gets one {@code eth_getTransactionReceipt} per transaction instead. Not
 * thread-safe.
 */
public final class RpcBlockSource implements BlockSource {
  /** Calls per batched request. */
  public static final int MAX_BATCH = 500;

  /** JSON-RPC's "method not found". */
  private static final int METHOD_NOT_FOUND = -32601;

  private final JsonRpcClient rpc;
  private boolean perTransaction; // the node lacks eth_getBlockReceipts

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
    List<JsonNode> receipts = perTransaction ? receipts(hashes) : blockReceipts(from, to, hashes);
    List<BlockData> out = new ArrayList<>(fetched.size());
    int next = 0;
    for (JsonNode b : fetched) {
      int n = b.path("transactions").size();
      out.add(new BlockData(b, receipts.subList(next, next + n)));
      next += n;
    }
    return out;
  }

  /** The receipts of blocks {@code from..to} in order, one call per block. */
  private List<JsonNode> blockReceipts(long from, long to, List<String> hashes) {
    JsonRpcClient.Batch batch = rpc.batch();
    List<JsonRpcClient.BatchResult<JsonNode>> results = new ArrayList<>();
    for (long n = from; n <= to; n++) {
      results.add(batch.add("eth_getBlockReceipts", JsonNode.class, EthHex.quantity(n)));
    }
    batch.send();
    List<JsonNode> out = new ArrayList<>(hashes.size());
    for (int i = 0; i < results.size(); i++) {
      JsonNode block;
      try {
        block = results.get(i).get();
      } catch (JsonRpcException e) {
        if (e.code() == METHOD_NOT_FOUND) {
          perTransaction = true;
          return receipts(hashes);
        }
        throw e;
      }
      if (block == null || !block.isArray()) {
        throw new InvalidInputException("the node has no receipts for block " + (from + i));
      }
      block.forEach(out::add);
    }
    if (out.size() != hashes.size()) {
      throw new InvalidInputException(
          "blocks "
              + from
              + ".."
              + to
              + " hold "
              + hashes.size()
              + " transactions but the node gave "
              + out.size()
              + " receipts");
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
