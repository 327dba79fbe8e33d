package io.axivon.p2p.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.p2p.frame.CipherSuite;
import io.axivon.p2p.frame.FrameAuthenticationException;
import io.axivon.p2p.frame.FrameCipher;
import io.axivon.p2p.frame.FrameTooLargeException;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Chunked, encrypted messages through the {@link FrameDecoder} after {@code open}: any chunking of
 * any message, with the stream cut into any reads, yields the message; oversize messages,
 * truncations, reordered, dropped or re-flagged chunks and empty middle chunks are refused.
 */
class ChunkedFrameProperties {
  private static final int MAX_MESSAGE = 200_000;
  private static final byte[] KEY = new byte[32];

  static {
    Arrays.fill(KEY, (byte) 5);
  }

  /** A decoder after the handshake, and the sender of the other end. */
  private static final class Link {
    final FrameCipher sender;
    final EmbeddedChannel channel;

    Link(CipherSuite suite) {
      sender = FrameCipher.sender(suite, KEY);
      FrameDecoder decoder = new FrameDecoder(256);
      decoder.open(FrameCipher.receiver(suite, KEY), MAX_MESSAGE);
      channel = new EmbeddedChannel(decoder);
    }

    /** The frames (header and body each) of a message cut at the given chunk sizes. */
    List<byte[]> frames(byte[] message, List<Integer> chunkSizes) {
      List<byte[]> frames = new ArrayList<>();
      int done = 0;
      for (int i = 0; i < chunkSizes.size(); i++) {
        int n = chunkSizes.get(i);
        boolean more = i < chunkSizes.size() - 1;
        byte[] frame = new byte[4 + n + 16];
        ByteBuffer.wrap(frame).putInt(FrameCipher.header(n + 16, more));
        sender.seal(message, done, n, frame, 4, more);
        frames.add(frame);
        done += n;
      }
      return frames;
    }

    void feed(byte[] stream, Random random) {
      for (int off = 0; off < stream.length; ) {
        int n = Math.min(stream.length - off, 1 + random.nextInt(70_000));
        channel.writeInbound(Unpooled.wrappedBuffer(stream, off, n));
        off += n;
      }
    }

    byte[] next() {
      FrameDecoder.Message message = channel.readInbound();
      return message == null ? null : Arrays.copyOf(message.buf(), message.length());
    }
  }

  private static List<Integer> randomChunking(int size, Random random) {
    List<Integer> sizes = new ArrayList<>();
    int left = size;
    do {
      int n = left == 0 ? 0 : 1 + random.nextInt(Math.min(left, 80_000));
      sizes.add(n);
      left -= n;
    } while (left > 0);
    return sizes;
  }

  private static byte[] concat(List<byte[]> frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    frames.forEach(out::writeBytes);
    return out.toByteArray();
  }

  @Property(tries = 100)
  void anyChunkingOfAnyMessagesReassembles(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int count, @ForAll boolean aes) {
    Random random = new Random(seed);
    Link link = new Link(aes ? CipherSuite.AES_256_GCM : CipherSuite.CHACHA20_POLY1305);
    List<byte[]> messages = new ArrayList<>();
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    int expectedWire = 0;
    for (int i = 0; i < count; i++) {
      byte[] message = new byte[random.nextInt(MAX_MESSAGE + 1)];
      random.nextBytes(message);
      messages.add(message);
      List<byte[]> frames = link.frames(message, randomChunking(message.length, random));
      stream.writeBytes(concat(frames));
    }
    link.feed(stream.toByteArray(), random);
    for (byte[] message : messages) {
      assertThat(link.next()).isEqualTo(message);
    }
    assertThat(link.next()).isNull();
    link.channel.finishAndReleaseAll();
  }

  @Property(tries = 50)
  void aTruncatedMessageIsNeverDelivered(@ForAll long seed) {
    Random random = new Random(seed);
    Link link = new Link(CipherSuite.AES_256_GCM);
    byte[] message = new byte[1 + random.nextInt(MAX_MESSAGE)];
    byte[] stream = concat(link.frames(message, randomChunking(message.length, random)));
    link.feed(Arrays.copyOf(stream, random.nextInt(stream.length)), random);
    assertThat(link.next()).isNull();
    link.channel.finishAndReleaseAll();
  }

  @Property(tries = 50)
  void aMessageOverTheLimitIsRefusedBeforeItsLastChunkIsBuffered(@ForAll long seed) {
    Random random = new Random(seed);
    Link link = new Link(CipherSuite.AES_256_GCM);
    byte[] message = new byte[MAX_MESSAGE + 1 + random.nextInt(100_000)];
    List<Integer> chunking = randomChunking(message.length, random);
    List<byte[]> frames = link.frames(message, chunking);
    // everything up to the header of the chunk that crosses the limit goes through
    int index = 0;
    for (int total = 0; (total += chunking.get(index)) <= MAX_MESSAGE; ) {
      index++;
    }
    int crossing = index;
    byte[] before = concat(frames.subList(0, crossing));
    link.feed(before, random);
    assertThatThrownBy(
            () ->
                link.channel.writeInbound(
                    Unpooled.wrappedBuffer(Arrays.copyOf(frames.get(crossing), 4))))
        .isInstanceOf(FrameTooLargeException.class);
    assertThat(link.next()).isNull();
    link.channel.finishAndReleaseAll();
  }

  @Property(tries = 50)
  void reorderedDroppedOrReflaggedChunksFailAuthentication(
      @ForAll long seed, @ForAll @IntRange(min = 0, max = 2) int attack) {
    Random random = new Random(seed);
    Link link = new Link(CipherSuite.AES_256_GCM);
    byte[] message = new byte[2 + random.nextInt(MAX_MESSAGE - 1)];
    random.nextBytes(message);
    List<Integer> chunking = randomChunking(message.length, random);
    if (chunking.size() < 2) {
      chunking = List.of(1, message.length - 1);
    }
    List<byte[]> frames = new ArrayList<>(link.frames(message, chunking));
    int at = random.nextInt(frames.size() - 1);
    switch (attack) {
      case 0 -> frames.add(at + 1, frames.remove(at)); // swap two neighbours
      case 1 -> frames.remove(at); // drop a middle chunk
      default -> frames.get(at)[0] ^= (byte) 0x80; // claim it is the last chunk
    }
    assertThatThrownBy(() -> link.feed(concat(frames), random))
        .isInstanceOf(FrameAuthenticationException.class);
    assertThat(link.next()).isNull();
    link.channel.finishAndReleaseAll();
  }

  @Property(tries = 10)
  void anEmptyChunkWithMoreToFollowIsMalformed(@ForAll boolean aes) {
    Link link = new Link(aes ? CipherSuite.AES_256_GCM : CipherSuite.CHACHA20_POLY1305);
    byte[] stream = concat(link.frames(new byte[10], List.of(0, 10)));
    assertThatThrownBy(() -> link.feed(stream, new Random(1)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("no bytes");
    link.channel.finishAndReleaseAll();
  }
}
