package io.axivon.consensus.store;

import io.axivon.common.codec.Rlp;
import io.axivon.common.store.Serializers;
import io.axivon.common.store.Store;
import io.axivon.common.store.StoreOptions;
import io.axivon.common.store.Table;
import io.axivon.consensus.engine.State;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;

/**
 * What a validator must not forget across a crash, in its own LMDB directory: the engine's
 * persisted state ({@link State#persisted()}: height, round, locks, own signed messages) and the
 * last-sign record that {@link GuardedSigner} checks. Not a log of events: the engine's state is
 * small and resumable ({@code Engine.resume}), so the latest one replaces the previous one.
 *
 * <p>Tables: {@code wal} with key {@code state} (the {@link PersistedStateCodec} encoding) and key
 * {@code last-sign} ({@link SignRecord}), and {@code wal-meta} with {@code format-version}.
 * Thread-safe.
 */
public final class ConsensusWal implements AutoCloseable {
  // 2: the persisted state carries the pending next validator set
  public static final long FORMAT_VERSION = 2;

  static final Table<String, Bytes> WAL = Table.of("wal", Serializers.STRING, Serializers.BYTES);
  static final Table<String, Bytes> META =
      Table.of("wal-meta", Serializers.STRING, Serializers.BYTES);
  static final String STATE_KEY = "state";
  static final String SIGN_KEY = "last-sign";
  static final String FORMAT_KEY = "format-version";

  private final Store store;
  private State saved; // guarded by this
  private SignRecord lastSign; // guarded by this

  private ConsensusWal(Store store, State saved, SignRecord lastSign) {
    this.store = store;
    this.saved = saved;
    this.lastSign = lastSign;
  }

  /**
   * Opens (creating if needed) the WAL in {@code dir}.
   *
   * @throws CorruptStoreException if the directory holds an unknown format or rows that do not
   *     decode
   */
  public static ConsensusWal open(Path dir) {
    return open(dir, new StoreOptions(StoreOptions.MIB, StoreOptions.GIB, 16));
  }

  public static ConsensusWal open(Path dir, StoreOptions options) {
    Store store = Store.open(dir, options, WAL, META);
    try {
      record Loaded(State state, SignRecord sign) {}
      Loaded loaded =
          store.writeAndGet(
              tx -> {
                Optional<Bytes> version = tx.get(META, FORMAT_KEY);
                Bytes expected = Bytes.wrap(Serializers.LONG.toBytes(FORMAT_VERSION));
                if (version.isEmpty()) {
                  if (tx.count(WAL) != 0) {
                    throw corrupt(store.dir(), "holds WAL rows but no format version");
                  }
                  tx.put(META, FORMAT_KEY, expected);
                } else if (!version.get().equals(expected)) {
                  throw corrupt(
                      store.dir(),
                      "unknown WAL format "
                          + version.get().toHexString()
                          + " (this build writes version "
                          + FORMAT_VERSION
                          + "): the data dir was made by another build; start over with a fresh"
                          + " one");
                }
                State s =
                    tx.get(WAL, STATE_KEY)
                        .map(b -> decode(store.dir(), "saved consensus state", b, true))
                        .map(State.class::cast)
                        .orElse(null);
                SignRecord r =
                    tx.get(WAL, SIGN_KEY)
                        .map(b -> decode(store.dir(), "last-sign record", b, false))
                        .map(SignRecord.class::cast)
                        .orElse(null);
                return new Loaded(s, r);
              });
      return new ConsensusWal(store, loaded.state, loaded.sign);
    } catch (RuntimeException | Error e) {
      store.close();
      throw e;
    }
  }

  private static Object decode(Path dir, String what, Bytes b, boolean state) {
    try {
      return state ? Rlp.decode(PersistedStateCodec.CODEC, b) : Rlp.decode(SignRecord.CODEC, b);
    } catch (RuntimeException e) {
      throw corrupt(dir, what + " does not decode: " + e.getMessage());
    }
  }

  private static CorruptStoreException corrupt(Path dir, String what) {
    return new CorruptStoreException("consensus WAL " + dir + ": " + what);
  }

  /** The last state saved, in its persisted form. */
  public synchronized Optional<State> load() {
    return Optional.ofNullable(saved);
  }

  /**
   * The state to hand to {@code Engine.resume}: the saved one, moved to the round after the
   * last-signed message when the node died between signing that message and saving the state that
   * holds it. Such a message never left the node (the driver sends a transition's messages only
   * after saving its state), so skipping its round is safe (Tendermint lets a node move to a higher
   * round at any time, and the saved locks cover everything it sent); resuming in the same round
   * instead would make the engine sign again, and the {@link GuardedSigner} would refuse any
   * different bytes there.
   */
  public synchronized Optional<State> loadForResume() {
    if (saved == null || lastSign == null || lastSign.height() != saved.height()) {
      return Optional.ofNullable(saved);
    }
    SignRecord r = lastSign;
    if (saved.round() > r.round() || holds(saved, r)) {
      return Optional.of(saved);
    }
    return Optional.of(saved.inRound(r.round() + 1));
  }

  /** Whether the state holds the recorded message among its own. */
  private static boolean holds(State s, SignRecord r) {
    Bytes sig =
        switch (r.step()) {
          case SignRecord.PROPOSAL -> {
            var p = s.ownProposals().get(r.round());
            yield p == null ? null : p.signature();
          }
          case SignRecord.PREVOTE -> {
            var v = s.ownPrevotes().get(r.round());
            yield v == null ? null : v.signature();
          }
          default -> {
            var v = s.ownPrecommits().get(r.round());
            yield v == null ? null : v.signature();
          }
        };
    return r.signature().equals(sig);
  }

  /**
   * Saves {@code state.persisted()}, durably (fsynced commit) on return; a no-op when that equals
   * what was saved last.
   */
  public synchronized void save(State state) {
    State p = Objects.requireNonNull(state, "state").persisted();
    if (saved != null && PersistedStateCodec.same(saved, p)) {
      return;
    }
    Bytes encoded = Rlp.encode(PersistedStateCodec.CODEC, p);
    store.write(tx -> tx.put(WAL, STATE_KEY, encoded));
    saved = p;
  }

  /** The last message signed through a {@link GuardedSigner} on this WAL. */
  public synchronized Optional<SignRecord> lastSign() {
    return Optional.ofNullable(lastSign);
  }

  /** Replaces the last-sign record, durably on return. */
  public synchronized void saveSign(SignRecord record) {
    Bytes encoded = Rlp.encode(SignRecord.CODEC, Objects.requireNonNull(record, "record"));
    store.write(tx -> tx.put(WAL, SIGN_KEY, encoded));
    lastSign = record;
  }

  @Override
  public void close() {
    store.close();
  }
}
