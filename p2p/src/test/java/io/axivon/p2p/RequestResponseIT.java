package io.axivon.p2p;

import static io.axivon.p2p.TestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RequestResponseIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private TestSupport.Cluster cluster;
  private P2pNode server;
  private P2pNode client;

  @BeforeEach
  void start() {
    cluster = new TestSupport.Cluster();
    P2pLimits limits = TestSupport.fastLimits().maxInboundRequestsPerPeer(4).build();
    server = cluster.start(limits, List.of());
    client = cluster.start(limits, List.of(server.localAddress()));
    server.onRequest("echo", (from, req) -> CompletableFuture.completedFuture(req));
    server.onRequest("whoami", (from, req) -> CompletableFuture.completedFuture(from.bytes()));
    server.onRequest(
        "fail",
        (from, req) -> {
          throw new IllegalArgumentException("no such block " + req.toHexString());
        });
    server.onRequest("never", (from, req) -> new CompletableFuture<>());
    server.onRequest(
        "small",
        new ProtocolLimits(8, 8),
        (from, req) -> CompletableFuture.completedFuture(Bytes.wrap(new byte[req.get(0)])));
    await("connected", () -> client.isConnected(server.localId()));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void answersArriveForTheRightRequests() throws Exception {
    List<CompletableFuture<Bytes>> futures = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      futures.add(client.request(server.localId(), "echo", Bytes.of(i, i + 1), TIMEOUT));
    }
    for (int i = 0; i < 50; i++) {
      assertThat(futures.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(Bytes.of(i, i + 1));
    }
    assertThat(client.request(server.localId(), "whoami", Bytes.EMPTY, TIMEOUT).get())
        .isEqualTo(client.localId().bytes());
    Bytes big = Bytes.wrap(new byte[512 * 1024]);
    assertThat(client.request(server.localId(), "echo", big, TIMEOUT).get()).isEqualTo(big);
  }

  @Test
  void remoteErrorsCarryTheirMessage() {
    assertFailure(
        client.request(server.localId(), "fail", Bytes.of(0xab), TIMEOUT),
        RequestException.Kind.REMOTE_ERROR,
        "no such block 0xab");
    assertFailure(
        client.request(server.localId(), "nope", Bytes.EMPTY, TIMEOUT),
        RequestException.Kind.REMOTE_ERROR,
        "unknown protocol nope");
  }

  @Test
  void timeoutsAndBusyPeers() {
    assertFailure(
        client.request(server.localId(), "never", Bytes.EMPTY, Duration.ofMillis(200)),
        RequestException.Kind.TIMEOUT,
        "never");
    // the timed-out request still occupies one of the four slots the server grants
    for (int i = 0; i < 3; i++) {
      client.request(server.localId(), "never", Bytes.EMPTY, Duration.ofSeconds(30));
    }
    assertFailure(
        client.request(server.localId(), "never", Bytes.EMPTY, TIMEOUT),
        RequestException.Kind.REMOTE_ERROR,
        "busy");
    assertFailure(
        client.request(NodeKey.generate().id(), "echo", Bytes.EMPTY, TIMEOUT),
        RequestException.Kind.NOT_CONNECTED,
        "no link");
  }

  @Test
  void sizeLimitsApplyOnBothSides() throws Exception {
    // the client does not serve "small", so it uses default limits and the server refuses
    assertFailure(
        client.request(server.localId(), "small", Bytes.wrap(new byte[9]), TIMEOUT),
        RequestException.Kind.TOO_LARGE,
        "request too large");
    // a response over the server's limit is refused by the server
    assertFailure(
        client.request(server.localId(), "small", Bytes.of(9), TIMEOUT),
        RequestException.Kind.TOO_LARGE,
        "exceeds 8");
    // with the same limits known locally, an oversize request never leaves
    client.protocolLimits("small", new ProtocolLimits(8, 4));
    assertFailure(
        client.request(server.localId(), "small", Bytes.wrap(new byte[9]), TIMEOUT),
        RequestException.Kind.TOO_LARGE,
        "exceeds 8");
    // and a response over our own limit is refused by us
    assertFailure(
        client.request(server.localId(), "small", Bytes.of(6), TIMEOUT),
        RequestException.Kind.TOO_LARGE,
        "exceeds the limit");
    assertThat(client.request(server.localId(), "small", Bytes.of(3), TIMEOUT).get().size())
        .isEqualTo(3);
  }

  @Test
  void pendingRequestsFailWhenThePeerGoesAway() {
    CompletableFuture<Bytes> pending =
        client.request(server.localId(), "never", Bytes.EMPTY, Duration.ofSeconds(30));
    server.close();
    assertFailure(pending, RequestException.Kind.PEER_DISCONNECTED, "closed");
    await("client notices", () -> !client.isConnected(server.localId()));
  }

  @Test
  void aProtocolCanPenaliseABadResponderUntilItIsBanned() {
    client.penalize(server.localId(), Penalty.INVALID_RESPONSE);
    assertThat(client.score(server.localId()))
        .isEqualTo(-Penalty.INVALID_RESPONSE.points(), offset(1.0));
    assertThat(client.isConnected(server.localId())).isTrue();
    client.penalize(server.localId(), Penalty.INVALID_RESPONSE);
    client.penalize(server.localId(), Penalty.INVALID_RESPONSE); // past -100
    assertThat(client.isBanned(server.localId())).isTrue();
    await("client cuts the server off", () -> !client.isConnected(server.localId()));
  }

  private static void assertFailure(
      CompletableFuture<Bytes> future, RequestException.Kind kind, String text) {
    assertThatThrownBy(() -> future.get(15, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(RequestException.class)
        .hasMessageContaining(text)
        .satisfies(e -> assertThat(((RequestException) e).kind()).isEqualTo(kind));
  }
}
