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
    return new Miner(
        new Miner.Config(MINER, SEAL_CTX, flow.ctx.flowLength(), 0, 256, threads), store, flow, m);
  }

  private static Verdict chainCheck(MemoryFlow flow, Answer a) {
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
            return d.equals(SEAL_CTX) ? OptionalLong.of(256) : OptionalLong.empty();
          }
        });
  }

  @Test
  void findsAnswersTheChainAccepts() throws Exception {
    MemoryFlow flow = new MemoryFlow(5, 256);
    MinerMetrics metrics = new MinerMetrics(new CollectorRegistry());
    try (SealedStore store = SealedStore.open(dir, MINER, SEAL_CTX, 0, 16);
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
    try (SealedStore store = SealedStore.open(dir, MINER, SEAL_CTX, 0, 16);
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
    try (SealedStore store = SealedStore.open(dir, MINER, SEAL_CTX, 0, 16)) {
      store.sealNext(16, flow);
    }
    // corrupt every unit: every hit fails the local check once, then is sealed again
    try (FileChannel ch = FileChannel.open(dir.resolve("sealed.bin"), StandardOpenOption.WRITE)) {
      for (int u = 0; u < 16; u++) {
        ch.write(ByteBuffer.wrap(new byte[] {9}), u * 4096L + 5);
      }
    }
    try (SealedStore store = SealedStore.open(dir, MINER, SEAL_CTX, 0, 16);
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
}
