package io.axivon.da.erasure;

import java.lang.foreign.MemorySegment;

/**
 * The kernel every coder runs on: multiply a GF(2^8) matrix by a column of shards. Backends are
 * found with {@link java.util.ServiceLoader} (META-INF/services), so a GPU backend in another
 * module plugs in without this module knowing it; the one with the highest {@link #priority()}
 * among the {@link #isAvailable() available} ones wins.
 */
public interface ErasureBackend {
  /** A short name for logs and benchmark reports, e.g. {@code vector-512}. */
  String name();

  /** Higher wins; the scalar backend is 0, the CPU vector backend 100. */
  int priority();

  /** Whether this backend can run in this JVM on this machine. */
  boolean isAvailable();

  /** Expands {@code matrix} (rows × cols, row-major) into what {@link #multiply} runs on. */
  CodingMatrix prepare(byte[] matrix, int rows, int cols);

  /**
   * For every byte position p in [from, to): {@code out[r][p] = XOR over c of matrix[r][c] ·
   * in[c][p]}, for a matrix this backend {@link #prepare prepared}. Segments may be heap or native;
   * they are only read (in) and written (out) within [from, to).
   */
  void multiply(CodingMatrix matrix, MemorySegment[] in, MemorySegment[] out, long from, long to);

  /**
   * Whether this backend offloads to an accelerator (a GPU): it parallelises a call itself, so
   * coders hand it whole calls instead of splitting byte ranges over threads, and automatic
   * selection ({@link ReedSolomon#create}) keeps the best CPU backend behind it for the shapes it
   * does not {@link #prefers prefer}. CPU backends are not (the default).
   */
  default boolean offload() {
    return false;
  }

  /**
   * The size hint of automatic selection: whether this backend should take a multiply of a rows ×
   * cols matrix over {@code len} bytes per shard. CPU backends take every shape (the default); an
   * offload backend declines shapes too small to repay its transfers, which then run on the CPU.
   * Ignored when a coder is built on one named backend.
   */
  default boolean prefers(int rows, int cols, long len) {
    return true;
  }
}
