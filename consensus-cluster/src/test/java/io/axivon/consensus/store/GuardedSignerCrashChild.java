package io.axivon.consensus.store;

import io.axivon.consensus.sim.SimKeys;
import io.axivon.consensus.types.Signer;
import io.axivon.consensus.types.Vote;
import io.axivon.consensus.types.VoteType;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The child JVM of {@link GuardedSignerCrashIT}: signs votes through a {@link GuardedSigner} at
 * ever later (height, round, step), printing each signature once it is returned, until killed. On
 * start it continues after the WAL's last-sign record.
 */
public final class GuardedSignerCrashChild {
  static final String CHAIN = "crash-chain";
  static final Signer INNER = SimKeys.signer(SimKeys.publicKey(0));

  private GuardedSignerCrashChild() {}

  /** The i-th position: two rounds per height, prevote then precommit in each. */
  static long height(long i) {
    return 1 + i / 4;
  }

  static int round(long i) {
    return (int) ((i / 2) % 2);
  }

  static VoteType type(long i) {
    return i % 2 == 0 ? VoteType.PREVOTE : VoteType.PRECOMMIT;
  }

  /** What the child votes for at a position ("A" values); the parent tries "B" ones. */
  static Bytes signBytes(long h, int r, VoteType t, String value) {
    Bytes32 hash = Bytes32.leftPad(Bytes.wrap((value + h + "/" + r).getBytes()));
    return Vote.signBytes(CHAIN, t, h, r, Optional.of(hash));
  }

  public static void main(String[] args) {
    PrintStream out = System.out;
    try (ConsensusWal wal = ConsensusWal.open(Path.of(args[0]))) {
      GuardedSigner signer = new GuardedSigner(INNER, wal);
      long i = 0;
      Optional<SignRecord> last = wal.lastSign();
      while (last.isPresent()) {
        SignRecord at =
            new SignRecord(
                height(i),
                round(i),
                type(i) == VoteType.PREVOTE ? SignRecord.PREVOTE : SignRecord.PRECOMMIT,
                Bytes.EMPTY,
                Bytes.EMPTY);
        if (at.compareTo(last.get()) > 0) {
          break;
        }
        i++;
      }
      out.println("ready " + i);
      out.flush();
      for (; ; i++) {
        long h = height(i);
        int r = round(i);
        VoteType t = type(i);
        Bytes sig = signer.sign(signBytes(h, r, t, "A"));
        out.println("signed " + h + " " + r + " " + t + " " + sig.toHexString());
        out.flush();
      }
    }
  }
}
