package io.axivon.storage.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.testing.ChildJvm;
import io.axivon.sdk.storage.layout.Layout;
import io.axivon.sdk.storage.layout.ZgProof;
import java.nio.file.Path;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer process killed with SIGKILL in the middle of storing segments: after a restart every
 * segment is either whole and counted, or absent.
 */
class SegmentStoreCrashIT {
  static final int SEGMENTS = 4000;

  /** The writer: stores segment i filled with byte i, printing each index once committed. */
  public static void main(String[] args) {
    try (SegmentStore store = SegmentStore.open(Path.of(args[0]))) {
      StoredFile file =
          new StoredFile(
              1, Bytes32.ZERO, (long) SEGMENTS * Layout.SEGMENT_SIZE, 0, SEGMENTS, 0, false);
      ZgProof proof = new ZgProof(List.of(Bytes32.ZERO), List.of());
      for (int i = 0; i < SEGMENTS; i++) {
        byte[] data = new byte[Layout.SEGMENT_SIZE];
        java.util.Arrays.fill(data, (byte) i);
        store.put(file, i, Bytes.wrap(data), proof);
        System.out.println(i);
        System.out.flush();
      }
    }
  }

  @Test
  void killedWriterLeavesOnlyWholeSegments(@TempDir Path dir) throws Exception {
    Path storeDir = dir.resolve("store");
    int lastCommitted;
    try (ChildJvm writer =
        ChildJvm.start(dir.resolve("writer.err"), SegmentStoreCrashIT.class, storeDir.toString())) {
      do {
        lastCommitted = Integer.parseInt(writer.readLineMatching("\\d+"));
      } while (lastCommitted < 20);
      writer.kill(); // mid-write
    }
    assertThat(lastCommitted).isGreaterThanOrEqualTo(20);
    try (SegmentStore store = SegmentStore.open(storeDir)) {
      StoredFile f = store.file(1).orElseThrow();
      assertThat(f.storedSegments()).isGreaterThan(lastCommitted);
      long present = 0;
      for (int i = 0; i < SEGMENTS; i++) {
        var seg = store.segment(1, i);
        if (seg.isPresent()) {
          present++;
          assertThat(seg.get().size()).isEqualTo(Layout.SEGMENT_SIZE);
          byte b = (byte) i;
          assertThat(seg.get().toArrayUnsafe()).containsOnly(b);
          assertThat(store.proof(1, i)).isPresent();
        }
      }
      assertThat(present).isEqualTo(f.storedSegments());
      // segments are written in order, so what is there is a prefix
      assertThat(store.has(1, present - 1)).isTrue();
      assertThat(store.has(1, present)).isFalse();
    }
  }
}
