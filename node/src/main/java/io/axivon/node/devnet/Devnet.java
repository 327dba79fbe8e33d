package io.axivon.node.devnet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.axivon.common.InvalidInputException;
import io.axivon.common.metrics.Metrics;
import io.axivon.common.metrics.MetricsServer;
import io.axivon.node.p2pnode.NodeKeyFile;
import io.axivon.p2p.GossipValidator;
import io.axivon.p2p.NodeKey;
import io.axivon.p2p.P2pConfig;
import io.axivon.p2p.P2pLimits;
import io.axivon.p2p.P2pNode;
import io.axivon.p2p.PeerAddress;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.tuweni.bytes.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every Axivon service in one JVM on loopback. Today: {@code nodes} P2P nodes that find each other
 * through node 0 and peer exchange, gossip a heartbeat, and share one Prometheus {@code /metrics}.
 * Each node keeps its identity in {@code DIR/node-i/node.key}, so a restart keeps the same ids.
 */
public final class Devnet implements AutoCloseable {
  /** Chain 0's id; the devnet's P2P network id, so a devnet never talks to another network. */
  public static final long NETWORK_ID = 12700;

  static final String HEARTBEAT_TOPIC = "devnet/heartbeat";
  private static final Logger LOG = LoggerFactory.getLogger(Devnet.class);

  /**
   * How to start a devnet.
   *
   * @param p2pBasePort node i listens on base + i; 0 lets the OS pick every port (tests)
   * @param metricsPort 0 lets the OS pick
   */
  public record Options(
      Path dataDir,
      int nodes,
      String host,
      int p2pBasePort,
      int metricsPort,
      Duration heartbeatInterval) {
    public Options {
      if (nodes < 1 || nodes > 64) {
        throw new InvalidInputException("--nodes must be 1..64, got " + nodes);
      }
      if (p2pBasePort < 0 || p2pBasePort + nodes - 1 > 65535) {
        throw new InvalidInputException("--p2p-port must leave room for " + nodes + " ports");
      }
      if (metricsPort < 0 || metricsPort > 65535) {
        throw new InvalidInputException("--metrics-port must be 0..65535, got " + metricsPort);
      }
    }
  }

  private final Options options;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Metrics metrics;
  private final List<P2pNode> nodes = new ArrayList<>();
  private final ScheduledExecutorService heartbeat;
  private MetricsServer metricsServer;
  private DevnetManifest manifest;
  private long heartbeatSeq;

  private Devnet(Options options, FileChannel lockChannel, FileLock lock) {
    this.options = options;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.metrics = Metrics.withJvmCollectors();
    this.heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("devnet-heartbeat").factory());
  }

  /** Starts everything; on any failure, stops what had started and rethrows. */
  public static Devnet start(Options options) {
    Path dir = options.dataDir().toAbsolutePath();
    Devnet devnet = lockDataDir(options, dir);
    try {
      devnet.startServices(dir);
      return devnet;
    } catch (RuntimeException e) {
      devnet.close();
      throw e;
    }
  }

  private static Devnet lockDataDir(Options options, Path dir) {
    try {
      Files.createDirectories(dir);
      FileChannel channel =
          FileChannel.open(
              dir.resolve("devnet.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        throw new InvalidInputException(
            "another devnet is running with data dir " + dir + ": stop it or pass --data-dir");
      }
      return new Devnet(options, channel, lock);
    } catch (IOException e) {
      throw new InvalidInputException("cannot use data dir " + dir + ": " + e.getMessage());
    }
  }

  private void startServices(Path dir) {
    Counter heartbeats =
        metrics.counter(
            "axivon_devnet_heartbeats_received_total",
            "Heartbeat gossip messages received, by receiving node.",
            "node");
    Map<String, CollectorRegistry> registries = new LinkedHashMap<>();
    P2pLimits limits = P2pLimits.defaults();
    for (int i = 0; i < options.nodes(); i++) {
      NodeKey key = NodeKeyFile.loadOrCreate(dir.resolve("node-" + i).resolve("node.key"));
      int port = options.p2pBasePort() == 0 ? 0 : options.p2pBasePort() + i;
      // Node 0 is everyone's bootstrap; peer exchange fills in the rest of the mesh.
      List<PeerAddress> bootstrap = i == 0 ? List.of() : List.of(nodes.get(0).localAddress());
      P2pConfig config = new P2pConfig(options.host(), port, key, NETWORK_ID, bootstrap, limits);
      CollectorRegistry registry = new CollectorRegistry();
      P2pNode node = new P2pNode(config, registry);
      nodes.add(node);
      String label = Integer.toString(i);
      node.subscribe(
          HEARTBEAT_TOPIC,
          GossipValidator.acceptAll(),
          (from, topic, payload) -> heartbeats.labels(label).inc());
      node.start();
      registries.put(label, registry);
    }
    metrics.registry().register(new NodeLabelledCollector(registries));
    metricsServer = MetricsServer.start(metrics, options.host(), options.metricsPort());
    manifest = buildManifest(dir);
    writeManifest(dir.resolve("devnet.json"), manifest);
    long period = options.heartbeatInterval().toMillis();
    heartbeat.scheduleAtFixedRate(this::beat, period, period, TimeUnit.MILLISECONDS);
  }

  /** Each node gossips (index, sequence): traffic that shows the mesh is alive on /metrics. */
  private void beat() {
    try {
      long seq = heartbeatSeq++;
      for (int i = 0; i < nodes.size(); i++) {
        ByteBuffer payload = ByteBuffer.allocate(16).putLong(i).putLong(seq);
        nodes.get(i).publish(HEARTBEAT_TOPIC, Bytes.wrap(payload.array()));
      }
    } catch (RuntimeException e) {
      LOG.warn("heartbeat failed: {}", e.toString());
    }
  }

  private DevnetManifest buildManifest(Path dir) {
    List<DevnetManifest.P2pEndpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      PeerAddress address = nodes.get(i).localAddress();
      endpoints.add(
          new DevnetManifest.P2pEndpoint(
              i,
              address.id().toHex(),
              address.address().getHostString() + ":" + address.address().getPort(),
              address.toString()));
    }
    String version = Devnet.class.getPackage().getImplementationVersion();
    return new DevnetManifest(
        version == null ? "dev" : version,
        NETWORK_ID,
        dir.toString(),
        "http://" + options.host() + ":" + metricsServer.port() + "/metrics",
        endpoints);
  }

  private static void writeManifest(Path file, DevnetManifest manifest) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(tmp.toFile(), manifest);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  public DevnetManifest manifest() {
    return manifest;
  }

  /** The running P2P nodes, node 0 first. */
  public List<P2pNode> nodes() {
    return List.copyOf(nodes);
  }

  /** Stops every service and releases the data dir; idempotent. */
  @Override
  public synchronized void close() {
    heartbeat.shutdownNow();
    for (P2pNode node : nodes) {
      node.close();
    }
    nodes.clear();
    if (metricsServer != null) {
      metricsServer.close();
      metricsServer = null;
    }
    try {
      if (lock.isValid()) {
        lock.release();
      }
      lockChannel.close();
    } catch (IOException e) {
      LOG.warn("cannot release the data dir lock: {}", e.toString());
    }
  }
}
