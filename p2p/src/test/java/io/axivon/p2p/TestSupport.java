package io.axivon.p2p;

import io.prometheus.client.CollectorRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;

/** Helpers for tests that run real nodes on loopback. */
final class TestSupport {
  static final long NETWORK = 42;

  private TestSupport() {}

  /** Short timers so meshes form and failures show within a second or two. */
  static P2pLimits.Builder fastLimits() {
    return P2pLimits.defaults().toBuilder()
        .handshakeTimeout(Duration.ofSeconds(3))
        .maintenanceInterval(Duration.ofMillis(50))
        .pexInterval(Duration.ofMillis(300))
        .pingInterval(Duration.ofSeconds(1))
        .reconnect(Duration.ofMillis(50), Duration.ofSeconds(1))
        .maxDialsPerTick(8)
        .ioThreads(1);
  }

  /** Polls {@code condition} every 10 ms until it holds; fails after {@code timeout}. */
  static void await(String what, BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what, e);
      }
    }
  }

  static void await(String what, BooleanSupplier condition) {
    await(what, condition, Duration.ofSeconds(20));
  }

  static List<Thread> threadsOf(NodeId id) {
    String prefix = "axivon-p2p-" + id.shortHex();
    List<Thread> out = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith(prefix) && t.isAlive()) {
        out.add(t);
      }
    }
    return out;
  }

  static double metric(CollectorRegistry registry, String name, String... labelsAndValues) {
    String[] names = new String[labelsAndValues.length / 2];
    String[] values = new String[labelsAndValues.length / 2];
    for (int i = 0; i < names.length; i++) {
      names[i] = labelsAndValues[2 * i];
      values[i] = labelsAndValues[2 * i + 1];
    }
    Double v = registry.getSampleValue(name, names, values);
    return v == null ? 0 : v;
  }

  /** A set of nodes that are all closed (and checked for leftover threads) at the end. */
  static final class Cluster implements AutoCloseable {
    final List<P2pNode> nodes = new ArrayList<>();
    final List<CollectorRegistry> registries = new ArrayList<>();
    private final Random seeds = new Random(7);

    P2pNode start(P2pLimits limits, List<PeerAddress> staticPeers) {
      return start(NodeKey.generate(), limits, staticPeers);
    }

    P2pNode start(NodeKey key, P2pLimits limits, List<PeerAddress> staticPeers) {
      CollectorRegistry registry = new CollectorRegistry();
      P2pConfig config =
          P2pConfig.loopback(key, NETWORK).withLimits(limits).withStaticPeers(staticPeers);
      P2pNode node =
          new P2pNode(
              config, registry, io.axivon.common.time.Clock.system(), new Random(seeds.nextLong()));
      node.start();
      nodes.add(node);
      registries.add(registry);
      return node;
    }

    CollectorRegistry registry(P2pNode node) {
      return registries.get(nodes.indexOf(node));
    }

    @Override
    public void close() {
      for (P2pNode node : nodes) {
        node.close();
      }
      for (P2pNode node : nodes) {
        await(
            "threads of " + node.localId().shortHex() + " to end",
            () -> threadsOf(node.localId()).isEmpty(),
            Duration.ofSeconds(10));
      }
    }
  }
}
