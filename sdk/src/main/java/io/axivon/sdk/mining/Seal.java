package io.axivon.sdk.mining;

import io.axivon.common.crypto.Keccak256;
import io.axivon.common.crypto.KeccakBatch;

/**
 * Sealing of 4 KiB units (specs/pora.md section 5): {@code s_0 = d_0 ⊕ H(minerId ‖ S ‖ u256(u))},
 * {@code s_i = d_i ⊕ H(s_(i−1))}. Each mask needs the previous sealed word, so a unit seals in 128
 * sequential hashes; unsealing takes the same 128 hashes, which is what the chain pays per answer.
 * Not thread-safe: one per thread.
 */
public final class Seal {
  private final Keccak256 k = new Keccak256();
  private final byte[] mask = new byte[32];
  private final byte[] keyIn = new byte[Pora.SEAL_KEY_INPUT_BYTES];
  private final byte[] masks = new byte[32 * (Pora.UNIT_WORDS - 1)];
  private KeccakBatch batch; // made on first use

  /** Seals {@code data[off..off+4096)} in place. */
  public void seal(byte[] minerId, byte[] sealContext, long unit, byte[] data, int off) {
    key(minerId, sealContext, unit);
    for (int w = 0; w < Pora.UNIT_WORDS; w++) {
      int p = off + 32 * w;
      if (w > 0) {
        k.update(data, p - 32, 32); // the previous word, already sealed
        k.doFinal(mask, 0);
      }
      for (int i = 0; i < 32; i++) {
        data[p + i] ^= mask[i];
      }
    }
  }

  /**
   * Seals {@code count} units laid end to end at {@code data[0..count·4096)} in place, unit j being
   * number {@code units[j]} sealed with {@code contexts[j]}: the same bytes as {@link #seal} on
   * each, with the units' chains stepped together so each step's masks share Keccak permutations.
   */
  public void sealAll(byte[] minerId, byte[][] contexts, long[] units, byte[] data, int count) {
    if (count < 0 || count > units.length || count > contexts.length) {
      throw new IllegalArgumentException("count " + count + " exceeds the units or contexts given");
    }
    java.util.Objects.checkFromIndexSize(0, count * Pora.UNIT_BYTES, data.length);
    int keyBytes = Pora.SEAL_KEY_INPUT_BYTES;
    byte[] in = new byte[count * keyBytes];
    for (int j = 0; j < count; j++) {
      Pora.sealKeyInput(in, keyBytes * j, minerId, contexts[j], units[j]);
    }
    byte[] masks = new byte[count * 32];
    batch().hashAll(in, 0, keyBytes, count, masks, 0);
    byte[] previous = new byte[count * 32];
    for (int w = 0; w < Pora.UNIT_WORDS; w++) {
      if (w > 0) {
        for (int j = 0; j < count; j++) {
          System.arraycopy(data, j * Pora.UNIT_BYTES + 32 * (w - 1), previous, 32 * j, 32);
        }
        batch().hashAll(previous, 0, 32, count, masks, 0);
      }
      for (int j = 0; j < count; j++) {
        int p = j * Pora.UNIT_BYTES + 32 * w;
        for (int i = 0; i < 32; i++) {
          data[p + i] ^= masks[32 * j + i];
        }
      }
    }
  }

  /**
   * Unseals {@code data[off..off+4096)} in place. Every mask but the first is the hash of a sealed
   * word that is already there, so the 127 of them are taken at once, several per permutation.
   */
  public void unseal(byte[] minerId, byte[] sealContext, long unit, byte[] data, int off) {
    batch().hashAll(data, off, 32, Pora.UNIT_WORDS - 1, masks, 0);
    for (int w = 1; w < Pora.UNIT_WORDS; w++) {
      int p = off + 32 * w;
      for (int i = 0; i < 32; i++) {
        data[p + i] ^= masks[32 * (w - 1) + i];
      }
    }
    key(minerId, sealContext, unit);
    for (int i = 0; i < 32; i++) {
      data[off + i] ^= mask[i];
    }
  }

  private KeccakBatch batch() {
    if (batch == null) {
      batch = new KeccakBatch();
    }
    return batch;
  }

  private void key(byte[] minerId, byte[] sealContext, long unit) {
    Pora.sealKeyInput(keyIn, 0, minerId, sealContext, unit);
    k.update(keyIn, 0, Pora.SEAL_KEY_INPUT_BYTES).doFinal(mask, 0);
  }
}
