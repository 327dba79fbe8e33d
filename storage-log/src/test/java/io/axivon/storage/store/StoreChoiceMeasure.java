package io.axivon.storage.store;

import io.axivon.common.store.Serializers;
import io.axivon.common.store.Store;
import io.axivon.common.store.StoreOptions;
import io.axivon.common.store.Table;
import io.axivon.sdk.storage.layout.Layout;
import io.axivon.sdk.storage.layout.ZgProof;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The measurement behind the segment store's design (not a test): 256 KiB segments as LMDB values
 * against files with an LMDB index, each write durable (fsync) and atomic. Run with {@code java -cp
 * <test classpath> io.axivon.storage.store.StoreChoiceMeasure DIR SEGMENTS}.
 */
public final class StoreChoiceMeasure {
  private StoreChoiceMeasure() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int n = Integer.parseInt(args[1]);
    byte[] seg = new byte[Layout.SEGMENT_SIZE];
    new Random(1).nextBytes(seg);
    ZgProof proof = new ZgProof(List.of(Bytes32.ZERO, Bytes32.ZERO), List.of(true));
    double mb = n * (double) Layout.SEGMENT_SIZE / 1e6;

    Path lmdbDir = dir.resolve("lmdb");
    long t0 = System.nanoTime();
    try (SegmentStore store = SegmentStore.open(lmdbDir)) {
      StoredFile f = new StoredFile(0, Bytes32.ZERO, (long) n * seg.length, 0, n, 0, false);
      for (int i = 0; i < n; i++) {
        store.put(f, i, Bytes.wrap(seg), proof);
      }
      long t1 = System.nanoTime();
      long sum = 0;
      for (int i = 0; i < n; i++) {
        sum += store.segment(0, i).orElseThrow().size();
      }
      long t2 = System.nanoTime();
      System.out.printf(
          "lmdb values: write %.0f MB/s, read %.0f MB/s (%d)%n",
          mb / ((t1 - t0) / 1e9), mb / ((t2 - t1) / 1e9), sum);
    }

    Table<Bytes, Bytes> index = Table.of("index", Serializers.BYTES, Serializers.BYTES);
    Path filesDir = Files.createDirectories(dir.resolve("files"));
    t0 = System.nanoTime();
    try (Store store = Store.open(dir.resolve("files-index"), StoreOptions.defaults(), index)) {
      for (int i = 0; i < n; i++) {
        Path tmp = filesDir.resolve(i + ".tmp");
        try (FileChannel ch =
            FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
          ch.write(ByteBuffer.wrap(seg));
          ch.force(true);
        }
        Files.move(tmp, filesDir.resolve(String.valueOf(i)), StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel d = FileChannel.open(filesDir, StandardOpenOption.READ)) {
          d.force(true); // the rename must be durable before the index says the segment exists
        }
        Bytes key = SegmentStore.segmentKey(0, i);
        store.write(tx -> tx.put(index, key, Bytes.of(1)));
      }
      long t1 = System.nanoTime();
      long sum = 0;
      for (int i = 0; i < n; i++) {
        Bytes key = SegmentStore.segmentKey(0, i);
        if (store.read(tx -> tx.contains(index, key))) {
          sum += Files.readAllBytes(filesDir.resolve(String.valueOf(i))).length;
        }
      }
      long t2 = System.nanoTime();
      System.out.printf(
          "files + lmdb index: write %.0f MB/s, read %.0f MB/s (%d)%n",
          mb / ((t1 - t0) / 1e9), mb / ((t2 - t1) / 1e9), sum);
    }
  }
}
