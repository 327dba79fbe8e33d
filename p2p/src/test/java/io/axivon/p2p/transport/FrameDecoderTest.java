package io.axivon.p2p.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.p2p.frame.FrameTooLargeException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {

  @Test
  void reassemblesFramesSplitAnywhere() {
    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(100));
    byte[] stream = {0, 0, 0, 3, 1, 2, 3, 0, 0, 0, 1, 9};
    for (byte b : stream) {
      channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
    }
    assertThat(bytes(channel.readInbound())).containsExactly(1, 2, 3);
    assertThat(bytes(channel.readInbound())).containsExactly(9);
    assertThat((Object) channel.readInbound()).isNull();
    channel.finishAndReleaseAll();
  }

  @Test
  void oversizeHeaderFailsAsSoonAsItsFourBytesArrive() {
    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(100));
    assertThatThrownBy(
            () -> channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 101})))
        .isInstanceOf(FrameTooLargeException.class);
    // everything after a bad header is discarded, even a well-formed frame
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 1, 5}));
    assertThat((Object) channel.readInbound()).isNull();
    channel.finishAndReleaseAll();
  }

  @Test
  void zeroLengthFramesAreRefused() {
    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(100));
    assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(new byte[4])))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("length 0");
    channel.finishAndReleaseAll();
  }

  @Test
  void theLimitCanBeRaisedBetweenFrames() {
    FrameDecoder decoder = new FrameDecoder(2);
    EmbeddedChannel channel = new EmbeddedChannel(decoder);
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 2, 7, 7}));
    assertThat(bytes(channel.readInbound())).containsExactly(7, 7);
    decoder.maxBody(3);
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 3, 1, 1, 1}));
    assertThat(bytes(channel.readInbound())).containsExactly(1, 1, 1);
    channel.finishAndReleaseAll();
  }

  @Test
  void largeFramesArriveWholeFromManySmallReads() {
    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(1 << 20));
    byte[] body = new byte[300_000];
    new java.util.Random(1).nextBytes(body);
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 4, (byte) 0x93, (byte) 0xe0}));
    for (int off = 0; off < body.length; off += 1000) {
      assertThat((Object) channel.readInbound()).isNull();
      channel.writeInbound(Unpooled.wrappedBuffer(body, off, Math.min(1000, body.length - off)));
    }
    assertThat(bytes(channel.readInbound())).isEqualTo(body);
    channel.finishAndReleaseAll();
  }

  @Test
  void framesAfterALargeOneReassembleWhateverTheirSize() {
    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(1 << 20));
    java.util.Random random = new java.util.Random(2);
    // the second frame starts in an array sized for the first; the third is smaller than it
    for (int size : new int[] {200_000, 250_000, 1_000, 150_000}) {
      byte[] body = new byte[size];
      random.nextBytes(body);
      channel.writeInbound(
          Unpooled.wrappedBuffer(
              new byte[] {
                (byte) (size >>> 24), (byte) (size >>> 16), (byte) (size >>> 8), (byte) size
              }));
      for (int off = 0; off < size; off += 7000) {
        channel.writeInbound(Unpooled.wrappedBuffer(body, off, Math.min(7000, size - off)));
      }
      byte[] frame = bytes(channel.readInbound());
      assertThat(frame).hasSize(size).isEqualTo(body);
    }
    assertThat((Object) channel.readInbound()).isNull();
    channel.finishAndReleaseAll();
  }

  @Test
  void inputBuffersAreReleased() {
    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(100));
    ByteBuf in = Unpooled.buffer().writeBytes(new byte[] {0, 0, 0, 1, 1, 0, 0});
    channel.writeInbound(in);
    assertThat(in.refCnt()).isZero();
    channel.finishAndReleaseAll();
  }

  private static byte[] bytes(Object msg) {
    return (byte[]) msg;
  }
}
