package io.axivon.consensus.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.testing.ChildJvm;
import io.axivon.consensus.types.VoteType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Double-sign protection across SIGKILL: a child JVM signs votes through a {@link GuardedSigner}
 * and is killed after a random number (fixed seed) of printed signatures, several times on the same
 * WAL. After each kill, a signer on the reopened WAL must refuse a conflicting vote at every
 * position the child printed a signature for, and must return the very signature printed for the
 * last one: no printed signature's sign record may be lost.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GuardedSignerCrashIT {
  private record Signed(long height, int round, VoteType type, Bytes signature) {}

  @TempDir Path tmp;

  @Test
  void killedSignerNeverForgetsWhatItSigned() throws Exception {
    Path data = tmp.resolve("wal");
    Random random = new Random(20261125);
    List<Signed> printed = new ArrayList<>();
    for (int round = 0; round < 6; round++) {
      int killAfter = round == 0 ? 0 : random.nextInt(60);
      try (ChildJvm child =
          ChildJvm.start(
              tmp.resolve("child-" + round + ".err"),
              GuardedSignerCrashChild.class,
              data.toString())) {
        assertThat(child.readLine()).startsWith("ready ");
        for (int n = 0; n < killAfter; n++) {
          String[] f = child.readLine().split(" ");
          assertThat(f[0]).isEqualTo("signed");
          printed.add(
              new Signed(
                  Long.parseLong(f[1]),
                  Integer.parseInt(f[2]),
                  VoteType.valueOf(f[3]),
                  Bytes.fromHexString(f[4])));
        }
        child.kill();
      }
      verify(data, printed);
    }
    assertThat(printed).as("the children signed something").hasSizeGreaterThan(20);
  }

  private static void verify(Path data, List<Signed> printed) {
    try (ConsensusWal wal = ConsensusWal.open(data)) {
      GuardedSigner signer = new GuardedSigner(GuardedSignerCrashChild.INNER, wal);
      for (Signed s : printed) {
        Bytes conflicting = GuardedSignerCrashChild.signBytes(s.height, s.round, s.type, "B");
        assertThatThrownBy(() -> signer.sign(conflicting))
            .as("conflict at %s/%s/%s", s.height, s.round, s.type)
            .isInstanceOf(DoubleSignException.class);
      }
      if (!printed.isEmpty()) {
        Signed last = printed.getLast();
        SignRecord record = wal.lastSign().orElseThrow();
        SignRecord lastPrinted =
            new SignRecord(
                last.height,
                last.round,
                last.type == VoteType.PREVOTE ? SignRecord.PREVOTE : SignRecord.PRECOMMIT,
                GuardedSignerCrashChild.signBytes(last.height, last.round, last.type, "A"),
                last.signature);
        int c = record.compareTo(lastPrinted);
        assertThat(c).as("last-sign record not behind the last printed signature").isNotNegative();
        if (c == 0) {
          assertThat(record).isEqualTo(lastPrinted);
          assertThat(signer.sign(lastPrinted.signBytes())).isEqualTo(last.signature);
        }
      }
    }
  }
}
