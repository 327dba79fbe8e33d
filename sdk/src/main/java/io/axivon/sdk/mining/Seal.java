package io.axivon.sdk.mining;

import io.axivon.common.crypto.Keccak256;

/**
 * Sealing of 4 KiB units (specs/pora.md section 5): {@code s_0 = d_0 ⊕ H(minerId ‖ S ‖ u256(u))},
 * {@code s_i = d_i ⊕ H(s_(i−1))}. Each mask needs the previous sealed word, so a unit seals in 128
 * sequential hashes; unsealing takes the same 128 hashes, which is what the chain pays per answer.
 * Not thread-safe: one per thread.
 */
public final class Seal {
  private final Keccak256 k = new Keccak256();
  private final byte[] mask = new byte[32];
  private final byte[] word = new byte[32];

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

  /** Unseals {@code data[off..off+4096)} in place. */
  public void unseal(byte[] minerId, byte[] sealContext, long unit, byte[] data, int off) {
    // Backwards, so each word's mask is taken from the still-sealed word before it.
    for (int w = Pora.UNIT_WORDS - 1; w > 0; w--) {
      int p = off + 32 * w;
      k.update(data, p - 32, 32);
      k.doFinal(mask, 0);
      for (int i = 0; i < 32; i++) {
        data[p + i] ^= mask[i];
      }
    }
    key(minerId, sealContext, unit);
    for (int i = 0; i < 32; i++) {
      data[off + i] ^= mask[i];
    }
  }

  private void key(byte[] minerId, byte[] sealContext, long unit) {
    java.util.Arrays.fill(word, 0, 24, (byte) 0);
    for (int i = 0; i < 8; i++) {
      word[31 - i] = (byte) (unit >>> (8 * i));
    }
    k.update(minerId, 0, 32).update(sealContext, 0, 32).update(word, 0, 32);
    k.doFinal(mask, 0);
  }
}
