package io.axivon.storage.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.sun.net.httpserver.HttpServer;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.sdk.storage.FlowAbi;
import io.axivon.sdk.storage.layout.Submission;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A chain for tests, over HTTP JSON-RPC: blocks of logs, answering {@code eth_blockNumber}, {@code
 * eth_getLogs} (address, topic 0 and range filters) and {@code eth_getBlockByNumber}. Block 0 is an
 * empty genesis. Records each {@code eth_getLogs} range asked.
 */
final class StubChain implements AutoCloseable {
  final ObjectMapper mapper = new ObjectMapper();
  final List<long[]> logRanges = new CopyOnWriteArrayList<>();
  private final List<List<ObjectNode>> blocks = new ArrayList<>();
  private final HttpServer server;
  private final Address flow;
  private long nextIndex; // the next submission index the "contract" gives
  private long flowLength; // sectors

  StubChain(Address flow) throws IOException {
    this.flow = flow;
    blocks.add(List.of());
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            JsonNode request = mapper.readTree(exchange.getRequestBody().readAllBytes());
            ObjectNode response = mapper.createObjectNode();
            response.put("jsonrpc", "2.0");
            response.set("id", request.get("id"));
            try {
              response.set("result", answer(request.get("method").asText(), request.get("params")));
            } catch (RuntimeException e) {
              ObjectNode error = response.putObject("error");
              error.put("code", -32000);
              error.put("message", e.getMessage());
            }
            byte[] out = mapper.writeValueAsBytes(response);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, out.length);
            exchange.getResponseBody().write(out);
          }
        });
    server.start();
  }

  URI uri() {
    InetSocketAddress a = server.getAddress();
    return URI.create("http://" + a.getHostString() + ":" + a.getPort() + "/");
  }

  static Bytes32 hashOf(long block) {
    return Hashes.keccak256(Bytes.ofUnsignedLong(block));
  }

  /** Makes the next {@code n} calls fail with a JSON-RPC error. */
  synchronized void failNext(int n) {
    failures = n;
  }

  private int failures;

  private synchronized JsonNode answer(String method, JsonNode params) {
    if (failures > 0) {
      failures--;
      throw new IllegalStateException("the node is restarting");
    }
    switch (method) {
      case "eth_blockNumber":
        return new TextNode("0x" + Long.toHexString(blocks.size() - 1));
      case "eth_getBlockByNumber":
        {
          long n = Long.decode(params.get(0).asText());
          if (n >= blocks.size()) {
            return NullNode.getInstance();
          }
          ObjectNode b = mapper.createObjectNode();
          b.put("number", "0x" + Long.toHexString(n));
          b.put("hash", hashOf(n).toHexString());
          return b;
        }
      case "eth_getLogs":
        {
          JsonNode f = params.get(0);
          long from = Long.decode(f.get("fromBlock").asText());
          long to = Long.decode(f.get("toBlock").asText());
          logRanges.add(new long[] {from, to});
          String topic0 = f.get("topics").get(0).asText();
          ArrayNode out = mapper.createArrayNode();
          for (long n = from; n <= to && n < blocks.size(); n++) {
            for (ObjectNode log : blocks.get((int) n)) {
              if (log.get("address").asText().equalsIgnoreCase(f.get("address").asText())
                  && log.get("topics").get(0).asText().equals(topic0)) {
                out.add(log);
              }
            }
          }
          return out;
        }
      default:
        throw new IllegalArgumentException("the stub chain does not serve " + method);
    }
  }

  /** Adds empty blocks up to {@code number}. */
  synchronized void mineTo(long number) {
    while (blocks.size() <= number) {
      blocks.add(new ArrayList<>());
    }
  }

  /**
   * Submits in a new block (or {@code block}, creating blocks up to it), numbered and placed as the
   * flow does; returns the log.
   */
  synchronized ObjectNode submit(long block, Submission sub, Address sender) {
    long first = sub.nodes().getFirst().leafCount();
    long start = (flowLength + first - 1) / first * first;
    flowLength = start + sub.sectors();
    return addLog(
        block, FlowAbi.encodeSubmitData(nextIndex++, start, sub.sectors(), sub), sub, sender);
  }

  /** A Submit log with the given data, as is. */
  synchronized ObjectNode addLog(long block, Bytes data, Submission sub, Address sender) {
    mineTo(block);
    List<ObjectNode> logs = blocks.get((int) block);
    ObjectNode l = mapper.createObjectNode();
    l.put("address", flow.toLowerHex());
    ArrayNode topics = l.putArray("topics");
    topics.add(FlowAbi.SUBMIT_TOPIC.toHexString());
    topics.add(FlowAbi.addressTopic(sender).toHexString());
    topics.add(FlowAbi.identity(sub).toHexString());
    l.put("data", data.toHexString());
    l.put("blockNumber", "0x" + Long.toHexString(block));
    l.put("blockHash", hashOf(block).toHexString());
    l.put("transactionHash", Hashes.keccak256(data).toHexString());
    l.put("transactionIndex", "0x" + Integer.toHexString(logs.size()));
    l.put("logIndex", "0x" + Integer.toHexString(logs.size()));
    l.put("removed", false);
    logs.add(l);
    return l;
  }

  /** Makes the next submission get {@code index} (to open a gap). */
  synchronized void skipIndexTo(long index) {
    nextIndex = index;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
