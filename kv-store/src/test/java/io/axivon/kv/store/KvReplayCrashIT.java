package io.axivon.kv.store;

import static io.axivon.kv.tx.KvGen.account;
import static io.axivon.kv.tx.KvGen.stream;
import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.store.StoreOptions;
import io.axivon.common.testing.ChildJvm;
import io.axivon.kv.replay.LogEntry;
import io.axivon.kv.tx.AccessControl;
import io.axivon.kv.tx.KvTransaction;
import io.axivon.kv.tx.StreamRead;
import io.axivon.kv.tx.StreamWrite;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A KV node process killed with SIGKILL in the middle of replay: after a restart it resumes at its
 * cursor and reaches the same state digest as a node that replayed the log without a crash.
 */
class KvReplayCrashIT {
  static final int TXS = 250;
  static final StoreOptions OPTIONS = new StoreOptions(1 << 20, 1L << 30, 16);

  /** A fixed pseudo-random log: writes, reads at old versions, ACL ops, garbage. */
  static List<LogEntry> log() {
    Random r = new Random(42);
    List<LogEntry> log = new ArrayList<>();
    for (int i = 0; i < TXS; i++) {
      Bytes32 s = stream(1 + r.nextInt(2));
      if (r.nextInt(20) == 0) {
        byte[] junk = new byte[r.nextInt(30)];
        r.nextBytes(junk);
        log.add(new LogEntry(account(1), List.of(s), Bytes.wrap(junk)));
        continue;
      }
      Bytes key = Bytes.of('a' + r.nextInt(5));
      List<StreamRead> reads = r.nextBoolean() ? List.of(new StreamRead(s, key)) : List.of();
      List<AccessControl> controls =
          r.nextInt(10) == 0
              ? List.of(
                  AccessControl.withAccount(
                      AccessControl.Op.GRANT_WRITE_ROLE, s, account(1 + r.nextInt(3))))
              : List.of();
      long version = r.nextBoolean() ? -1 : Math.max(0, 2L * i - r.nextInt(10));
      byte[] value = new byte[r.nextInt(100)];
      r.nextBytes(value);
      KvTransaction tx =
          new KvTransaction(
              version, reads, List.of(new StreamWrite(s, key, Bytes.wrap(value))), controls);
      log.add(LogEntry.of(account(1 + r.nextInt(3)), tx));
    }
    return log;
  }

  /** The replaying process: resumes at the cursor and prints each submission seq it commits. */
  public static void main(String[] args) {
    List<LogEntry> log = log();
    try (KvStore store = KvStore.open(Path.of(args[0]), OPTIONS)) {
      if (store.nextTxSeq() == 0) {
        store.skip(0);
      }
      for (long seq = store.nextTxSeq(); seq <= 2L * TXS; seq = store.nextTxSeq()) {
        if (seq % 2 == 1) {
          LogEntry e = log.get((int) (seq / 2));
          store.apply(seq, e.sender(), e.tags(), e.data(), s -> true);
        } else {
          store.skip(seq);
        }
        System.out.println(seq);
        System.out.flush();
      }
    }
  }

  @Test
  void killedReplayResumesToTheSameDigest(@TempDir Path dir) throws Exception {
    Path crashed = dir.resolve("crashed");
    long lastCommitted;
    try (ChildJvm replayer =
        ChildJvm.start(dir.resolve("replayer.err"), KvReplayCrashIT.class, crashed.toString())) {
      do {
        lastCommitted = Long.parseLong(replayer.readLineMatching("\\d+"));
      } while (lastCommitted < 100);
      replayer.kill(); // mid-replay
    }
    assertThat(lastCommitted).isGreaterThanOrEqualTo(100);

    List<LogEntry> log = log();
    try (KvStore store = KvStore.open(crashed, OPTIONS)) {
      assertThat(store.nextTxSeq()).isGreaterThan(lastCommitted);
      assertThat(store.nextTxSeq()).isLessThanOrEqualTo(2L * TXS + 1);
      // finish the replay in this process
      for (long seq = store.nextTxSeq(); seq <= 2L * TXS; seq++) {
        if (seq % 2 == 1) {
          LogEntry e = log.get((int) (seq / 2));
          store.apply(seq, e.sender(), e.tags(), e.data(), s -> true);
        } else {
          store.skip(seq);
        }
      }
      Bytes32 digest = store.digest();
      try (KvStore clean = KvStore.open(dir.resolve("clean"), OPTIONS)) {
        clean.skip(0);
        KvStoreProperties.replay(clean, log, 0, log.size());
        assertThat(clean.digest()).isEqualTo(digest);
        assertThat(clean.result(1)).isEqualTo(store.result(1));
      }
    }
  }
}
