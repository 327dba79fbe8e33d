package io.axivon.kv.tx;

import java.util.List;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes;

/**
 * The stream data of one KV transaction (0G layout, specs/kv.md section 1).
 *
 * @param version the version the writer read at, an unsigned u64 ({@code -1L} is 2^64-1: never
 *     conflicts)
 */
public record KvTransaction(
    long version, List<StreamRead> reads, List<StreamWrite> writes, List<AccessControl> controls) {

  /** Most entries of each list. */
  public static final int MAX_ENTRIES = 1 << 16;

  /** Longest key: its length is a u24. */
  public static final int MAX_KEY_LENGTH = (1 << 24) - 1;

  public KvTransaction {
    reads = List.copyOf(reads);
    writes = List.copyOf(writes);
    controls = List.copyOf(controls);
    checkCount("reads", reads.size());
    checkCount("writes", writes.size());
    checkCount("controls", controls.size());
  }

  /** Only writes, as 0G's Batcher sends them. */
  public static KvTransaction ofWrites(long version, List<StreamWrite> writes) {
    return new KvTransaction(version, List.of(), writes, List.of());
  }

  private static void checkCount(String what, int n) {
    if (n > MAX_ENTRIES) {
      throw new IllegalArgumentException(
          "at most " + MAX_ENTRIES + " " + what + " per transaction, got " + n);
    }
  }

  static void checkKey(Bytes key) {
    Objects.requireNonNull(key, "key");
    if (key.isEmpty() || key.size() > MAX_KEY_LENGTH) {
      throw new IllegalArgumentException(
          "key length must be 1.." + MAX_KEY_LENGTH + " bytes, got " + key.size());
    }
  }
}
