package io.axivon.storage.mining;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.time.Clock;
import io.axivon.sdk.mining.Answer;
import io.axivon.sdk.mining.AnswerVerifier;
import io.axivon.sdk.mining.MiningClientException;
import io.axivon.sdk.mining.MiningContext;
import io.axivon.sdk.mining.Verdict;
import io.prometheus.client.CollectorRegistry;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mining loop against a chain in memory that verifies answers as the mining module does. */
class MiningServiceTest {
  static final BigInteger TARGET = BigInteger.ONE.shiftLeft(256 - 6);

  /** Registration, contexts recorded as seal contexts, one paid answer per context. */
  static final class FakeChain implements MiningChain {
    final Bytes32 id = Bytes32.fromHexString("0x" + "5a".repeat(32));
    volatile MiningContext ctx;
    volatile boolean registered;
    final Map<Bytes32, Long> recorded = new HashMap<>();
    final Set<Bytes32> won = new HashSet<>();
    final List<Answer> paid = new CopyOnWriteArrayList<>();
    final LinkedBlockingQueue<String> outcomes = new LinkedBlockingQueue<>();

    FakeChain(MiningContext ctx) {
      setContext(ctx);
    }

    synchronized void setContext(MiningContext c) {
      ctx = c;
      recorded.put(c.digest(), c.flowLength());
    }

    @Override
    public Bytes32 minerId() {
      return id;
    }

    @Override
    public MiningContext context() {
      return ctx;
    }

    @Override
    public BigInteger target() {
      return TARGET;
    }

    @Override
    public boolean registered() {
      return registered;
    }

    @Override
    public void register() {
      registered = true;
    }

    @Override
    public synchronized BigInteger submit(Answer a) {
      Verdict v =
          AnswerVerifier.verify(
              a,
              ctx,
              ctx.digest(),
              TARGET,
              new AnswerVerifier.Ledger() {
                @Override
                public boolean registered(Bytes32 m) {
                  return registered && m.equals(id);
                }

                @Override
                public boolean rewarded(Bytes32 c, Bytes32 m) {
                  return won.contains(c);
                }

                @Override
                public OptionalLong sealContextLength(Bytes32 d) {
                  Long l = recorded.get(d);
                  return l == null ? OptionalLong.empty() : OptionalLong.of(l);
                }
              });
      if (v instanceof Verdict.Rejected r) {
        outcomes.add("refused " + r);
        throw new MiningClientException("submitAnswer refused: " + r);
      }
      won.add(ctx.digest());
      paid.add(a);
      outcomes.add("paid");
      return BigInteger.valueOf(7);
    }
  }

  private static MiningService service(Path dir, FakeChain chain, FlowUnits flow) {
    return service(dir, chain, flow, io.axivon.storage.node.ShardConfig.ALL);
  }

  private static MiningService service(
      Path dir, FakeChain chain, FlowUnits flow, io.axivon.storage.node.ShardConfig shard) {
    return new MiningService(
        new MiningService.Config(dir, 2, 1e6, Duration.ofMillis(20), 256, shard),
        chain,
        flow,
        new MinerMetrics(new CollectorRegistry()),
        Clock.system());
  }

  /** A flow that grows (each length a prefix of the next) and counts the units read from it. */
  static final class GrowingFlow implements FlowUnits {
    volatile MemoryFlow now;
    final java.util.concurrent.atomic.AtomicLong reads =
        new java.util.concurrent.atomic.AtomicLong();

    GrowingFlow(MemoryFlow first) {
      now = first;
    }

    @Override
    public boolean read(long unit, byte[] out) {
      reads.incrementAndGet();
      return now.read(unit, out);
    }

    @Override
    public java.util.Optional<UnitProof> proof(long unit, MiningContext c) {
      return now.proof(unit, c);
    }
  }

  // Waits (on the condition, up to a minute) until the service has sealed `units` units.
  private static void awaitSealed(MiningService s, long units) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (s.status().sealedUnits() < units && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(s.status().sealedUnits()).isEqualTo(units);
  }

  @Test
  void aGrowingFlowSealsOnlyItsNewUnitsAndARestartResumes(@TempDir Path dir) throws Exception {
    MemoryFlow f1 = new MemoryFlow(16, 256); // 16 units, then 32, then 64: prefixes of each other
    MemoryFlow f2 = new MemoryFlow(16, 512);
    MemoryFlow f3 = new MemoryFlow(16, 1024);
    GrowingFlow flow = new GrowingFlow(f1);
    FakeChain chain = new FakeChain(f1.ctx);
    try (MiningService s = service(dir, chain, flow)) {
      s.start();
      assertThat(chain.outcomes.poll(60, TimeUnit.SECONDS)).isEqualTo("paid");
      awaitSealed(s, 16);
      flow.now = f2;
      chain.setContext(f2.ctx);
      awaitSealed(s, 32);
      assertThat(chain.outcomes.poll(60, TimeUnit.SECONDS)).isEqualTo("paid");
      assertThat(s.status().rangeUnits()).isEqualTo(32);
    }
    assertThat(flow.reads.get()).isEqualTo(32); // each unit read (and sealed) once
    // a restart, then the flow grows again: the recorded runs are resumed, not resealed
    flow.now = f3;
    chain.setContext(f3.ctx);
    try (MiningService s = service(dir, chain, flow)) {
      s.start();
      awaitSealed(s, 64);
      assertThat(chain.outcomes.poll(60, TimeUnit.SECONDS)).isEqualTo("paid");
      assertThat(s.status().rangeUnits()).isEqualTo(64);
    }
    assertThat(flow.reads.get()).isEqualTo(64);
    try (SealedStore st = SealedStore.open(dir, chain.id)) {
      assertThat(st.runs())
          .containsExactly(
              new SealedStore.Run(0, 16, f1.ctx.digest(), 256),
              new SealedStore.Run(16, 32, f2.ctx.digest(), 512),
              new SealedStore.Run(32, 64, f3.ctx.digest(), 1024));
    }
    // every paid answer named the context its unit was sealed with (the chain verified it)
    for (Answer a : chain.paid) {
      long unit = a.recallPosition() / 16;
      MiningContext sealedWith = unit < 16 ? f1.ctx : unit < 32 ? f2.ctx : f3.ctx;
      assertThat(a.sealContextDigest()).isEqualTo(sealedWith.digest());
    }
    assertThat(chain.paid).hasSize(3);
  }

  @Test
  void aShardedNodeMinesItsShard(@TempDir Path dir) throws Exception {
    MemoryFlow flow = new MemoryFlow(17, 4096); // 4 segments; the node keeps shard 1/2
    flow.held = u -> (u / io.axivon.sdk.mining.Pora.SEGMENT_UNITS) % 2 == 1;
    FakeChain chain = new FakeChain(flow.ctx);
    MiningService s = service(dir, chain, flow, new io.axivon.storage.node.ShardConfig(1, 2));
    try (s) {
      s.start();
      assertThat(chain.outcomes.poll(60, TimeUnit.SECONDS)).isEqualTo("paid");
      awaitSealed(s, 128);
    }
    Answer a = chain.paid.getFirst();
    assertThat(a.numShard()).isEqualTo(2);
    assertThat(a.shardId()).isEqualTo(1);
    assertThat((a.recallPosition() / 1024) % 2).isEqualTo(1);
    assertThat(s.status().rangeUnits()).isEqualTo(256);
  }

  @Test
  void registersSealsAndIsPaidOncePerContext(@TempDir Path dir) throws Exception {
    MemoryFlow flow = new MemoryFlow(11, 256);
    FakeChain chain = new FakeChain(flow.ctx);
    MiningService s = service(dir, chain, flow);
    try (s) {
      s.start();
      assertThat(chain.registered).isTrue();
      assertThat(chain.outcomes.poll(60, TimeUnit.SECONDS)).isEqualTo("paid");
      // a new epoch over the same flow: paid again, sealed copy kept (sealed under the first one)
      MiningContext next =
          new MiningContext(
              flow.ctx.epoch() + 1,
              0,
              flow.ctx.flowRoot(),
              flow.ctx.flowLength(),
              Bytes32.random());
      chain.setContext(next);
      assertThat(chain.outcomes.poll(60, TimeUnit.SECONDS)).isEqualTo("paid");
    }
    MiningService.Status st = s.status(); // after close: the loop is done
    assertThat(st.answersAccepted()).isEqualTo(2);
    assertThat(st.rewardsWei()).isEqualTo(BigInteger.valueOf(14));
    assertThat(st.rangeUnits()).isEqualTo(16);
    assertThat(st.sealedUnits()).isEqualTo(16);
    assertThat(st.hashes()).isPositive();
    assertThat(st.hashesPerSecond()).isPositive();
    assertThat(chain.paid).hasSize(2);
    assertThat(chain.paid.get(1).contextDigest()).isNotEqualTo(chain.paid.get(0).contextDigest());
    assertThat(chain.paid.get(1).sealContextDigest()).isEqualTo(flow.ctx.digest());
    assertThat(chain.outcomes).isEmpty(); // nothing more was sent: no replays
  }

  @Test
  void aRestartResumesTheRecordedSealedCopy(@TempDir Path dir) throws Exception {
    MemoryFlow flow = new MemoryFlow(12, 256);
    FakeChain chain = new FakeChain(flow.ctx);
    try (MiningService s = service(dir, chain, flow)) {
      s.start();
      assertThat(chain.outcomes.poll(60, TimeUnit.SECONDS)).isEqualTo("paid");
    }
    MiningContext next =
        new MiningContext(
            flow.ctx.epoch() + 1, 0, flow.ctx.flowRoot(), flow.ctx.flowLength(), Bytes32.random());
    chain.setContext(next);
    try (MiningService s = service(dir, chain, flow)) {
      s.start();
      assertThat(chain.outcomes.poll(60, TimeUnit.SECONDS)).isEqualTo("paid");
    }
    assertThat(chain.paid.get(1).sealContextDigest()).isEqualTo(flow.ctx.digest());
  }

  @Test
  void unitsUploadedAfterTheyWereTriedAreSealedInALaterContext(@TempDir Path dir) throws Exception {
    MemoryFlow flow = new MemoryFlow(13, 256);
    java.util.concurrent.CountDownLatch tried = new java.util.concurrent.CountDownLatch(16);
    flow.held =
        u -> { // registered on chain, segments not uploaded yet
          tried.countDown();
          return false;
        };
    FakeChain chain = new FakeChain(flow.ctx);
    MiningService s = service(dir, chain, flow);
    try (s) {
      s.start();
      assertThat(tried.await(60, TimeUnit.SECONDS)).isTrue(); // every unit tried, none held
      MiningContext next =
          new MiningContext(
              flow.ctx.epoch() + 1,
              0,
              flow.ctx.flowRoot(),
              flow.ctx.flowLength(),
              Bytes32.random());
      flow.held = u -> true; // uploaded; the sealed copy is retried in the next context
      chain.setContext(next);
      assertThat(chain.outcomes.poll(60, TimeUnit.SECONDS)).isEqualTo("paid");
    }
    assertThat(s.status().sealedUnits()).isEqualTo(16);
  }
}
