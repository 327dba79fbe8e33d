package io.axivon.common.crypto.keystore;

import io.axivon.common.InvalidInputException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The password-hashing parameters of a key file (salt excluded: it is drawn per file). Bounds are
 * checked on construction, so that a hostile file cannot make a reader allocate gigabytes or spin
 * for hours.
 */
public sealed interface KdfParams permits KdfParams.Scrypt, KdfParams.Pbkdf2 {
  /** The derived key length; at least 32 (16 bytes AES-128 key, 16 bytes for the MAC/checksum). */
  int dklen();

  /** The name used in key files: "scrypt" or "pbkdf2". */
  String function();

  /** Derives the key from the (already encoded) password. */
  byte[] derive(byte[] password, byte[] salt);

  /** geth's and EIP-2335's standard scrypt: N = 2^18, r = 8, p = 1 (256 MiB, about a second). */
  Scrypt STANDARD_SCRYPT = new Scrypt(1 << 18, 8, 1, 32);

  /** scrypt with a 2^30-byte memory bound (128 · N · r), N a power of two. */
  record Scrypt(int n, int r, int p, int dklen) implements KdfParams {
    public Scrypt {
      if (n < 2 || Integer.bitCount(n) != 1) {
        throw new InvalidInputException("scrypt n must be a power of two ≥ 2, got " + n);
      }
      if (r < 1 || p < 1) {
        throw new InvalidInputException("scrypt r and p must be ≥ 1, got r=" + r + " p=" + p);
      }
      if (128L * n * r > (1L << 30)) {
        throw new InvalidInputException(
            "scrypt parameters need more than 1 GiB (128·n·r with n=" + n + ", r=" + r + ")");
      }
      if ((long) p * r > 1024) {
        throw new InvalidInputException("scrypt p·r must be ≤ 1024, got p=" + p + " r=" + r);
      }
      checkDklen(dklen);
    }

    @Override
    public String function() {
      return "scrypt";
    }

    @Override
    public byte[] derive(byte[] password, byte[] salt) {
      if (r == 1 && n >= (1 << 16)) {
        // BouncyCastle applies RFC 7914's N < 2^(16r); geth's files and test vector do not
        return LenientScrypt.generate(password, salt, n, r, p, dklen);
      }
      return SCrypt.generate(password, salt, n, r, p, dklen);
    }
  }

  /** PBKDF2 with HMAC-SHA256 (the only PRF either format defines), at most 2^24 iterations. */
  record Pbkdf2(int c, int dklen) implements KdfParams {
    public Pbkdf2 {
      if (c < 1 || c > (1 << 24)) {
        throw new InvalidInputException("pbkdf2 iteration count c must be in [1, 2^24], got " + c);
      }
      checkDklen(dklen);
    }

    @Override
    public String function() {
      return "pbkdf2";
    }

    @Override
    public byte[] derive(byte[] password, byte[] salt) {
      PKCS5S2ParametersGenerator generator = new PKCS5S2ParametersGenerator(new SHA256Digest());
      generator.init(password, salt, c);
      return ((KeyParameter) generator.generateDerivedParameters(8 * dklen)).getKey();
    }
  }

  private static void checkDklen(int dklen) {
    if (dklen < 32 || dklen > 64) {
      throw new InvalidInputException("kdf dklen must be in [32, 64], got " + dklen);
    }
  }
}
