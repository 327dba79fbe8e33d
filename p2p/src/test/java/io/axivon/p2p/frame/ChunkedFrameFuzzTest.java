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
 * {@link FrameFuzzTest} after the handshake, with chunked messages (Jazzer fuzzes one target per
 * class).
 */
class ChunkedFrameFuzzTest {
  private static final int MAX_BODY = 512;
  private static final byte[] KEY = new byte[32];

  static {
    Arrays.fill(KEY, (byte) 3);
  }

  /**
   * The decoder reassembles chunked messages and decrypts each chunk itself. Whatever the stream
   * (any "more" bits, lengths and cuts), it fails only with a typed error and never delivers a
   * message, since none of the bytes were sealed under the key.
   */
  @FuzzTest
  void chunkedMessages(FuzzedDataProvider data) {
    FrameDecoder decoder = new FrameDecoder(FrameLimits.HANDSHAKE_MAX_BODY);
    decoder.open(
        FrameCipher.receiver(
            data.consumeBoolean() ? CipherSuite.AES_256_GCM : CipherSuite.CHACHA20_POLY1305, KEY),
        MAX_BODY);
    EmbeddedChannel channel = new EmbeddedChannel(decoder);
    try {
      while (data.remainingBytes() > 0) {
        byte[] chunk = data.consumeBytes(data.consumeInt(1, 64));
        try {
          channel.writeInbound(Unpooled.wrappedBuffer(chunk));
        } catch (InvalidInputException expected) {
          // oversize, forged or empty chunk: the decoder discards the rest of the stream
        }
        assertThat((Object) channel.readInbound()).isNull();
      }
    } finally {
      channel.finishAndReleaseAll();
    }
  }
}
