package io.axivon.common.store;

import io.axivon.common.crypto.Hashes;
import java.io.PrintStream;
import java.nio.file.Path;
import org.apache.tuweni.bytes.Bytes;

/**
 * The process {@link StoreCrashIT} kills: writes transactions forever, each one moving the whole
 * checkable state forward by one, and prints "committed N" after each commit returns.
 *
 * <p>State after transaction N: {@code counter = N}; {@code keys[i] = N * 1000 + i} for every i;
 * {@code checksum = sha256(keys in key order)}; log entries 1..N, each a payload derived from its
 * number (big enough to use overflow pages and to make the map grow several times).
 */
public final class StoreCrashChild {
  static final Table<String, Long> STATE = Table.of("state", Serializers.STRING, Serializers.LONG);
  static final Table<Long, Bytes> KEYS = Table.of("keys", Serializers.LONG, Serializers.BYTES);
  static final Table<Long, Bytes> LOG = Table.of("log", Serializers.LONG, Serializers.BYTES);
  static final StoreOptions OPTIONS =
      StoreOptions.defaults().withInitialMapSize(64 * StoreOptions.KIB);
  static final String COUNTER = "counter";
  static final String CHECKSUM = "checksum";
  static final int KEY_COUNT = 200;

  private StoreCrashChild() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    PrintStream out = System.out;
    Store store = Store.open(dir, OPTIONS, STATE, KEYS, LOG);
    long counter = store.read(tx -> tx.get(STATE, COUNTER)).orElse(0L);
    out.println("ready " + counter);
    out.flush();
    while (true) {
      long next = counter + 1;
      store.write(
          tx -> {
            for (int i = 0; i < KEY_COUNT; i++) {
              tx.put(KEYS, (long) i, keyValue(next, i));
            }
            tx.put(LOG, next, payload(next));
            tx.put(STATE, CHECKSUM, checksum(next));
            tx.put(STATE, COUNTER, next);
          });
      counter = next;
      out.println("committed " + counter);
      out.flush();
    }
  }

  static Bytes keyValue(long counter, int i) {
    return Bytes.ofUnsignedLong(counter * 1000 + i);
  }

  /** The checksum stored with counter N: sha256 over every key value, in key order. */
  static long checksum(long counter) {
    Bytes[] parts = new Bytes[KEY_COUNT];
    for (int i = 0; i < KEY_COUNT; i++) {
      parts[i] = keyValue(counter, i);
    }
    return checksumOf(parts);
  }

  static long checksumOf(Bytes... values) {
    return Hashes.sha256(Bytes.concatenate(values)).slice(0, 8).toLong();
  }

  static Bytes payload(long n) {
    byte[] bytes = new byte[3000 + (int) (n % 500)];
    byte[] seed = Hashes.sha256(Bytes.ofUnsignedLong(n)).toArrayUnsafe();
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = seed[i % seed.length];
    }
    return Bytes.wrap(bytes);
  }
}
