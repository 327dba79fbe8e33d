package io.axivon.storage.mining;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.time.Clock;
import io.prometheus.client.CollectorRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealerTest {
  @TempDir Path dir;

  @Test
  void sealsTheWholeRangeAndReportsIt() {
    MemoryFlow flow = new MemoryFlow(8, 4096); // 256 units: four batches
    MinerMetrics metrics = new MinerMetrics(new CollectorRegistry());
    Clock clock = Clock.system();
    try (SealedStore store = SealedStoreTest.sealed(dir, 256)) {
      new Sealer(store, flow, metrics, clock, Double.POSITIVE_INFINITY).run();
      assertThat(store.complete()).isTrue();
      assertThat(store.sealedUnits()).isEqualTo(256);
      assertThat(metrics.sealedUnits.get()).isEqualTo(256);
    }
  }

  @Test
  void anInterruptedSealerStopsAndTheNextOneResumes() {
    MemoryFlow flow = new MemoryFlow(9, 4096);
    MinerMetrics metrics = new MinerMetrics(new CollectorRegistry());
    Clock clock = Clock.system();
    try (SealedStore store = SealedStoreTest.sealed(dir, 256)) {
      Thread.currentThread().interrupt(); // as if stopped before the first batch
      new Sealer(store, flow, metrics, clock, Double.POSITIVE_INFINITY).run();
      assertThat(Thread.interrupted()).isTrue();
      assertThat(store.sealedUnits()).isZero();
      new Sealer(store, flow, metrics, clock, Double.POSITIVE_INFINITY).run();
      assertThat(store.sealedUnits()).isEqualTo(256);
    }
  }
}
