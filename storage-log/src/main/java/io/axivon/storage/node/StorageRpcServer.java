package io.axivon.storage.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * HTTP transport of the storage node's JSON-RPC, and of any other {@link JsonRpcHandler} (the KV
 * node's): {@code POST} a JSON-RPC request (any path) and get the answer with HTTP 200, errors
 * included, as the 0G node does. Requests run on virtual threads because storing a segment waits
 * for an fsync; the event loop only moves bytes.
 */
public final class StorageRpcServer implements AutoCloseable {
  /** The default port of the storage node RPC (ARCHITECTURE: 5678). */
  public static final int DEFAULT_PORT = 5678;

  /** Largest request body: a batch of up to about 180 base64 segments. */
  static final int MAX_BODY = 64 * 1024 * 1024;

  private final JsonRpcHandler rpc;
  private final ObjectMapper mapper;
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final Channel channel;

  private StorageRpcServer(JsonRpcHandler rpc, ObjectMapper mapper, InetSocketAddress address)
      throws InterruptedException {
    this.rpc = rpc;
    this.mapper = mapper;
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
                        .addLast(new HttpObjectAggregator(MAX_BODY))
                        .addLast(new Handler());
                  }
                });
    Channel bound;
    try {
      bound = b.bind(address).sync().channel();
    } catch (RuntimeException | InterruptedException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      workers.shutdownNow();
      throw e;
    }
    this.channel = bound;
  }

  /** Starts serving {@code rpc} on {@code address} (port 0: any free port). */
  public static StorageRpcServer start(
      JsonRpcHandler rpc, ObjectMapper mapper, InetSocketAddress address)
      throws InterruptedException {
    return new StorageRpcServer(
        Objects.requireNonNull(rpc, "rpc"), Objects.requireNonNull(mapper, "mapper"), address);
  }

  /** The address actually bound. */
  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdown();
  }

  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      if (!HttpMethod.POST.equals(request.method())) {
        respond(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, Unpooled.EMPTY_BUFFER, keepAlive);
        return;
      }
      // the body is copied off the event loop's buffers and parsed on the worker, so that the
      // event loop only moves bytes
      byte[] body = ByteBufUtil.getBytes(request.content());
      // one request at a time per connection, so pipelined answers keep their order
      ctx.channel().config().setAutoRead(false);
      workers.execute(
          () -> {
            JsonNode parsed;
            try {
              parsed = rpc.read(mapper, body);
            } catch (IOException e) {
              parsed = null;
            }
            JsonNode answer =
                parsed == null || parsed.isMissingNode()
                    ? rpc.parseError("the body is not JSON")
                    : rpc.handle(parsed);
            // written straight into the buffer that goes to the socket: a segment's base64 is
            // copied once, not through a byte[] of the whole answer
            ByteBuf out = ctx.alloc().buffer();
            try {
              if (answer != null) {
                mapper.writeValue((OutputStream) new ByteBufOutputStream(out), answer);
              }
            } catch (IOException | RuntimeException e) {
              out.clear();
            }
            try {
              ctx.executor()
                  .execute(
                      () -> {
                        respond(ctx, HttpResponseStatus.OK, out, keepAlive);
                        ctx.channel().config().setAutoRead(true);
                      });
            } catch (RejectedExecutionException e) {
              out.release(); // the server is closing: nobody will send it
            }
          });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }

    private void respond(
        ChannelHandlerContext ctx, HttpResponseStatus status, ByteBuf body, boolean keepAlive) {
      FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
      HttpUtil.setContentLength(response, body.readableBytes());
      if (keepAlive) {
        HttpUtil.setKeepAlive(response, true);
        ctx.writeAndFlush(response);
      } else {
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      }
    }
  }
}
