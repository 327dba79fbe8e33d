package io.axivon.bench;

import io.axivon.p2p.GossipValidator;
import io.axivon.p2p.NodeKey;
import io.axivon.p2p.P2pConfig;
import io.axivon.p2p.P2pLimits;
import io.axivon.p2p.P2pNode;
import io.axivon.p2p.ProtocolLimits;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.prometheus.client.CollectorRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.tuweni.bytes.Bytes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Bulk transfer of 1 MiB messages over loopback between two P2pNodes, as gossip (authenticated,
 * AES-256-GCM framed, keyed NH message id on both ends, de-duplicated) and as request/response
 * (framed and encrypted only), against the reference: a plain Netty socket pair moving the same
 * bytes unencrypted. Both keep at most {@link #WINDOW} messages in flight. One operation is one 1
 * MiB message delivered, so ops/s reads as MiB/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector"})
public class P2pThroughputBench {
  static final int MESSAGE = 1 << 20;
  static final int BATCH = 32;
  static final int WINDOW = 8;
  static final int WARM_UP_MESSAGES = 20_000;
  private static final String TOPIC = "bench";

  private final byte[] payload = new byte[MESSAGE];
  private long counter;

  private P2pNode sender;
  private P2pNode receiver;
  private final Semaphore p2pWindow = new Semaphore(WINDOW);
  private final Semaphore requestWindow = new Semaphore(WINDOW);
  private final AtomicInteger failedRequests = new AtomicInteger();
  private final byte[] chunk = new byte[MESSAGE];

  private EventLoopGroup plainServerGroup;
  private EventLoopGroup plainClientGroup;
  private Channel plainServer;
  private Channel plainClient;
  private final Semaphore plainWindow = new Semaphore(WINDOW);

  @Setup
  public void setUp() throws Exception {
    new Random(1).nextBytes(payload);
    P2pLimits limits =
        P2pLimits.defaults().toBuilder()
            .messageRate(1e6, 1e6)
            .byteRate(1e12, 1e12)
            .writeBufferHighWaterMark(64 << 20)
            .ioThreads(1)
            .build();
    receiver =
        new P2pNode(
            P2pConfig.loopback(NodeKey.generate(), 1).withLimits(limits), new CollectorRegistry());
    receiver.start();
    receiver.subscribe(TOPIC, GossipValidator.acceptAll(), (from, topic, p) -> p2pWindow.release());
    sender =
        new P2pNode(
            P2pConfig.loopback(NodeKey.generate(), 1)
                .withLimits(limits)
                .withStaticPeers(List.of(receiver.localAddress())),
            new CollectorRegistry());
    sender.start();
    ProtocolLimits chunkLimits = new ProtocolLimits(16, 2 * MESSAGE);
    new Random(2).nextBytes(chunk);
    sender.onRequest(
        "chunk", chunkLimits, (from, req) -> CompletableFuture.completedFuture(Bytes.wrap(chunk)));
    receiver.protocolLimits("chunk", chunkLimits);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (sender.peers().stream().noneMatch(p -> p.topics().contains(TOPIC))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("nodes did not connect");
      }
      Thread.sleep(10);
    }

    warmUpCrypto();

    plainServerGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    plainClientGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    plainServer =
        new ServerBootstrap()
            .group(plainServerGroup)
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new CountingReceiver(plainWindow));
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
    plainClient =
        new Bootstrap()
            .group(plainClientGroup)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(new ChannelInboundHandlerAdapter())
            .connect((InetSocketAddress) plainServer.localAddress())
            .sync()
            .channel();
  }

  /**
   * Drives the frame ciphers (and the gossip hash) through many small messages before measuring.
   * With 1 MiB frames the JDK's AEAD entry points are called only a few hundred times a second, too
   * rarely for C2 to compile the callers that use the fused intrinsics within JMH's short warm-up
   * (a cold node runs them at a fraction of their speed for its first ~1 GiB); a long-running node
   * has long passed that point, and steady state is what is measured here. The plain reference has
   * no such code to warm.
   */
  private void warmUpCrypto() throws InterruptedException {
    ProtocolLimits small = new ProtocolLimits(16, 4096);
    byte[] reply = new byte[1024];
    sender.onRequest(
        "warm", small, (from, req) -> CompletableFuture.completedFuture(Bytes.wrap(reply)));
    receiver.protocolLimits("warm", small);
    byte[] message = new byte[1024];
    for (int i = 0; i < WARM_UP_MESSAGES; i++) {
      requestWindow.acquire();
      receiver
          .request(sender.localId(), "warm", Bytes.EMPTY, Duration.ofSeconds(30))
          .whenComplete((response, error) -> requestWindow.release());
      p2pWindow.acquire();
      message[0] = (byte) i;
      message[1] = (byte) (i >>> 8);
      message[2] = (byte) (i >>> 16);
      sender.publish(TOPIC, Bytes.wrap(message.clone()));
    }
    requestWindow.acquire(WINDOW);
    requestWindow.release(WINDOW);
    p2pWindow.acquire(WINDOW);
    p2pWindow.release(WINDOW);
  }

  @TearDown
  public void tearDown() {
    sender.close();
    receiver.close();
    plainClient.close().awaitUninterruptibly();
    plainServer.close().awaitUninterruptibly();
    plainClientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    plainServerGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
  }

  /** A different payload each time (the seen-cache would drop a repeat); same cost for both. */
  private byte[] nextPayload() {
    long n = ++counter;
    for (int i = 0; i < 8; i++) {
      payload[i] = (byte) (n >>> (8 * i));
    }
    return payload;
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void p2pGossip() throws InterruptedException {
    for (int i = 0; i < BATCH; i++) {
      p2pWindow.acquire();
      // publish copies the payload into the encoded frame before it returns
      if (sender.publish(TOPIC, Bytes.wrap(nextPayload())) != 1) {
        throw new IllegalStateException("message not sent");
      }
    }
    p2pWindow.acquire(WINDOW);
    p2pWindow.release(WINDOW);
  }

  /** Bulk pull: the receiver asks for 1 MiB chunks (no message-id hashing on this path). */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void p2pRequestResponse() throws InterruptedException {
    for (int i = 0; i < BATCH; i++) {
      requestWindow.acquire();
      receiver
          .request(sender.localId(), "chunk", Bytes.EMPTY, Duration.ofSeconds(30))
          .whenComplete(
              (response, error) -> {
                if (error != null || response.size() != MESSAGE) {
                  failedRequests.incrementAndGet();
                }
                requestWindow.release();
              });
    }
    requestWindow.acquire(WINDOW);
    requestWindow.release(WINDOW);
    if (failedRequests.get() > 0) {
      throw new IllegalStateException(failedRequests.get() + " requests failed");
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void plainNettyReference() throws InterruptedException {
    for (int i = 0; i < BATCH; i++) {
      plainWindow.acquire();
      // the bytes, not their content, matter here: no copy, so the reference pays least
      plainClient.writeAndFlush(Unpooled.wrappedBuffer(nextPayload()));
    }
    plainWindow.acquire(WINDOW);
    plainWindow.release(WINDOW);
  }

  /** Counts received bytes and frees one window slot per whole message. */
  private static final class CountingReceiver extends ChannelInboundHandlerAdapter {
    private final Semaphore window;
    private long bytes;

    CountingReceiver(Semaphore window) {
      this.window = window;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf buf = (ByteBuf) msg;
      bytes += buf.readableBytes();
      buf.release();
      while (bytes >= MESSAGE) {
        bytes -= MESSAGE;
        window.release();
      }
    }
  }
}
