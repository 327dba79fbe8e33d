package io.axivon.p2p.transport;

import io.axivon.p2p.NodeKey;
import io.axivon.p2p.P2pLimits;
import io.axivon.p2p.P2pMetrics;
import io.axivon.p2p.PeerAddress;
import io.axivon.p2p.frame.FrameLimits;
import io.axivon.p2p.handshake.Handshake;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Netty plumbing: one event-loop group (Netty 4.2 style, NIO), a listening socket, outbound dials,
 * and the per-link pipeline {@code FrameDecoder -> ConnectionHandler}. Holds no node logic.
 */
public final class Transport implements AutoCloseable {
  private final NodeKey nodeKey;
  private final long networkId;
  private final P2pLimits limits;
  private final ConnectionListener listener;
  private final P2pMetrics metrics;
  private final SecureRandom random;
  private final EventLoopGroup group;
  private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
  private final Set<Channel> pendingInbound = ConcurrentHashMap.newKeySet();
  private volatile Channel server;
  private volatile int listenPort;

  public Transport(
      NodeKey nodeKey,
      long networkId,
      P2pLimits limits,
      ConnectionListener listener,
      P2pMetrics metrics,
      SecureRandom random,
      String threadPrefix) {
    this.nodeKey = nodeKey;
    this.networkId = networkId;
    this.limits = limits;
    this.listener = listener;
    this.metrics = metrics;
    this.random = random;
    this.group =
        new MultiThreadIoEventLoopGroup(
            limits.ioThreads(),
            new DefaultThreadFactory(threadPrefix, true),
            NioIoHandler.newFactory());
  }

  public EventLoopGroup group() {
    return group;
  }

  P2pLimits limits() {
    return limits;
  }

  P2pMetrics metrics() {
    return metrics;
  }

  ConnectionListener listener() {
    return listener;
  }

  long maxPendingWriteBytes() {
    return 2L * limits.writeBufferHighWaterMark() + limits.maxFrameBytes();
  }

  /** Binds the listening socket and returns the bound address (port 0 picks a free port). */
  public InetSocketAddress bind(String host, int port) throws InterruptedException {
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 128)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (pendingInbound.size() >= limits.maxPendingHandshakes()
                        || !listener.acceptInbound(ch.remoteAddress())) {
                      ch.close();
                      return;
                    }
                    pendingInbound.add(ch);
                    pipeline(ch, Handshake.Role.RESPONDER, null);
                  }
                });
    ChannelFuture binding = bootstrap.bind(host, port).await();
    if (!binding.isSuccess()) {
      Throwable cause = binding.cause();
      if (cause instanceof BindException) {
        throw new IllegalStateException(
            "P2P port "
                + port
                + " on "
                + host
                + " is in use: stop the other process or pass --p2p-port",
            cause);
      }
      throw new IllegalStateException(
          "cannot listen on " + host + ":" + port + ": " + cause.getMessage(), cause);
    }
    Channel bound = binding.channel();
    server = bound;
    InetSocketAddress address = (InetSocketAddress) bound.localAddress();
    listenPort = address.getPort();
    return address;
  }

  /** Dials a peer; the future completes once TCP is connected (the handshake follows). */
  public CompletableFuture<Void> dial(PeerAddress peer) {
    Bootstrap bootstrap =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, limits.handshakeTimeout().toMillis()))
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    pipeline(ch, Handshake.Role.INITIATOR, peer);
                  }
                });
    CompletableFuture<Void> result = new CompletableFuture<>();
    ChannelFuture connect = bootstrap.connect(peer.address());
    connect.addListener(
        f -> {
          if (f.isSuccess()) {
            result.complete(null);
          } else {
            result.completeExceptionally(f.cause());
          }
        });
    return result;
  }

  private void pipeline(SocketChannel ch, Handshake.Role role, PeerAddress dialed) {
    channels.add(ch);
    ch.closeFuture().addListener(f -> channels.remove(ch));
    FrameDecoder decoder = new FrameDecoder(FrameLimits.HANDSHAKE_MAX_BODY);
    Handshake handshake =
        new Handshake(
            nodeKey, networkId, listenPort, role, dialed == null ? null : dialed.id(), random);
    ch.pipeline().addLast("frames", decoder);
    ch.pipeline().addLast("link", new ConnectionHandler(this, handshake, decoder, dialed));
  }

  void handshakeDone(Channel channel) {
    pendingInbound.remove(channel);
  }

  void addIdleWatch(Channel channel) {
    channel
        .pipeline()
        .addBefore(
            "link",
            "idle",
            new IdleStateHandler(limits.idleTimeout().toNanos(), 0, 0, TimeUnit.NANOSECONDS));
  }

  private WriteBufferWaterMark waterMark() {
    int high = limits.writeBufferHighWaterMark();
    return new WriteBufferWaterMark(high / 2, high);
  }

  public int listenPort() {
    return listenPort;
  }

  /** Closes every link and the listening socket, then stops the event loops and waits for them. */
  @Override
  public void close() {
    Channel s = server;
    if (s != null) {
      s.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    for (Channel channel : channels) {
      channel.close();
    }
    for (Channel channel : channels) {
      channel.closeFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
  }
}
