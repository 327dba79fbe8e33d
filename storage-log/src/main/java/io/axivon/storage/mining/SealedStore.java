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
import java.util.Arrays;
import java.util.BitSet;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A miner's sealed copy of its recall range (specs/pora.md section 5), on disk: {@code sealed.bin}
 * holds unit {@code firstUnit + i} at offset {@code 4096 i}; {@code sealed.meta} holds the miner
 * id, the seal context, the range, the sealing cursor and which units are sealed. Sealing is
 * resumable: a batch's units are forced to disk before the meta that counts them replaces the old
 * one atomically, so after a crash a unit is either counted and whole or sealed again. A meta for
 * another miner, seal context or range is discarded (everything is sealed again).
 *
 * <p>Not thread-safe for sealing; {@link #read} may run on several search threads at once
 * (positional reads).
 */
public final class SealedStore implements AutoCloseable {
  private static final int META_HEAD = 32 + 32 + 8 + 8 + 8;

  private final Path meta;
  private final FileChannel data;
  private final Bytes32 minerId;
  private final Bytes32 sealContext;
  private final long firstUnit;
  private final int units;
  private final BitSet sealed;
  private long cursor; // units [0, cursor) of the range were tried
  private final Seal seal = new Seal();

  private SealedStore(
      Path dir,
      FileChannel data,
      Bytes32 minerId,
      Bytes32 sealContext,
      long firstUnit,
      int units,
      BitSet sealed,
      long cursor) {
    this.meta = dir.resolve("sealed.meta");
    this.data = data;
    this.minerId = minerId;
    this.sealContext = sealContext;
    this.firstUnit = firstUnit;
    this.units = units;
    this.sealed = sealed;
    this.cursor = cursor;
  }

  /** Opens (or starts) the sealed copy of units {@code [firstUnit, firstUnit + units)}. */
  public static SealedStore open(
      Path dir, Bytes32 minerId, Bytes32 sealContext, long firstUnit, int units) {
    try {
      Files.createDirectories(dir);
      FileChannel ch =
          FileChannel.open(
              dir.resolve("sealed.bin"),
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
      BitSet done = new BitSet(units);
      long cursor = 0;
      Path m = dir.resolve("sealed.meta");
      if (Files.exists(m)) {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(m));
        if (b.remaining() >= META_HEAD) {
          byte[] id = new byte[32];
          byte[] ctx = new byte[32];
          b.get(id).get(ctx);
          long first = b.getLong();
          long n = b.getLong();
          long c = b.getLong();
          if (Bytes32.wrap(id).equals(minerId)
              && Bytes32.wrap(ctx).equals(sealContext)
              && first == firstUnit
              && n == units) {
            byte[] bits = new byte[b.remaining()];
            b.get(bits);
            done = BitSet.valueOf(bits);
            cursor = c;
          }
        }
      }
      return new SealedStore(dir, ch, minerId, sealContext, firstUnit, units, done, cursor);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public long firstUnit() {
    return firstUnit;
  }

  public int units() {
    return units;
  }

  /** Units sealed and held. */
  public synchronized int sealedUnits() { // the Sealer seals holding this lock
    return sealed.cardinality();
  }

  /** Whether every unit of the range was tried. */
  public boolean complete() {
    return cursor >= units;
  }

  /**
   * Seals up to {@code max} more units from the cursor (units the source does not hold are
   * skipped), forces them to disk and records them.
   *
   * @return the units tried
   */
  public int sealNext(int max, FlowUnits source) {
    byte[] buf = new byte[Pora.UNIT_BYTES];
    int tried = 0;
    try {
      while (tried < max && cursor < units) {
        int i = (int) cursor;
        if (!sealed.get(i) && source.read(firstUnit + i, buf)) {
          seal.seal(minerId.toArrayUnsafe(), sealContext.toArrayUnsafe(), firstUnit + i, buf, 0);
          write(i, buf);
          sealed.set(i);
        }
        cursor++;
        tried++;
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
    if (first >= units) {
      return false;
    }
    cursor = Math.min(cursor, first);
    return true;
  }

  /** Reads sealed unit {@code unit} into {@code out}; false if it is not sealed here. */
  public boolean read(long unit, byte[] out) {
    long i = unit - firstUnit;
    if (i < 0 || i >= units || !sealed.get((int) i)) {
      return false;
    }
    ByteBuffer b = ByteBuffer.wrap(out, 0, Pora.UNIT_BYTES);
    long pos = i * Pora.UNIT_BYTES;
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
   * Checks that a sealed unit unseals to data with {@code unitRoot}; if not (a corrupt copy), seals
   * it again from {@code source} (or drops it when the source no longer holds it).
   *
   * @return whether the stored copy was good
   */
  public boolean verifyOrReseal(long unit, Bytes32 unitRoot, FlowUnits source) {
    byte[] buf = new byte[Pora.UNIT_BYTES];
    if (!read(unit, buf)) {
      return false;
    }
    seal.unseal(minerId.toArrayUnsafe(), sealContext.toArrayUnsafe(), unit, buf, 0);
    if (UnitTree.unitRoot(buf, 0).equals(unitRoot)) {
      return true;
    }
    int i = (int) (unit - firstUnit);
    try {
      if (source.read(unit, buf)) {
        seal.seal(minerId.toArrayUnsafe(), sealContext.toArrayUnsafe(), unit, buf, 0);
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
    ByteBuffer b = ByteBuffer.wrap(buf);
    long pos = (long) i * Pora.UNIT_BYTES;
    while (b.hasRemaining()) {
      data.write(b, pos + b.position());
    }
  }

  private void writeMeta() throws IOException {
    byte[] bits = sealed.toByteArray();
    ByteBuffer b = ByteBuffer.allocate(META_HEAD + bits.length);
    b.put(minerId.toArrayUnsafe()).put(sealContext.toArrayUnsafe());
    b.putLong(firstUnit).putLong(units).putLong(cursor).put(bits);
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
