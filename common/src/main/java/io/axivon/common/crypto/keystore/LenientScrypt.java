package io.axivon.common.crypto.keystore;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.Salsa20Engine;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * scrypt (RFC 7914) without RFC 7914's bound N &lt; 2^(16·r). BouncyCastle enforces that bound,
 * which rejects r = 1 with N ≥ 2^16; geth (Go's x/crypto/scrypt) does not, and the Web3 Secret
 * Storage test vector itself uses N = 2^18, r = 1, p = 8. Used only for such parameters; the rest
 * go to BouncyCastle. Built from BouncyCastle's Salsa20 core and PBKDF2.
 */
final class LenientScrypt {
  private LenientScrypt() {}

  static byte[] generate(byte[] password, byte[] salt, int n, int r, int p, int dkLen) {
    int blockBytes = 128 * r;
    byte[] b = pbkdf2Sha256(password, salt, p * blockBytes);
    int words = 32 * r;
    int[] x = new int[words];
    int[] v = new int[n * words];
    int[] scratch = new int[words];
    int[] t = new int[16];
    int[] u = new int[16];
    for (int block = 0; block < p; block++) {
      int offset = block * blockBytes;
      for (int i = 0; i < words; i++) {
        x[i] = littleEndian(b, offset + 4 * i);
      }
      for (int i = 0; i < n; i++) {
        System.arraycopy(x, 0, v, i * words, words);
        blockMix(x, scratch, t, u, r);
      }
      for (int i = 0; i < n; i++) {
        int j = x[(2 * r - 1) * 16] & (n - 1);
        for (int k = 0; k < words; k++) {
          x[k] ^= v[j * words + k];
        }
        blockMix(x, scratch, t, u, r);
      }
      for (int i = 0; i < words; i++) {
        putLittleEndian(b, offset + 4 * i, x[i]);
      }
    }
    return pbkdf2Sha256(password, b, dkLen);
  }

  /** BlockMix_salsa20/8: Y_i = salsa(X ^ B_i); output the even Y then the odd Y. */
  private static void blockMix(int[] b, int[] y, int[] x, int[] mixed, int r) {
    System.arraycopy(b, (2 * r - 1) * 16, x, 0, 16);
    for (int i = 0; i < 2 * r; i++) {
      for (int k = 0; k < 16; k++) {
        x[k] ^= b[i * 16 + k];
      }
      Salsa20Engine.salsaCore(8, x, mixed);
      System.arraycopy(mixed, 0, x, 0, 16);
      int target = (i % 2 == 0 ? i / 2 : r + i / 2) * 16;
      System.arraycopy(x, 0, y, target, 16);
    }
    System.arraycopy(y, 0, b, 0, 32 * r);
  }

  private static byte[] pbkdf2Sha256(byte[] password, byte[] salt, int length) {
    PKCS5S2ParametersGenerator generator = new PKCS5S2ParametersGenerator(new SHA256Digest());
    generator.init(password, salt, 1);
    return ((KeyParameter) generator.generateDerivedParameters(8 * length)).getKey();
  }

  private static int littleEndian(byte[] in, int offset) {
    return (in[offset] & 0xff)
        | (in[offset + 1] & 0xff) << 8
        | (in[offset + 2] & 0xff) << 16
        | (in[offset + 3] & 0xff) << 24;
  }

  private static void putLittleEndian(byte[] out, int offset, int value) {
    out[offset] = (byte) value;
    out[offset + 1] = (byte) (value >>> 8);
    out[offset + 2] = (byte) (value >>> 16);
    out[offset + 3] = (byte) (value >>> 24);
  }
}
