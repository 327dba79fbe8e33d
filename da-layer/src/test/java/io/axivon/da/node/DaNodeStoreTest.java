package io.axivon.da.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.da.blob.Axis;
import io.axivon.da.blob.ExtendedSquare;
import io.axivon.da.blob.SquareEncoder;
import java.nio.file.Path;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaNodeStoreTest {
  @TempDir Path dir;

  @Test
  void storesReopensAndPrunesWholeEpochs() {
    ExtendedSquare a;
    ExtendedSquare b;
    try (SquareEncoder enc = SquareEncoder.create(1)) {
      a = enc.encode(Bytes.wrap(new byte[3000]));
      b = enc.encode(Bytes.wrap(new byte[] {1, 2, 3}));
    }
    try (DaNodeStore store = DaNodeStore.open(dir)) {
      putLine(store, a, 3, 0, 1);
      putLine(store, b, 5, 0, 0);
    }
    try (DaNodeStore store = DaNodeStore.open(dir)) {
      assertThat(store.blobCount()).isEqualTo(2);
      assertThat(store.meta(a.dataRoot()).orElseThrow().roots()).isEqualTo(a.roots());
      assertThat(store.line(a.dataRoot(), Axis.COLUMN, 1)).contains(a.line(Axis.COLUMN, 1));
      assertThat(store.line(a.dataRoot(), Axis.ROW, 0)).isEmpty();
      assertThat(store.pruneBefore(4)).isEqualTo(1);
      assertThat(store.meta(a.dataRoot())).isEmpty();
      assertThat(store.line(a.dataRoot(), Axis.ROW, 1)).isEmpty();
      assertThat(store.line(b.dataRoot(), Axis.ROW, 0)).contains(b.line(Axis.ROW, 0));
      assertThat(store.pruneBefore(4)).isZero();
      assertThat(store.pruneBefore(6)).isEqualTo(1);
      assertThat(store.blobCount()).isZero();
    }
  }

  @Test
  void aBlobDispersedAgainInALaterEpochIsPrunedOnThatEpochsSchedule() {
    ExtendedSquare a;
    try (SquareEncoder enc = SquareEncoder.create(1)) {
      a = enc.encode(Bytes.wrap(new byte[3000]));
    }
    try (DaNodeStore store = DaNodeStore.open(dir)) {
      putLine(store, a, 3, 0, 1);
      // a retry in epoch 5 is assigned another line
      putLine(store, a, 5, 1, 0);
      // a late request of epoch 4 adds its line, not its epoch
      putLine(store, a, 4, 0, 2);
      assertThat(store.meta(a.dataRoot()).orElseThrow().epoch()).isEqualTo(5);
      assertThat(store.meta(a.dataRoot()).orElseThrow().quorumId()).isEqualTo(1);
      assertThat(store.pruneBefore(5)).isZero();
      assertThat(store.line(a.dataRoot(), Axis.ROW, 0)).contains(a.line(Axis.ROW, 0));
      assertThat(store.line(a.dataRoot(), Axis.ROW, 1)).contains(a.line(Axis.ROW, 1));
      assertThat(store.line(a.dataRoot(), Axis.COLUMN, 2)).contains(a.line(Axis.COLUMN, 2));
      assertThat(store.pruneBefore(6)).isEqualTo(1);
      assertThat(store.blobCount()).isZero();
      assertThat(store.line(a.dataRoot(), Axis.ROW, 2)).isEmpty();
    }
  }

  @Test
  void anIndexEntryLeftBehindByAnOlderBuildDoesNotPruneALaterEpochsBlob() {
    ExtendedSquare a;
    try (SquareEncoder enc = SquareEncoder.create(1)) {
      a = enc.encode(Bytes.wrap(new byte[] {7}));
    }
    try (DaNodeStore store = DaNodeStore.open(dir)) {
      putLine(store, a, 6, 0, 0);
    }
    // what the store looked like when a re-dispersal left its first epoch's entry behind
    try (var raw =
        io.axivon.common.store.Store.open(
            dir,
            io.axivon.common.store.StoreOptions.defaults(),
            DaNodeStore.BLOBS,
            DaNodeStore.LINES,
            DaNodeStore.EPOCHS)) {
      raw.write(
          tx ->
              tx.put(
                  DaNodeStore.EPOCHS,
                  Bytes.concatenate(Bytes.ofUnsignedLong(2), a.dataRoot()),
                  Bytes.of(1)));
    }
    try (DaNodeStore store = DaNodeStore.open(dir)) {
      assertThat(store.pruneBefore(3)).isZero();
      assertThat(store.line(a.dataRoot(), Axis.ROW, 0)).contains(a.line(Axis.ROW, 0));
      assertThat(store.pruneBefore(7)).isEqualTo(1);
      assertThat(store.blobCount()).isZero();
    }
  }

  /** Stores line pair {@code index} of {@code square}, dispersed for (epoch, quorumId). */
  private static void putLine(
      DaNodeStore store, ExtendedSquare square, long epoch, long quorumId, int index) {
    store.put(
        square.dataRoot(),
        new DaNodeStore.BlobMeta(epoch, quorumId, square.roots()),
        List.of(
            new DaWire.LinePair(
                index, square.line(Axis.ROW, index), square.line(Axis.COLUMN, index))));
  }
}
