package io.axivon.p2p.transport;

import io.axivon.p2p.frame.FrameLimits;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the byte stream into frame bodies: a 4-byte big-endian length, then that many bytes. The
 * length is checked against the current limit as soon as the header is in, before the body is
 * buffered; a bad header fails the decoder for good and everything after it is discarded.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
  private int maxBody;
  private boolean failed;

  public FrameDecoder(int maxBody) {
    this.maxBody = maxBody;
  }

  /** Raises or lowers the limit for the frames after the current one (event-loop thread only). */
  public void maxBody(int maxBody) {
    this.maxBody = maxBody;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (in.readableBytes() < FrameLimits.LENGTH_BYTES) {
      return;
    }
    int length;
    try {
      length = FrameLimits.check(in.getInt(in.readerIndex()), maxBody);
    } catch (RuntimeException e) {
      failed = true;
      in.skipBytes(in.readableBytes());
      throw e;
    }
    if (in.readableBytes() < FrameLimits.LENGTH_BYTES + length) {
      return;
    }
    in.skipBytes(FrameLimits.LENGTH_BYTES);
    out.add(in.readRetainedSlice(length));
  }
}
