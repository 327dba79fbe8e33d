package io.axivon.p2p.transport;

import io.axivon.common.InvalidInputException;
import io.axivon.p2p.PeerAddress;
import io.axivon.p2p.frame.FrameAuthenticationException;
import io.axivon.p2p.frame.FrameCipher;
import io.axivon.p2p.frame.FrameLimits;
import io.axivon.p2p.frame.FrameTooLargeException;
import io.axivon.p2p.handshake.Handshake;
import io.axivon.p2p.handshake.HandshakeException;
import io.axivon.p2p.handshake.HandshakeFailure;
import io.axivon.p2p.handshake.HandshakeResult;
import io.axivon.p2p.wire.Message;
import io.axivon.p2p.wire.MessageCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-link glue between Netty and the pure parts: feeds frames to the {@link Handshake}, then
 * opens each frame with the receiving {@link FrameCipher} and decodes it with {@link MessageCodec};
 * seals outgoing plaintext with the sending cipher. Any failure closes the link.
 */
final class ConnectionHandler extends ChannelDuplexHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionHandler.class);

  private enum Phase {
    HELLO,
    AUTH,
    OPEN,
    CLOSED
  }

  private final Transport transport;
  private final Handshake handshake;
  private final FrameDecoder decoder;
  private final PeerAddress dialed;
  private Phase phase = Phase.HELLO;
  private FrameCipher sender;
  private FrameCipher receiver;
  private Connection connection;
  private ConnectionListener.Session session;
  private ScheduledFuture<?> handshakeTimer;
  private ScheduledFuture<?> slowTimer;
  private ChannelHandlerContext ctx;
  private InetSocketAddress remote;
  private final byte[] plainScratch = new byte[FrameLimits.CHUNK_BYTES];
  private final byte[] sealScratch =
      new byte[FrameLimits.LENGTH_BYTES + FrameLimits.encryptedBody(FrameLimits.CHUNK_BYTES)];

  ConnectionHandler(
      Transport transport, Handshake handshake, FrameDecoder decoder, PeerAddress dialed) {
    this.transport = transport;
    this.handshake = handshake;
    this.decoder = decoder;
    this.dialed = dialed;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    remote = (InetSocketAddress) ctx.channel().remoteAddress();
    long timeout = transport.limits().handshakeTimeout().toNanos();
    handshakeTimer =
        ctx.executor()
            .schedule(
                () -> handshakeFailed(HandshakeFailure.TIMEOUT), timeout, TimeUnit.NANOSECONDS);
    writeFrame(handshake.localHello());
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (phase == Phase.CLOSED) {
      return;
    }
    if (msg instanceof FrameDecoder.Message message) {
      transport.metrics().bytesIn(message.wireBytes());
      if (phase == Phase.OPEN) {
        onMessage(message);
      }
      return;
    }
    byte[] body = (byte[]) msg;
    transport.metrics().bytesIn(FrameLimits.LENGTH_BYTES + body.length);
    switch (phase) {
      case HELLO -> onHello(body);
      case AUTH -> onAuth(body);
      case OPEN, CLOSED -> {}
    }
  }

  private void onHello(byte[] body) {
    try {
      writeFrame(handshake.onRemoteHello(body));
      phase = Phase.AUTH;
    } catch (HandshakeException e) {
      handshakeFailed(e.failure());
    }
  }

  private void onAuth(byte[] body) {
    HandshakeResult result;
    try {
      result = handshake.onRemoteAuth(body);
    } catch (HandshakeException e) {
      handshakeFailed(e.failure());
      return;
    }
    handshakeTimer.cancel(false);
    sender = result.sender();
    receiver = result.receiver();
    decoder.open(receiver, transport.limits().maxFrameBytes());
    phase = Phase.OPEN;
    transport.handshakeDone(ctx.channel());
    connection =
        new Connection(
            ctx.channel(),
            result.remoteId(),
            handshake.role() == Handshake.Role.INITIATOR,
            result.remoteListenPort(),
            dialed,
            transport.maxPendingWriteBytes());
    transport.addIdleWatch(ctx.channel());
    session = transport.listener().onEstablished(connection);
    if (session == null) {
      phase = Phase.CLOSED;
      ctx.close();
    }
  }

  /** A whole message, already authenticated and decrypted by the {@link FrameDecoder}. */
  private void onMessage(FrameDecoder.Message frames) {
    Message message;
    try {
      message = MessageCodec.decode(frames.buf(), 0, frames.length());
    } catch (InvalidInputException e) {
      violation(Violation.MALFORMED_MESSAGE, e.getMessage());
      return;
    }
    session.onMessage(message, frames.wireBytes());
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (phase != Phase.OPEN || !(msg instanceof ByteBuf plain)) {
      ReferenceCountUtil.release(msg);
      promise.tryFailure(new ClosedChannelException());
      return;
    }
    try {
      int length = plain.readableBytes();
      // a composite (head and payload) is copied chunk by chunk into a cache-resident array
      boolean array = plain.hasArray();
      byte[] in = array ? plain.array() : plainScratch;
      int inOff = array ? plain.arrayOffset() + plain.readerIndex() : 0;
      // The chunks of one message are written here in one go, so nothing can come between them.
      // Each is sealed into a cache-resident scratch array and copied into its own direct buffer
      // of at most 64 KiB, a size the allocator pools (a heap buffer would be copied once more,
      // cold, by Netty; a 1 MiB direct one would be fresh memory from the OS every time).
      int chunks = Math.max(1, (length + FrameLimits.CHUNK_BYTES - 1) / FrameLimits.CHUNK_BYTES);
      int wire = length + chunks * (FrameLimits.LENGTH_BYTES + FrameCipher.TAG_BYTES);
      for (int done = 0, i = 0; i < chunks; i++) {
        int n = Math.min(FrameLimits.CHUNK_BYTES, length - done);
        boolean more = i < chunks - 1;
        int body = FrameLimits.encryptedBody(n);
        int header = FrameCipher.header(body, more);
        sealScratch[0] = (byte) (header >>> 24);
        sealScratch[1] = (byte) (header >>> 16);
        sealScratch[2] = (byte) (header >>> 8);
        sealScratch[3] = (byte) header;
        if (!array) {
          plain.getBytes(plain.readerIndex() + done, plainScratch, 0, n);
        }
        sender.seal(in, array ? inOff + done : 0, n, sealScratch, FrameLimits.LENGTH_BYTES, more);
        ByteBuf out = ctx.alloc().directBuffer(FrameLimits.LENGTH_BYTES + body);
        out.writeBytes(sealScratch, 0, FrameLimits.LENGTH_BYTES + body);
        ctx.write(out, more ? ctx.voidPromise() : promise);
        done += n;
      }
      transport.metrics().bytesOut(wire);
    } finally {
      plain.release();
    }
  }

  private void writeFrame(byte[] body) {
    ByteBuf out = ctx.alloc().heapBuffer(FrameLimits.LENGTH_BYTES + body.length);
    out.writeInt(body.length).writeBytes(body);
    transport.metrics().bytesOut(out.readableBytes());
    ctx.writeAndFlush(out, ctx.voidPromise());
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      if (slowTimer != null) {
        slowTimer.cancel(false);
        slowTimer = null;
      }
    } else if (phase == Phase.OPEN && slowTimer == null) {
      long timeout = transport.limits().slowPeerTimeout().toNanos();
      slowTimer =
          ctx.executor()
              .schedule(
                  () -> {
                    slowTimer = null;
                    if (!ctx.channel().isWritable()) {
                      violation(Violation.SLOW_PEER, "write buffer above high-water mark");
                    }
                  },
                  timeout,
                  TimeUnit.NANOSECONDS);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      violation(Violation.IDLE, "nothing received within the idle timeout");
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable root =
        cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    if (phase == Phase.OPEN) {
      if (root instanceof FrameAuthenticationException) {
        violation(Violation.DECRYPT_FAILED, root.getMessage());
      } else if (root instanceof FrameTooLargeException) {
        violation(Violation.FRAME_TOO_LARGE, root.getMessage());
      } else if (root instanceof InvalidInputException) {
        violation(Violation.MALFORMED_MESSAGE, root.getMessage());
      } else {
        if (root instanceof java.io.IOException) {
          LOG.debug("link {} failed: {}", connection, root.toString());
        } else {
          LOG.warn("link {} failed", connection, root);
        }
        ctx.close(); // an I/O error such as a reset, or a bug: no one to blame
      }
    } else if (phase != Phase.CLOSED) {
      if (root instanceof FrameTooLargeException) {
        handshakeFailed(HandshakeFailure.FRAME_TOO_LARGE);
      } else if (root instanceof InvalidInputException) {
        handshakeFailed(HandshakeFailure.MALFORMED);
      } else {
        handshakeFailed(HandshakeFailure.CLOSED);
      }
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelTimers();
    Phase was = phase;
    phase = Phase.CLOSED;
    if (was == Phase.OPEN && session != null) {
      session.onClosed();
    } else if (was == Phase.HELLO || was == Phase.AUTH) {
      transport.handshakeDone(ctx.channel());
      report(HandshakeFailure.CLOSED);
    }
    ctx.fireChannelInactive();
  }

  /** Reports a violation on an open link and closes it (event-loop thread). */
  void violation(Violation violation, String detail) {
    if (phase != Phase.OPEN) {
      return;
    }
    phase = Phase.CLOSED;
    cancelTimers();
    if (session != null) {
      session.onViolation(violation, detail);
      session.onClosed();
    }
    ctx.close();
  }

  private void handshakeFailed(HandshakeFailure failure) {
    if (phase == Phase.OPEN || phase == Phase.CLOSED) {
      return;
    }
    phase = Phase.CLOSED;
    cancelTimers();
    transport.handshakeDone(ctx.channel());
    report(failure);
    ctx.close();
  }

  private void report(HandshakeFailure failure) {
    transport.listener().onHandshakeFailed(remote, dialed, failure);
  }

  private void cancelTimers() {
    if (handshakeTimer != null) {
      handshakeTimer.cancel(false);
    }
    if (slowTimer != null) {
      slowTimer.cancel(false);
      slowTimer = null;
    }
  }
}
