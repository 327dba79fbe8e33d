package io.axivon.common.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * The hash functions of the protocol: Keccak-256 (Ethereum's, not SHA3-256) from {@link Keccak256}
 * (measured faster than BouncyCastle's), Blake2b from BouncyCastle, SHA-256 from the JDK.
 */
public final class Hashes {
  private Hashes() {}

  public static Bytes32 keccak256(Bytes input) {
    return Bytes32.wrap(keccak256(input.toArrayUnsafe()));
  }

  public static byte[] keccak256(byte[] input) {
    return keccak256(input, 0, input.length);
  }

  public static byte[] keccak256(byte[] input, int offset, int length) {
    return new Keccak256().update(input, offset, length).digest();
  }

  public static Bytes32 sha256(Bytes input) {
    return Bytes32.wrap(sha256(input.toArrayUnsafe()));
  }

  public static byte[] sha256(byte[] input) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-256", e);
    }
  }

  /** Blake2b with a 256-bit output. */
  public static Bytes32 blake2b256(Bytes input) {
    Blake2bDigest digest = new Blake2bDigest(256);
    byte[] in = input.toArrayUnsafe();
    digest.update(in, 0, in.length);
    byte[] out = new byte[32];
    digest.doFinal(out, 0);
    return Bytes32.wrap(out);
  }
}
