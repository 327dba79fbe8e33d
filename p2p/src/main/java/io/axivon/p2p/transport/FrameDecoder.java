package io.axivon.p2p.transport;

import io.axivon.common.InvalidInputException;
import io.axivon.p2p.frame.FrameCipher;
import io.axivon.p2p.frame.FrameLimits;
import io.axivon.p2p.frame.FrameTooLargeException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Arrays;

/**
 * Splits the byte stream into frames: a 4-byte big-endian header, then the body it declares. The
 * length is checked against the current limit as soon as the header is in, before anything is
 * allocated for the body; a bad header fails the decoder for good (the exception goes down the
 * pipeline) and every later byte is discarded.
 *
 * <p>Until {@link #open} (the handshake) each frame body is passed on as a {@code byte[]}. After
 * it, frames are encrypted chunks of messages (specs/p2p.md section 4): the header's top bit says
 * another chunk of the same message follows. Each chunk's ciphertext is collected in a reused
 * scratch array (a chunk is 64 KiB, so it stays in the CPU cache) and decrypted from there straight
 * into the message's array, after the plaintext of the chunks before it. A whole message is passed
 * on as a {@link Message}. A sender writes the chunks of one message back to back, so there is at
 * most one partial message per link; the decoder refuses a message whose plaintext would exceed the
 * message limit as soon as the header of the chunk that would take it there arrives.
 *
 * <p>Memory a peer can make us hold: a frame body array grows geometrically with the bytes that
 * have arrived (a peer that declares a large frame and sends slowly costs what it has sent, times
 * two at most), and the message array only grows with chunks that authenticated; it starts at the
 * size of the previous message on the link, so a peer streaming large messages gets each one in a
 * single array without regrowth copies. Why not Netty's length-field decoder: it merges reads into
 * a growing cumulation buffer that the caller then copies again.
 */
public final class FrameDecoder extends ChannelInboundHandlerAdapter {
  private static final int INITIAL_BODY_CAPACITY = 64 * 1024;

  /** Scratch arrays up to this size are kept for the next chunk; larger ones are let go. */
  private static final int KEPT_SCRATCH = 2 * FrameLimits.CHUNK_BYTES;

  /** One whole decrypted message: plaintext in {@code buf[0, length)}; wire bytes of its frames. */
  public record Message(byte[] buf, int length, int wireBytes) {}

  private int maxBody;
  private FrameCipher receiver;
  private int maxMessage;
  private boolean failed;
  private final byte[] header = new byte[FrameLimits.LENGTH_BYTES];
  private int headerFill;
  // the frame being read: its body goes to frame[0, length)
  private boolean inFrame;
  private boolean more;
  private int length;
  private byte[] frame;
  private int fill;
  private int previousLength;
  // the message being assembled (after open): plaintext in message[0, messageLength)
  private byte[] message;
  private int messageLength;
  private int wireBytes;
  private int previousMessageLength;

  public FrameDecoder(int maxBody) {
    this.maxBody = maxBody;
  }

  /** Raises or lowers the limit for the frames after the current one (event-loop thread only). */
  public void maxBody(int maxBody) {
    this.maxBody = maxBody;
  }

  /**
   * Switches to encrypted, chunked messages from the next frame on (event-loop thread only): each
   * chunk body holds at most {@code maxMessage + 16} bytes and a message's plaintext at most {@code
   * maxMessage}.
   */
  public void open(FrameCipher receiver, int maxMessage) {
    this.receiver = receiver;
    this.maxMessage = maxMessage;
    this.maxBody = FrameLimits.encryptedBody(maxMessage);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf in = (ByteBuf) msg;
    try {
      while (in.isReadable() && !failed) {
        if (!inFrame) {
          int n = Math.min(in.readableBytes(), header.length - headerFill);
          in.readBytes(header, headerFill, n);
          headerFill += n;
          if (headerFill < header.length) {
            return;
          }
          headerFill = 0;
          try {
            startFrame(in.readableBytes());
          } catch (InvalidInputException e) {
            fail(ctx, e);
            return;
          }
        }
        int n = Math.min(in.readableBytes(), length - fill);
        if (fill + n > frame.length) {
          frame =
              Arrays.copyOf(frame, (int) Math.min(length, Math.max(2L * frame.length, fill + n)));
        }
        in.readBytes(frame, fill, n);
        fill += n;
        if (fill == length) {
          inFrame = false;
          try {
            endFrame(ctx);
          } catch (InvalidInputException e) {
            fail(ctx, e);
            return;
          }
        }
      }
    } finally {
      in.release();
    }
  }

  private void startFrame(int available) {
    int raw =
        ((header[0] & 0xff) << 24)
            | ((header[1] & 0xff) << 16)
            | ((header[2] & 0xff) << 8)
            | (header[3] & 0xff);
    if (receiver == null) {
      more = false;
      length = FrameLimits.check(raw, maxBody);
    } else {
      more = (raw & FrameCipher.MORE) != 0;
      length = FrameLimits.check(raw & ~FrameCipher.MORE, maxBody);
      long plaintext = (long) messageLength + length - FrameCipher.TAG_BYTES;
      if (plaintext > maxMessage) {
        throw new FrameTooLargeException(
            "message of at least " + plaintext + " bytes exceeds the limit of " + maxMessage);
      }
    }
    fill = 0;
    wireBytes += FrameLimits.LENGTH_BYTES + length;
    inFrame = true;
    if (frame == null || (frame.length < length && frame.length < available)) {
      frame =
          new byte
              [available >= length
                  ? length
                  : Math.min(
                      length,
                      Math.max(Math.max(INITIAL_BODY_CAPACITY, previousLength), available))];
    }
  }

  private void endFrame(ChannelHandlerContext ctx) {
    previousLength = length;
    if (receiver == null) {
      byte[] body = frame.length == length ? frame : Arrays.copyOf(frame, length);
      frame = null;
      ctx.fireChannelRead(body);
      return;
    }
    int plain = length - FrameCipher.TAG_BYTES;
    int needed = messageLength + Math.max(plain, 0);
    if (message == null) {
      message =
          new byte[more ? Math.min(maxMessage, Math.max(needed, previousMessageLength)) : needed];
    } else if (needed > message.length) {
      message =
          Arrays.copyOf(message, (int) Math.min(maxMessage, Math.max(2L * message.length, needed)));
    }
    messageLength += receiver.open(frame, 0, length, more, message, messageLength);
    if (frame.length > KEPT_SCRATCH) {
      frame = null;
    }
    if (more) {
      if (plain == 0) {
        throw new InvalidInputException("a chunk with more to follow carries no bytes");
      }
      return;
    }
    Message whole = new Message(message, messageLength, wireBytes);
    previousMessageLength = messageLength;
    message = null;
    messageLength = 0;
    wireBytes = 0;
    ctx.fireChannelRead(whole);
  }

  private void fail(ChannelHandlerContext ctx, InvalidInputException e) {
    failed = true;
    frame = null;
    message = null;
    ctx.fireExceptionCaught(e);
  }
}
