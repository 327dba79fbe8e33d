package io.axivon.consensus.rpc;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ethereum JSON-RPC over HTTP on Netty: POST bodies (single calls and batches) go to a {@link
 * JsonRpcHandler} on a virtual thread, never on the event loop, since calls may wait on the
 * execution lock or run the EVM; answers are written straight into pooled buffers. One request per
 * connection runs at a time, and reading pauses while pipelined requests queue behind it until the
 * queue's answers are written, which keeps answers in order and bounds work per connection. Bodies
 * above {@link RpcConfig#maxRequestBytes} get HTTP 413; browsers get CORS headers; GET answers 405
 * with a short text.
 */
public final class EthRpcServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EthRpcServer.class);
  private static final byte[] GET_TEXT =
      "Axivon Ethereum JSON-RPC endpoint: send JSON-RPC 2.0 requests with POST.\n"
          .getBytes(StandardCharsets.UTF_8);

  private static final AsciiString JSON = AsciiString.cached("application/json");
  private static final AsciiString CORS_METHODS = AsciiString.cached("POST, GET, OPTIONS");
  private static final AsciiString CORS_HEADERS = AsciiString.cached("Content-Type, Authorization");
  private static final AsciiString CORS_MAX_AGE = AsciiString.cached("600");

  private final RpcConfig config;
  private final AsciiString corsOrigin;
  private final JsonRpcHandler handler;
  private final EventLoopGroup group;
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private Channel channel;

  public EthRpcServer(RpcConfig config, EthApi api) {
    this.config = config;
    this.corsOrigin = new AsciiString(config.corsOrigin());
    this.handler = new JsonRpcHandler(api, config.maxBatchSize());
    this.group = new MultiThreadIoEventLoopGroup(config.ioThreads(), NioIoHandler.newFactory());
  }

  /**
   * Binds and starts serving; returns the bound address.
   *
   * @throws IllegalStateException naming the address when it is in use or cannot be bound
   */
  public InetSocketAddress start() {
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpServerKeepAliveHandler())
                        .addLast(new Limited(config.maxRequestBytes()))
                        .addLast(new Handler());
                  }
                });
    try {
      channel = b.bind(config.host(), config.port()).syncUninterruptibly().channel();
    } catch (Exception e) {
      close();
      String why = e instanceof BindException ? "address already in use?" : e.toString();
      throw new IllegalStateException(
          "cannot bind JSON-RPC server to "
              + config.host()
              + ":"
              + config.port()
              + " ("
              + why
              + ")",
          e);
    }
    InetSocketAddress at = (InetSocketAddress) channel.localAddress();
    LOG.info("JSON-RPC listening on http://{}:{}", at.getHostString(), at.getPort());
    return at;
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.close().syncUninterruptibly();
    }
    group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownNow();
  }

  private FullHttpResponse respond(HttpResponseStatus status, byte[] body, CharSequence type) {
    return respond(
        status, body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body), type);
  }

  private FullHttpResponse respond(HttpResponseStatus status, ByteBuf body, CharSequence type) {
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
    if (type != null) {
      r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    }
    r.headers()
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
        .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, corsOrigin)
        .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, CORS_METHODS)
        .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, CORS_HEADERS)
        .set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, CORS_MAX_AGE);
    return r;
  }

  /**
   * Netty's aggregator, answering an oversized request with our 413: the CORS headers (so a browser
   * wallet can read it) and one line saying why. The link is kept or closed as Netty decides: kept
   * for a keep-alive request, whose rest the aggregator skips, so the client reads the status.
   */
  private final class Limited extends HttpObjectAggregator {
    private final int max;

    Limited(int max) {
      super(max);
      this.max = max;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
      FullHttpResponse r =
          respond(
              HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
              ("request body exceeds " + max + " bytes\n").getBytes(StandardCharsets.UTF_8),
              "text/plain; charset=utf-8");
      boolean keep =
          !(oversized instanceof FullHttpMessage)
              && ctx.channel().config().isAutoRead()
              && (HttpUtil.is100ContinueExpected(oversized) || HttpUtil.isKeepAlive(oversized));
      if (keep) {
        ctx.writeAndFlush(r)
            .addListener(
                f -> {
                  if (!f.isSuccess()) {
                    ctx.close();
                  }
                });
      } else {
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
      }
    }
  }

  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    // Per connection, touched only on its event loop: requests already decoded from one read
    // (pipelining) queue behind each other, so answers go out in order, one call at a time.
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    private int inFlight;

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      boolean keepAlive = HttpUtil.isKeepAlive(req);
      HttpMethod method = req.method();
      if (HttpMethod.OPTIONS.equals(method)) { // CORS preflight
        send(ctx, respond(HttpResponseStatus.NO_CONTENT, (byte[]) null, null), keepAlive);
        return;
      }
      if (!HttpMethod.POST.equals(method)) {
        FullHttpResponse r =
            respond(HttpResponseStatus.METHOD_NOT_ALLOWED, GET_TEXT, "text/plain; charset=utf-8");
        r.headers().set(HttpHeaderNames.ALLOW, "POST, OPTIONS");
        send(ctx, r, keepAlive);
        return;
      }
      byte[] body = ByteBufUtil.getBytes(req.content());
      // Reading pauses only while requests queue behind one in flight (pipelining): a client that
      // waits for each answer costs no interest-set changes (two syscalls) per request.
      if (inFlight++ > 0) {
        ctx.channel().config().setAutoRead(false);
      }
      tail =
          tail.thenRunAsync(
                  () -> {
                    FullHttpResponse r;
                    ByteBuf out = ctx.alloc().buffer(256);
                    try {
                      handler.handle(body, new ByteBufOutputStream(out));
                      r = respond(HttpResponseStatus.OK, out, JSON);
                    } catch (RuntimeException e) {
                      out.release();
                      LOG.warn("JSON-RPC request failed", e);
                      r = respond(HttpResponseStatus.INTERNAL_SERVER_ERROR, new byte[0], null);
                    }
                    FullHttpResponse response = r;
                    ctx.executor()
                        .execute(
                            () -> {
                              send(ctx, response, keepAlive);
                              if (--inFlight == 0 && !ctx.channel().config().isAutoRead()) {
                                ctx.channel().config().setAutoRead(true);
                              }
                            });
                  },
                  workers)
              .exceptionally(e -> null); // a failed one must not stall the ones queued after it
    }

    private void send(ChannelHandlerContext ctx, FullHttpResponse r, boolean keepAlive) {
      if (keepAlive) {
        HttpUtil.setKeepAlive(r, true);
        ctx.writeAndFlush(r);
      } else {
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.debug("JSON-RPC connection error: {}", cause.toString());
      ctx.close();
    }
  }
}
