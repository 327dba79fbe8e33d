package io.axivon.da.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.Hashes;
import io.axivon.da.blob.BlobSquare;
import io.axivon.da.disperser.BlobGoneException;
import io.axivon.da.disperser.BlobStatus;
import io.axivon.da.disperser.DaUnavailableException;
import io.axivon.da.disperser.Disperser;
import io.axivon.da.disperser.Sampler;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
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
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpObjectDecoder;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blob API on port 3100 (specs/da-api.md): REST under {@code /v1/blobs} and the OP Alt-DA
 * server API ({@code POST /put}, {@code POST /put/0x00<keccak>}, {@code GET /get/0x…}). Requests
 * run on virtual threads (a put waits for certification); the event loop only moves bytes.
 */
public final class BlobApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BlobApiServer.class);

  /** ARCHITECTURE: the DA blob API listens on 3100. */
  public static final int DEFAULT_PORT = 3100;

  private final Disperser disperser;
  private final Duration putTimeout;
  private final ObjectMapper mapper = new ObjectMapper();
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final Channel channel;

  private BlobApiServer(Disperser disperser, Duration putTimeout, InetSocketAddress address)
      throws InterruptedException {
    this.disperser = disperser;
    this.putTimeout = putTimeout;
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    OversizeGuard guard = new OversizeGuard();
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(guard)
                        .addLast(guard.aggregator())
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

  /**
   * Serves {@code disperser} on {@code address} (port 0: any free port).
   *
   * @param putTimeout how long {@code POST /put} waits for the certificate
   */
  public static BlobApiServer start(
      Disperser disperser, Duration putTimeout, InetSocketAddress address)
      throws InterruptedException {
    return new BlobApiServer(
        Objects.requireNonNull(disperser, "disperser"),
        Objects.requireNonNull(putTimeout, "putTimeout"),
        address);
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownNow();
  }

  /** An HTTP answer. */
  record Answer(HttpResponseStatus status, String contentType, byte[] body) {
    static Answer bytes(Bytes b) {
      return new Answer(
          HttpResponseStatus.OK, HttpHeaderValues.APPLICATION_OCTET_STREAM.toString(), b.toArray());
    }

    static Answer text(HttpResponseStatus status, String message) {
      return new Answer(
          status,
          HttpHeaderValues.TEXT_PLAIN + "; charset=utf-8",
          (message + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  /** Routes one request; package-visible for tests. */
  Answer route(HttpMethod method, String path, Bytes body) throws InterruptedException {
    try {
      if (path.equals("/v1/blobs")) {
        return method.equals(HttpMethod.POST) ? submit(body) : notAllowed();
      }
      if (path.startsWith("/v1/blobs/")) {
        String rest = path.substring("/v1/blobs/".length());
        int slash = rest.indexOf('/');
        String key = slash < 0 ? rest : rest.substring(0, slash);
        String action = slash < 0 ? "" : rest.substring(slash);
        if (key.isEmpty()
            || !(action.isEmpty() || action.equals("/status") || action.equals("/sample"))) {
          return Answer.text(HttpResponseStatus.NOT_FOUND, "no route " + path);
        }
        if (!method.equals(HttpMethod.GET)) {
          return notAllowed();
        }
        return switch (action) {
          case "/status" -> status(blobKey(key));
          case "/sample" -> sample(blobKey(key));
          default -> blob(blobKey(key));
        };
      }
      if (path.equals("/put") || path.equals("/put/")) {
        return method.equals(HttpMethod.POST) ? putGeneric(body) : notAllowed();
      }
      if (path.startsWith("/put/")) {
        return method.equals(HttpMethod.POST)
            ? putKeccak(path.substring("/put/".length()), body)
            : notAllowed();
      }
      if (path.startsWith("/get/")) {
        return method.equals(HttpMethod.GET) ? get(path.substring("/get/".length())) : notAllowed();
      }
      return Answer.text(HttpResponseStatus.NOT_FOUND, "no route " + path);
    } catch (InvalidInputException e) {
      return Answer.text(HttpResponseStatus.BAD_REQUEST, e.getMessage());
    } catch (DaUnavailableException e) {
      return Answer.text(HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage());
    } catch (BlobGoneException e) {
      return Answer.text(HttpResponseStatus.NOT_FOUND, e.getMessage());
    }
  }

  private static Answer notAllowed() {
    return Answer.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed");
  }

  private static Bytes32 blobKey(String hex) {
    Bytes b = AltDaCommitment.decodeHex(hex);
    if (b.size() != Bytes32.SIZE) {
      throw new InvalidInputException("a blob key is 32 bytes, got " + b.size());
    }
    return Bytes32.wrap(b);
  }

  private Answer submit(Bytes body) {
    Bytes32 key = disperser.submit(body);
    ObjectNode out = mapper.createObjectNode();
    out.put("key", key.toHexString());
    return json(HttpResponseStatus.ACCEPTED, out);
  }

  private Answer status(Bytes32 key) {
    Optional<BlobStatus> s = disperser.status(key);
    if (s.isEmpty()) {
      return Answer.text(HttpResponseStatus.NOT_FOUND, "unknown blob " + key);
    }
    BlobStatus st = s.get();
    ObjectNode out = mapper.createObjectNode();
    out.put("key", key.toHexString());
    out.put("status", st.state().label());
    out.put("size", st.size());
    st.dataRoot()
        .ifPresent(
            r -> {
              out.put("dataRoot", r.toHexString());
              out.put("k", st.k());
              out.put("epoch", st.epoch());
            });
    out.put("quorumId", st.quorumId());
    st.certificate().ifPresent(c -> out.put("certificate", c.encode().toHexString()));
    st.confirmation()
        .ifPresent(
            c -> {
              out.put("tx", c.txHash().toHexString());
              out.put("block", c.blockNumber());
            });
    st.reason().ifPresent(r -> out.put("reason", r));
    return json(HttpResponseStatus.OK, out);
  }

  /** Cells one sampling run asks for. */
  static final int SAMPLES = 16;

  /**
   * Data-availability sampling of a certified blob, as a light client would: {@link #SAMPLES}
   * random cells of the extended square fetched from the quorum with their proofs.
   */
  private Answer sample(Bytes32 key) throws InterruptedException {
    Optional<BlobStatus> s = disperser.status(key);
    if (s.isEmpty()) {
      return Answer.text(HttpResponseStatus.NOT_FOUND, "unknown blob " + key);
    }
    BlobStatus st = s.get();
    if (st.state() != BlobStatus.State.CERTIFIED) {
      return Answer.text(
          HttpResponseStatus.CONFLICT,
          "blob " + key + " is " + st.state().label() + ", not certified: nothing to sample yet");
    }
    Bytes32 root = st.dataRoot().orElseThrow();
    Sampler.Report r =
        disperser
            .sampler()
            .sample(root, st.k(), st.epoch(), st.quorumId(), SAMPLES, new SecureRandom());
    ObjectNode out = mapper.createObjectNode();
    out.put("key", key.toHexString());
    out.put("dataRoot", root.toHexString());
    out.put("k", st.k());
    out.put("asked", r.asked());
    out.put("verified", r.verified());
    out.put("confidence", r.confidence());
    return json(HttpResponseStatus.OK, out);
  }

  private Answer blob(Bytes32 key) throws InterruptedException {
    return disperser
        .retrieve(key)
        .map(Answer::bytes)
        .orElseGet(() -> Answer.text(HttpResponseStatus.NOT_FOUND, "unknown blob " + key));
  }

  /** Submits and waits for the certificate; 503 only when too few members were reachable. */
  private Optional<Answer> certify(Bytes body) throws InterruptedException {
    Bytes32 key = disperser.submit(body);
    BlobStatus s;
    try {
      s = disperser.completion(key).orElseThrow().get(putTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return Optional.of(
          Answer.text(
              HttpResponseStatus.GATEWAY_TIMEOUT, "blob " + key + " not certified in time"));
    } catch (ExecutionException e) {
      return Optional.of(
          Answer.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, String.valueOf(e.getCause())));
    }
    if (s.state() == BlobStatus.State.CERTIFIED) {
      return Optional.empty();
    }
    String why = s.reason().orElse("dispersal failed");
    return Optional.of(
        Answer.text(
            s.networkDown()
                ? HttpResponseStatus.SERVICE_UNAVAILABLE
                : HttpResponseStatus.INTERNAL_SERVER_ERROR,
            why));
  }

  private Answer putGeneric(Bytes body) throws InterruptedException {
    Disperser.checkSize(body.size());
    Optional<Answer> failed = certify(body);
    if (failed.isPresent()) {
      return failed.get();
    }
    return Answer.bytes(AltDaCommitment.generic(Hashes.keccak256(body)).encode());
  }

  private Answer putKeccak(String hex, Bytes body) throws InterruptedException {
    AltDaCommitment.Decoded d = AltDaCommitment.decode(AltDaCommitment.decodeHex(hex));
    if (!(d instanceof AltDaCommitment.Decoded.Ours ours)
        || ours.commitment().type() != AltDaCommitment.Type.KECCAK) {
      throw new InvalidInputException("only keccak commitments (0x00…) are chosen by the client");
    }
    Disperser.checkSize(body.size());
    if (!Hashes.keccak256(body).equals(ours.commitment().key())) {
      throw new InvalidInputException("the commitment is not keccak256 of the body");
    }
    Optional<Answer> failed = certify(body);
    return failed.orElseGet(() -> Answer.bytes(Bytes.EMPTY));
  }

  private Answer get(String hex) throws InterruptedException {
    AltDaCommitment.Decoded d = AltDaCommitment.decode(AltDaCommitment.decodeHex(hex));
    if (!(d instanceof AltDaCommitment.Decoded.Ours ours)) {
      return Answer.text(HttpResponseStatus.NOT_FOUND, "not an Axivon commitment");
    }
    return blob(ours.commitment().key());
  }

  private Answer json(HttpResponseStatus status, ObjectNode node) {
    try {
      return new Answer(
          status, HttpHeaderValues.APPLICATION_JSON.toString(), mapper.writeValueAsBytes(node));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Oversized uploads get a 413 without a connection reset. Netty's aggregator answers from
   * Content-Length (or Expect: 100-continue) before the body arrives and discards the rest; its
   * default closes a non-keep-alive link at once, which resets a client still sending, so here the
   * link is closed only after the whole upload was drained.
   */
  private static final class OversizeGuard extends ChannelInboundHandlerAdapter {
    private boolean keepAlive = true;
    private boolean oversized;

    HttpObjectAggregator aggregator() {
      HttpObjectAggregator aggregator =
          new HttpObjectAggregator(BlobSquare.MAX_BLOB_SIZE) {
            @Override
            protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage message)
                throws Exception {
              if (!(message instanceof HttpRequest)) {
                super.handleOversizedMessage(ctx, message);
                return;
              }
              oversized = true;
              FullHttpResponse response = tooLarge();
              HttpUtil.setKeepAlive(response, keepAlive);
              ctx.writeAndFlush(response);
            }

            // Expect: 100-continue with a Content-Length above the limit: Netty answers its own
            // 413 in place of the 100, without a body; ours says why
            @Override
            protected Object newContinueResponse(
                HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
              Object r = super.newContinueResponse(start, maxContentLength, pipeline);
              if (r instanceof FullHttpResponse f
                  && f.status().equals(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE)) {
                f.release();
                return tooLarge();
              }
              return r;
            }
          };
      // a 32 MiB upload arrives in 8 KiB contents (HttpServerCodec's chunks): past Netty's default
      // of 1024 components the aggregate was consolidated, copied whole, every 1024 contents (about
      // 80 MiB copied per 32 MiB blob before the one copy out in Handler); the components are
      // slices of the read buffers, which hold the body either way
      aggregator.setMaxCumulationBufferComponents(
          BlobSquare.MAX_BLOB_SIZE / HttpObjectDecoder.DEFAULT_MAX_CHUNK_SIZE + 64);
      return aggregator;
    }

    private static FullHttpResponse tooLarge() {
      Answer a =
          Answer.text(
              HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
              "a blob has at most " + BlobSquare.MAX_BLOB_SIZE + " bytes");
      FullHttpResponse response =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1, a.status(), Unpooled.wrappedBuffer(a.body()));
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, a.contentType());
      HttpUtil.setContentLength(response, a.body().length);
      return response;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest request) {
        keepAlive = HttpUtil.isKeepAlive(request);
        oversized = false;
      }
      boolean last = msg instanceof LastHttpContent;
      ctx.fireChannelRead(msg);
      if (last && oversized && !keepAlive) {
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      }
    }
  }

  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      HttpMethod method = request.method();
      String path = new QueryStringDecoder(request.uri()).path(); // query strings are ignored
      Bytes body = Bytes.wrap(ByteBufUtil.getBytes(request.content()));
      // one request at a time per connection, so pipelined answers keep their order
      ctx.channel().config().setAutoRead(false);
      workers.execute(
          () -> {
            Answer answer;
            try {
              answer = route(method, path, body);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              answer = Answer.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "shutting down");
            } catch (RuntimeException e) {
              LOG.warn("{} {} failed", method, path, e);
              answer =
                  Answer.text(
                      HttpResponseStatus.INTERNAL_SERVER_ERROR, String.valueOf(e.getMessage()));
            }
            Answer out = answer;
            ctx.executor()
                .execute(
                    () -> {
                      respond(ctx, out, keepAlive);
                      ctx.channel().config().setAutoRead(true);
                    });
          });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }

    private void respond(ChannelHandlerContext ctx, Answer answer, boolean keepAlive) {
      FullHttpResponse response =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1, answer.status(), Unpooled.wrappedBuffer(answer.body()));
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
      HttpUtil.setContentLength(response, answer.body().length);
      if (keepAlive) {
        HttpUtil.setKeepAlive(response, true);
        ctx.writeAndFlush(response);
      } else {
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      }
    }
  }
}
