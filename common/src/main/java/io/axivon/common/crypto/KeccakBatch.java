package io.axivon.common.crypto;

import java.util.Objects;

/**
 * Keccak-256 of many messages of one length laid end to end, the shape of every Merkle level we
 * build (2 KiB DA shares, 256-byte sectors, 64-byte node pairs). With the Vector API (the JVM
 * started with {@code --add-modules jdk.incubator.vector} on a CPU with 256-bit or wider vectors)
 * several messages share each permutation, one per lane; otherwise, and for the few messages left
 * over, it is {@link Keccak256} one at a time. Results are the same either way (KeccakBatchTest).
 * Not thread-safe: one per thread.
 */
public final class KeccakBatch {
  /** What hashes one group of {@link #lanes()} messages at once. */
  interface Group {
    int lanes();

    void hashGroup(byte[] in, int off, int len, byte[] out, int outOff);
  }

  private final Keccak256 scalar = new Keccak256();
  private final Group group;

  /** A batch hasher on the vector path when the JVM and CPU offer it. */
  public KeccakBatch() {
    this(true);
  }

  /** {@code vector} false: always one message at a time (the reference in tests and benches). */
  public KeccakBatch(boolean vector) {
    this.group = vector ? vectorGroup() : null;
  }

  /** Messages hashed together per permutation: 1 on the scalar path. */
  public int lanes() {
    return group == null ? 1 : group.lanes();
  }

  /**
   * Writes {@code keccak256(in[off + i·len, off + (i+1)·len))} to {@code out[outOff + 32·i, …)} for
   * each i in [0, count).
   */
  public void hashAll(byte[] in, int off, int len, int count, byte[] out, int outOff) {
    if (len < 0 || count < 0) {
      throw new IllegalArgumentException("len and count must be >= 0");
    }
    Objects.checkFromIndexSize(off, Math.multiplyExact(len, count), in.length);
    Objects.checkFromIndexSize(outOff, Math.multiplyExact(32, count), out.length);
    int i = 0;
    if (group != null) {
      int lanes = group.lanes();
      for (; i + lanes <= count; i += lanes) {
        group.hashGroup(in, off + i * len, len, out, outOff + 32 * i);
      }
    }
    for (; i < count; i++) {
      scalar.update(in, off + i * len, len);
      scalar.doFinal(out, outOff + 32 * i);
    }
  }

  private static Group vectorGroup() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return null;
    }
    try {
      KeccakVector v = new KeccakVector();
      // two 64-bit lanes gain nothing over the scalar code's instruction-level parallelism
      return v.lanes() >= 4 ? v : null;
    } catch (LinkageError e) {
      return null;
    }
  }
}
