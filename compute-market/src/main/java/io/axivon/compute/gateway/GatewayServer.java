package io.axivon.compute.gateway;

import io.axivon.compute.mcp.McpEndpoint;
import io.netty.bootstrap.ServerBootstrap;
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
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.tuweni.bytes.Bytes;

/**
 * The gateway's HTTP shell on Netty: aggregates each request, hands it to {@link GatewayService} on
 * a virtual thread (forwarding blocks on the upstream), writes the reply; settles on a timer.
 */
public final class GatewayServer implements AutoCloseable {
  private final GatewayService service;
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());
  private final Channel channel;
  private final Optional<McpEndpoint> mcp;

  private GatewayServer(GatewayService service, GatewayConfig config, Optional<McpEndpoint> mcp)
      throws InterruptedException {
    this.service = service;
    this.mcp = mcp;
    // bodies up to twice the limit reach the service, which answers 413 with its reason; larger
    // ones Netty answers 413 itself without reading them
    int aggregate = (int) Math.min(Integer.MAX_VALUE - 1, config.maxBodyBytes() * 2);
    this.channel =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(aggregate))
                        .addLast(new Handler());
                  }
                })
            .bind(new InetSocketAddress("127.0.0.1", config.port()))
            .sync()
            .channel();
    long every = config.settleInterval().toMillis();
    timer.scheduleWithFixedDelay(
        () -> service.maybeSettle(true), every, every, TimeUnit.MILLISECONDS);
  }

  public static GatewayServer start(GatewayService service, GatewayConfig config)
      throws InterruptedException {
    return new GatewayServer(service, config, Optional.empty());
  }

  /** A gateway that also serves MCP at {@code /mcp} (never forwarded, never charged). */
  public static GatewayServer start(GatewayService service, GatewayConfig config, McpEndpoint mcp)
      throws InterruptedException {
    return new GatewayServer(service, config, Optional.of(mcp));
  }

  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      String method = req.method().name();
      String path = req.uri();
      io.netty.handler.codec.http.HttpHeaders headers = req.headers().copy();
      Bytes body = Bytes.wrap(ByteBufUtil.getBytes(req.content()));
      boolean keepAlive = HttpUtil.isKeepAlive(req);
      boolean toMcp = mcp.isPresent() && (path.equals("/mcp") || path.startsWith("/mcp?"));
      workers.execute(
          () -> {
            GatewayService.Reply r =
                toMcp
                    ? mcpReply(method, headers, body)
                    : service.handle(
                        method,
                        path,
                        headers::get,
                        headers.get(HttpHeaderNames.CONTENT_TYPE),
                        body);
            FullHttpResponse resp =
                new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(r.status()),
                    Unpooled.wrappedBuffer(r.body().toArrayUnsafe()));
            r.headers().forEach((k, v) -> resp.headers().set(k, v));
            HttpUtil.setContentLength(resp, r.body().size());
            if (keepAlive) {
              HttpUtil.setKeepAlive(resp, true);
              ctx.writeAndFlush(resp);
            } else {
              ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
            }
          });
    }

    private GatewayService.Reply mcpReply(
        String method, io.netty.handler.codec.http.HttpHeaders headers, Bytes body) {
      McpEndpoint.Reply r = mcp.orElseThrow().handle(method, headers::get, body.toArrayUnsafe());
      return new GatewayService.Reply(r.status(), r.headers(), Bytes.wrap(r.body()));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    workers.close();
  }
}
