package io.axivon.da.node;

import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import io.axivon.common.codec.RlpLimits;
import io.axivon.common.store.KeyRange;
import io.axivon.common.store.KeyValue;
import io.axivon.common.store.Serializers;
import io.axivon.common.store.Store;
import io.axivon.common.store.StoreOptions;
import io.axivon.common.store.Table;
import io.axivon.da.blob.Axis;
import io.axivon.da.blob.RowColumnRoots;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A DA node's LMDB store: per blob its epoch, quorum and roots, its held lines, and an epoch index
 * so whole epochs are pruned after the retention period.
 */
public final class DaNodeStore implements AutoCloseable {
  /** What a node knows of a blob it holds lines of. */
  public record BlobMeta(long epoch, long quorumId, RowColumnRoots roots) {
    static final RlpCodec<BlobMeta> CODEC =
        RlpCodec.struct(
            (w, m) ->
                w.writeUInt64(m.epoch())
                    .writeUInt64(m.quorumId())
                    .write(RowColumnRoots.CODEC, m.roots()),
            r -> new BlobMeta(r.readUInt64(), r.readUInt64(), r.read(RowColumnRoots.CODEC)));
  }

  /** dataRoot → meta. */
  static final Table<Bytes32, Bytes> BLOBS =
      Table.of("da-blobs", Serializers.BYTES32, Serializers.BYTES);

  /** dataRoot ‖ axis ‖ index → the line's 2k cells. */
  static final Table<Bytes, Bytes> LINES =
      Table.of("da-lines", Serializers.BYTES, Serializers.BYTES);

  /** u64be(epoch) ‖ dataRoot → nothing, for pruning. */
  static final Table<Bytes, Bytes> EPOCHS =
      Table.of("da-epochs", Serializers.BYTES, Serializers.BYTES);

  private static final Bytes MARK = Bytes.of(1);
  private final Store store;

  private DaNodeStore(Store store) {
    this.store = store;
  }

  public static DaNodeStore open(Path dir) {
    return new DaNodeStore(Store.open(dir, StoreOptions.defaults(), BLOBS, LINES, EPOCHS));
  }

  /**
   * Stores lines of a blob (all already checked against {@code meta.roots()}). A blob dispersed
   * again in a later epoch (a retry after a stale epoch, a re-post) is kept by that epoch: its
   * earlier epoch's index entry goes, so pruning that epoch leaves it alone. A late request of an
   * earlier epoch adds its lines but not its epoch.
   */
  public void put(Bytes32 dataRoot, BlobMeta meta, List<DaWire.LinePair> pairs) {
    store.write(
        tx -> {
          BlobMeta kept = meta;
          Optional<BlobMeta> held = tx.get(BLOBS, dataRoot).map(DaNodeStore::decodeMeta);
          if (held.isPresent() && held.get().epoch() > meta.epoch()) {
            kept = held.get();
          } else if (held.isPresent() && held.get().epoch() < meta.epoch()) {
            tx.delete(EPOCHS, epochKey(held.get().epoch(), dataRoot));
          }
          tx.put(BLOBS, dataRoot, Rlp.encode(BlobMeta.CODEC, kept));
          tx.put(EPOCHS, epochKey(kept.epoch(), dataRoot), MARK);
          for (DaWire.LinePair p : pairs) {
            tx.put(LINES, lineKey(dataRoot, Axis.ROW, p.index()), p.row());
            tx.put(LINES, lineKey(dataRoot, Axis.COLUMN, p.index()), p.column());
          }
        });
  }

  public Optional<BlobMeta> meta(Bytes32 dataRoot) {
    return store.read(tx -> tx.get(BLOBS, dataRoot)).map(DaNodeStore::decodeMeta);
  }

  private static BlobMeta decodeMeta(Bytes encoded) {
    return Rlp.decode(BlobMeta.CODEC, encoded, new RlpLimits(1 << 20, 3));
  }

  private static Bytes epochKey(long epoch, Bytes32 dataRoot) {
    return Bytes.concatenate(Bytes.ofUnsignedLong(epoch), dataRoot);
  }

  public Optional<Bytes> line(Bytes32 dataRoot, Axis axis, int index) {
    return store.read(tx -> tx.get(LINES, lineKey(dataRoot, axis, index)));
  }

  /** Deletes every blob of an epoch before {@code firstKept}; returns how many. */
  public int pruneBefore(long firstKept) {
    return store.writeAndGet(
        tx -> {
          List<Bytes> keys;
          try (var s = tx.scan(EPOCHS, KeyRange.lessThan(Bytes.ofUnsignedLong(firstKept)))) {
            keys = s.map(KeyValue::key).toList();
          }
          int pruned = 0;
          for (Bytes key : keys) {
            Bytes32 dataRoot = Bytes32.wrap(key.slice(8, 32));
            tx.delete(EPOCHS, key);
            // an entry a store written before re-dispersals moved the index may have left behind:
            // the blob then lives on under its later epoch
            Optional<BlobMeta> held = tx.get(BLOBS, dataRoot).map(DaNodeStore::decodeMeta);
            if (held.isPresent() && held.get().epoch() >= firstKept) {
              continue;
            }
            if (held.isPresent()) {
              pruned++;
            }
            List<Bytes> lines = new ArrayList<>();
            try (var s = tx.scanPrefix(LINES, dataRoot)) {
              s.forEach(kv -> lines.add(kv.key()));
            }
            lines.forEach(l -> tx.delete(LINES, l));
            tx.delete(BLOBS, dataRoot);
          }
          return pruned;
        });
  }

  /** Blobs held. */
  public long blobCount() {
    return store.read(tx -> tx.count(BLOBS));
  }

  static Bytes lineKey(Bytes32 dataRoot, Axis axis, int index) {
    return Bytes.concatenate(dataRoot, Bytes.of(axis.code(), index >> 8, index & 0xff));
  }

  @Override
  public void close() {
    store.close();
  }
}
