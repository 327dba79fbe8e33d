package io.axivon.p2p.transport;

import io.axivon.p2p.frame.FrameLimits;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Arrays;

/**
 * Splits the byte stream into frame bodies: a 4-byte big-endian length, then that many bytes,
 * passed on as a {@code byte[]}. The length is checked against the current limit as soon as the
 * header is in, before anything is allocated for the body; a bad header fails the decoder for good
 * (the exception goes down the pipeline) and every later byte is discarded.
 *
 * <p>Why not Netty's length-field decoder: that one merges reads into a growing cumulation buffer
 * and the caller then copies the frame out again; this one copies each received byte once, into an
 * array that grows geometrically up to the checked length (so a peer that declares a large frame
 * and sends slowly only costs what it has sent, times two at most), and the frame cipher then
 * decrypts that array in place. The array starts at the size of the previous complete frame on the
 * link (at least 64 KiB): a peer that streams large frames gets each one in a single array without
 * regrowth copies, and memory it can hold by stalling stays bounded by a frame it has already
 * delivered in full.
 */
public final class FrameDecoder extends ChannelInboundHandlerAdapter {
  private static final int INITIAL_BODY_CAPACITY = 64 * 1024;

  private int maxBody;
  private boolean failed;
  private final byte[] header = new byte[FrameLimits.LENGTH_BYTES];
  private int headerFill;
  private int length = -1;
  private byte[] body;
  private int bodyFill;
  private int previousLength;

  public FrameDecoder(int maxBody) {
    this.maxBody = maxBody;
  }

  /** Raises or lowers the limit for the frames after the current one (event-loop thread only). */
  public void maxBody(int maxBody) {
    this.maxBody = maxBody;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf in = (ByteBuf) msg;
    try {
      while (in.isReadable() && !failed) {
        if (length < 0) {
          int n = Math.min(in.readableBytes(), header.length - headerFill);
          in.readBytes(header, headerFill, n);
          headerFill += n;
          if (headerFill < header.length) {
            return;
          }
          headerFill = 0;
          try {
            length = FrameLimits.checkedLength(header, 0, maxBody);
          } catch (RuntimeException e) {
            failed = true;
            ctx.fireExceptionCaught(e);
            return;
          }
          int available = in.readableBytes();
          int capacity =
              available >= length
                  ? length
                  : Math.min(
                      length, Math.max(Math.max(INITIAL_BODY_CAPACITY, previousLength), available));
          body = new byte[capacity];
          bodyFill = 0;
        }
        int n = Math.min(in.readableBytes(), length - bodyFill);
        if (bodyFill + n > body.length) {
          body =
              Arrays.copyOf(body, (int) Math.min(length, Math.max(2L * body.length, bodyFill + n)));
        }
        in.readBytes(body, bodyFill, n);
        bodyFill += n;
        if (bodyFill == length) {
          byte[] frame = body;
          body = null;
          previousLength = length;
          length = -1;
          ctx.fireChannelRead(frame);
        }
      }
    } finally {
      in.release();
    }
  }
}
