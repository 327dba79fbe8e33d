package io.axivon.p2p.frame;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.axivon.common.InvalidInputException;
import io.axivon.p2p.transport.FrameDecoder;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Arrays;

/**
 * Arbitrary byte streams, cut into arbitrary chunks, through the frame decoder and the frame
 * cipher: the decoder yields frames within the limit or fails with a typed error, and no frame an
 * attacker makes without the key ever opens.
 */
class FrameFuzzTest {
  private static final int MAX_BODY = 512;
  private static final byte[] KEY = new byte[32];

  static {
    Arrays.fill(KEY, (byte) 3);
  }

  @FuzzTest
  void frames(FuzzedDataProvider data) {
    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(MAX_BODY));
    FrameCipher receiver = FrameCipher.receiver(KEY);
    try {
      while (data.remainingBytes() > 0) {
        byte[] chunk = data.consumeBytes(data.consumeInt(1, 64));
        try {
          channel.writeInbound(Unpooled.wrappedBuffer(chunk));
        } catch (InvalidInputException expected) {
          // a bad header: the decoder discards the rest of the stream
        }
        for (Object frame = channel.readInbound(); frame != null; frame = channel.readInbound()) {
          byte[] body = (byte[]) frame;
          assertThat(body.length).isBetween(1, MAX_BODY);
          try {
            receiver.open(body);
            throw new AssertionError("a forged frame opened");
          } catch (InvalidInputException expected) {
            // fine
          }
        }
      }
    } finally {
      channel.finishAndReleaseAll();
    }
  }
}
