package io.axivon.sdk.storage.layout;

import io.axivon.common.crypto.Hashes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The shared vectors' generator (shared/testvectors/README.md): SHA-256(seed ‖ u64be(j)) blocks.
 */
public final class TestFiles {
  private TestFiles() {}

  public static byte[] generate(String seed, int size) {
    byte[] s = seed.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[size];
    ByteBuffer in = ByteBuffer.allocate(s.length + 8);
    for (int j = 0; (long) j * 32 < size; j++) {
      in.clear();
      byte[] block = Hashes.sha256(in.put(s).putLong(j).array());
      System.arraycopy(block, 0, out, j * 32, Math.min(32, size - j * 32));
    }
    return out;
  }
}
