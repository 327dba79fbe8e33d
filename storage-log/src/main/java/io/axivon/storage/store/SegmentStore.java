package io.axivon.storage.store;

import io.axivon.common.store.Serializer;
import io.axivon.common.store.Serializers;
import io.axivon.common.store.Store;
import io.axivon.common.store.StoreOptions;
import io.axivon.common.store.Table;
import io.axivon.common.store.WriteTx;
import io.axivon.sdk.storage.layout.ZgProof;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A storage node's segments and file records in one LMDB store, keyed by (tx seq, segment index).
 *
 * <p>Segments are LMDB values (256 KiB each, on LMDB overflow pages) rather than files with an LMDB
 * index. Measured on this machine (StoreChoiceMeasure, 2 GiB of segments, fsync per commit): see
 * specs/storage.md §5 for the figures. The LMDB form was as fast or faster for both writes and
 * reads, and it makes a segment, its proof and the file's counters one atomic, durable commit:
 * after a crash the segment is either fully there and counted or not there at all, with no orphan
 * files and no second fsync of a directory to order.
 *
 * <p>Each segment is stored with the proof it was accepted with, so a node can serve {@code
 * zgs_downloadSegmentWithProof} for any segment it holds without holding the whole file (a sharded
 * node never does). Thread-safe: concurrent {@link #putAll} calls share commits (group commit), and
 * LMDB serialises the writes.
 */
public final class SegmentStore implements AutoCloseable {
  /** File records: tx seq → {@link StoredFile}. */
  static final Table<Long, StoredFile> FILES =
      Table.of(
          "storage.files", Serializers.LONG, Serializer.of(StoredFile::encode, StoredFile::decode));

  /** Root index: root ‖ tx seq → nothing (several submissions can share a root). */
  static final Table<Bytes, Bytes> BY_ROOT =
      Table.of("storage.by-root", Serializers.BYTES, Serializers.BYTES);

  /** Segment data: tx seq ‖ index → wire bytes. */
  static final Table<Bytes, Bytes> SEGMENTS =
      Table.of("storage.segments", Serializers.BYTES, Serializers.BYTES);

  /** Segment proofs: tx seq ‖ index → encoded {@link ZgProof}. */
  static final Table<Bytes, ZgProof> PROOFS =
      Table.of(
          "storage.proofs",
          Serializers.BYTES,
          Serializer.of(SegmentStore::encodeProof, SegmentStore::decodeProof));

  private final Store store;

  // group commit: puts wait here; whoever holds the committer commits all that are waiting
  private final ConcurrentLinkedQueue<PendingPut> queue = new ConcurrentLinkedQueue<>();
  final ReentrantLock committer = new ReentrantLock(); // package-private for tests
  private final AtomicLong commits = new AtomicLong();
  // where commits run for virtual threads; its one thread starts with the first such commit
  private final ExecutorService syncer =
      Executors.newSingleThreadExecutor(
          Thread.ofPlatform().name("segment-store-commit").daemon().factory());

  private SegmentStore(Store store) {
    this.store = store;
  }

  /** Opens (creating if needed) the segment store in {@code dir}. */
  public static SegmentStore open(Path dir, StoreOptions options) {
    return new SegmentStore(Store.open(dir, options, FILES, BY_ROOT, SEGMENTS, PROOFS));
  }

  /** Opens with {@link StoreOptions#defaults()}. */
  public static SegmentStore open(Path dir) {
    return open(dir, StoreOptions.defaults());
  }

  /** The outcome of {@link #put}. */
  public enum PutResult {
    /** The segment was new and is now stored. */
    STORED,
    /** The segment was already stored; nothing changed. */
    DUPLICATE
  }

  /**
   * Stores a verified segment of {@code file} (created with 0 stored segments if new) in one atomic
   * commit with its proof and the file's updated counters; a second put of a stored segment changes
   * nothing. The caller has verified data and proof against the root.
   */
  public PutResult put(StoredFile file, long index, Bytes data, ZgProof proof) {
    return putAll(file, List.of(new VerifiedSegment(index, data, proof))) == 1
        ? PutResult.STORED
        : PutResult.DUPLICATE;
  }

  /**
   * Stores several verified segments of {@code file} atomically and durably; returns how many were
   * new. Calls that arrive while a commit is under way are committed together in the next one (one
   * fsync for all of them: group commit); each call returns only once its own segments are durable,
   * and if that shared commit fails, every call in it fails and none of them stored anything.
   */
  public int putAll(StoredFile file, List<VerifiedSegment> segments) {
    Objects.requireNonNull(file, "file");
    PendingPut mine = new PendingPut(file, List.copyOf(segments));
    queue.add(mine);
    committer.lock();
    try {
      if (!mine.done) { // else an earlier holder committed it with its own
        List<PendingPut> batch = new ArrayList<>();
        for (PendingPut p; (p = queue.poll()) != null; ) {
          batch.add(p);
        }
        commit(batch);
      }
    } finally {
      committer.unlock();
    }
    if (mine.failure != null) {
      throw mine.failure;
    }
    return mine.added;
  }

  /** Commits made by {@link #putAll} so far; for tests. */
  long commits() {
    return commits.get();
  }

  /** One call of {@link #putAll} waiting for a commit. Fields guarded by {@link #committer}. */
  private static final class PendingPut {
    final StoredFile file;
    final List<VerifiedSegment> segments;
    boolean done;
    int added;
    RuntimeException failure;

    PendingPut(StoredFile file, List<VerifiedSegment> segments) {
      this.file = file;
      this.segments = segments;
    }
  }

  private void commit(List<PendingPut> batch) {
    try {
      Supplier<int[]> write =
          () ->
              store.writeAndGet(
                  tx -> {
                    int[] counts = new int[batch.size()];
                    for (int i = 0; i < batch.size(); i++) {
                      counts[i] = put(tx, batch.get(i));
                    }
                    return counts;
                  });
      int[] added = Thread.currentThread().isVirtual() ? onPlatformThread(write) : write.get();
      commits.incrementAndGet();
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).added = added[i];
      }
    } catch (RuntimeException e) {
      batch.forEach(p -> p.failure = e);
    } finally {
      batch.forEach(p -> p.done = true);
    }
  }

  /**
   * Runs {@code write} on the syncer thread and waits for it. LMDB's commit blocks in native code
   * for its fsyncs, which would hold a virtual thread's carrier (one of only as many as there are
   * cores) for that long; parked here, the virtual thread frees its carrier.
   */
  private int[] onPlatformThread(Supplier<int[]> write) {
    Future<int[]> f;
    try {
      f = syncer.submit(write::get);
    } catch (RejectedExecutionException e) {
      throw new IllegalStateException("segment store is closed", e);
    }
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return f.get(); // the commit runs to its end either way: wait for its outcome
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException re) {
            throw re;
          }
          if (e.getCause() instanceof Error err) {
            throw err;
          }
          throw new IllegalStateException(e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static int put(WriteTx tx, PendingPut p) {
    StoredFile file = p.file;
    StoredFile current = tx.get(FILES, file.txSeq()).orElse(null);
    if (current == null) {
      current = file.withStored(0);
      tx.put(BY_ROOT, Bytes.concatenate(file.root(), longBytes(file.txSeq())), Bytes.EMPTY);
    }
    int added = 0;
    for (VerifiedSegment s : p.segments) {
      Bytes key = segmentKey(file.txSeq(), s.index());
      if (!tx.contains(SEGMENTS, key)) {
        tx.put(SEGMENTS, key, s.data());
        tx.put(PROOFS, key, s.proof());
        current = current.withOneMoreSegment();
        added++;
      }
    }
    tx.put(FILES, file.txSeq(), current);
    return added;
  }

  /** A segment whose data and proof the caller has verified against the file root. */
  public record VerifiedSegment(long index, Bytes data, ZgProof proof) {
    public VerifiedSegment {
      Objects.requireNonNull(data, "data");
      Objects.requireNonNull(proof, "proof");
    }
  }

  /** The record of the file with this tx seq, if any segment of it was ever stored. */
  public Optional<StoredFile> file(long txSeq) {
    return store.read(tx -> tx.get(FILES, txSeq));
  }

  /** The records of every stored file with this root, by tx seq. */
  public List<StoredFile> filesByRoot(Bytes32 root) {
    return store.read(
        tx -> {
          List<StoredFile> out = new ArrayList<>();
          try (var entries = tx.scanPrefix(BY_ROOT, root)) {
            entries.forEach(
                kv -> tx.get(FILES, kv.key().slice(32, 8).toLong()).ifPresent(out::add));
          }
          return out;
        });
  }

  /** Whether segment {@code index} of tx {@code txSeq} is stored. */
  public boolean has(long txSeq, long index) {
    return store.read(tx -> tx.contains(SEGMENTS, segmentKey(txSeq, index)));
  }

  /**
   * Which of segments {@code [0, segments)} of tx {@code txSeq} are stored, read in one transaction
   * (one key lookup per segment; the values are not read).
   */
  public BitSet storedSegments(long txSeq, int segments) {
    return store.read(
        tx -> {
          BitSet out = new BitSet(segments);
          for (int i = 0; i < segments; i++) {
            if (tx.contains(SEGMENTS, segmentKey(txSeq, i))) {
              out.set(i);
            }
          }
          return out;
        });
  }

  /** The wire bytes of a stored segment. */
  public Optional<Bytes> segment(long txSeq, long index) {
    return store.read(tx -> tx.get(SEGMENTS, segmentKey(txSeq, index)));
  }

  /** The proof a stored segment was accepted with. */
  public Optional<ZgProof> proof(long txSeq, long index) {
    return store.read(tx -> tx.get(PROOFS, segmentKey(txSeq, index)));
  }

  /** Files with at least one stored segment. */
  public long fileCount() {
    return store.read(tx -> tx.count(FILES));
  }

  @Override
  public void close() {
    syncer.shutdown();
    store.close(); // waits for a commit under way
  }

  static Bytes segmentKey(long txSeq, long index) {
    return Bytes.wrap(ByteBuffer.allocate(16).putLong(txSeq).putLong(index).array());
  }

  private static Bytes longBytes(long v) {
    return Bytes.wrap(ByteBuffer.allocate(8).putLong(v).array());
  }

  // proof: u8 lemma count, the hashes, then one byte per path flag
  static byte[] encodeProof(ZgProof proof) {
    int n = proof.lemma().size();
    if (n > 255) {
      throw new IllegalArgumentException("proof too long: " + n);
    }
    ByteBuffer b = ByteBuffer.allocate(1 + 32 * n + proof.path().size());
    b.put((byte) n);
    proof.lemma().forEach(h -> b.put(h.toArrayUnsafe()));
    proof.path().forEach(p -> b.put((byte) (p ? 1 : 0)));
    return b.array();
  }

  static ZgProof decodeProof(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    int n = b.get() & 0xFF;
    if (bytes.length < 1 + 32 * n) {
      throw new IllegalStateException("corrupt proof record");
    }
    List<Bytes32> lemma = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] h = new byte[32];
      b.get(h);
      lemma.add(Bytes32.wrap(h));
    }
    List<Boolean> path = new ArrayList<>();
    while (b.hasRemaining()) {
      path.add(b.get() == 1);
    }
    return new ZgProof(lemma, path);
  }
}
