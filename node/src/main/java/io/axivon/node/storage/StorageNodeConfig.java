package io.axivon.node.storage;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.node.p2pnode.NodeConfig;
import io.axivon.p2p.PeerAddress;
import io.axivon.sdk.storage.FlowClient;
import io.axivon.storage.node.ShardConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code axivon storage-node}'s configuration file (YAML or JSON); every key is also a flag (keys
 * in specs/cli.md).
 *
 * @param dataDir the segment store and the flow follower's store
 * @param rpc where the {@code zgs_*} JSON-RPC listens
 * @param chain which chain and flow module to follow
 * @param shard {@code index/count}: keep global segments {@code g} with {@code g mod count = index}
 *     ({@code 0/1}, the default, keeps everything; count a power of two)
 * @param metrics where Prometheus {@code /metrics} is served
 * @param p2p the P2P network over which the node syncs segments with its peers (off by default)
 * @param mining PoRA mining of the stored log (off by default; specs/pora.md section 14)
 */
public record StorageNodeConfig(
    Path dataDir,
    Rpc rpc,
    Chain chain,
    String shard,
    NodeConfig.MetricsEndpoint metrics,
    P2p p2p,
    Mining mining) {
  /**
   * The Prometheus port of a storage node: clear of the validator's 9400 and testnet's 9410 + i.
   */
  public static final int DEFAULT_METRICS_PORT = 9420;

  public static StorageNodeConfig defaults() {
    return new StorageNodeConfig(
        Path.of("./storage-data"),
        Rpc.defaults(),
        Chain.defaults(),
        "0/1",
        new NodeConfig.MetricsEndpoint("127.0.0.1", DEFAULT_METRICS_PORT),
        P2p.defaults(),
        Mining.defaults());
  }

  public StorageNodeConfig {
    parseShard(shard); // refuse a bad shard when the file is read, with the key's name
    mining = mining == null ? Mining.defaults() : mining;
  }

  /**
   * PoRA mining (specs/pora.md section 14).
   *
   * @param enabled whether the node mines
   * @param key the miner's secp256k1 key file (64 hex digits), relative to the config file; it pays
   *     the gas of registration and answers and receives the rewards
   * @param threads search threads; 0 uses every core
   * @param sealUnitsPerSecond the background sealer's throttle, in 4 KiB units per second
   * @param salt the miner id's salt (64 hex digits; one account can run several ids)
   */
  public record Mining(
      boolean enabled, String key, int threads, double sealUnitsPerSecond, String salt) {
    public static Mining defaults() {
      return new Mining(false, "", 0, 4096, "0x" + "00".repeat(32));
    }

    public Mining {
      if (threads < 0) {
        throw new IllegalArgumentException("mining threads must be >= 0, got " + threads);
      }
      if (!(sealUnitsPerSecond > 0)) {
        throw new IllegalArgumentException(
            "mining seal-units-per-second must be > 0, got " + sealUnitsPerSecond);
      }
      if (salt == null || !salt.matches("(0x)?[0-9a-fA-F]{64}")) {
        throw new IllegalArgumentException("mining salt must be 64 hex digits, got " + salt);
      }
      if (enabled && (key == null || key.isBlank())) {
        throw new IllegalArgumentException("mining needs a miner key file (--miner-key FILE)");
      }
    }

    /** The search threads: {@link #threads} or, for 0, every core. */
    public int searchThreads() {
      return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }
  }

  /** The {@code zgs_*} JSON-RPC address; port 0 picks one. */
  public record Rpc(String host, int port) {
    public static Rpc defaults() {
      return new Rpc("127.0.0.1", 5678);
    }

    public Rpc {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("rpc port must be 0..65535, got " + port);
      }
    }
  }

  /**
   * Segment sync over P2P (specs/storage.md §8).
   *
   * @param enabled whether the node joins the P2P network at all
   * @param host the P2P listen address
   * @param port the P2P port (0 picks one)
   * @param peers static peers, {@code <node id hex>@host:port}
   * @param networkId peers of another network are refused
   */
  public record P2p(boolean enabled, String host, int port, List<String> peers, long networkId) {
    /** The storage nodes' P2P port: clear of the validators' 30303 + i. */
    public static final int DEFAULT_PORT = 30403;

    public static P2p defaults() {
      return new P2p(false, "127.0.0.1", DEFAULT_PORT, List.of(), 12700);
    }

    public P2p {
      peers = peers == null ? List.of() : List.copyOf(peers);
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("p2p port must be 0..65535, got " + port);
      }
      for (String peer : peers) {
        PeerAddress.parse(peer); // refuse a bad peer when the file is read
      }
    }

    public List<PeerAddress> peerAddresses() {
      return peers.stream().map(PeerAddress::parse).toList();
    }
  }

  /**
   * The chain followed.
   *
   * @param rpc chain 0's Ethereum JSON-RPC URL
   * @param flow the flow module's address
   * @param pollMs the wait between polls for new blocks
   */
  public record Chain(String rpc, String flow, long pollMs) {
    public static Chain defaults() {
      return new Chain("http://127.0.0.1:8545/", FlowClient.DEVNET_FLOW_ADDRESS.toString(), 1000);
    }

    public Chain {
      if (pollMs < 10) {
        throw new IllegalArgumentException("poll-ms must be >= 10, got " + pollMs);
      }
      parseUrl(rpc);
      parseFlow(flow);
    }

    public URI rpcUrl() {
      return parseUrl(rpc);
    }

    public Address flowAddress() {
      return parseFlow(flow);
    }

    public Duration pollInterval() {
      return Duration.ofMillis(pollMs);
    }
  }

  public ShardConfig shardConfig() {
    return parseShard(shard);
  }

  /** {@code index/count}, e.g. {@code 1/4}. */
  static ShardConfig parseShard(String text) {
    String[] parts = text == null ? new String[0] : text.split("/", -1);
    if (parts.length != 2) {
      throw new InvalidInputException(
          "shard must be INDEX/COUNT (e.g. 0/1 for everything), got " + text);
    }
    try {
      return new ShardConfig(
          Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
    } catch (NumberFormatException e) {
      throw new InvalidInputException("shard must be INDEX/COUNT with integers, got " + text);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("shard " + text + ": " + e.getMessage());
    }
  }

  /** An http(s) URL. */
  public static URI parseUrl(String text) {
    URI uri;
    try {
      uri = URI.create(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("not a URL: " + text);
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null) {
      throw new InvalidInputException("not an http(s) URL: " + text);
    }
    return uri;
  }

  /** A 20-byte hex address. */
  public static Address parseFlow(String text) {
    if (text == null) {
      throw new InvalidInputException("flow address is missing");
    }
    try {
      return Address.fromHex(text.startsWith("0x") ? text : "0x" + text);
    } catch (InvalidInputException e) {
      throw new InvalidInputException("flow address: " + e.getMessage());
    }
  }
}
