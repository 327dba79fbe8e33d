package io.axivon.p2p;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;

/** The node's Prometheus metrics, registered in the registry it is given (never the default). */
public final class P2pMetrics {
  private final Gauge connectedPeers;
  private final Counter bytesIn;
  private final Counter bytesOut;
  private final Counter messagesIn;
  private final Counter messagesOut;
  private final Counter dropped;
  private final Counter handshakeFailures;
  private final Counter bans;
  private final Counter penalties;

  public P2pMetrics(CollectorRegistry registry) {
    connectedPeers =
        Gauge.build("axivon_p2p_connected_peers", "Authenticated peer links open now.")
            .register(registry);
    bytesIn =
        Counter.build("axivon_p2p_bytes_in", "Bytes read from peers, frame headers included.")
            .register(registry);
    bytesOut =
        Counter.build("axivon_p2p_bytes_out", "Bytes written to peers, frame headers included.")
            .register(registry);
    messagesIn =
        Counter.build("axivon_p2p_messages_in", "Messages received, by type.")
            .labelNames("type")
            .register(registry);
    messagesOut =
        Counter.build("axivon_p2p_messages_out", "Messages sent, by type.")
            .labelNames("type")
            .register(registry);
    dropped =
        Counter.build("axivon_p2p_messages_dropped", "Messages dropped, by reason.")
            .labelNames("reason")
            .register(registry);
    handshakeFailures =
        Counter.build("axivon_p2p_handshake_failures", "Handshakes that failed, by reason.")
            .labelNames("reason")
            .register(registry);
    bans =
        Counter.build("axivon_p2p_bans", "Temporary bans imposed, by kind (node or ip).")
            .labelNames("kind")
            .register(registry);
    penalties =
        Counter.build("axivon_p2p_penalties", "Score penalties applied, by reason.")
            .labelNames("reason")
            .register(registry);
  }

  public void connectedPeers(int count) {
    connectedPeers.set(count);
  }

  public void bytesIn(long n) {
    bytesIn.inc(n);
  }

  public void bytesOut(long n) {
    bytesOut.inc(n);
  }

  public void messageIn(String type) {
    messagesIn.labels(type).inc();
  }

  public void messageOut(String type) {
    messagesOut.labels(type).inc();
  }

  public void dropped(String reason) {
    dropped.labels(reason).inc();
  }

  public void handshakeFailure(String reason) {
    handshakeFailures.labels(reason).inc();
  }

  public void ban(String kind) {
    bans.labels(kind).inc();
  }

  public void penalty(String reason) {
    penalties.labels(reason).inc();
  }
}
