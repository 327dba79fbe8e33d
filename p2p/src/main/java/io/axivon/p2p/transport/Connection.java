package io.axivon.p2p.transport;

import io.axivon.p2p.NodeId;
import io.axivon.p2p.PeerAddress;
import io.axivon.p2p.wire.DisconnectReason;
import io.axivon.p2p.wire.Message;
import io.axivon.p2p.wire.MessageCodec;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;

/** An authenticated link to one peer; sends are thread-safe and never block. */
public final class Connection {
  private final Channel channel;
  private final NodeId remoteId;
  private final boolean outbound;
  private final InetSocketAddress remoteAddress;
  private final int remoteListenPort;
  private final PeerAddress dialed;
  private final long maxPendingBytes;

  Connection(
      Channel channel,
      NodeId remoteId,
      boolean outbound,
      int remoteListenPort,
      PeerAddress dialed,
      long maxPendingBytes) {
    this.channel = channel;
    this.remoteId = remoteId;
    this.outbound = outbound;
    this.remoteAddress = (InetSocketAddress) channel.remoteAddress();
    this.remoteListenPort = remoteListenPort;
    this.dialed = dialed;
    this.maxPendingBytes = maxPendingBytes;
  }

  public NodeId remoteId() {
    return remoteId;
  }

  /** Whether we dialed (initiated) this link. */
  public boolean outbound() {
    return outbound;
  }

  public InetSocketAddress remoteAddress() {
    return remoteAddress;
  }

  /** The port the remote said (signed, in its auth) it accepts connections on; 0 for none. */
  public int remoteListenPort() {
    return remoteListenPort;
  }

  /** The address where others can dial this peer, or null if it does not listen. */
  public PeerAddress listenAddress() {
    if (dialed != null) {
      return dialed;
    }
    if (remoteListenPort == 0) {
      return null;
    }
    return new PeerAddress(
        remoteId, new InetSocketAddress(remoteAddress.getAddress(), remoteListenPort));
  }

  public EventLoop eventLoop() {
    return channel.eventLoop();
  }

  public boolean isOpen() {
    return channel.isActive();
  }

  /** False while the write buffer is above its high-water mark. */
  public boolean isWritable() {
    return channel.isWritable();
  }

  public boolean send(Message message, boolean droppable) {
    return send(MessageCodec.encode(message), droppable);
  }

  /**
   * Queues one encoded message (the array must not change afterwards). A droppable message is
   * dropped while the link is not writable; any message that would take the queued bytes past the
   * hard cap closes the link as a slow peer instead of buffering without bound.
   *
   * @return whether the message was queued
   */
  public boolean send(byte[] plaintext, boolean droppable) {
    if (!channel.isActive()) {
      return false;
    }
    if (droppable && !channel.isWritable()) {
      return false;
    }
    if (!admit(plaintext.length)) {
      return false;
    }
    channel.writeAndFlush(Unpooled.wrappedBuffer(plaintext), channel.voidPromise());
    return true;
  }

  /**
   * Like {@link #send(byte[], boolean)} for a message given as its leading bytes and its payload,
   * sent without joining them (neither array may change afterwards).
   */
  public boolean send(byte[] head, byte[] payload, boolean droppable) {
    if (!channel.isActive() || (droppable && !channel.isWritable())) {
      return false;
    }
    if (!admit(head.length + (long) payload.length)) {
      return false;
    }
    channel.writeAndFlush(Unpooled.wrappedBuffer(head, payload), channel.voidPromise());
    return true;
  }

  /** False (and the link is being closed as a slow peer) if the bytes would pass the hard cap. */
  private boolean admit(long bytes) {
    ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
    long pending = buffer == null ? 0 : buffer.totalPendingWriteBytes();
    if (pending + bytes <= maxPendingBytes) {
      return true;
    }
    ConnectionHandler handler = channel.pipeline().get(ConnectionHandler.class);
    if (handler != null) {
      channel.eventLoop().execute(() -> handler.violation(Violation.SLOW_PEER, "write queue full"));
    } else {
      channel.close();
    }
    return false;
  }

  /** Sends a disconnect message (best effort) and closes the link. */
  public void disconnect(DisconnectReason reason, String detail) {
    if (channel.isActive()) {
      channel.writeAndFlush(
          Unpooled.wrappedBuffer(MessageCodec.encode(new Message.Disconnect(reason, detail))),
          channel.voidPromise());
    }
    channel.close();
  }

  @Override
  public String toString() {
    return remoteId.shortHex() + (outbound ? "->" : "<-") + remoteAddress;
  }
}
