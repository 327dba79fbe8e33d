package io.axivon.storage.mining;

import io.axivon.sdk.mining.Pora;
import io.axivon.sdk.mining.Seal;
import io.axivon.sdk.mining.UnitTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A miner's sealed copy of the flow from unit 0 (specs/pora.md sections 5 and 14), on disk: {@code
 * sealed.bin} holds unit {@code u} at offset {@code 4096 u}; {@code sealed.meta} holds the miner
 * id, the {@linkplain Run runs} (which seal context seals which units), the sealing cursor and
 * which units are sealed.
 *
 * <p>The copy only grows: {@link #extend} appends a run of new units under a newer recorded
 * context, and units already sealed keep the context they were sealed with (any recorded context
 * whose flow length covers a unit may seal it), so a growing flow costs sealing only its new units.
 * Sealing is resumable: a batch's units are forced to disk before the meta that counts them
 * replaces the old one atomically, and a run is recorded (durably) before any of its units is
 * sealed, so after a crash a unit is either counted, whole and under its run's context, or sealed
 * again. A meta of another miner or format is discarded (everything is sealed again).
 *
 * <p>Not thread-safe for sealing; {@link #read} and {@link #runOf} may run on several search
 * threads at once (positional reads, an immutable run list).
 */
public final class SealedStore implements AutoCloseable {
  /** Units sealed together: one per lane of the batch Keccak (8 with AVX-512). */
  private static final int SEAL_GROUP = 8;

  /**
   * Units {@code [firstUnit, endUnit)} sealed with {@code sealContext}, a recorded context whose
   * flow length {@code sealContextLength} is at least {@code 16 · endUnit}.
   */
  public record Run(long firstUnit, long endUnit, Bytes32 sealContext, long sealContextLength) {
    public Run {
      if (firstUnit < 0 || endUnit <= firstUnit) {
        throw new IllegalArgumentException("a run needs at least one unit");
      }
      if (sealContextLength < endUnit * Pora.UNIT_SECTORS) {
        throw new IllegalArgumentException(
            "seal context covers "
                + sealContextLength
                + " sectors, the run ends at "
                + endUnit * Pora.UNIT_SECTORS);
      }
    }
  }

  private static final long MAGIC = 0x4158_5345_414c_0002L; // "AXSEAL" v2
  private static final int RUN_BYTES = 8 + 8 + 32 + 8;

  private final Path meta;
  private final FileChannel data;
  private final Bytes32 minerId;
  private volatile List<Run> runs;
  private final BitSet sealed;
  private long cursor; // units [0, cursor) were tried
  private final Seal seal = new Seal();

  private SealedStore(
      Path dir, FileChannel data, Bytes32 minerId, List<Run> runs, BitSet sealed, long cursor) {
    this.meta = dir.resolve("sealed.meta");
    this.data = data;
    this.minerId = minerId;
    this.runs = List.copyOf(runs);
    this.sealed = sealed;
    this.cursor = cursor;
  }

  /** Opens (or starts) the sealed copy of {@code minerId} in {@code dir}. */
  public static SealedStore open(Path dir, Bytes32 minerId) {
    try {
      Files.createDirectories(dir);
      FileChannel ch =
          FileChannel.open(
              dir.resolve("sealed.bin"),
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
      List<Run> runs = new ArrayList<>();
      BitSet done = new BitSet();
      long cursor = 0;
      Path m = dir.resolve("sealed.meta");
      if (Files.exists(m)) {
        try {
          ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(m));
          byte[] id = new byte[32];
          long magic = b.getLong();
          b.get(id);
          if (magic == MAGIC && Bytes32.wrap(id).equals(minerId)) {
            int n = b.getInt();
            long end = 0;
            for (int i = 0; i < n; i++) {
              long first = b.getLong();
              long last = b.getLong();
              byte[] ctx = new byte[32];
              b.get(ctx);
              Run r = new Run(first, last, Bytes32.wrap(ctx), b.getLong());
              if (first != end) {
                throw new IllegalArgumentException("runs are not contiguous");
              }
              end = last;
              runs.add(r);
            }
            long c = b.getLong();
            byte[] bits = new byte[b.remaining()];
            b.get(bits);
            done = BitSet.valueOf(bits);
            cursor = Math.min(c, end);
          }
        } catch (RuntimeException e) { // a truncated or foreign meta: start over
          runs.clear();
          done = new BitSet();
          cursor = 0;
        }
      }
      return new SealedStore(dir, ch, minerId, runs, done, cursor);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The runs, in unit order, contiguous from unit 0. */
  public List<Run> runs() {
    return runs;
  }

  /** The end of the sealed copy's units: units {@code [0, endUnit())} are covered by runs. */
  public long endUnit() {
    List<Run> r = runs;
    return r.isEmpty() ? 0 : r.getLast().endUnit();
  }

  /** The run of {@code unit}, empty when the copy does not reach it. */
  public Optional<Run> runOf(long unit) {
    List<Run> r = runs;
    int lo = 0;
    int hi = r.size() - 1;
    while (lo <= hi) {
      int m = (lo + hi) >>> 1;
      Run x = r.get(m);
      if (unit < x.firstUnit()) {
        hi = m - 1;
      } else if (unit >= x.endUnit()) {
        lo = m + 1;
      } else {
        return Optional.of(x);
      }
    }
    return Optional.empty();
  }

  /**
   * Appends units {@code [endUnit(), newEnd)} as a run sealed with {@code sealContext} (recorded,
   * with flow length {@code sealContextLength}); durable before it returns. Units already sealed
   * keep their context.
   */
  public synchronized void extend(long newEnd, Bytes32 sealContext, long sealContextLength) {
    long end = endUnit();
    if (newEnd <= end) {
      throw new IllegalArgumentException("the copy already reaches unit " + end);
    }
    if (newEnd > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("at most 2^31 units");
    }
    List<Run> next = new ArrayList<>(runs);
    next.add(new Run(end, newEnd, sealContext, sealContextLength));
    runs = List.copyOf(next);
    try {
      writeMeta();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Units sealed and held. */
  public synchronized int sealedUnits() { // the Sealer seals holding this lock
    return sealed.cardinality();
  }

  /** Whether every unit of the runs was tried. */
  public synchronized boolean complete() {
    return cursor >= endUnit();
  }

  /**
   * Seals up to {@code max} more units from the cursor, each with its run's context (units the
   * source does not hold are skipped), forces them to disk and records them.
   *
   * @return the units tried
   */
  public synchronized int sealNext(int max, FlowUnits source) {
    byte[] buf = new byte[Pora.UNIT_BYTES];
    // units sealed together, their chains stepped as one (Seal.sealAll)
    byte[] group = new byte[SEAL_GROUP * Pora.UNIT_BYTES];
    byte[][] contexts = new byte[SEAL_GROUP][];
    long[] units = new long[SEAL_GROUP];
    int tried = 0;
    long end = endUnit();
    try {
      while (tried < max && cursor < end) {
        int n = 0;
        while (n < SEAL_GROUP && tried < max && cursor < end) {
          int i = (int) cursor;
          if (!sealed.get(i) && source.read(i, buf)) {
            System.arraycopy(buf, 0, group, n * Pora.UNIT_BYTES, Pora.UNIT_BYTES);
            contexts[n] = runOf(i).orElseThrow().sealContext().toArrayUnsafe();
            units[n] = i;
            n++;
          }
          cursor++;
          tried++;
        }
        seal.sealAll(minerId.toArrayUnsafe(), contexts, units, group, n);
        for (int j = 0; j < n; j++) {
          write((int) units[j], group, j * Pora.UNIT_BYTES);
          sealed.set((int) units[j]);
        }
      }
      data.force(false);
      writeMeta();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tried;
  }

  /**
   * Starts the cursor again at the first unit not sealed (one the source did not hold when it was
   * tried, e.g. registered on chain before its segments were uploaded); sealed units are skipped.
   *
   * @return whether any unit is left to try
   */
  public synchronized boolean retryMissing() {
    int first = sealed.nextClearBit(0);
    if (first >= endUnit()) {
      return false;
    }
    cursor = Math.min(cursor, first);
    return true;
  }

  /** Reads sealed unit {@code unit} into {@code out}; false if it is not sealed here. */
  public boolean read(long unit, byte[] out) {
    if (unit < 0 || unit >= endUnit() || !sealed.get((int) unit)) {
      return false;
    }
    ByteBuffer b = ByteBuffer.wrap(out, 0, Pora.UNIT_BYTES);
    long pos = unit * Pora.UNIT_BYTES;
    try {
      while (b.hasRemaining()) {
        int n = data.read(b, pos + b.position());
        if (n < 0) {
          return false;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return true;
  }

  /**
   * Checks that a sealed unit unseals (with its run's context) to data with {@code unitRoot}; if
   * not (a corrupt copy), seals it again from {@code source} (or drops it when the source no longer
   * holds it).
   *
   * @return whether the stored copy was good
   */
  public synchronized boolean verifyOrReseal(long unit, Bytes32 unitRoot, FlowUnits source) {
    byte[] buf = new byte[Pora.UNIT_BYTES];
    if (!read(unit, buf)) {
      return false;
    }
    byte[] ctx = runOf(unit).orElseThrow().sealContext().toArrayUnsafe();
    seal.unseal(minerId.toArrayUnsafe(), ctx, unit, buf, 0);
    if (UnitTree.unitRoot(buf, 0).equals(unitRoot)) {
      return true;
    }
    int i = (int) unit;
    try {
      if (source.read(unit, buf)) {
        seal.seal(minerId.toArrayUnsafe(), ctx, unit, buf, 0);
        write(i, buf);
        data.force(false);
      } else {
        sealed.clear(i);
      }
      writeMeta();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return false;
  }

  private void write(int i, byte[] buf) throws IOException {
    write(i, buf, 0);
  }

  /** Writes the unit at {@code buf[off..off+4096)} as unit {@code i}. */
  private void write(int i, byte[] buf, int off) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(buf, off, Pora.UNIT_BYTES);
    long pos = (long) i * Pora.UNIT_BYTES - off;
    while (b.hasRemaining()) {
      data.write(b, pos + b.position());
    }
  }

  private void writeMeta() throws IOException {
    List<Run> r = runs;
    byte[] bits = sealed.toByteArray();
    ByteBuffer b = ByteBuffer.allocate(8 + 32 + 4 + RUN_BYTES * r.size() + 8 + bits.length);
    b.putLong(MAGIC).put(minerId.toArrayUnsafe()).putInt(r.size());
    for (Run x : r) {
      b.putLong(x.firstUnit()).putLong(x.endUnit()).put(x.sealContext().toArrayUnsafe());
      b.putLong(x.sealContextLength());
    }
    b.putLong(cursor).put(bits);
    Path tmp = meta.resolveSibling("sealed.meta.tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(Arrays.copyOf(b.array(), b.position())));
      ch.force(true);
    }
    Files.move(tmp, meta, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void close() {
    try {
      data.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
