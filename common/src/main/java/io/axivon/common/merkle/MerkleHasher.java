package io.axivon.common.merkle;

import io.axivon.common.crypto.Keccak256;
import io.axivon.common.crypto.KeccakBatch;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The two hash steps of the tree, with one reused Keccak-256 state so the hot path allocates
 * nothing: a leaf is {@code keccak256(data)}, a node is {@code keccak256(left ‖ right)}, with no
 * prefix, length or position in either (0G Storage's rule). Not thread-safe: one per thread.
 */
public final class MerkleHasher {
  /** Size of every hash in the tree. */
  public static final int HASH_SIZE = 32;

  private final Keccak256 digest = new Keccak256();
  private KeccakBatch batch; // made on first use: most hashers never hash a whole level

  /**
   * Writes the hashes of {@code count} leaves of {@code leafSize} bytes laid end to end at {@code
   * data[off..)} to {@code out[outOff..)}, several leaves per permutation where the CPU allows.
   */
  public void leaves(byte[] data, int off, int leafSize, int count, byte[] out, int outOff) {
    batch().hashAll(data, off, leafSize, count, out, outOff);
  }

  /**
   * Reduces the {@code n} hashes (a power of two) packed at the start of {@code hashes} to the root
   * of their perfect tree, left at {@code hashes[0..32)}; the rest is overwritten. Each level is
   * hashed in place, several nodes per permutation.
   */
  public void reducePerfect(byte[] hashes, int n) {
    if (n < 1 || Integer.bitCount(n) != 1) {
      throw new IllegalArgumentException("a perfect tree has a power-of-two leaf count, got " + n);
    }
    for (int width = n; width > 1; width /= 2) {
      batch().hashAll(hashes, 0, 2 * HASH_SIZE, width / 2, hashes, 0);
    }
  }

  private KeccakBatch batch() {
    if (batch == null) {
      batch = new KeccakBatch();
    }
    return batch;
  }

  /** Writes {@code keccak256(a[ao..ao+32) ‖ b[bo..bo+32))} to {@code out[oo..oo+32)}. */
  public void node(byte[] a, int ao, byte[] b, int bo, byte[] out, int oo) {
    digest.update(a, ao, HASH_SIZE);
    digest.update(b, bo, HASH_SIZE);
    digest.doFinal(out, oo); // doFinal also resets the state for the next hash
  }

  /** Writes {@code keccak256(data[off..off+len))} to {@code out[oo..oo+32)}. */
  public void leaf(byte[] data, int off, int len, byte[] out, int oo) {
    digest.update(data, off, len);
    digest.doFinal(out, oo);
  }

  /** Feeds {@code zeros} zero bytes to {@code d}, then writes its hash to {@code out[oo..)}. */
  static void finishZeroFilled(Keccak256 d, int zeros, byte[] out, int oo) {
    d.updateZeros(zeros);
    d.doFinal(out, oo);
  }

  /** The parent of two nodes. */
  public Bytes32 node(Bytes32 left, Bytes32 right) {
    byte[] out = new byte[HASH_SIZE];
    node(left.toArrayUnsafe(), 0, right.toArrayUnsafe(), 0, out, 0);
    return Bytes32.wrap(out);
  }

  /**
   * The hash of one leaf of a tree with fixed-size leaves: {@code data} zero-filled to {@code
   * leafSize} bytes first, as for the last, partial chunk of a file.
   */
  public Bytes32 leafZeroFilled(Bytes data, int leafSize) {
    if (data.size() > leafSize) {
      throw new IllegalArgumentException(
          "leaf of " + data.size() + " bytes is larger than the leaf size " + leafSize);
    }
    byte[] in = data.toArrayUnsafe();
    digest.update(in, 0, in.length);
    byte[] out = new byte[HASH_SIZE];
    finishZeroFilled(digest, leafSize - in.length, out, 0);
    return Bytes32.wrap(out);
  }

  /**
   * The root of a perfect tree of {@code 2^height} leaves that are all {@code leafSize} zero bytes
   * (0G's {@code Z_height}); storage uses these for padding without hashing each leaf.
   */
  public Bytes32 zeroSubtreeRoot(int leafSize, int height) {
    if (height < 0 || height > 63) {
      throw new IllegalArgumentException("height must be in [0, 63], got " + height);
    }
    Bytes32 z = leafZeroFilled(Bytes.EMPTY, leafSize);
    for (int h = 0; h < height; h++) {
      z = node(z, z);
    }
    return z;
  }
}
