package io.axivon.kv.store;

import static io.axivon.kv.tx.KvGen.account;
import static io.axivon.kv.tx.KvGen.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.crypto.Hashes;
import io.axivon.common.store.StoreOptions;
import io.axivon.kv.replay.AclFlag;
import io.axivon.kv.replay.LogEntry;
import io.axivon.kv.replay.TxResult;
import io.axivon.kv.tx.AccessControl;
import io.axivon.kv.tx.KvTags;
import io.axivon.kv.tx.KvTransaction;
import io.axivon.kv.tx.KvTxCodec;
import io.axivon.kv.tx.StreamWrite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.commons.io.file.PathUtils;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvStoreProperties {
  static final StoreOptions SMALL = new StoreOptions(1 << 20, 1L << 30, 16);

  @Provide
  Arbitrary<List<LogEntry>> logs() {
    return io.axivon.kv.replay.KvReplayPropertiesAccess.logs();
  }

  /** Submissions 0..n-1: even ones are the KV log entries, odd ones are ordinary files. */
  static void replay(KvStore store, List<LogEntry> log, int from, int to) {
    for (int i = from; i < to; i++) {
      LogEntry e = log.get(i);
      store.apply(2L * i + 1, e.sender(), e.tags(), e.data(), s -> true);
      store.skip(2L * i + 2);
    }
  }

  static Path tempDir() {
    try {
      return Files.createTempDirectory("kv-store-prop");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void delete(Path dir) {
    try {
      PathUtils.deleteDirectory(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Property(tries = 40)
  void twoNodesAndACrashedOneReachTheSameDigest(
      @ForAll("logs") List<LogEntry> log, @ForAll @IntRange(min = 0, max = 30) int crashAt) {
    Path a = tempDir();
    Path b = tempDir();
    try {
      int cut = Math.min(crashAt, log.size());
      Bytes32 digestA;
      try (KvStore store = KvStore.open(a, SMALL)) {
        store.skip(0);
        replay(store, log, 0, log.size());
        digestA = store.digest();
        assertThat(store.nextTxSeq()).isEqualTo(2L * log.size() + 1);
      }
      try (KvStore store = KvStore.open(b, SMALL)) {
        store.skip(0);
        replay(store, log, 0, cut);
      }
      try (KvStore store = KvStore.open(b, SMALL)) { // "restart": resume at the cursor
        assertThat(store.nextTxSeq()).isEqualTo(2L * cut + 1);
        replay(store, log, cut, log.size());
        assertThat(store.digest()).isEqualTo(digestA);
      }
    } finally {
      delete(a);
      delete(b);
    }
  }

  @Property(tries = 30)
  void batchedReplayEqualsOneByOne(
      @ForAll("logs") List<LogEntry> log, @ForAll @IntRange(min = 1, max = 8) int batchSize) {
    Path a = tempDir();
    Path b = tempDir();
    try (KvStore one = KvStore.open(a, SMALL);
        KvStore batched = KvStore.open(b, SMALL)) {
      one.skip(0);
      replay(one, log, 0, log.size());
      List<KvStore.Step> steps = new java.util.ArrayList<>();
      steps.add(new KvStore.Step.Skip(0));
      for (int i = 0; i < log.size(); i++) {
        LogEntry e = log.get(i);
        steps.add(new KvStore.Step.Apply(2L * i + 1, e.sender(), e.tags(), e.data()));
        steps.add(new KvStore.Step.Skip(2L * i + 2));
      }
      for (int from = 0; from < steps.size(); from += batchSize) {
        List<KvStore.Step> batch = steps.subList(from, Math.min(steps.size(), from + batchSize));
        List<TxResult> results = batched.replay(batch, s -> true);
        for (int i = 0; i < batch.size(); i++) {
          assertThat(Optional.ofNullable(results.get(i)).map(TxResult::text))
              .isEqualTo(one.result(batch.get(i).txSeq()));
        }
      }
      assertThat(batched.digest()).isEqualTo(one.digest());
    } finally {
      delete(a);
      delete(b);
    }
  }

  @Test
  void aBatchWithAGapCommitsNothing(@TempDir Path dir) {
    try (KvStore store = KvStore.open(dir, SMALL)) {
      Bytes32 before = store.digest();
      List<KvStore.Step> gap =
          List.of(
              new KvStore.Step.Skip(0),
              new KvStore.Step.Apply(1, account(1), List.of(stream(1)), Bytes.of(1)),
              new KvStore.Step.Skip(3));
      assertThatThrownBy(() -> store.replay(gap, s -> true))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("replay out of order: submission 3 given, the next to replay is 2");
      assertThat(store.nextTxSeq()).isZero();
      assertThat(store.result(1)).isEmpty();
      assertThat(store.digest()).isEqualTo(before);
    }
  }

  /**
   * Every committed write is readable as of every later version until the next write of its key.
   */
  @Property(tries = 40)
  void valuesAreReadableAsOfEveryVersion(@ForAll("logs") List<LogEntry> log) {
    Path dir = tempDir();
    try (KvStore store = KvStore.open(dir, SMALL)) {
      store.skip(0);
      // model: stream ‖ key → (version → value)
      Map<Bytes, TreeMap<Long, Bytes>> history = new HashMap<>();
      for (int i = 0; i < log.size(); i++) {
        LogEntry e = log.get(i);
        long seq = 2L * i + 1;
        TxResult r = store.apply(seq, e.sender(), e.tags(), e.data(), s -> true);
        store.skip(seq + 1);
        assertThat(store.result(seq)).contains(r.text());
        assertThat(store.result(seq + 1)).isEmpty();
        if (r.committed()) {
          for (StreamWrite w : KvTxCodec.decode(e.data()).writes()) {
            history
                .computeIfAbsent(Bytes.concatenate(w.streamId(), w.key()), k -> new TreeMap<>())
                .put(seq, w.value());
          }
        }
      }
      long last = store.nextTxSeq() - 1;
      for (Map.Entry<Bytes, TreeMap<Long, Bytes>> h : history.entrySet()) {
        Bytes32 s = Bytes32.wrap(h.getKey().slice(0, 32));
        Bytes key = h.getKey().slice(32);
        for (long v = 0; v <= last; v++) {
          Map.Entry<Long, Bytes> expected = h.getValue().floorEntry(v);
          KvStore.Value actual = store.value(s, key, v);
          if (expected == null) {
            assertThat(actual).isEqualTo(new KvStore.Value(0, Bytes.EMPTY));
          } else {
            assertThat(actual).isEqualTo(new KvStore.Value(expected.getKey(), expected.getValue()));
          }
        }
        assertThat(store.value(s, key, KvStore.LATEST)).isEqualTo(store.value(s, key, last));
      }
    } finally {
      delete(dir);
    }
  }

  /**
   * Reads served from one snapshot (values of many keys, a range walk) equal the same reads made
   * one call each, as of every version.
   */
  @Property(tries = 30)
  void snapshotReadsEqualOneCallReads(@ForAll("logs") List<LogEntry> log) {
    Path dir = tempDir();
    try (KvStore store = KvStore.open(dir, SMALL)) {
      store.skip(0);
      replay(store, log, 0, log.size());
      Map<Bytes32, java.util.TreeSet<Bytes>> keys = new HashMap<>();
      for (LogEntry e : log) {
        try {
          for (StreamWrite w : KvTxCodec.decode(e.data()).writes()) {
            keys.computeIfAbsent(w.streamId(), k -> new java.util.TreeSet<>()).add(w.key());
          }
        } catch (RuntimeException malformed) {
          // not a decodable transaction: no keys
        }
      }
      long last = store.nextTxSeq() - 1;
      for (Map.Entry<Bytes32, java.util.TreeSet<Bytes>> k : keys.entrySet()) {
        Bytes32 s = k.getKey();
        List<Bytes> asked = List.copyOf(k.getValue());
        for (long v : List.of(0L, last / 2, last, KvStore.LATEST)) {
          List<KvStore.Value> one = asked.stream().map(key -> store.value(s, key, v)).toList();
          assertThat(store.values(s, asked, v)).isEqualTo(one);
          // a range walk equals following next() from the first key
          List<KvStore.Entry> walked = new java.util.ArrayList<>();
          Optional<KvStore.Entry> e = store.first(s, v);
          while (e.isPresent()) {
            walked.add(e.get());
            e = store.next(s, e.get().key(), false, v);
          }
          Bytes from = Bytes.of(0);
          assertThat(store.range(s, from, Integer.MAX_VALUE, v)).isEqualTo(walked);
          assertThat(store.range(s, from, 2, v))
              .isEqualTo(walked.subList(0, Math.min(2, walked.size())));
          Optional<KvStore.Entry> viaSnapshot = store.read(snap -> snap.first(s, v));
          assertThat(viaSnapshot).isEqualTo(store.first(s, v));
        }
      }
    } finally {
      delete(dir);
    }
  }

  /** The read path's hand-built layout keys equal the layout's definition (specs/kv.md). */
  @Property(tries = 200)
  void layoutKeysEqualTheirDefinition(
      @ForAll @net.jqwik.api.constraints.Size(min = 32, max = 32) byte[] stream,
      @ForAll @net.jqwik.api.constraints.Size(max = 600) byte[] key,
      @ForAll @net.jqwik.api.constraints.LongRange(min = 0) long version) {
    Bytes32 s = Bytes32.wrap(stream);
    Bytes k = Bytes.wrap(key);
    Bytes prefix = Bytes.wrap(KvStore.valuePrefix(s, k));
    Bytes expected =
        key.length <= KvStore.MAX_RAW_KEY
            ? Bytes.concatenate(s, Bytes.ofUnsignedShort(key.length), k)
            : Bytes.concatenate(s, Bytes.fromHexString("ffff"), Hashes.sha256(k));
    assertThat(prefix).isEqualTo(expected);
    Bytes versioned = KvStore.versioned(prefix.toArrayUnsafe(), version);
    assertThat(versioned).isEqualTo(Bytes.concatenate(prefix, Bytes.ofUnsignedLong(~version)));
    assertThat(versioned.size()).isLessThanOrEqualTo(511);
    assertThat(KvStore.versionOf(versioned)).isEqualTo(version);
  }

  /**
   * kv.values keys keep each key's versions together and newest first: for any two (key, version)
   * pairs, the byte order of their layout keys groups by key and, within a key, orders by
   * descending version, so one seek to prefix ‖ ~V finds the largest version ≤ V.
   */
  @Property(tries = 500)
  void layoutKeysArePrefixFreeAndNewestFirst(
      @ForAll @net.jqwik.api.constraints.Size(min = 32, max = 32) byte[] stream,
      @ForAll @net.jqwik.api.constraints.Size(max = 6)
          List<@net.jqwik.api.constraints.IntRange(min = 0, max = 3) Byte> a,
      @ForAll @net.jqwik.api.constraints.Size(max = 6)
          List<@net.jqwik.api.constraints.IntRange(min = 0, max = 3) Byte> b,
      @ForAll @net.jqwik.api.constraints.LongRange(min = 0) long va,
      @ForAll @net.jqwik.api.constraints.LongRange(min = 0) long vb,
      @ForAll @net.jqwik.api.constraints.LongRange(min = 0) long seek) {
    Bytes32 s = Bytes32.wrap(stream);
    byte[] pa = KvStore.valuePrefix(s, bytes(a));
    byte[] pb = KvStore.valuePrefix(s, bytes(b));
    Bytes ka = KvStore.versioned(pa, va);
    Bytes kb = KvStore.versioned(pb, vb);
    if (Arrays.equals(pa, pb)) {
      assertThat(Integer.signum(ka.compareTo(kb))).isEqualTo(Long.signum(vb - va));
    } else {
      // another key's entry never sorts between a seek for a and a's own entries
      Bytes seekA = KvStore.versioned(pa, seek);
      boolean between = kb.compareTo(seekA) >= 0 && kb.compareTo(KvStore.versioned(pa, 0)) <= 0;
      assertThat(between).isFalse();
    }
  }

  private static Bytes bytes(List<Byte> list) {
    byte[] out = new byte[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i);
    }
    return Bytes.wrap(out);
  }

  private static TxResult put(KvStore store, long seq, Bytes32 s, String key, String value) {
    KvTransaction tx =
        KvTransaction.ofWrites(
            -1,
            List.of(new StreamWrite(s, Bytes.wrap(key.getBytes()), Bytes.wrap(value.getBytes()))));
    return store.apply(seq, account(1), KvTags.streamIds(tx), KvTxCodec.encode(tx), x -> true);
  }

  private static Bytes b(String s) {
    return Bytes.wrap(s.getBytes());
  }

  @Test
  void rangeReadsAsOfVersions(@TempDir Path dir) {
    Bytes32 s = stream(1);
    try (KvStore store = KvStore.open(dir, SMALL)) {
      store.skip(0);
      put(store, 1, s, "b", "1");
      put(store, 2, s, "d", "2");
      put(store, 3, stream(2), "a", "other stream");
      put(store, 4, s, "c", "3");
      put(store, 5, s, "b", ""); // delete b
      assertThat(store.first(s, KvStore.LATEST).map(KvStore.Entry::key)).contains(b("c"));
      assertThat(store.first(s, 4).map(KvStore.Entry::key)).contains(b("b"));
      assertThat(store.last(s, KvStore.LATEST)).contains(new KvStore.Entry(b("d"), 2, b("2")));
      assertThat(store.last(s, 1).map(KvStore.Entry::key)).contains(b("b"));
      assertThat(store.first(s, 0)).isEmpty();
      assertThat(store.next(s, b("b"), false, 4).map(KvStore.Entry::key)).contains(b("c"));
      assertThat(store.next(s, b("b"), true, 4).map(KvStore.Entry::key)).contains(b("b"));
      assertThat(store.next(s, b("b"), true, 3).map(KvStore.Entry::key)).contains(b("b"));
      assertThat(store.next(s, b("bb"), true, 3).map(KvStore.Entry::key)).contains(b("d"));
      assertThat(store.next(s, b("d"), false, KvStore.LATEST)).isEmpty();
      assertThat(store.prev(s, b("d"), false, KvStore.LATEST).map(KvStore.Entry::key))
          .contains(b("c"));
      assertThat(store.prev(s, b("d"), true, KvStore.LATEST).map(KvStore.Entry::key))
          .contains(b("d"));
      assertThat(store.prev(s, b("c"), false, KvStore.LATEST)).isEmpty(); // b deleted at 5
      assertThat(store.prev(s, b("c"), false, 4).map(KvStore.Entry::key)).contains(b("b"));
      assertThat(store.first(stream(2), KvStore.LATEST).map(KvStore.Entry::key)).contains(b("a"));
      assertThat(store.last(stream(3), KvStore.LATEST)).isEmpty();
    }
  }

  @Test
  void aclIsReadableAsOfVersions(@TempDir Path dir) {
    Bytes32 s = stream(1);
    try (KvStore store = KvStore.open(dir, SMALL)) {
      store.skip(0);
      put(store, 1, s, "k", "v");
      KvTransaction grant =
          new KvTransaction(
              -1,
              List.of(),
              List.of(),
              List.of(
                  AccessControl.withAccount(AccessControl.Op.GRANT_WRITE_ROLE, s, account(2)),
                  AccessControl.withKey(AccessControl.Op.SET_KEY_TO_SPECIAL, s, b("k"))));
      assertThat(
              store.apply(
                  2, account(1), KvTags.streamIds(grant), KvTxCodec.encode(grant), x -> true))
          .isEqualTo(new TxResult.Committed());
      assertThat(store.flag(AclFlag.admin(s, account(1)), 0)).isFalse();
      assertThat(store.flag(AclFlag.admin(s, account(1)), 1)).isTrue();
      assertThat(store.flag(AclFlag.writerOfStream(s, account(2)), 1)).isFalse();
      assertThat(store.flag(AclFlag.writerOfStream(s, account(2)), 2)).isTrue();
      assertThat(store.hasWritePermission(account(2), s, b("other"), 2)).isTrue();
      assertThat(store.hasWritePermission(account(2), s, b("k"), 1)).isFalse();
      assertThat(store.hasWritePermission(account(2), s, b("k"), 2)).isFalse(); // special now
      assertThat(store.hasWritePermission(account(1), s, b("k"), 2)).isTrue(); // admin
      assertThat(store.flag(AclFlag.specialKey(s, b("k")), KvStore.LATEST)).isTrue();
    }
  }

  @Test
  void replayRefusesToSkipOrRepeatASubmission(@TempDir Path dir) {
    try (KvStore store = KvStore.open(dir, SMALL)) {
      assertThatThrownBy(() -> store.skip(1))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("replay out of order: submission 1 given, the next to replay is 0");
      store.skip(0);
      assertThatThrownBy(() -> store.skip(0)).isInstanceOf(IllegalStateException.class);
      assertThat(store.nextTxSeq()).isEqualTo(1);
    }
  }

  @Test
  void longKeysAreStoredAndFoundInRanges(@TempDir Path dir) {
    Bytes32 s = stream(1);
    String longKey = "k".repeat(2000);
    try (KvStore store = KvStore.open(dir, SMALL)) {
      store.skip(0);
      assertThat(put(store, 1, s, longKey, "v").committed()).isTrue();
      assertThat(store.value(s, b(longKey), KvStore.LATEST))
          .isEqualTo(new KvStore.Value(1, b("v")));
      assertThat(store.first(s, KvStore.LATEST).map(KvStore.Entry::key)).contains(b(longKey));
      assertThat(store.next(s, b("k"), false, KvStore.LATEST).map(KvStore.Entry::key))
          .contains(b(longKey));
    }
  }
}
