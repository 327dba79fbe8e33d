package io.axivon.common.store;

import static io.axivon.common.store.StoreCrashChild.CHECKSUM;
import static io.axivon.common.store.StoreCrashChild.COUNTER;
import static io.axivon.common.store.StoreCrashChild.KEYS;
import static io.axivon.common.store.StoreCrashChild.KEY_COUNT;
import static io.axivon.common.store.StoreCrashChild.LOG;
import static io.axivon.common.store.StoreCrashChild.OPTIONS;
import static io.axivon.common.store.StoreCrashChild.STATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.testing.ChildJvm;
import java.nio.file.Path;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash durability: a child JVM writes transactions in a loop and is SIGKILLed right after the
 * parent reads its Nth "committed" line, for several N, on the same directory. After every kill the
 * store must reopen, be internally consistent, and hold at least every transaction the child
 * reported. The kill points are deterministic in the child's progress; where the child is in its
 * next transaction (writing, committing, growing the map) is what varies.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StoreCrashIT {
  /** Commits to wait for before each kill; 0 kills right after the child opened the store. */
  private static final int[] KILL_AFTER = {0, 1, 4, 13, 30, 57};

  @TempDir Path tmp;

  @Test
  void killedWriterLeavesEveryReportedTransactionIntact() throws Exception {
    Path data = tmp.resolve("data");
    long recovered = 0;
    for (int round = 0; round < KILL_AFTER.length; round++) {
      long reported;
      try (ChildJvm child =
          ChildJvm.start(
              tmp.resolve("child-" + round + ".err"), StoreCrashChild.class, data.toString())) {
        assertThat(child.readLine()).isEqualTo("ready " + recovered);
        if (round == 0) {
          assertThatThrownBy(() -> Store.open(data, OPTIONS, STATE, KEYS, LOG))
              .isInstanceOf(StoreLockedException.class)
              .hasMessageContaining("in use by another process")
              .hasMessageContaining(Store.LOCK_FILE);
        }
        reported = recovered;
        for (int n = 0; n < KILL_AFTER[round]; n++) {
          assertThat(child.readLine()).isEqualTo("committed " + (reported + 1));
          reported++;
        }
        child.kill();
      }
      recovered = verify(data, reported);
    }
    try (Store store = Store.open(data, OPTIONS, STATE, KEYS, LOG)) {
      assertThat(store.mapSize())
          .as("the run crossed map growth")
          .isGreaterThan(OPTIONS.initialMapSize());
    }
  }

  /** Checks the reopened store is consistent and not behind; returns its counter. */
  private static long verify(Path data, long reported) {
    try (Store store = Store.open(data, OPTIONS, STATE, KEYS, LOG)) {
      return store.read(
          tx -> {
            long counter = tx.get(STATE, COUNTER).orElse(0L);
            assertThat(counter)
                .as("counter vs last reported commit")
                .isGreaterThanOrEqualTo(reported);
            List<KeyValue<Long, Bytes>> keys = tx.scan(KEYS, KeyRange.all()).toList();
            if (counter == 0) {
              assertThat(keys).isEmpty();
              assertThat(tx.count(LOG)).isZero();
              assertThat(tx.get(STATE, CHECKSUM)).isEmpty();
              return 0L;
            }
            assertThat(keys).hasSize(KEY_COUNT);
            for (int i = 0; i < KEY_COUNT; i++) {
              assertThat(keys.get(i))
                  .isEqualTo(new KeyValue<>((long) i, StoreCrashChild.keyValue(counter, i)));
            }
            Bytes[] values = keys.stream().map(KeyValue::value).toArray(Bytes[]::new);
            assertThat(tx.get(STATE, CHECKSUM)).contains(StoreCrashChild.checksumOf(values));
            assertThat(tx.count(LOG)).isEqualTo(counter);
            long expected = 1;
            for (KeyValue<Long, Bytes> entry : tx.scan(LOG, KeyRange.all()).toList()) {
              assertThat(entry.key()).isEqualTo(expected);
              assertThat(entry.value()).isEqualTo(StoreCrashChild.payload(expected));
              expected++;
            }
            return counter;
          });
    }
  }
}
