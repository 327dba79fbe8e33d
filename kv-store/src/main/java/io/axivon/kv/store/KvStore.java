package io.axivon.kv.store;

import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.store.KeyRange;
import io.axivon.common.store.KeyValue;
import io.axivon.common.store.ReadTx;
import io.axivon.common.store.Serializers;
import io.axivon.common.store.Store;
import io.axivon.common.store.StoreOptions;
import io.axivon.common.store.Table;
import io.axivon.common.store.WriteTx;
import io.axivon.kv.replay.AclFlag;
import io.axivon.kv.replay.KvEffect;
import io.axivon.kv.replay.KvReplay;
import io.axivon.kv.replay.KvStateView;
import io.axivon.kv.replay.TxResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned KV state on LMDB. Every replayed flow submission, KV transaction or not, advances the
 * replay cursor in the same write transaction as its effects and result, so after a crash the node
 * resumes at exactly the next submission.
 *
 * <p>Reads take a version: the state after every transaction with seq at most that version ({@link
 * #LATEST} for the newest). Versions are flow tx seqs.
 */
public final class KvStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KvStore.class);

  /** "As of the newest replayed transaction". */
  public static final long LATEST = Long.MAX_VALUE;

  /** Longest key stored as is in the key index; longer ones are cut and suffixed with a hash. */
  static final int MAX_INDEXED_KEY = 511 - 32;

  private static final int CUT_KEY = 511 - 32 - 32;

  /**
   * Values above this many bytes are stored as a reference into the transaction's bytes, kept in a
   * file under {@code values/} (specs/kv.md section 6.1); smaller ones inline in LMDB.
   */
  public static final int LARGE_VALUE_THRESHOLD = 64 << 10;

  /** First byte of a stored value: the value follows. */
  static final byte INLINE = 0;

  /** First byte of a stored value: a {@link ValueRef} follows. */
  static final byte REF = 1;

  /**
   * {@link #valuePrefix} ‖ ~version (8) → empty (deleted), {@code 00} ‖ value, or {@code 01} ‖
   * reference to a large value. Newest version first: one cursor seek finds a key's value as of a
   * version.
   */
  static final Table<Bytes, Bytes> VALUES =
      Table.of("kv.values", Serializers.BYTES, Serializers.BYTES);

  /** stream id (32) ‖ index key → full key: the key order of each stream, for range reads. */
  static final Table<Bytes, Bytes> KEYS = Table.of("kv.keys", Serializers.BYTES, Serializers.BYTES);

  /** flagId (32) ‖ ~version (8) → 1 (on) or 0 (off). */
  static final Table<Bytes, Bytes> FLAGS =
      Table.of("kv.flags", Serializers.BYTES, Serializers.BYTES);

  /** tx seq → result text, for KV transactions of held streams. */
  static final Table<Long, String> RESULTS =
      Table.of("kv.results", Serializers.LONG, Serializers.STRING);

  /** stream id → the seq of the transaction that opened it (section 4, step 4). */
  static final Table<Bytes, Long> STREAMS =
      Table.of("kv.streams", Serializers.BYTES, Serializers.LONG);

  /** "next-tx-seq" → the first flow submission not yet replayed. */
  static final Table<String, Long> META = Table.of("kv.meta", Serializers.STRING, Serializers.LONG);

  static final String CURSOR = "next-tx-seq";

  /** Layout of kv.values and kv.flags, see {@link #FORMAT}. */
  static final String VALUE_FORMAT = "value-format";

  /**
   * The layout this code writes: 1 when values gained the inline/reference byte, 2 when kv.values
   * keys became the raw key (no sha256) and versions were stored newest first. A state in any other
   * layout is cleared at open and replayed from the log.
   */
  static final long FORMAT = 2;

  /** Longest key kept raw in kv.values keys: stream (32) ‖ length (2) ‖ key ‖ version (8) ≤ 511. */
  static final int MAX_RAW_KEY = 511 - 32 - 2 - 8;

  /** The length field of a longer key, kept as its sha256: above any raw length. */
  private static final int HASHED_KEY = 0xFFFF;

  private static final List<Table<?, ?>> TABLES =
      List.of(VALUES, KEYS, FLAGS, STREAMS, RESULTS, META);

  private final Store store;
  private final ValueFiles files;
  private final Runnable beforeCommit;

  private KvStore(Store store, ValueFiles files, Runnable beforeCommit) {
    this.store = store;
    this.files = files;
    this.beforeCommit = beforeCommit;
  }

  /**
   * Opens (creating if needed) the state in {@code dir}: LMDB there, large values' transaction
   * bytes in {@code dir/values}. Files of transactions not committed (a crash between their write
   * and the LMDB commit) are deleted: nothing refers to them. A state in an older layout is
   * cleared, so the node replays the log from the start.
   */
  public static KvStore open(Path dir, StoreOptions options) {
    return open(dir, options, () -> {});
  }

  /**
   * As {@link #open(Path, StoreOptions)}; {@code beforeCommit} runs after the value files of a
   * batch are durable and before its LMDB commit (tests inject crashes there).
   */
  static KvStore open(Path dir, StoreOptions options, Runnable beforeCommit) {
    Store store = Store.open(dir, options, TABLES);
    try {
      store.write(
          tx -> {
            long format = tx.get(META, VALUE_FORMAT).orElse(0L);
            if (format != FORMAT) {
              if (cursor(tx) > 0) {
                // another node version's layout: the state is derived from the log alone, so
                // start it over and let the node replay
                LOG.warn(
                    "KV state in {} is in layout {}, this node writes {}: cleared, the log is"
                        + " replayed from the start",
                    dir,
                    format,
                    FORMAT);
                for (Table<?, ?> table : TABLES) {
                  tx.clear(table);
                }
              }
              tx.put(META, VALUE_FORMAT, FORMAT);
            }
          });
      ValueFiles files = new ValueFiles(dir.resolve("values"));
      files.removeUncommitted(store.read(KvStore::cursor));
      return new KvStore(store, files, Objects.requireNonNull(beforeCommit, "beforeCommit"));
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** A value as of a version: {@code version} 0 and empty data when the key has none. */
  public record Value(long version, Bytes data) {}

  private static final Value ABSENT_VALUE = new Value(0, Bytes.EMPTY);

  /** A key with its value, from a range read. */
  public record Entry(Bytes key, long version, Bytes data) {}

  /** A key with its value not read yet. */
  public record StoredEntry(Bytes key, StoredValue value) {
    Entry toEntry() {
      return new Entry(key, value.version(), value.all());
    }
  }

  /** The first flow submission seq not yet replayed (0 for a fresh store). */
  public long nextTxSeq() {
    return store.read(tx -> cursor(tx));
  }

  /** What to do with one flow submission, in a {@link #replay} batch. */
  public sealed interface Step {
    long txSeq();

    /** Replay a KV transaction of a held stream. */
    record Apply(long txSeq, Address sender, List<Bytes32> tagStreams, Bytes data)
        implements Step {}

    /** Pass over a submission that is not a KV transaction of a held stream. */
    record Skip(long txSeq) implements Step {}

    /** Record a failure decided outside the core (a transaction too large to download). */
    record Fail(long txSeq, TxResult result) implements Step {
      public Fail {
        if (result.committed()) {
          throw new IllegalArgumentException("Fail records failures only");
        }
      }
    }
  }

  /**
   * Handles consecutive submissions from the cursor on in ONE write transaction: their effects,
   * results and the cursor advance commit together or not at all (one fsync for the batch).
   *
   * @return the result of each step, null for a skip
   * @throws IllegalStateException if the steps do not start at the cursor or leave a gap
   */
  public List<TxResult> replay(List<Step> steps, Predicate<Bytes32> held) {
    Objects.requireNonNull(held, "held");
    List<Step> batch = List.copyOf(steps);
    return store.writeAndGet(
        tx -> {
          List<TxResult> results = new ArrayList<>(batch.size());
          Map<Long, Bytes> toFile = new LinkedHashMap<>();
          for (Step step : batch) {
            checkCursor(tx, step.txSeq());
            long seq = step.txSeq();
            TxResult result =
                switch (step) {
                  case Step.Skip skip -> null;
                  case Step.Fail fail -> fail.result();
                  case Step.Apply a -> applyOne(tx, a, held, toFile);
                };
            if (result != null) {
              tx.put(RESULTS, seq, result.text());
            }
            tx.put(META, CURSOR, seq + 1);
            results.add(result);
          }
          // durable before the commit that refers to them: a reference never dangles
          toFile.forEach(files::write);
          beforeCommit.run();
          return results;
        });
  }

  private static TxResult applyOne(
      WriteTx tx, Step.Apply a, Predicate<Bytes32> held, Map<Long, Bytes> toFile) {
    long txSeq = a.txSeq();
    KvReplay.Outcome outcome =
        KvReplay.apply(new View(tx), txSeq, a.sender(), a.tagStreams(), a.data(), held);
    for (KvEffect effect : outcome.effects()) {
      switch (effect) {
        case KvEffect.Put put -> {
          if (put(tx, txSeq, a.data().size(), put)) {
            toFile.put(txSeq, a.data());
          }
        }
        case KvEffect.SetFlag set -> {
          tx.put(
              FLAGS,
              versioned(flagId(set.flag()).toArrayUnsafe(), txSeq),
              Bytes.of(set.on() ? (byte) 1 : (byte) 0));
          if (set.flag().kind() == AclFlag.Kind.STREAM_OPENED && set.on()) {
            tx.put(STREAMS, set.flag().streamId(), txSeq);
          }
        }
      }
    }
    return outcome.result();
  }

  /** Replays KV transaction {@code txSeq} and advances the cursor past it, atomically. */
  public TxResult apply(
      long txSeq, Address sender, List<Bytes32> tagStreams, Bytes data, Predicate<Bytes32> held) {
    return replay(List.of(new Step.Apply(txSeq, sender, tagStreams, data)), held).get(0);
  }

  /** Records {@code result} (a failure decided outside the core) and advances the cursor. */
  public TxResult fail(long txSeq, TxResult result) {
    return replay(List.of(new Step.Fail(txSeq, result)), s -> true).get(0);
  }

  /** Advances the cursor past a submission that is not a KV transaction of a held stream. */
  public void skip(long txSeq) {
    replay(List.of(new Step.Skip(txSeq)), s -> true);
  }

  private static void checkCursor(WriteTx tx, long txSeq) {
    long next = cursor(tx);
    if (txSeq != next) {
      throw new IllegalStateException(
          "replay out of order: submission " + txSeq + " given, the next to replay is " + next);
    }
  }

  private static long cursor(ReadTx tx) {
    return tx.get(META, CURSOR).orElse(0L);
  }

  /** Stores one write; true if it is a reference, so the transaction's bytes must be kept. */
  private static boolean put(WriteTx tx, long txSeq, long txSize, KvEffect.Put put) {
    Bytes value = put.value();
    Bytes stored;
    boolean large = value.size() > LARGE_VALUE_THRESHOLD;
    if (value.isEmpty()) {
      stored = Bytes.EMPTY;
    } else if (large) {
      stored =
          new ValueRef(txSeq, txSize, put.offset(), value.size(), Hashes.keccak256(value)).encode();
    } else {
      stored = Bytes.concatenate(Bytes.of(INLINE), value);
    }
    tx.put(VALUES, versioned(valuePrefix(put.streamId(), put.key()), txSeq), stored);
    tx.put(KEYS, indexKey(put.streamId(), put.key()), put.key());
    return large;
  }

  /**
   * Runs {@code body} on one consistent snapshot of the state: many reads in one LMDB read
   * transaction (a JSON-RPC batch, a range walk). The snapshot is valid only inside {@code body}.
   */
  public <R> R read(Function<? super Snapshot, ? extends R> body) {
    Objects.requireNonNull(body, "body");
    return store.read(tx -> body.apply(new Snapshot(tx, files)));
  }

  /** The streams opened so far (a committed transaction named them), in id order. */
  public List<Bytes32> streams() {
    return read(Snapshot::streams);
  }

  /** The result of KV transaction {@code txSeq}, if it was replayed as one. */
  public Optional<String> result(long txSeq) {
    return read(s -> s.result(txSeq));
  }

  /** The value of a key as of {@code version}. */
  public Value value(Bytes32 stream, Bytes key, long version) {
    return read(s -> s.value(stream, key, version));
  }

  /** The values of many keys as of {@code version}, from one snapshot, in the keys' order. */
  public List<Value> values(Bytes32 stream, List<Bytes> keys, long version) {
    return read(s -> s.values(stream, keys, version));
  }

  /** The first key after (or at, if inclusive) {@code key} with a value as of {@code version}. */
  public Optional<Entry> next(Bytes32 stream, Bytes key, boolean inclusive, long version) {
    return read(s -> s.next(stream, key, inclusive, version));
  }

  /** The last key before (or at, if inclusive) {@code key} with a value as of {@code version}. */
  public Optional<Entry> prev(Bytes32 stream, Bytes key, boolean inclusive, long version) {
    return read(s -> s.prev(stream, key, inclusive, version));
  }

  /** The stream's first key with a value as of {@code version}. */
  public Optional<Entry> first(Bytes32 stream, long version) {
    return read(s -> s.first(stream, version));
  }

  /** The stream's last key with a value as of {@code version}. */
  public Optional<Entry> last(Bytes32 stream, long version) {
    return read(s -> s.last(stream, version));
  }

  /**
   * Up to {@code limit} keys at or after {@code from} with a value as of {@code version}, in key
   * order, from one snapshot.
   */
  public List<Entry> range(Bytes32 stream, Bytes from, int limit, long version) {
    return read(s -> s.range(stream, from, limit, version));
  }

  /** Whether an access-control flag is on as of {@code version}. */
  public boolean flag(AclFlag flag, long version) {
    return read(s -> s.flag(flag, version));
  }

  /** Whether {@code account} may write {@code key} as of {@code version} (specs/kv.md 4.3). */
  public boolean hasWritePermission(Address account, Bytes32 stream, Bytes key, long version) {
    return read(s -> s.hasWritePermission(account, stream, key, version));
  }

  /**
   * The state's reads on one snapshot; see {@link KvStore#read}. Same meaning as KvStore's. The
   * {@code stored…} methods return a {@link StoredValue} that reads only the bytes asked for.
   */
  public static final class Snapshot {
    private final ReadTx tx;
    private final ValueFiles files;

    private Snapshot(ReadTx tx, ValueFiles files) {
      this.tx = tx;
      this.files = files;
    }

    public long nextTxSeq() {
      return cursor(tx);
    }

    public List<Bytes32> streams() {
      try (Stream<KeyValue<Bytes, Long>> s = tx.scan(STREAMS, KeyRange.all())) {
        return s.map(e -> Bytes32.wrap(e.key())).toList();
      }
    }

    public Optional<String> result(long txSeq) {
      return tx.get(RESULTS, txSeq);
    }

    public Value value(Bytes32 stream, Bytes key, long version) {
      // the hot path of point reads: no StoredValue for an inline value
      return floorEntry(tx, stream, key, version)
          .map(e -> StoredValue.valueOf(versionOf(e.key()), e.value(), files))
          .orElse(ABSENT_VALUE);
    }

    public List<Value> values(Bytes32 stream, List<Bytes> keys, long version) {
      List<Value> out = new ArrayList<>(keys.size());
      for (Bytes key : keys) {
        out.add(value(stream, key, version));
      }
      return out;
    }

    /** The value of a key as of {@code version}, not read yet. */
    public StoredValue stored(Bytes32 stream, Bytes key, long version) {
      return storedAt(tx, files, stream, key, version);
    }

    public Optional<Entry> next(Bytes32 stream, Bytes key, boolean inclusive, long version) {
      return storedNext(stream, key, inclusive, version).map(StoredEntry::toEntry);
    }

    public Optional<Entry> prev(Bytes32 stream, Bytes key, boolean inclusive, long version) {
      return storedPrev(stream, key, inclusive, version).map(StoredEntry::toEntry);
    }

    public Optional<Entry> first(Bytes32 stream, long version) {
      return storedFirst(stream, version).map(StoredEntry::toEntry);
    }

    public Optional<Entry> last(Bytes32 stream, long version) {
      return storedLast(stream, version).map(StoredEntry::toEntry);
    }

    public Optional<StoredEntry> storedNext(
        Bytes32 stream, Bytes key, boolean inclusive, long version) {
      try (Stream<KeyValue<Bytes, Bytes>> s =
          tx.scan(KEYS, KeyRange.atLeast(indexKey(stream, key)))) {
        return firstLive(tx, files, s, stream, version, k -> inclusive || !k.equals(key));
      }
    }

    public Optional<StoredEntry> storedPrev(
        Bytes32 stream, Bytes key, boolean inclusive, long version) {
      // the index keys at or below this one: everything less than index ‖ 0x00
      Bytes bound = Bytes.concatenate(indexKey(stream, key), Bytes.of(0));
      try (Stream<KeyValue<Bytes, Bytes>> s = tx.scan(KEYS, KeyRange.lessThan(bound).reversed())) {
        return firstLive(tx, files, s, stream, version, k -> inclusive || !k.equals(key));
      }
    }

    public Optional<StoredEntry> storedFirst(Bytes32 stream, long version) {
      try (Stream<KeyValue<Bytes, Bytes>> s = tx.scan(KEYS, KeyRange.atLeast((Bytes) stream))) {
        return firstLive(tx, files, s, stream, version, k -> true);
      }
    }

    public Optional<StoredEntry> storedLast(Bytes32 stream, long version) {
      Optional<Bytes32> after = successor(stream);
      KeyRange<Bytes> range =
          after.isPresent()
              ? KeyRange.lessThan((Bytes) after.get()).reversed()
              : KeyRange.<Bytes>all().reversed();
      try (Stream<KeyValue<Bytes, Bytes>> s = tx.scan(KEYS, range)) {
        return firstLive(tx, files, s, stream, version, k -> true);
      }
    }

    public List<Entry> range(Bytes32 stream, Bytes from, int limit, long version) {
      if (limit < 0) {
        throw new IllegalArgumentException("limit must not be negative, got " + limit);
      }
      List<Entry> out = new ArrayList<>(Math.min(limit, 1024));
      if (limit == 0) {
        return out;
      }
      try (Stream<KeyValue<Bytes, Bytes>> s =
          tx.scan(KEYS, KeyRange.atLeast(indexKey(stream, from)))) {
        Iterator<KeyValue<Bytes, Bytes>> it = s.iterator();
        while (it.hasNext()) {
          KeyValue<Bytes, Bytes> e = it.next();
          if (!inStream(e.key(), stream)) {
            break; // left the stream
          }
          StoredValue v = storedAt(tx, files, stream, e.value(), version);
          if (v.size() > 0) {
            out.add(new Entry(e.value(), v.version(), v.all()));
            if (out.size() == limit) {
              break;
            }
          }
        }
      }
      return out;
    }

    public boolean flag(AclFlag flag, long version) {
      return flagAt(tx, flag, version);
    }

    public boolean hasWritePermission(Address account, Bytes32 stream, Bytes key, long version) {
      if (flagAt(tx, AclFlag.admin(stream, account), version)) {
        return true;
      }
      if (flagAt(tx, AclFlag.specialKey(stream, key), version)) {
        return flagAt(tx, AclFlag.writerOfKey(stream, key, account), version);
      }
      return flagAt(tx, AclFlag.writerOfStream(stream, account), version);
    }
  }

  private static Optional<StoredEntry> firstLive(
      ReadTx tx,
      ValueFiles files,
      Stream<KeyValue<Bytes, Bytes>> entries,
      Bytes32 stream,
      long version,
      Predicate<Bytes> accept) {
    Iterator<KeyValue<Bytes, Bytes>> it = entries.iterator();
    while (it.hasNext()) {
      KeyValue<Bytes, Bytes> e = it.next();
      if (!inStream(e.key(), stream)) {
        return Optional.empty(); // left the stream
      }
      Bytes key = e.value();
      if (!accept.test(key)) {
        continue;
      }
      StoredValue v = storedAt(tx, files, stream, key, version);
      if (v.size() > 0) {
        return Optional.of(new StoredEntry(key, v));
      }
    }
    return Optional.empty();
  }

  /**
   * sha256 over every table in a fixed order, entry by entry in key order (length-prefixed key and
   * value): two nodes that replayed the same log have equal digests.
   */
  public Bytes32 digest() {
    return store.read(
        tx -> {
          MessageDigest md = sha256();
          for (Table<?, ?> table : TABLES) {
            md.update(table.name().getBytes(StandardCharsets.UTF_8));
            digestTable(tx, table, md);
          }
          return Bytes32.wrap(md.digest());
        });
  }

  private static <K, V> void digestTable(ReadTx tx, Table<K, V> table, MessageDigest md) {
    try (Stream<KeyValue<K, V>> s = tx.scan(table, KeyRange.all())) {
      s.forEach(
          e -> {
            byte[] k = table.keys().toBytes(e.key());
            byte[] v = table.values().toBytes(e.value());
            md.update(ByteBuffer.allocate(8).putInt(k.length).putInt(v.length).array());
            md.update(k);
            md.update(v);
          });
    }
  }

  @Override
  public void close() {
    store.close();
  }

  // ---- layout

  static StoredValue storedAt(
      ReadTx tx, ValueFiles files, Bytes32 stream, Bytes key, long version) {
    return floorEntry(tx, stream, key, version)
        .map(e -> StoredValue.decode(versionOf(e.key()), e.value(), files))
        .orElse(StoredValue.ABSENT);
  }

  /** The version of the key's newest entry, 0 if none: never reads a value file. */
  static long latestVersionAt(ReadTx tx, Bytes32 stream, Bytes key) {
    return floorEntry(tx, stream, key, LATEST).map(e -> versionOf(e.key())).orElse(0L);
  }

  /**
   * The key's kv.values entry with the largest version at most {@code version}, as {@link #floor}
   * finds it, with the seek key built in one array.
   */
  private static Optional<KeyValue<Bytes, Bytes>> floorEntry(
      ReadTx tx, Bytes32 stream, Bytes key, long version) {
    if (version < 0) {
      return Optional.empty();
    }
    byte[] seek = valuePrefix(stream, key, 8);
    putVersion(seek, version);
    return tx.firstWithPrefix(VALUES, Bytes.wrap(seek), seek.length - 8);
  }

  static boolean flagAt(ReadTx tx, AclFlag flag, long version) {
    return floor(tx, FLAGS, flagId(flag).toArrayUnsafe(), version)
        .map(e -> e.value().get(0) == 1)
        .orElse(false);
  }

  /**
   * The entry of {@code prefix} with the largest version at most {@code version}: one forward
   * cursor seek (MDB_SET_RANGE), since versions are stored newest first. Every key of the table
   * that starts with the prefix is the prefix plus 8 version bytes (prefixes are prefix-free), so
   * the first key at or after {@code prefix ‖ ~version} is that entry exactly when it starts with
   * the prefix; no upper bound to build or compare.
   */
  private static Optional<KeyValue<Bytes, Bytes>> floor(
      ReadTx tx, Table<Bytes, Bytes> table, byte[] prefix, long version) {
    if (version < 0) {
      return Optional.empty();
    }
    return tx.firstWithPrefix(table, versioned(prefix, version), prefix.length);
  }

  /**
   * A key's prefix in kv.values: stream ‖ u16 length ‖ key for keys up to {@link #MAX_RAW_KEY}
   * bytes, stream ‖ FFFF ‖ sha256(key) beyond. The length makes prefixes prefix-free (no key's
   * versions interleave with another's); no hash on the read path of keys that fit.
   */
  static byte[] valuePrefix(Bytes32 stream, Bytes key) {
    return valuePrefix(stream, key, 0);
  }

  /** The prefix followed by {@code room} zero bytes, for a version to go in. */
  private static byte[] valuePrefix(Bytes32 stream, Bytes key, int room) {
    int n = key.size();
    boolean raw = n <= MAX_RAW_KEY;
    byte[] out = new byte[34 + (raw ? n : 32) + room];
    System.arraycopy(stream.toArrayUnsafe(), 0, out, 0, 32);
    int len = raw ? n : HASHED_KEY;
    out[32] = (byte) (len >>> 8);
    out[33] = (byte) len;
    byte[] tail = raw ? key.toArrayUnsafe() : Hashes.sha256(key).toArrayUnsafe();
    System.arraycopy(tail, 0, out, 34, tail.length);
    return out;
  }

  static Bytes32 flagId(AclFlag flag) {
    return Hashes.sha256(flag.encode());
  }

  /**
   * prefix ‖ ~version (big-endian), as one array: the store takes it without another copy. Versions
   * are below 2^63, so their complements sort newest first and above every complement of a smaller
   * version.
   */
  static Bytes versioned(byte[] prefix, long version) {
    byte[] out = Arrays.copyOf(prefix, prefix.length + 8);
    putVersion(out, version);
    return Bytes.wrap(out);
  }

  /** Writes ~version (big-endian) into the last 8 bytes of {@code key}. */
  private static void putVersion(byte[] key, long version) {
    long v = ~version;
    for (int i = 0; i < 8; i++) {
      key[key.length - 1 - i] = (byte) (v >>> (8 * i));
    }
  }

  static long versionOf(Bytes versionedKey) {
    return ~versionedKey.getLong(versionedKey.size() - 8);
  }

  /**
   * stream ‖ key, or for keys longer than {@link #MAX_INDEXED_KEY} stream ‖ first {@code CUT_KEY}
   * bytes ‖ sha256(key) (LMDB keys are at most 511 bytes; such keys sort by their prefix).
   */
  static Bytes indexKey(Bytes32 stream, Bytes key) {
    if (key.size() <= MAX_INDEXED_KEY) {
      return Bytes.concatenate(stream, key);
    }
    return Bytes.concatenate(stream, key.slice(0, CUT_KEY), Hashes.sha256(key));
  }

  /** Whether an index key belongs to {@code stream}: its first 32 bytes, compared in place. */
  private static boolean inStream(Bytes indexKey, Bytes32 stream) {
    return indexKey.size() >= 32
        && Arrays.equals(indexKey.toArrayUnsafe(), 0, 32, stream.toArrayUnsafe(), 0, 32);
  }

  /** The stream id plus one, or empty for the all-ones id. */
  private static Optional<Bytes32> successor(Bytes32 stream) {
    byte[] b = stream.toArray();
    for (int i = 31; i >= 0; i--) {
      if (++b[i] != 0) {
        return Optional.of(Bytes32.wrap(b));
      }
    }
    return Optional.empty();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The latest state as the replay core reads it, inside the write transaction. */
  private record View(ReadTx tx) implements KvStateView {
    @Override
    public long latestVersion(Bytes32 streamId, Bytes key) {
      return latestVersionAt(tx, streamId, key);
    }

    @Override
    public boolean flag(AclFlag flag) {
      return flagAt(tx, flag, LATEST);
    }
  }
}
