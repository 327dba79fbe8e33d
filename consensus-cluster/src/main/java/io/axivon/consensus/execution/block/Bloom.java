package io.axivon.consensus.execution.block;

import io.axivon.common.crypto.Hashes;
import io.axivon.consensus.execution.evm.Log;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Ethereum's 2048-bit logs bloom: each log's address and topics set three bits each, taken from the
 * first three pairs of bytes of their Keccak-256.
 */
public final class Bloom {
  public static final int BYTES = 256;
  public static final Bytes EMPTY = Bytes.wrap(new byte[BYTES]);

  private Bloom() {}

  public static Bytes of(List<Log> logs) {
    if (logs.isEmpty()) {
      return EMPTY; // most receipts (every plain transfer's): shared, and skipped by union
    }
    byte[] bloom = new byte[BYTES];
    for (Log log : logs) {
      add(bloom, log.address().bytes());
      for (Bytes32 topic : log.topics()) {
        add(bloom, topic);
      }
    }
    return Bytes.wrap(bloom);
  }

  /** The union of several blooms (a block's from its receipts'). */
  public static Bytes union(List<Bytes> blooms) {
    byte[] out = new byte[BYTES];
    for (Bytes b : blooms) {
      if (b == EMPTY) {
        continue;
      }
      byte[] in = b.toArrayUnsafe(); // not Bytes.get: a call per byte, thousands of receipts
      for (int i = 0; i < BYTES; i++) {
        out[i] |= in[i];
      }
    }
    return Bytes.wrap(out);
  }

  /** Whether {@code value} (an address or a topic) may be in {@code bloom}; false is certain. */
  public static boolean mayContain(Bytes bloom, Bytes value) {
    byte[] probe = new byte[BYTES];
    add(probe, value);
    for (int i = 0; i < BYTES; i++) {
      if ((bloom.get(i) & probe[i]) != probe[i]) {
        return false;
      }
    }
    return true;
  }

  private static void add(byte[] bloom, Bytes value) {
    Bytes32 h = Hashes.keccak256(value);
    for (int i = 0; i < 6; i += 2) {
      int bit = ((h.get(i) & 0x07) << 8 | (h.get(i + 1) & 0xff));
      bloom[BYTES - 1 - bit / 8] |= (byte) (1 << (bit % 8));
    }
  }
}
