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

  /** The store in {@code dir}, with units {@code [0, units)} as one run under SEAL_CTX if new. */
  static SealedStore sealed(Path dir, long units) {
    SealedStore s = SealedStore.open(dir, MINER);
    if (s.endUnit() == 0) {
      s.extend(units, SEAL_CTX, units * Pora.UNIT_SECTORS);
    }
    return s;
  }

  @Test
  void sealsInBatchesAndResumesAfterReopening() {
    MemoryFlow flow = new MemoryFlow(1, 256); // 16 units
    try (SealedStore s = SealedStoreTest.sealed(dir, 16)) {
      assertThat(s.sealNext(5, flow)).isEqualTo(5);
      assertThat(s.sealedUnits()).isEqualTo(5);
    }
    try (SealedStore s = SealedStoreTest.sealed(dir, 16)) {
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
    try (SealedStore s = SealedStoreTest.sealed(dir, 16)) {
      s.sealNext(16, flow);
      assertThat(s.sealedUnits()).isEqualTo(8);
      assertThat(s.read(3, new byte[4096])).isFalse();
      assertThat(s.read(4, new byte[4096])).isTrue();
    }
  }

  @Test
  void anotherMinerStartsOver() {
    MemoryFlow flow = new MemoryFlow(3, 256);
    try (SealedStore s = SealedStoreTest.sealed(dir, 16)) {
      s.sealNext(16, flow);
    }
    try (SealedStore s = SealedStore.open(dir, Bytes32.fromHexString("0xcc"))) {
      assertThat(s.sealedUnits()).isZero();
      assertThat(s.endUnit()).isZero();
      assertThat(s.runs()).isEmpty();
    }
  }

  @Test
  void aGrowingCopyKeepsEachRunsContextAcrossRestarts() {
    MemoryFlow flow = new MemoryFlow(10, 1024); // 64 units
    Bytes32 ctx2 = Bytes32.fromHexString("0xb2");
    Bytes32 ctx3 = Bytes32.fromHexString("0xb3");
    try (SealedStore s = SealedStoreTest.sealed(dir, 16)) {
      assertThat(s.sealNext(100, flow)).isEqualTo(16);
      s.extend(40, ctx2, 40 * 16);
      assertThat(s.complete()).isFalse();
      assertThat(s.sealNext(10, flow)).isEqualTo(10); // a crash after these: units 16..25
    }
    try (SealedStore s = SealedStore.open(dir, MINER)) {
      assertThat(s.runs())
          .containsExactly(
              new SealedStore.Run(0, 16, SEAL_CTX, 256), new SealedStore.Run(16, 40, ctx2, 640));
      assertThat(s.sealedUnits()).isEqualTo(26);
      assertThat(s.sealNext(100, flow)).isEqualTo(14); // only the rest of the second run
      s.extend(64, ctx3, 1024);
      assertThat(s.sealNext(100, flow)).isEqualTo(24);
      assertThat(s.runOf(15).orElseThrow().sealContext()).isEqualTo(SEAL_CTX);
      assertThat(s.runOf(16).orElseThrow().sealContext()).isEqualTo(ctx2);
      assertThat(s.runOf(63).orElseThrow().sealContext()).isEqualTo(ctx3);
      assertThat(s.runOf(64)).isEmpty();
      byte[] got = new byte[Pora.UNIT_BYTES];
      for (int u = 0; u < 64; u++) {
        assertThat(s.read(u, got)).isTrue();
        byte[] want = Arrays.copyOfRange(flow.data, u * 4096, (u + 1) * 4096);
        Bytes32 ctx = u < 16 ? SEAL_CTX : u < 40 ? ctx2 : ctx3;
        new Seal().seal(MINER.toArrayUnsafe(), ctx.toArrayUnsafe(), u, want, 0);
        assertThat(got).as("unit %d", u).isEqualTo(want);
      }
    }
  }

  @Test
  void aRunNeedsAContextCoveringIt() {
    try (SealedStore s = SealedStoreTest.sealed(dir, 16)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.extend(32, SEAL_CTX, 500))
          .hasMessageContaining("seal context covers 500 sectors, the run ends at 512");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.extend(16, SEAL_CTX, 500))
          .hasMessageContaining("already reaches unit 16");
    }
  }

  @Test
  void aTruncatedMetaStartsOver() throws Exception {
    try (SealedStore s = SealedStoreTest.sealed(dir, 16)) {
      s.sealNext(16, new MemoryFlow(3, 256));
    }
    byte[] meta = java.nio.file.Files.readAllBytes(dir.resolve("sealed.meta"));
    java.nio.file.Files.write(dir.resolve("sealed.meta"), Arrays.copyOf(meta, 60));
    try (SealedStore s = SealedStore.open(dir, MINER)) {
      assertThat(s.endUnit()).isZero();
      assertThat(s.sealedUnits()).isZero();
    }
  }

  @Test
  void aCorruptUnitIsDetectedAndSealedAgain() throws Exception {
    MemoryFlow flow = new MemoryFlow(4, 256);
    try (SealedStore s = SealedStoreTest.sealed(dir, 16)) {
      s.sealNext(16, flow);
    }
    try (FileChannel ch = FileChannel.open(dir.resolve("sealed.bin"), StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 7L * 4096 + 100);
    }
    try (SealedStore s = SealedStoreTest.sealed(dir, 16)) {
      Bytes32 root = flow.tree.leafHash(7);
      assertThat(s.verifyOrReseal(7, root, flow)).isFalse();
      assertThat(s.verifyOrReseal(7, root, flow)).isTrue();
      assertThat(s.verifyOrReseal(6, flow.tree.leafHash(6), flow)).isTrue();
    }
  }
}
