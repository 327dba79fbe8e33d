package io.axivon.node.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.common.InvalidInputException;
import io.axivon.sdk.rpc.JsonRpcClient;
import io.axivon.sdk.rpc.JsonRpcException;
import io.axivon.sdk.storage.SegmentJsonReader;
import io.axivon.sdk.storage.StorageClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes32;
import picocli.CommandLine.Option;

/** The storage nodes a {@code storage} command talks to: {@code --node URL}, repeatable. */
public final class StorageNodes {
  /** Each JSON-RPC call's limit: a call carries at most four segments (about 1.3 MiB). */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

  /** Calls in flight at once, over all nodes. */
  static final int PARALLELISM = 8;

  @Option(
      names = "--node",
      paramLabel = "URL",
      required = true,
      description =
          "A storage node's zgs_* JSON-RPC, e.g. http://127.0.0.1:5678/; repeat for several.")
  List<String> urls = new ArrayList<>();

  /** The nodes' URLs, checked. */
  public List<URI> uris() {
    if (urls.isEmpty()) {
      throw new InvalidInputException("no storage node: pass --node URL");
    }
    return urls.stream().map(StorageNodeConfig::parseUrl).toList();
  }

  /** Clients that read segment data's base64 straight from the answer's bytes. */
  public List<JsonRpcClient> clients() {
    ObjectMapper mapper = new ObjectMapper();
    SegmentJsonReader reader = new SegmentJsonReader(mapper);
    return uris().stream()
        .map(u -> new JsonRpcClient(u, CALL_TIMEOUT, mapper, reader::read))
        .toList();
  }

  public StorageClient storageClient() {
    return new StorageClient(clients(), PARALLELISM);
  }

  /**
   * A file as a node reports it ({@code zgs_getFileInfo}).
   *
   * @param node the node asked
   * @param uploadedSegments segments the node stores (0G's {@code uploadedSegNum})
   */
  public record FileState(
      String node,
      String root,
      long txSeq,
      long size,
      long startEntryIndex,
      boolean finalized,
      long uploadedSegments) {}

  /** What {@code node} knows of {@code root}; empty when it does not know the root. */
  static Optional<FileState> fileInfo(JsonRpcClient node, Bytes32 root) {
    return parse(node, call(node, "zgs_getFileInfo", root.toHexString(), false));
  }

  /** What {@code node} knows of tx seq {@code txSeq}; empty when it does not know it (yet). */
  static Optional<FileState> fileInfoByTxSeq(JsonRpcClient node, long txSeq) {
    return parse(node, call(node, "zgs_getFileInfoByTxSeq", txSeq));
  }

  private static JsonNode call(JsonRpcClient node, String method, Object... params) {
    try {
      return node.callRaw(method, params);
    } catch (JsonRpcException e) {
      throw new JsonRpcException(
          e.kind(),
          e.code(),
          "storage node " + node.endpoint() + ": " + e.getMessage(),
          e.data().orElse(null),
          e);
    }
  }

  private static Optional<FileState> parse(JsonRpcClient node, JsonNode info) {
    if (info == null || info.isNull()) {
      return Optional.empty();
    }
    JsonNode tx = info.path("tx");
    if (!tx.isObject() || !tx.path("dataMerkleRoot").isTextual()) {
      throw new IllegalStateException(
          "storage node " + node.endpoint() + " sent a file info without tx.dataMerkleRoot");
    }
    return Optional.of(
        new FileState(
            node.endpoint().toString(),
            Bytes32.fromHexString(tx.path("dataMerkleRoot").asText()).toHexString(),
            tx.path("seq").asLong(),
            tx.path("size").asLong(),
            tx.path("startEntryIndex").asLong(),
            info.path("finalized").asBoolean(false),
            info.path("uploadedSegNum").asLong()));
  }

  /** A 32-byte root as 64 hex digits, 0x optional. */
  static Bytes32 parseRoot(String text) {
    if (text == null || !text.matches("(0x)?[0-9a-fA-F]{64}")) {
      throw new InvalidInputException("ROOT must be 32 bytes as 64 hex digits, got " + text);
    }
    return Bytes32.fromHexString(text);
  }
}
