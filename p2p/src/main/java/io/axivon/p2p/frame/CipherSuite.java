package io.axivon.p2p.frame;

/**
 * The AEADs a link can encrypt frames with, each a bit in the hello's {@code suites} mask. Both
 * take a 32-byte key and a 96-bit nonce and append a 16-byte tag. AES-256-GCM is preferred because
 * the JDK runs it on AES-NI/VAES and carry-less multiply, about three times the speed of its
 * ChaCha20-Poly1305 here; ChaCha20-Poly1305 is the mandatory fallback every node supports (fast
 * without AES hardware).
 */
public enum CipherSuite {
  CHACHA20_POLY1305(0x0001, "ChaCha20-Poly1305", "ChaCha20"),
  AES_256_GCM(0x0002, "AES/GCM/NoPadding", "AES");

  /** Every suite this implementation supports: what a node advertises by default. */
  public static final int ALL = CHACHA20_POLY1305.bit | AES_256_GCM.bit;

  private final int bit;
  private final String transformation;
  private final String keyAlgorithm;

  CipherSuite(int bit, String transformation, String keyAlgorithm) {
    this.bit = bit;
    this.transformation = transformation;
    this.keyAlgorithm = keyAlgorithm;
  }

  /** The suite's bit in the advertised u16 mask. */
  public int bit() {
    return bit;
  }

  String transformation() {
    return transformation;
  }

  String keyAlgorithm() {
    return keyAlgorithm;
  }

  /**
   * The suite both sides use: the most preferred one in both masks (AES-256-GCM, then
   * ChaCha20-Poly1305), or null when they share none. Unknown bits are ignored, so a later suite
   * can be advertised without breaking older peers.
   */
  public static CipherSuite negotiate(int localMask, int remoteMask) {
    int common = localMask & remoteMask;
    if ((common & AES_256_GCM.bit) != 0) {
      return AES_256_GCM;
    }
    if ((common & CHACHA20_POLY1305.bit) != 0) {
      return CHACHA20_POLY1305;
    }
    return null;
  }
}
