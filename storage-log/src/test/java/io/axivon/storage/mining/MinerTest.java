package io.axivon.storage.mining;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.sdk.mining.Answer;
import io.axivon.sdk.mining.AnswerVerifier;
import io.axivon.sdk.mining.Pora;
import io.axivon.sdk.mining.Verdict;
import io.prometheus.client.CollectorRegistry;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MinerTest {
  static final Bytes32 MINER = SealedStoreTest.MINER;
  static final Bytes32 SEAL_CTX = SealedStoreTest.SEAL_CTX;
  static final BigInteger TARGET = BigInteger.ONE.shiftLeft(256 - 8);

  @TempDir Path dir;

  private Miner miner(MemoryFlow flow, SealedStore store, MinerMetrics m, int threads) {
    return new Miner(Miner.Config.whole(MINER, 0, 256, threads), store, flow, m);
  }

  /** The chain's check of an answer whose store holds the one context SEAL_CTX (256 sectors). */
  private static Verdict chainCheck(MemoryFlow flow, Answer a) {
    return check(flow, a, java.util.Map.of(SEAL_CTX, 256L));
  }

  @Test
  void findsAnswersTheChainAccepts() throws Exception {
    MemoryFlow flow = new MemoryFlow(5, 256);
    MinerMetrics metrics = new MinerMetrics(new CollectorRegistry());
    try (SealedStore store = SealedStoreTest.sealed(dir, 16);
        Miner m = miner(flow, store, metrics, 2)) {
      store.sealNext(16, flow);
      Optional<Answer> a = m.mine(flow.ctx, TARGET, Bytes32.ZERO, 100_000);
      assertThat(a).isPresent();
      assertThat(chainCheck(flow, a.get())).isInstanceOf(Verdict.Accepted.class);
      assertThat(metrics.hashes()).isPositive();
      assertThat(metrics.answers()).isEqualTo(1);
    }
  }

  @Test
  void unitsNotHeldNeverProduceAnswers() throws Exception {
    MemoryFlow flow = new MemoryFlow(6, 256);
    flow.held = u -> u < 4; // the node dropped units 4–15
    MinerMetrics metrics = new MinerMetrics(new CollectorRegistry());
    try (SealedStore store = SealedStoreTest.sealed(dir, 16);
        Miner m = miner(flow, store, metrics, 1)) {
      store.sealNext(16, flow);
      for (int round = 0; round < 20; round++) {
        Optional<Answer> a =
            m.mine(
                flow.ctx, TARGET, Bytes32.leftPad(org.apache.tuweni.bytes.Bytes.of(round)), 5_000);
        a.ifPresent(x -> assertThat(x.recallPosition() / Pora.UNIT_SECTORS).isLessThan(4));
      }
      assertThat(metrics.answers()).isPositive();
    }
  }

  @Test
  void aCorruptSealedUnitIsResealedNotSubmitted() throws Exception {
    MemoryFlow flow = new MemoryFlow(7, 256);
    MinerMetrics metrics = new MinerMetrics(new CollectorRegistry());
    try (SealedStore store = SealedStoreTest.sealed(dir, 16)) {
      store.sealNext(16, flow);
    }
    // corrupt every unit: every hit fails the local check once, then is sealed again
    try (FileChannel ch = FileChannel.open(dir.resolve("sealed.bin"), StandardOpenOption.WRITE)) {
      for (int u = 0; u < 16; u++) {
        ch.write(ByteBuffer.wrap(new byte[] {9}), u * 4096L + 5);
      }
    }
    try (SealedStore store = SealedStoreTest.sealed(dir, 16);
        Miner m = miner(flow, store, metrics, 1)) {
      Optional<Answer> a = Optional.empty();
      for (int round = 0; round < 50 && a.isEmpty(); round++) {
        a =
            m.mine(
                flow.ctx, TARGET, Bytes32.leftPad(org.apache.tuweni.bytes.Bytes.of(round)), 2_000);
      }
      assertThat(a).isPresent();
      assertThat(chainCheck(flow, a.get())).isInstanceOf(Verdict.Accepted.class);
      assertThat(metrics.resealed.get()).isPositive();
    }
  }

  private static Verdict check(MemoryFlow flow, Answer a, java.util.Map<Bytes32, Long> recorded) {
    return AnswerVerifier.verify(
        a,
        flow.ctx,
        flow.ctx.digest(),
        TARGET,
        new AnswerVerifier.Ledger() {
          @Override
          public boolean registered(Bytes32 id) {
            return id.equals(MINER);
          }

          @Override
          public boolean rewarded(Bytes32 c, Bytes32 id) {
            return false;
          }

          @Override
          public OptionalLong sealContextLength(Bytes32 d) {
            Long l = recorded.get(d);
            return l == null ? OptionalLong.empty() : OptionalLong.of(l);
          }
        });
  }

  @Test
  void answersForUnitsOfEveryRunUseThatRunsContextAndVerify() throws Exception {
    MemoryFlow flow = new MemoryFlow(14, 1024); // 64 units, grown in three steps
    Bytes32 c2 = Bytes32.fromHexString("0xc2");
    Bytes32 c3 = Bytes32.fromHexString("0xc3");
    java.util.Map<Bytes32, Long> recorded = java.util.Map.of(SEAL_CTX, 256L, c2, 512L, c3, 1024L);
    MinerMetrics metrics = new MinerMetrics(new CollectorRegistry());
    try (SealedStore store = SealedStoreTest.sealed(dir, 16)) {
      store.sealNext(100, flow);
      store.extend(32, c2, 512);
      store.sealNext(100, flow);
      store.extend(64, c3, 1024);
      store.sealNext(100, flow);
      java.util.Set<Bytes32> used = new java.util.HashSet<>();
      try (Miner m = new Miner(Miner.Config.whole(MINER, 0, 1024, 1), store, flow, metrics)) {
        for (int round = 0; round < 200 && used.size() < 3; round++) {
          Optional<Answer> a =
              m.mine(
                  flow.ctx,
                  TARGET,
                  Bytes32.rightPad(org.apache.tuweni.bytes.Bytes.ofUnsignedInt(round)),
                  500);
          if (a.isPresent()) {
            long unit = a.get().recallPosition() / Pora.UNIT_SECTORS;
            Bytes32 want = unit < 16 ? SEAL_CTX : unit < 32 ? c2 : c3;
            assertThat(a.get().sealContextDigest()).isEqualTo(want);
            assertThat(check(flow, a.get(), recorded)).isInstanceOf(Verdict.Accepted.class);
            used.add(want);
          }
        }
      }
      assertThat(used)
          .as("answers %s", metrics.answers())
          .containsExactlyInAnyOrder(SEAL_CTX, c2, c3);
    }
  }

  @Test
  void aShardedMinerRecallsOnlyItsShardAndIsAccepted() throws Exception {
    MemoryFlow flow = new MemoryFlow(15, 4 * Pora.SEGMENT_SECTORS); // 4 segments
    flow.held = u -> (u / Pora.SEGMENT_UNITS) % 2 == 1; // shard 1/2: segments 1 and 3
    MinerMetrics metrics = new MinerMetrics(new CollectorRegistry());
    try (SealedStore store = SealedStore.open(dir, MINER)) {
      store.extend(256, SEAL_CTX, 4096);
      store.sealNext(256, flow);
      assertThat(store.sealedUnits()).isEqualTo(128);
      java.util.Map<Bytes32, Long> recorded = java.util.Map.of(SEAL_CTX, 4096L);
      try (Miner m = new Miner(new Miner.Config(MINER, 0, 4096, 1, 2, 2), store, flow, metrics)) {
        int found = 0;
        for (int round = 0; round < 20; round++) {
          Optional<Answer> a =
              m.mine(
                  flow.ctx,
                  TARGET,
                  Bytes32.rightPad(org.apache.tuweni.bytes.Bytes.ofUnsignedInt(round)),
                  1000);
          if (a.isPresent()) {
            found++;
            assertThat(a.get().numShard()).isEqualTo(2);
            assertThat(a.get().shardId()).isEqualTo(1);
            assertThat(Pora.inShard(a.get().recallPosition(), 1, 2)).isTrue();
            Verdict v = check(flow, a.get(), recorded);
            assertThat(v).isInstanceOf(Verdict.Accepted.class);
            assertThat(((Verdict.Accepted) v).effectiveTarget()).isEqualTo(TARGET.shiftRight(1));
          }
        }
        assertThat(found).isPositive();
        // every search step read a held unit: no nonce was spent on another shard's
        assertThat(metrics.hashes()).isPositive();
      }
    }
  }
}
