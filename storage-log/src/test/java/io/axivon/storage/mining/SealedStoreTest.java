package io.axivon.storage.mining;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.sdk.mining.Pora;
import io.axivon.sdk.mining.Seal;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealedStoreTest {
  static final Bytes32 MINER = Bytes32.fromHexString("0xaa");
  static final Bytes32 SEAL_CTX = Bytes32.fromHexString("0xbb");

  @TempDir Path dir;

  @Test
  void sealsInBatchesAndResumesAfterReopening() {
    MemoryFlow flow = new MemoryFlow(1, 256); // 16 units
    try (SealedStore s = SealedStore.open(dir, MINER, SEAL_CTX, 0, 16)) {
      assertThat(s.sealNext(5, flow)).isEqualTo(5);
      assertThat(s.sealedUnits()).isEqualTo(5);
    }
    try (SealedStore s = SealedStore.open(dir, MINER, SEAL_CTX, 0, 16)) {
      assertThat(s.sealedUnits()).isEqualTo(5);
      assertThat(s.sealNext(100, flow)).isEqualTo(11); // only the rest
      assertThat(s.complete()).isTrue();
      byte[] got = new byte[Pora.UNIT_BYTES];
      for (int u = 0; u < 16; u++) {
        assertThat(s.read(u, got)).isTrue();
        byte[] want = Arrays.copyOfRange(flow.data, u * 4096, (u + 1) * 4096);
        new Seal().seal(MINER.toArrayUnsafe(), SEAL_CTX.toArrayUnsafe(), u, want, 0);
        assertThat(got).isEqualTo(want);
      }
    }
  }

  @Test
  void unitsTheNodeDoesNotHoldAreNotSealed() {
    MemoryFlow flow = new MemoryFlow(2, 256);
    flow.held = u -> u % 2 == 0;
    try (SealedStore s = SealedStore.open(dir, MINER, SEAL_CTX, 0, 16)) {
      s.sealNext(16, flow);
      assertThat(s.sealedUnits()).isEqualTo(8);
      assertThat(s.read(3, new byte[4096])).isFalse();
      assertThat(s.read(4, new byte[4096])).isTrue();
    }
  }

  @Test
  void anotherMinerOrSealContextStartsOver() {
    MemoryFlow flow = new MemoryFlow(3, 256);
    try (SealedStore s = SealedStore.open(dir, MINER, SEAL_CTX, 0, 16)) {
      s.sealNext(16, flow);
    }
    try (SealedStore s = SealedStore.open(dir, MINER, Bytes32.fromHexString("0xcc"), 0, 16)) {
      assertThat(s.sealedUnits()).isZero();
      assertThat(s.complete()).isFalse();
    }
  }

  @Test
  void aCorruptUnitIsDetectedAndSealedAgain() throws Exception {
    MemoryFlow flow = new MemoryFlow(4, 256);
    try (SealedStore s = SealedStore.open(dir, MINER, SEAL_CTX, 0, 16)) {
      s.sealNext(16, flow);
    }
    try (FileChannel ch = FileChannel.open(dir.resolve("sealed.bin"), StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 7L * 4096 + 100);
    }
    try (SealedStore s = SealedStore.open(dir, MINER, SEAL_CTX, 0, 16)) {
      Bytes32 root = flow.tree.leafHash(7);
      assertThat(s.verifyOrReseal(7, root, flow)).isFalse();
      assertThat(s.verifyOrReseal(7, root, flow)).isTrue();
      assertThat(s.verifyOrReseal(6, flow.tree.leafHash(6), flow)).isTrue();
    }
  }
}
