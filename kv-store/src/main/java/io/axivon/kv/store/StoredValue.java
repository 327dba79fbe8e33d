package io.axivon.kv.store;

import io.axivon.common.crypto.Hashes;
import org.apache.tuweni.bytes.Bytes;

/**
 * A key's value as of a version, read only as far as asked: inline bytes from LMDB, or a reference
 * whose bytes come from the transaction's file (specs/kv.md section 6.1). Reads of a reference
 * check every 64 KiB chunk they touch; {@link #all} also checks the value's keccak256.
 */
public final class StoredValue {
  static final StoredValue ABSENT = new StoredValue(0, Bytes.EMPTY, null, null);

  private final long version;
  private final Bytes inline;
  private final ValueRef ref;
  private final ValueFiles files;

  private StoredValue(long version, Bytes inline, ValueRef ref, ValueFiles files) {
    this.version = version;
    this.inline = inline;
    this.ref = ref;
    this.files = files;
  }

  static StoredValue decode(long version, Bytes stored, ValueFiles files) {
    if (stored.isEmpty()) {
      return new StoredValue(version, Bytes.EMPTY, null, null);
    }
    return switch (stored.get(0)) {
      case KvStore.INLINE -> new StoredValue(version, stored.slice(1), null, null);
      case KvStore.REF -> new StoredValue(version, null, ValueRef.decode(stored), files);
      default ->
          throw new IllegalStateException(
              "kv.values entry starts with unknown byte " + stored.get(0));
    };
  }

  /** The whole value of a stored entry; an inline one without building a StoredValue first. */
  static KvStore.Value valueOf(long version, Bytes stored, ValueFiles files) {
    if (!stored.isEmpty() && stored.get(0) == KvStore.INLINE) {
      return new KvStore.Value(version, stored.slice(1));
    }
    return decode(version, stored, files).toValue();
  }

  /** The seq of the transaction that wrote the value; 0 if the key was never written. */
  public long version() {
    return version;
  }

  /** The value's length in bytes; 0 for a deleted or never written key. */
  public long size() {
    return ref != null ? ref.length() : inline.size();
  }

  /** Whether the value is kept in a file, by reference. */
  public boolean large() {
    return ref != null;
  }

  /**
   * Bytes {@code [start, start + length)} of the value, cut at its end.
   *
   * @throws IllegalArgumentException if {@code start} is beyond the value's end or length negative
   * @throws CorruptValueException if the value's file is missing or damaged
   */
  public Bytes read(long start, int length) {
    long size = size();
    if (start < 0 || start > size || length < 0) {
      throw new IllegalArgumentException(
          "cannot read " + length + " bytes at " + start + " of a value of " + size + " bytes");
    }
    int n = (int) Math.min(length, size - start);
    if (ref == null) {
      return inline.slice((int) start, n);
    }
    return files.read(ref.txSeq(), ref.txSize(), ref.offset() + start, n);
  }

  /**
   * The whole value.
   *
   * @throws CorruptValueException if the value's file is missing or damaged
   */
  public Bytes all() {
    if (ref == null) {
      return inline;
    }
    if (ref.length() > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("value of " + ref.length() + " bytes is too large to load");
    }
    Bytes data = files.read(ref.txSeq(), ref.txSize(), ref.offset(), (int) ref.length());
    if (!Hashes.keccak256(data).equals(ref.keccak())) {
      throw new CorruptValueException(
          "value file "
              + files.path(ref.txSeq())
              + " of tx seq "
              + ref.txSeq()
              + ": the value at byte "
              + ref.offset()
              + " does not match its keccak256 "
              + ref.keccak().toHexString());
    }
    return data;
  }

  KvStore.Value toValue() {
    return new KvStore.Value(version, all());
  }
}
