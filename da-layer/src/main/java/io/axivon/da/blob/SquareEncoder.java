package io.axivon.da.blob;

import io.axivon.common.InvalidInputException;
import io.axivon.common.merkle.MerkleHasher;
import io.axivon.da.erasure.ErasureCoder;
import io.axivon.da.erasure.ReedSolomon;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Lays a blob out, extends it to 2k × 2k with RS(k, k) and commits to it (specs/da.md §2–§4), on
 * {@code threads} threads (the caller's plus a pool): rows of the row pass, byte ranges of the
 * column pass and rows of the hashing are split over them. The coder should not split calls itself
 * (a {@link ReedSolomon} of one thread): this class already does. Thread-safe: calls keep no state
 * between them and share the pool, so concurrent blobs encode in parallel.
 */
public final class SquareEncoder implements AutoCloseable {
  private static final int S = BlobSquare.SHARE_SIZE;
  private static final int H = MerkleHasher.HASH_SIZE;

  private final ErasureCoder coder;
  private final boolean ownsCoder;
  private final int threads;
  private final ExecutorService pool;

  /** An encoder on {@code coder}, which stays the caller's to close. */
  public SquareEncoder(ErasureCoder coder, int threads) {
    this(coder, false, threads);
  }

  private SquareEncoder(ErasureCoder coder, boolean ownsCoder, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    this.coder = coder;
    this.ownsCoder = ownsCoder;
    this.threads = threads;
    this.pool =
        threads == 1
            ? null
            : Executors.newFixedThreadPool(
                threads - 1, Thread.ofPlatform().daemon().name("da-square-", 0).factory());
  }

  /** An encoder on the automatically chosen erasure backend (a GPU when present). */
  public static SquareEncoder create(int threads) {
    return new SquareEncoder(ReedSolomon.create(1), true, threads);
  }

  public ErasureCoder coder() {
    return coder;
  }

  /** Lays out, extends and commits {@code blob} (1 to {@link BlobSquare#MAX_BLOB_SIZE} bytes). */
  public ExtendedSquare encode(Bytes blob) {
    int k = BlobSquare.widthFor(blob.size());
    byte[][] rows = new byte[2 * k][];
    byte[] src = blob.toArrayUnsafe(); // a copy when the blob is not one whole array: made once
    // allocated (the JVM zeroes 4x the blob's bytes) and laid out on the pool too: serially that
    // is 15-20 ms of a 32 MiB square here, a third of the 50 ms target where a GPU extends
    parallel(
        k,
        r -> {
          rows[r] = new byte[2 * k * S];
          BlobSquare.layOutRow(src, rows[r], r, k);
          rows[k + r] = new byte[2 * k * S];
        });
    extend(k, rows);
    return commit(k, rows);
  }

  /**
   * Fills the parity of a square in place: {@code rows} has 2k rows of 2k cells whose top-left k ×
   * k quadrant is the original square; the other three quadrants are overwritten.
   */
  public void extend(int k, byte[][] rows) {
    checkShape(k, rows);
    // rows r < k: cells k..2k-1 from cells 0..k-1
    parallel(
        k,
        r -> {
          MemorySegment row = MemorySegment.ofArray(rows[r]);
          MemorySegment[] data = new MemorySegment[k];
          MemorySegment[] parity = new MemorySegment[k];
          for (int c = 0; c < k; c++) {
            data[c] = row.asSlice((long) c * S, S);
            parity[c] = row.asSlice((long) (k + c) * S, S);
          }
          coder.encode(k, k, data, parity, S);
        });
    // every column at once: whole rows k..2k-1 from rows 0..k-1, split into byte ranges
    int rowBytes = 2 * k * S;
    int parts = Math.min(threads, 2 * k);
    int step = (2 * k + parts - 1) / parts * S; // whole cells per part
    int count = (rowBytes + step - 1) / step;
    parallel(
        count,
        p -> {
          long from = (long) p * step;
          long len = Math.min(step, rowBytes - from);
          MemorySegment[] data = new MemorySegment[k];
          MemorySegment[] parity = new MemorySegment[k];
          for (int r = 0; r < k; r++) {
            data[r] = MemorySegment.ofArray(rows[r]).asSlice(from, len);
            parity[r] = MemorySegment.ofArray(rows[k + r]).asSlice(from, len);
          }
          coder.encode(k, k, data, parity, len);
        });
  }

  /**
   * Commits to the square {@code rows} as it is (2k rows of 2k cells; nothing is checked or
   * re-encoded): hashes every cell, then the row and column roots. The square keeps {@code rows}.
   */
  public ExtendedSquare commit(int k, byte[][] rows) {
    checkShape(k, rows);
    int n = 2 * k;
    byte[] leaves = new byte[n * n * H];
    byte[] rowRoots = new byte[n * H];
    byte[] colRoots = new byte[n * H];
    parallelChunks(
        n,
        (from, to) -> {
          MerkleHasher hasher = new MerkleHasher();
          byte[] scratch = new byte[n * H];
          for (int r = from; r < to; r++) {
            hasher.leaves(rows[r], 0, S, n, leaves, r * n * H);
            System.arraycopy(leaves, r * n * H, scratch, 0, n * H);
            PerfectTree.reduce(hasher, scratch, n, rowRoots, r * H);
          }
        });
    parallelChunks(
        n,
        (from, to) -> {
          MerkleHasher hasher = new MerkleHasher();
          byte[] scratch = new byte[n * H];
          for (int c = from; c < to; c++) {
            for (int r = 0; r < n; r++) {
              System.arraycopy(leaves, (r * n + c) * H, scratch, r * H, H);
            }
            PerfectTree.reduce(hasher, scratch, n, colRoots, c * H);
          }
        });
    RowColumnRoots roots = new RowColumnRoots(k, unpack(rowRoots, n), unpack(colRoots, n));
    return new ExtendedSquare(k, rows, leaves, roots);
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
    if (ownsCoder) {
      coder.close();
    }
  }

  private static List<Bytes32> unpack(byte[] packed, int n) {
    List<Bytes32> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(Bytes32.wrap(packed, i * H));
    }
    return out;
  }

  static void checkShape(int k, byte[][] rows) {
    BlobSquare.checkWidth(k);
    if (rows.length != 2 * k) {
      throw new InvalidInputException(
          "a square of width k = " + k + " has " + 2 * k + " rows, got " + rows.length);
    }
    for (int r = 0; r < rows.length; r++) {
      if (rows[r] == null || rows[r].length != 2 * k * S) {
        throw new InvalidInputException(
            "row " + r + " must be " + 2 * k * S + " bytes (" + 2 * k + " shares)");
      }
    }
  }

  private interface Range {
    void run(int from, int to);
  }

  private void parallel(int n, IntConsumer body) {
    parallelChunks(
        n,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            body.accept(i);
          }
        });
  }

  /** Runs body over [0, n) cut into at most {@code threads} contiguous chunks. */
  private void parallelChunks(int n, Range body) {
    int parts = Math.min(threads, n);
    if (parts <= 1) {
      body.run(0, n);
      return;
    }
    List<Future<?>> futures = new ArrayList<>(parts - 1);
    for (int p = 1; p < parts; p++) {
      int from = (int) ((long) n * p / parts);
      int to = (int) ((long) n * (p + 1) / parts);
      futures.add(pool.submit(() -> body.run(from, to)));
    }
    body.run(0, n / parts);
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while encoding a square", e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException re) {
          throw re;
        }
        throw new IllegalStateException("encoding a square failed", e.getCause());
      }
    }
  }
}
