package io.axivon.kv.replay;

import static io.axivon.kv.tx.KvGen.account;
import static io.axivon.kv.tx.KvGen.stream;
import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.kv.tx.AccessControl;
import io.axivon.kv.tx.AccessControl.Op;
import io.axivon.kv.tx.KvGen;
import io.axivon.kv.tx.KvTags;
import io.axivon.kv.tx.KvTransaction;
import io.axivon.kv.tx.KvTxCodec;
import io.axivon.kv.tx.StreamRead;
import io.axivon.kv.tx.StreamWrite;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;

class KvReplayProperties {
  static final Address ALICE = account(1);
  static final Address BOB = account(2);
  static final Address CAROL = account(3);
  static final Bytes32 S = stream(1);
  static final Bytes X = Bytes.of('x');
  static final Bytes Y = Bytes.of('y');

  /** Random logs: mostly well-formed transactions, some garbage, some with tags missing. */
  @Provide
  static Arbitrary<List<LogEntry>> logs() {
    Arbitrary<LogEntry> good =
        Combinators.combine(KvGen.accounts(), KvGen.transactions()).as(LogEntry::of);
    Arbitrary<LogEntry> garbage =
        Combinators.combine(
                KvGen.accounts(),
                KvGen.streams().list().ofMinSize(1).ofMaxSize(2),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(Bytes::wrap))
            .as(LogEntry::new);
    Arbitrary<LogEntry> untagged =
        Combinators.combine(KvGen.accounts(), KvGen.transactions(), KvGen.streams())
            .as((a, tx, s) -> new LogEntry(a, List.of(s), KvTxCodec.encode(tx)));
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(8, good),
            net.jqwik.api.Tuple.of(1, garbage),
            net.jqwik.api.Tuple.of(1, untagged))
        .list()
        .ofMaxSize(30);
  }

  @Property
  void replayIsDeterministic(@ForAll("logs") List<LogEntry> log) {
    MemoryKvState a = new MemoryKvState();
    MemoryKvState b = new MemoryKvState();
    for (int i = 0; i < log.size(); i++) {
      LogEntry e = log.get(i);
      a.apply(i + 1, e.sender(), e.tags(), e.data());
      b.apply(i + 1, e.sender(), e.tags(), e.data());
    }
    assertThat(a.results).isEqualTo(b.results);
    for (Bytes32 s : KvGen.STREAMS) {
      for (String k : List.of("a", "b", "c", "aa", "ab", "cc")) {
        Bytes key = Bytes.wrap(k.getBytes());
        assertThat(a.value(s, key)).isEqualTo(b.value(s, key));
        assertThat(a.latestVersion(s, key)).isEqualTo(b.latestVersion(s, key));
      }
    }
  }

  /**
   * A transaction fails with VersionConfliction exactly when a key it reads or writes was last
   * written by a committed transaction after its version; the reported key is the first such key.
   */
  @Property
  void occDetectsExactlyTheStaleKeys(@ForAll("logs") List<LogEntry> log) {
    MemoryKvState state = new MemoryKvState();
    Map<Bytes, Long> lastWrite =
        new HashMap<>(); // model: stream ‖ key → seq of last committed write
    for (int i = 0; i < log.size(); i++) {
      long seq = i + 1;
      LogEntry e = log.get(i);
      TxResult result = state.apply(seq, e.sender(), e.tags(), e.data());
      KvTransaction tx;
      try {
        tx = KvTxCodec.decode(e.data());
      } catch (io.axivon.common.InvalidInputException bad) {
        assertThat(result).isInstanceOf(TxResult.DataParseError.class);
        continue;
      }
      if (result instanceof TxResult.TagsMismatch) {
        continue; // checked before concurrency
      }
      List<Bytes> touched = new ArrayList<>();
      tx.reads().forEach(r -> touched.add(Bytes.concatenate(r.streamId(), r.key())));
      tx.writes().forEach(w -> touched.add(Bytes.concatenate(w.streamId(), w.key())));
      Bytes stale =
          touched.stream()
              .filter(k -> Long.compareUnsigned(lastWrite.getOrDefault(k, 0L), tx.version()) > 0)
              .findFirst()
              .orElse(null);
      if (stale == null) {
        assertThat(result).isNotInstanceOf(TxResult.VersionConfliction.class);
      } else {
        assertThat(result).isInstanceOf(TxResult.VersionConfliction.class);
        TxResult.VersionConfliction c = (TxResult.VersionConfliction) result;
        assertThat(Bytes.concatenate(c.streamId(), c.key())).isEqualTo(stale);
      }
      if (result.committed()) {
        tx.writes().forEach(w -> lastWrite.put(Bytes.concatenate(w.streamId(), w.key()), seq));
      }
    }
  }

  @Property
  void failedTransactionsChangeNothing(@ForAll("logs") List<LogEntry> log) {
    MemoryKvState state = new MemoryKvState();
    for (int i = 0; i < log.size(); i++) {
      LogEntry e = log.get(i);
      KvReplay.Outcome outcome =
          KvReplay.apply(state, i + 1, e.sender(), e.tags(), e.data(), s -> true);
      if (!outcome.result().committed()) {
        assertThat(outcome.effects()).isEmpty();
      }
      state.apply(i + 1, e.sender(), e.tags(), e.data());
    }
  }

  private static KvTransaction tx(long version, List<StreamRead> reads, List<StreamWrite> writes) {
    return new KvTransaction(version, reads, writes, List.of());
  }

  private static TxResult run(MemoryKvState state, long seq, Address sender, KvTransaction tx) {
    return state.apply(seq, sender, KvTags.streamIds(tx), KvTxCodec.encode(tx));
  }

  private static TxResult control(
      MemoryKvState state, long seq, Address sender, AccessControl... controls) {
    return run(state, seq, sender, new KvTransaction(-1, List.of(), List.of(), List.of(controls)));
  }

  private static StreamWrite put(Bytes key, String value) {
    return new StreamWrite(S, key, Bytes.wrap(value.getBytes()));
  }

  @Test
  void lostUpdateIsDetected() {
    MemoryKvState state = new MemoryKvState();
    assertThat(run(state, 1, ALICE, tx(0, List.of(), List.of(put(X, "0")))))
        .isEqualTo(new TxResult.Committed());
    // both read x at version 1 and write x
    KvTransaction t1 = tx(1, List.of(new StreamRead(S, X)), List.of(put(X, "1")));
    KvTransaction t2 = tx(1, List.of(new StreamRead(S, X)), List.of(put(X, "2")));
    assertThat(run(state, 2, ALICE, t1).committed()).isTrue();
    TxResult second = run(state, 3, ALICE, t2);
    assertThat(second).isEqualTo(new TxResult.VersionConfliction(S, X, 2, 1));
    assertThat(second.text())
        .startsWith("VersionConfliction: stream " + S.toHexString() + " key 0x78");
    assertThat(state.value(S, X)).isEqualTo(Bytes.wrap("1".getBytes()));
  }

  @Test
  void writeSkewIsDetected() {
    MemoryKvState state = new MemoryKvState();
    run(state, 1, ALICE, tx(0, List.of(), List.of(put(X, "1"), put(Y, "1"))));
    // t1 reads x, writes y; t2 reads y, writes x; both at version 1: the second read a stale y
    KvTransaction t1 = tx(1, List.of(new StreamRead(S, X)), List.of(put(Y, "0")));
    KvTransaction t2 = tx(1, List.of(new StreamRead(S, Y)), List.of(put(X, "0")));
    assertThat(run(state, 2, ALICE, t1).committed()).isTrue();
    assertThat(run(state, 3, ALICE, t2)).isEqualTo(new TxResult.VersionConfliction(S, Y, 2, 1));
    assertThat(state.value(S, X)).isEqualTo(Bytes.wrap("1".getBytes()));
  }

  @Test
  void maxVersionNeverConflicts() {
    MemoryKvState state = new MemoryKvState();
    run(state, 5, ALICE, tx(-1, List.of(), List.of(put(X, "a"))));
    assertThat(run(state, 6, ALICE, tx(-1, List.of(new StreamRead(S, X)), List.of(put(X, "b")))))
        .isEqualTo(new TxResult.Committed());
    assertThat(state.latestVersion(S, X)).isEqualTo(6);
  }

  @Test
  void accessControl() {
    MemoryKvState state = new MemoryKvState();
    // alice opens the stream and becomes its admin
    assertThat(run(state, 1, ALICE, tx(-1, List.of(), List.of(put(X, "a")))).committed()).isTrue();
    assertThat(state.flag(AclFlag.admin(S, ALICE))).isTrue();
    // bob may not write, nor grant himself
    assertThat(run(state, 2, BOB, tx(-1, List.of(), List.of(put(X, "b")))))
        .isEqualTo(new TxResult.WritePermissionDenied(S, X));
    AccessControl grantBob = AccessControl.withAccount(Op.GRANT_WRITE_ROLE, S, BOB);
    assertThat(control(state, 3, BOB, grantBob))
        .isEqualTo(new TxResult.AccessControlPermissionDenied(grantBob, BOB));
    // alice grants bob the stream's write role
    assertThat(control(state, 4, ALICE, grantBob).committed()).isTrue();
    assertThat(run(state, 5, BOB, tx(-1, List.of(), List.of(put(X, "b")))).committed()).isTrue();
    // y becomes special: bob (stream writer) may not write it until granted for y
    assertThat(
            control(state, 6, ALICE, AccessControl.withKey(Op.SET_KEY_TO_SPECIAL, S, Y))
                .committed())
        .isTrue();
    assertThat(run(state, 7, BOB, tx(-1, List.of(), List.of(put(Y, "b")))))
        .isEqualTo(new TxResult.WritePermissionDenied(S, Y));
    assertThat(
            control(
                    state,
                    8,
                    ALICE,
                    AccessControl.withKeyAndAccount(Op.GRANT_SPECIAL_WRITE_ROLE, S, Y, CAROL))
                .committed())
        .isTrue();
    // carol may write y (special, granted) but not x
    assertThat(run(state, 9, CAROL, tx(-1, List.of(), List.of(put(Y, "c")))).committed()).isTrue();
    assertThat(run(state, 10, CAROL, tx(-1, List.of(), List.of(put(X, "c")))))
        .isEqualTo(new TxResult.WritePermissionDenied(S, X));
    // carol renounces y; renouncing twice is denied
    AccessControl renounce = AccessControl.withKey(Op.RENOUNCE_SPECIAL_WRITE_ROLE, S, Y);
    assertThat(control(state, 11, CAROL, renounce).committed()).isTrue();
    assertThat(control(state, 12, CAROL, renounce))
        .isInstanceOf(TxResult.AccessControlPermissionDenied.class);
    assertThat(run(state, 13, CAROL, tx(-1, List.of(), List.of(put(Y, "c")))))
        .isEqualTo(new TxResult.WritePermissionDenied(S, Y));
    // revoke bob; alice hands admin to carol and renounces
    assertThat(
            control(state, 14, ALICE, AccessControl.withAccount(Op.REVOKE_WRITE_ROLE, S, BOB))
                .committed())
        .isTrue();
    assertThat(run(state, 15, BOB, tx(-1, List.of(), List.of(put(X, "b")))))
        .isEqualTo(new TxResult.WritePermissionDenied(S, X));
    assertThat(
            control(
                    state,
                    16,
                    ALICE,
                    AccessControl.withAccount(Op.GRANT_ADMIN_ROLE, S, CAROL),
                    AccessControl.of(Op.RENOUNCE_ADMIN_ROLE, S))
                .committed())
        .isTrue();
    assertThat(run(state, 17, ALICE, tx(-1, List.of(), List.of(put(X, "a")))))
        .isEqualTo(new TxResult.WritePermissionDenied(S, X));
    assertThat(run(state, 18, CAROL, tx(-1, List.of(), List.of(put(X, "c")))).committed()).isTrue();
    // a denied control in a transaction drops the whole transaction, writes included
    TxResult denied =
        run(
            state,
            19,
            BOB,
            new KvTransaction(
                -1, List.of(), List.of(), List.of(AccessControl.of(Op.RENOUNCE_ADMIN_ROLE, S))));
    assertThat(denied.text())
        .isEqualTo(
            "AccessControlPermissionDenied: RENOUNCE_ADMIN_ROLE on stream "
                + S.toHexString()
                + " by "
                + BOB.toLowerHex());
  }

  @Test
  void malformedAndMistaggedTransactionsAreRecordedAndSkipped() {
    MemoryKvState state = new MemoryKvState();
    TxResult bad = state.apply(1, ALICE, List.of(S), Bytes.fromHexString("0x0102"));
    assertThat(bad.text()).startsWith("DataParseError: KV transaction truncated: version needs 8");
    KvTransaction t = tx(-1, List.of(), List.of(put(X, "a")));
    assertThat(state.apply(2, ALICE, List.of(stream(2)), KvTxCodec.encode(t)))
        .isEqualTo(new TxResult.TagsMismatch(S));
    assertThat(state.flag(AclFlag.streamOpened(S))).isFalse();
    assertThat(run(state, 3, ALICE, t).committed()).isTrue();
    assertThat(state.value(S, X)).isEqualTo(Bytes.wrap("a".getBytes()));
  }

  @Test
  void entriesOfStreamsNotHeldAreIgnored() {
    MemoryKvState state = new MemoryKvState();
    KvTransaction t =
        tx(-1, List.of(), List.of(put(X, "a"), new StreamWrite(stream(2), X, Bytes.of(1))));
    assertThat(
            state
                .apply(1, ALICE, KvTags.streamIds(t), KvTxCodec.encode(t), s -> s.equals(S))
                .committed())
        .isTrue();
    assertThat(state.value(S, X)).isEqualTo(Bytes.wrap("a".getBytes()));
    assertThat(state.value(stream(2), X)).isEqualTo(Bytes.EMPTY);
    assertThat(state.flag(AclFlag.streamOpened(stream(2)))).isFalse();
  }
}
