package io.axivon.p2p;

import io.axivon.common.time.Clock;
import io.axivon.p2p.gossip.FanOut;
import io.axivon.p2p.gossip.MessageId;
import io.axivon.p2p.gossip.MessageIdHasher;
import io.axivon.p2p.gossip.SeenCache;
import io.axivon.p2p.handshake.HandshakeFailure;
import io.axivon.p2p.peer.Backoff;
import io.axivon.p2p.peer.BanList;
import io.axivon.p2p.peer.PeerTable;
import io.axivon.p2p.peer.ScoreBook;
import io.axivon.p2p.peer.TokenBucket;
import io.axivon.p2p.transport.Connection;
import io.axivon.p2p.transport.ConnectionListener;
import io.axivon.p2p.transport.Transport;
import io.axivon.p2p.transport.Violation;
import io.axivon.p2p.wire.DisconnectReason;
import io.axivon.p2p.wire.Ids;
import io.axivon.p2p.wire.Message;
import io.axivon.p2p.wire.MessageCodec;
import io.axivon.p2p.wire.MessageType;
import io.axivon.p2p.wire.ResponseStatus;
import io.prometheus.client.CollectorRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.tuweni.bytes.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An authenticated, encrypted peer-to-peer node: topic gossip, request/response, and a peer manager
 * (static peers, peer exchange, back-off, limits, scores, bans). The wire format is in
 * specs/p2p.md. Callbacks (validators, listeners, request handlers) run on network threads and must
 * not block. Thread-safe.
 */
public final class P2pNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(P2pNode.class);
  private static final long RETIRE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long RETIRE_MAX_NANOS = TimeUnit.SECONDS.toNanos(30);

  /** Responses at least this large are framed from their payload without an encoding copy. */
  private static final int ZERO_COPY_PAYLOAD = 64 * 1024;

  private enum State {
    NEW,
    RUNNING,
    STOPPED
  }

  /**
   * A subscription; {@code executor} null validates on the connection's I/O thread, as it reads.
   */
  private record TopicHandler(
      GossipValidator validator, GossipListener listener, Executor executor) {}

  private record Protocol(ProtocolLimits limits, RequestHandler handler) {}

  private final P2pConfig config;
  private final P2pLimits limits;
  private final Clock clock;
  private final Random random;
  private final P2pMetrics metrics;
  private final NodeId localId;
  private final Transport transport;
  private final Map<NodeId, PeerSession> peers = new ConcurrentHashMap<>();
  private final Set<NodeId> dialing = ConcurrentHashMap.newKeySet();
  private final PeerTable table;
  private final ScoreBook<NodeId> nodeScores;
  private final ScoreBook<InetAddress> ipScores;
  private final BanList<NodeId> nodeBans;
  private final BanList<InetAddress> ipBans;
  private final MessageIdHasher messageIds = new MessageIdHasher(new SecureRandom());
  private final SeenCache<MessageId> seen;
  private final Map<String, TopicHandler> topics = new ConcurrentHashMap<>();
  private final Map<String, Protocol> protocols = new ConcurrentHashMap<>();
  private final Map<String, ProtocolLimits> clientLimits = new ConcurrentHashMap<>();
  private final List<PeerListener> peerListeners = new CopyOnWriteArrayList<>();
  private final Object lifecycle = new Object();
  private volatile State state = State.NEW;
  private volatile InetSocketAddress listenAddress;
  private ScheduledFuture<?> maintenance;

  public P2pNode(P2pConfig config, CollectorRegistry registry) {
    this(config, registry, Clock.system(), new Random(new SecureRandom().nextLong()));
  }

  /**
   * @param clock drives scores, bans, rate limits, the seen-cache and back-off
   * @param random drives back-off jitter and gossip fan-out choice (not key material)
   */
  public P2pNode(P2pConfig config, CollectorRegistry registry, Clock clock, Random random) {
    this.config = config;
    this.limits = config.limits();
    this.clock = clock;
    this.random = random;
    this.metrics = new P2pMetrics(registry);
    this.localId = config.nodeKey().id();
    this.table =
        new PeerTable(
            limits.maxKnownPeers(),
            limits.maxDialFailures(),
            new Backoff(limits.reconnectBase(), limits.reconnectMax(), random));
    int scoreEntries = 16 * limits.maxKnownPeers();
    this.nodeScores = new ScoreBook<>(clock, limits.scoreRecoveryPerSecond(), scoreEntries);
    this.ipScores = new ScoreBook<>(clock, limits.scoreRecoveryPerSecond(), scoreEntries);
    this.nodeBans = new BanList<>(clock, scoreEntries);
    this.ipBans = new BanList<>(clock, scoreEntries);
    this.seen = new SeenCache<>(clock, limits.seenTtl(), limits.seenMaxEntries());
    for (PeerAddress peer : config.staticPeers()) {
      table.addStatic(peer);
    }
    this.transport =
        new Transport(
            config.nodeKey(),
            config.networkId(),
            limits,
            new Listener(),
            metrics,
            new SecureRandom(),
            "axivon-p2p-" + localId.shortHex());
  }

  // ---------------------------------------------------------------- lifecycle

  /** Binds the listening socket and starts dialing; returns the bound address. */
  public InetSocketAddress start() {
    synchronized (lifecycle) {
      if (state != State.NEW) {
        throw new IllegalStateException("a node starts once; it is " + state);
      }
      try {
        listenAddress = transport.bind(config.bindHost(), config.bindPort());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        transport.close();
        state = State.STOPPED;
        throw new IllegalStateException("interrupted while binding", e);
      } catch (RuntimeException e) {
        transport.close();
        state = State.STOPPED;
        throw e;
      }
      state = State.RUNNING;
      long period = limits.maintenanceInterval().toNanos();
      maintenance =
          transport
              .group()
              .next()
              .scheduleAtFixedRate(this::maintain, 0, period, TimeUnit.NANOSECONDS);
      LOG.info("p2p node {} listening on {}", localId.shortHex(), listenAddress);
      return listenAddress;
    }
  }

  /** Says goodbye to every peer, closes every socket and stops every thread; idempotent. */
  @Override
  public void close() {
    synchronized (lifecycle) {
      if (state == State.STOPPED) {
        return;
      }
      boolean wasRunning = state == State.RUNNING;
      state = State.STOPPED;
      if (maintenance != null) {
        maintenance.cancel(false);
      }
      if (wasRunning) {
        for (PeerSession session : peers.values()) {
          session.connection.disconnect(DisconnectReason.SHUTDOWN, "node stopping");
        }
      }
      transport.close();
      for (PeerSession session : peers.values()) {
        session.failPending(RequestException.Kind.PEER_DISCONNECTED, "node stopped");
      }
      peers.clear();
      metrics.connectedPeers(0);
    }
  }

  public NodeId localId() {
    return localId;
  }

  /** The bound listening address, once started. */
  public InetSocketAddress listenAddress() {
    return listenAddress;
  }

  /** This node's dialable address (bound host and port), once started. */
  public PeerAddress localAddress() {
    return new PeerAddress(localId, listenAddress);
  }

  public List<PeerInfo> peers() {
    List<PeerInfo> out = new ArrayList<>();
    for (PeerSession s : peers.values()) {
      Connection c = s.connection;
      out.add(
          new PeerInfo(
              c.remoteId(),
              c.remoteAddress(),
              c.listenAddress(),
              c.outbound(),
              nodeScores.score(c.remoteId()),
              s.topics));
    }
    return out;
  }

  public boolean isConnected(NodeId peer) {
    return peers.containsKey(peer);
  }

  /** The current misbehaviour score of a node (0 clean, lower worse). */
  public double score(NodeId peer) {
    return nodeScores.score(peer);
  }

  public boolean isBanned(NodeId peer) {
    return nodeBans.isBanned(peer);
  }

  public boolean isBanned(InetAddress address) {
    return ipBans.isBanned(address);
  }

  /** Adds a static peer at run time: dialed now and kept connected. */
  public void addStaticPeer(PeerAddress peer) {
    table.addStatic(peer);
  }

  public void addPeerListener(PeerListener listener) {
    peerListeners.add(listener);
  }

  // ---------------------------------------------------------------- gossip

  /**
   * Subscribes to a topic: messages that pass {@code validator} are delivered to {@code listener}
   * and relayed. Peers are told at once.
   */
  public void subscribe(String topic, GossipValidator validator, GossipListener listener) {
    subscribe(topic, validator, listener, null);
  }

  /**
   * As {@link #subscribe(String, GossipValidator, GossipListener)}, with the topic's messages
   * validated, delivered and relayed on {@code executor} instead of the I/O thread that read them
   * (in arrival order when it runs one task at a time): for a validator that may wait (on a lock
   * the application holds while it executes a block, say), which would otherwise hold up every
   * later message of the connection, other topics' included. A message the executor refuses (a
   * bounded queue that is full) is dropped and counted ("validation_queue_full"); the subscriber
   * owns the executor and shuts it down.
   */
  public void subscribe(
      String topic, GossipValidator validator, GossipListener listener, Executor executor) {
    Ids.requireValid(topic, "topic");
    if (topics.putIfAbsent(topic, new TopicHandler(validator, listener, executor)) != null) {
      throw new IllegalStateException("already subscribed to " + topic);
    }
    if (topics.size() > MessageCodec.MAX_TOPICS) {
      topics.remove(topic);
      throw new IllegalStateException("at most " + MessageCodec.MAX_TOPICS + " topics");
    }
    announceSubscriptions();
  }

  public void unsubscribe(String topic) {
    if (topics.remove(topic) != null) {
      announceSubscriptions();
    }
  }

  public Set<String> subscriptions() {
    return Set.copyOf(topics.keySet());
  }

  /**
   * Publishes to every connected peer subscribed to the topic (relays then go to D peers each). The
   * message is not delivered locally. Publishing the same (topic, payload) again while it is still
   * in the seen-cache does nothing.
   *
   * @return the number of peers it was sent to
   */
  public int publish(String topic, Bytes payload) {
    Ids.requireValid(topic, "topic");
    if (payload.size() > limits.maxGossipPayload()) {
      throw new IllegalArgumentException(
          "gossip payload of " + payload.size() + " bytes exceeds " + limits.maxGossipPayload());
    }
    if (state != State.RUNNING || !seen.add(messageIds.of(topic, payload))) {
      return 0;
    }
    byte[] encoded = MessageCodec.encode(new Message.Gossip(topic, payload));
    int sent = 0;
    for (PeerSession session : peers.values()) {
      if (session.topics.contains(topic) && send(session, MessageType.GOSSIP, encoded, true)) {
        sent++;
      }
    }
    return sent;
  }

  private void onGossip(PeerSession from, Message.Gossip gossip) {
    if (!seen.add(messageIds.of(gossip.topic(), gossip.payload()))) {
      metrics.dropped("duplicate");
      return;
    }
    TopicHandler handler = topics.get(gossip.topic());
    if (handler == null) {
      metrics.dropped("not_subscribed");
      return;
    }
    if (handler.executor() == null) {
      validateAndDeliver(from, gossip, handler);
      return;
    }
    try {
      handler.executor().execute(() -> validateAndDeliver(from, gossip, handler));
    } catch (RejectedExecutionException e) {
      metrics.dropped("validation_queue_full");
    }
  }

  private void validateAndDeliver(PeerSession from, Message.Gossip gossip, TopicHandler handler) {
    GossipValidator.Result result;
    try {
      result = handler.validator().validate(from.id(), gossip.payload());
    } catch (RuntimeException e) {
      LOG.warn("gossip validator for {} threw; ignoring the message", gossip.topic(), e);
      result = GossipValidator.Result.IGNORE;
    }
    switch (result) {
      case ACCEPT -> {
        try {
          handler.listener().onMessage(from.id(), gossip.topic(), gossip.payload());
        } catch (RuntimeException e) {
          LOG.warn("gossip listener for {} threw", gossip.topic(), e);
        }
        relay(from, gossip);
      }
      case IGNORE -> metrics.dropped("ignored");
      case REJECT -> {
        metrics.dropped("rejected");
        penalize(from, Penalty.INVALID_GOSSIP);
      }
    }
  }

  private void relay(PeerSession from, Message.Gossip gossip) {
    List<PeerSession> candidates = new ArrayList<>();
    for (PeerSession session : peers.values()) {
      if (session != from
          && !session.id().equals(from.id())
          && session.topics.contains(gossip.topic())) {
        candidates.add(session);
      }
    }
    if (candidates.isEmpty()) {
      return;
    }
    byte[] encoded = MessageCodec.encode(gossip);
    for (PeerSession target : FanOut.choose(candidates, limits.gossipFanOut(), random)) {
      send(target, MessageType.GOSSIP, encoded, true);
    }
  }

  private void announceSubscriptions() {
    byte[] encoded = MessageCodec.encode(new Message.Subscriptions(List.copyOf(topics.keySet())));
    for (PeerSession session : peers.values()) {
      send(session, MessageType.SUBSCRIPTIONS, encoded, false);
    }
  }

  // ---------------------------------------------------------------- request / response

  /** Serves requests of a protocol with the default size limits. */
  public void onRequest(String protocol, RequestHandler handler) {
    onRequest(protocol, limits.defaultProtocolLimits(), handler);
  }

  /** Serves requests of a protocol; the limits also apply to our own requests of it. */
  public void onRequest(String protocol, ProtocolLimits protocolLimits, RequestHandler handler) {
    Ids.requireValid(protocol, "protocol");
    checkLimits(protocolLimits);
    protocols.put(protocol, new Protocol(protocolLimits, handler));
    clientLimits.put(protocol, protocolLimits);
  }

  /** Sets the size limits for our requests of a protocol we do not serve ourselves. */
  public void protocolLimits(String protocol, ProtocolLimits protocolLimits) {
    Ids.requireValid(protocol, "protocol");
    checkLimits(protocolLimits);
    clientLimits.put(protocol, protocolLimits);
  }

  private void checkLimits(ProtocolLimits l) {
    int max = limits.maxFrameBytes() - MessageCodec.REQUEST_OVERHEAD;
    if (l.maxRequestBytes() > max || l.maxResponseBytes() > max) {
      throw new IllegalArgumentException("protocol limits exceed what a frame carries: " + max);
    }
  }

  /**
   * Sends a request and completes with the response payload, or exceptionally with a {@link
   * RequestException} (timeout, not connected, disconnected, remote error, too large).
   */
  public CompletableFuture<Bytes> request(
      NodeId peer, String protocol, Bytes payload, Duration timeout) {
    Ids.requireValid(protocol, "protocol");
    CompletableFuture<Bytes> future = new CompletableFuture<>();
    PeerSession session = peers.get(peer);
    if (session == null || state != State.RUNNING) {
      future.completeExceptionally(
          new RequestException(RequestException.Kind.NOT_CONNECTED, "no link to " + peer));
      return future;
    }
    ProtocolLimits protocolLimits =
        clientLimits.getOrDefault(protocol, limits.defaultProtocolLimits());
    if (payload.size() > protocolLimits.maxRequestBytes()) {
      future.completeExceptionally(
          new RequestException(
              RequestException.Kind.TOO_LARGE,
              "request of "
                  + payload.size()
                  + " bytes exceeds "
                  + protocolLimits.maxRequestBytes()
                  + " for "
                  + protocol));
      return future;
    }
    long id = session.nextRequestId.incrementAndGet();
    ScheduledFuture<?>[] timer = new ScheduledFuture<?>[1];
    PeerSession.PendingRequest pending =
        new PeerSession.PendingRequest(future, protocolLimits.maxResponseBytes(), timer);
    session.pending.put(id, pending);
    timer[0] =
        session
            .connection
            .eventLoop()
            .schedule(
                () -> {
                  if (session.pending.remove(id, pending)) {
                    future.completeExceptionally(
                        new RequestException(
                            RequestException.Kind.TIMEOUT,
                            protocol + " request to " + peer.shortHex() + " after " + timeout));
                  }
                },
                timeout.toNanos(),
                TimeUnit.NANOSECONDS);
    future.whenComplete((r, e) -> timer[0].cancel(false));
    byte[] encoded = MessageCodec.encode(new Message.Request(id, protocol, payload));
    if (!send(session, MessageType.REQUEST, encoded, false)
        && session.pending.remove(id, pending)) {
      future.completeExceptionally(
          new RequestException(RequestException.Kind.PEER_DISCONNECTED, "link to " + peer));
    }
    return future;
  }

  private void onRequestMessage(PeerSession from, Message.Request request) {
    long id = request.id();
    Protocol protocol = protocols.get(request.protocol());
    if (protocol == null) {
      respond(
          from, Message.Response.error(id, ResponseStatus.UNKNOWN_PROTOCOL, request.protocol()));
      return;
    }
    if (request.payload().size() > protocol.limits().maxRequestBytes()) {
      respond(from, Message.Response.error(id, ResponseStatus.TOO_LARGE, "request too large"));
      penalize(from, Penalty.OVERSIZE_REQUEST);
      return;
    }
    if (from.inboundInFlight.incrementAndGet() > limits.maxInboundRequestsPerPeer()) {
      from.inboundInFlight.decrementAndGet();
      respond(from, Message.Response.error(id, ResponseStatus.BUSY, "too many requests in flight"));
      return;
    }
    CompletionStage<Bytes> stage;
    try {
      stage = protocol.handler().handle(from.id(), request.payload());
      if (stage == null) {
        stage = CompletableFuture.failedFuture(new IllegalStateException("handler returned null"));
      }
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    int maxResponse = protocol.limits().maxResponseBytes();
    stage.whenComplete(
        (response, error) -> {
          from.inboundInFlight.decrementAndGet();
          if (error != null) {
            Throwable cause = error.getCause() != null ? error.getCause() : error;
            String text = cause.getMessage() == null ? cause.toString() : cause.getMessage();
            respond(from, Message.Response.error(id, ResponseStatus.ERROR, text));
          } else if (response == null) {
            respond(from, Message.Response.error(id, ResponseStatus.ERROR, "no response"));
          } else if (response.size() > maxResponse) {
            respond(
                from,
                Message.Response.error(
                    id,
                    ResponseStatus.TOO_LARGE,
                    "response of " + response.size() + " bytes exceeds " + maxResponse));
          } else {
            respond(from, new Message.Response(id, ResponseStatus.OK, response));
          }
        });
  }

  private void respond(PeerSession to, Message.Response response) {
    if (response.payload().size() < ZERO_COPY_PAYLOAD) {
      send(to, MessageType.RESPONSE, MessageCodec.encode(response), false);
      return;
    }
    // a large answer is framed straight from its payload (Bytes are immutable), not copied first
    if (to.connection.send(
        MessageCodec.encodeResponseHeader(response), response.payload().toArrayUnsafe(), false)) {
      metrics.messageOut(MessageType.RESPONSE.label());
    } else {
      metrics.dropped(to.connection.isOpen() ? "slow_peer" : "closed");
    }
  }

  private void onResponse(PeerSession from, Message.Response response) {
    PeerSession.PendingRequest pending = from.pending.remove(response.id());
    if (pending == null) {
      metrics.dropped("unsolicited_response"); // most often a late answer after a timeout
      return;
    }
    CompletableFuture<Bytes> future = pending.future();
    switch (response.status()) {
      case OK -> {
        if (response.payload().size() > pending.maxResponseBytes()) {
          future.completeExceptionally(
              new RequestException(
                  RequestException.Kind.TOO_LARGE,
                  "response of " + response.payload().size() + " bytes exceeds the limit"));
        } else {
          future.complete(response.payload());
        }
      }
      case TOO_LARGE ->
          future.completeExceptionally(
              new RequestException(RequestException.Kind.TOO_LARGE, response.errorMessage()));
      case UNKNOWN_PROTOCOL ->
          future.completeExceptionally(
              new RequestException(
                  RequestException.Kind.REMOTE_ERROR,
                  "unknown protocol " + response.errorMessage()));
      case ERROR, BUSY ->
          future.completeExceptionally(
              new RequestException(
                  RequestException.Kind.REMOTE_ERROR,
                  (response.status() == ResponseStatus.BUSY ? "busy: " : "")
                      + response.errorMessage()));
    }
  }

  // ---------------------------------------------------------------- messages and sessions

  private boolean send(PeerSession to, MessageType type, byte[] encoded, boolean droppable) {
    if (to.connection.send(encoded, droppable)) {
      metrics.messageOut(type.label());
      return true;
    }
    metrics.dropped(to.connection.isOpen() ? "slow_peer" : "closed");
    return false;
  }

  void onMessage(PeerSession from, Message message, int wireBytes) {
    metrics.messageIn(message.type().label());
    if (from.closing) {
      metrics.dropped("closing");
      return;
    }
    if (from.standbyFor != null && !promote(from, message)) {
      return;
    }
    if (!from.messageBucket.tryTake(1) || !from.byteBucket.tryTake(wireBytes)) {
      metrics.dropped("rate_limited");
      penalize(from, Penalty.RATE_LIMITED);
      return;
    }
    switch (message) {
      case Message.Gossip g -> onGossip(from, g);
      case Message.Request r -> onRequestMessage(from, r);
      case Message.Response r -> onResponse(from, r);
      case Message.Ping p ->
          send(from, MessageType.PONG, MessageCodec.encode(new Message.Pong(p.nonce())), false);
      case Message.Pong ignored -> {}
      case Message.Subscriptions s -> from.topics = Set.copyOf(s.topics());
      case Message.PexRequest ignored -> answerPex(from);
      case Message.PexResponse p -> onPex(from, p);
      case Message.Disconnect d -> {
        LOG.debug("{} disconnects: {} {}", from, d.reason(), d.detail());
        if (d.reason() == DisconnectReason.TOO_MANY_PEERS) {
          table.recordFailure(from.id(), clock.nanos());
        }
        from.connection.disconnect(DisconnectReason.REQUESTED, "bye");
      }
    }
  }

  /** Swaps a standby link in for the old one on its first message; false if it was dropped. */
  private boolean promote(PeerSession standby, Message first) {
    PeerSession old = standby.standbyFor;
    if (first instanceof Message.Disconnect) {
      standby.connection.disconnect(DisconnectReason.DUPLICATE, "keeping the other link");
      return false;
    }
    PeerSession current;
    synchronized (peers) {
      current = peers.get(standby.id());
      if (current == old || current == null) {
        peers.put(standby.id(), standby);
      }
      standby.standbyFor = null;
    }
    if (current != old && current != null) {
      standby.connection.disconnect(DisconnectReason.DUPLICATE, "already connected");
      return false;
    }
    metrics.connectedPeers(peers.size());
    if (current == null) {
      fireConnected(standby); // the old link closed meanwhile and was reported gone
    } else {
      retire(old);
    }
    return true;
  }

  /**
   * Closes a replaced link once it has drained: no new traffic goes to it (it left the peer map),
   * but for at least {@link #RETIRE_GRACE_NANOS} it still delivers what the remote sent before it
   * switched, and it stays open while requests on it, either way, are unanswered (at most {@link
   * #RETIRE_MAX_NANOS}). Requests in flight during a link swap thus still get their answers.
   */
  private void retire(PeerSession old) {
    long start = clock.nanos();
    ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
    task[0] =
        old.connection
            .eventLoop()
            .scheduleAtFixedRate(
                () -> {
                  long elapsed = clock.nanos() - start;
                  boolean drained =
                      elapsed >= RETIRE_GRACE_NANOS
                          && old.pending.isEmpty()
                          && old.inboundInFlight.get() == 0;
                  if (drained || elapsed >= RETIRE_MAX_NANOS || !old.connection.isOpen()) {
                    task[0].cancel(false);
                    old.connection.disconnect(
                        DisconnectReason.DUPLICATE, "replaced by a preferred link");
                  }
                },
                RETIRE_GRACE_NANOS / 4,
                RETIRE_GRACE_NANOS / 4,
                TimeUnit.NANOSECONDS);
  }

  private void fireConnected(PeerSession session) {
    Connection c = session.connection;
    PeerInfo info =
        new PeerInfo(
            c.remoteId(),
            c.remoteAddress(),
            c.listenAddress(),
            c.outbound(),
            nodeScores.score(c.remoteId()),
            session.topics);
    for (PeerListener listener : peerListeners) {
      try {
        listener.onConnected(info);
      } catch (RuntimeException e) {
        LOG.warn("peer listener threw", e);
      }
    }
  }

  private void answerPex(PeerSession from) {
    send(from, MessageType.PEX_RESPONSE, pexResponse(from.id()), true);
  }

  /** Up to 64 random dialable addresses of our peers other than {@code exclude}, encoded. */
  private byte[] pexResponse(NodeId exclude) {
    List<PeerAddress> addresses = new ArrayList<>();
    for (PeerSession session : peers.values()) {
      PeerAddress address = session.connection.listenAddress();
      if (!session.id().equals(exclude) && address != null && !address.address().isUnresolved()) {
        addresses.add(address);
      }
    }
    List<PeerAddress> chosen = FanOut.choose(addresses, MessageCodec.MAX_PEX_PEERS, random);
    return MessageCodec.encode(new Message.PexResponse(chosen));
  }

  private void onPex(PeerSession from, Message.PexResponse response) {
    if (!from.pexOutstanding) {
      penalize(from, Penalty.UNSOLICITED);
      return;
    }
    from.pexOutstanding = false;
    for (PeerAddress address : response.peers()) {
      if (!address.id().equals(localId) && !nodeBans.isBanned(address.id())) {
        table.addLearned(address);
      }
    }
  }

  void onViolation(PeerSession session, Violation violation, String detail) {
    LOG.debug("{} cut off: {} ({})", session, violation, detail);
    metrics.dropped(violation.label());
    switch (violation) {
      case DECRYPT_FAILED, FRAME_TOO_LARGE, MALFORMED_MESSAGE ->
          penalize(session, Penalty.MALFORMED_FRAME);
      case SLOW_PEER -> penalize(session, Penalty.SLOW_PEER);
      case IDLE -> {}
    }
  }

  void onClosed(PeerSession session) {
    session.failPending(RequestException.Kind.PEER_DISCONNECTED, "link to " + session + " closed");
    if (peers.remove(session.id(), session)) {
      metrics.connectedPeers(peers.size());
      if (state == State.RUNNING) {
        table.recordFailure(session.id(), clock.nanos());
      }
      for (PeerListener listener : peerListeners) {
        try {
          listener.onDisconnected(session.id());
        } catch (RuntimeException e) {
          LOG.warn("peer listener threw", e);
        }
      }
    }
  }

  /**
   * Charges a node for misbehaviour that a protocol above the transport detected (a response that
   * fails its checks). A connected node is banned and cut off once its score reaches the threshold;
   * a node no longer connected keeps the lowered score.
   */
  public void penalize(NodeId peer, Penalty penalty) {
    Objects.requireNonNull(penalty, "penalty");
    PeerSession session = peers.get(peer);
    if (session != null) {
      penalize(session, penalty);
    } else {
      metrics.penalty(penalty.label());
      nodeScores.penalize(peer, penalty.points());
    }
  }

  private void penalize(PeerSession session, Penalty penalty) {
    metrics.penalty(penalty.label());
    double score = nodeScores.penalize(session.id(), penalty.points());
    if (score <= limits.banThreshold() && !session.closing) {
      session.closing = true;
      InetAddress ip = session.connection.remoteAddress().getAddress();
      LOG.info("banning {} at {} (score {})", session.id().shortHex(), ip, score);
      nodeBans.ban(session.id(), limits.banDuration());
      metrics.ban("node");
      if (ip != null) {
        ipBans.ban(ip, limits.banDuration());
        metrics.ban("ip");
      }
      nodeScores.reset(session.id());
      session.connection.disconnect(DisconnectReason.BANNED, "score below threshold");
    }
  }

  private void penalizeIp(InetAddress ip, Penalty penalty) {
    metrics.penalty(penalty.label());
    double score = ipScores.penalize(ip, penalty.points());
    if (score <= limits.banThreshold()) {
      LOG.info("banning IP {} (score {})", ip, score);
      ipBans.ban(ip, limits.banDuration());
      ipScores.reset(ip);
      metrics.ban("ip");
    }
  }

  // ---------------------------------------------------------------- peer manager

  private void maintain() {
    if (state != State.RUNNING) {
      return;
    }
    try {
      long now = clock.nanos();
      dialDue(now);
      for (PeerSession session : peers.values()) {
        if (now - session.lastPingNanos >= limits.pingInterval().toNanos()) {
          session.lastPingNanos = now;
          send(
              session,
              MessageType.PING,
              MessageCodec.encode(new Message.Ping(random.nextLong())),
              true);
        }
        if (now - session.lastPexNanos >= limits.pexInterval().toNanos()) {
          requestPex(session, now);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("p2p maintenance failed", e);
    }
  }

  private void dialDue(long now) {
    int started = 0;
    for (PeerAddress address : table.due(now)) {
      if (started >= limits.maxDialsPerTick()) {
        return;
      }
      NodeId id = address.id();
      if (id.equals(localId) || peers.containsKey(id) || dialing.contains(id)) {
        continue;
      }
      // an address from the config may be unresolved (no IP yet): only its id can be banned
      InetAddress ip = address.address().getAddress();
      if (nodeBans.isBanned(id) || (ip != null && ipBans.isBanned(ip))) {
        table.deferUntil(id, now + limits.banDuration().toNanos() / 4);
        continue;
      }
      if (!table.isStatic(id) && peers.size() + dialing.size() >= limits.maxPeers()) {
        continue;
      }
      started++;
      dial(address);
    }
  }

  private void dial(PeerAddress address) {
    NodeId id = address.id();
    if (!dialing.add(id)) {
      return;
    }
    transport
        .dial(address)
        .whenComplete(
            (ok, error) -> {
              if (error != null) {
                dialing.remove(id);
                table.recordFailure(id, clock.nanos());
                LOG.debug("dial {} failed: {}", address, error.toString());
              }
            });
  }

  private void requestPex(PeerSession session, long now) {
    session.lastPexNanos = now;
    session.pexOutstanding = true;
    send(session, MessageType.PEX_REQUEST, MessageCodec.encode(new Message.PexRequest()), true);
  }

  /** Of two links to one node, keep the one dialed by the lower node id, so both ends agree. */
  private boolean prefer(Connection candidate, Connection existing) {
    NodeId candidateDialer = candidate.outbound() ? localId : candidate.remoteId();
    NodeId existingDialer = existing.outbound() ? localId : existing.remoteId();
    return candidateDialer.compareTo(existingDialer) < 0;
  }

  private final class Listener implements ConnectionListener {
    @Override
    public boolean acceptInbound(InetSocketAddress remote) {
      return state == State.RUNNING && !ipBans.isBanned(remote.getAddress());
    }

    @Override
    public void onHandshakeFailed(
        InetSocketAddress remote, PeerAddress dialed, HandshakeFailure failure) {
      if (dialed != null) {
        dialing.remove(dialed.id());
        table.recordFailure(dialed.id(), clock.nanos());
      }
      if (failure == HandshakeFailure.CLOSED && state != State.RUNNING) {
        return;
      }
      metrics.handshakeFailure(failure.label());
      LOG.debug("handshake with {} failed: {}", remote, failure);
      InetAddress ip = remote == null ? null : remote.getAddress();
      if (ip == null) {
        return;
      }
      switch (failure) {
        case MALFORMED, BAD_EPHEMERAL_KEY, DECRYPT_FAILED, BAD_SIGNATURE, FRAME_TOO_LARGE ->
            penalizeIp(ip, Penalty.BAD_HANDSHAKE);
        case TIMEOUT -> penalizeIp(ip, Penalty.HANDSHAKE_TIMEOUT);
        case VERSION_MISMATCH, NETWORK_MISMATCH, UNEXPECTED_PEER, SELF_CONNECTION, CLOSED -> {}
      }
    }

    @Override
    public Session onEstablished(Connection connection) {
      NodeId id = connection.remoteId();
      if (connection.outbound()) {
        dialing.remove(id);
      }
      if (state != State.RUNNING) {
        connection.disconnect(DisconnectReason.SHUTDOWN, "node stopping");
        return null;
      }
      InetAddress ip = connection.remoteAddress().getAddress();
      if (nodeBans.isBanned(id) || ipBans.isBanned(ip)) {
        connection.disconnect(DisconnectReason.BANNED, "banned");
        return null;
      }
      PeerSession session =
          new PeerSession(
              P2pNode.this,
              connection,
              new TokenBucket(clock, limits.messagesPerSecond(), limits.messageBurst()),
              new TokenBucket(clock, limits.bytesPerSecond(), limits.byteBurst()));
      PeerSession existing;
      synchronized (peers) {
        existing = peers.get(id);
        if (existing != null) {
          if (!prefer(connection, existing.connection)) {
            connection.disconnect(DisconnectReason.DUPLICATE, "already connected");
            return null;
          }
          session.standbyFor = existing;
        } else if (peers.size() >= limits.maxPeers() && !table.isStatic(id)) {
          // point the turned-away node at our peers (it asked: every link opens with a
          // PEX_REQUEST), so it can go elsewhere
          if (connection.send(pexResponse(id), true)) {
            metrics.messageOut(MessageType.PEX_RESPONSE.label());
          }
          connection.disconnect(DisconnectReason.TOO_MANY_PEERS, "peer limit reached");
          return null;
        } else {
          peers.put(id, session);
        }
      }
      table.recordSuccess(id);
      metrics.connectedPeers(peers.size());
      PeerAddress advertised = connection.listenAddress();
      if (advertised != null && !connection.outbound()) {
        table.addLearned(advertised);
      }
      long now = clock.nanos();
      session.lastPingNanos = now;
      send(
          session,
          MessageType.SUBSCRIPTIONS,
          MessageCodec.encode(new Message.Subscriptions(List.copyOf(topics.keySet()))),
          false);
      requestPex(session, now);
      if (existing == null) {
        fireConnected(session);
      }
      return session;
    }
  }
}
