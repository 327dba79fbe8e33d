package io.axivon.node.kv;

import io.axivon.common.InvalidInputException;
import io.axivon.kv.node.KvNode;
import io.axivon.kv.node.StreamFilter;
import io.axivon.node.p2pnode.NodeConfig;
import io.axivon.node.storage.StorageNodeConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.tuweni.bytes.Bytes32;

/**
 * {@code axivon kv-node}'s configuration file (YAML or JSON); every key is also a flag (keys in
 * specs/cli.md).
 *
 * @param dataDir the KV state ({@code kv/}), the flow follower's index ({@code flow/})
 * @param rpc where the {@code kv_*} JSON-RPC listens
 * @param chain which chain and flow module to follow
 * @param streams the stream ids replayed and served (0x + 64 hex digits), or {@code all}
 * @param storageNodes the storage nodes' {@code zgs_*} RPC URLs the transactions are downloaded
 *     from
 * @param metrics where Prometheus {@code /metrics} is served
 */
public record KvNodeConfig(
    Path dataDir,
    StorageNodeConfig.Rpc rpc,
    StorageNodeConfig.Chain chain,
    List<String> streams,
    List<String> storageNodes,
    NodeConfig.MetricsEndpoint metrics) {
  /** Clear of the validator's 9400, testnet's 9410 + i and the storage node's 9420. */
  public static final int DEFAULT_METRICS_PORT = 9430;

  public static KvNodeConfig defaults() {
    return new KvNodeConfig(
        Path.of("./kv-data"),
        new StorageNodeConfig.Rpc("127.0.0.1", KvNode.DEFAULT_PORT),
        StorageNodeConfig.Chain.defaults(),
        List.of(),
        List.of("http://127.0.0.1:5678/"),
        new NodeConfig.MetricsEndpoint("127.0.0.1", DEFAULT_METRICS_PORT));
  }

  public KvNodeConfig {
    streams = streams == null ? List.of() : List.copyOf(streams);
    storageNodes = storageNodes == null ? List.of() : List.copyOf(storageNodes);
    if (!streams.isEmpty()) {
      streamFilter(streams); // refuse bad ids when the file is read; none is refused at start
    }
    storageNodeUrls(storageNodes);
  }

  public StreamFilter streamFilter() {
    return streamFilter(streams);
  }

  public List<URI> storageNodeUrls() {
    return storageNodeUrls(storageNodes);
  }

  static StreamFilter streamFilter(List<String> streams) {
    if (streams.isEmpty()) {
      throw new InvalidInputException(
          "streams: give the stream ids to replay (0x + 64 hex digits, comma-separated) or all");
    }
    if (streams.size() == 1 && streams.get(0).strip().equalsIgnoreCase("all")) {
      return StreamFilter.all();
    }
    Set<Bytes32> ids = new LinkedHashSet<>();
    for (String s : streams) {
      String t = s.strip();
      if (!t.matches("0x[0-9a-fA-F]{64}")) {
        throw new InvalidInputException(
            "streams: " + t + " is not a stream id (0x and 64 hex digits) nor all");
      }
      ids.add(Bytes32.fromHexString(t));
    }
    return StreamFilter.of(ids);
  }

  static List<URI> storageNodeUrls(List<String> urls) {
    if (urls.isEmpty()) {
      throw new InvalidInputException("storage-nodes: give at least one storage node RPC URL");
    }
    return urls.stream().map(u -> StorageNodeConfig.parseUrl(u.strip())).toList();
  }
}
