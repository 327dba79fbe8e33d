package io.axivon.common.store;

import java.util.Objects;
import java.util.Optional;

/**
 * A half-open range of keys {@code [from, to)} in the table's key order (unsigned order of the
 * serialized keys), walked forward or backward. Either bound may be absent.
 */
public final class KeyRange<K> {
  private final K from;
  private final K to;
  private final boolean reverse;

  private KeyRange(K from, K to, boolean reverse) {
    this.from = from;
    this.to = to;
    this.reverse = reverse;
  }

  /** Every key, first to last. */
  public static <K> KeyRange<K> all() {
    return new KeyRange<>(null, null, false);
  }

  /** Keys {@code >= from}. */
  public static <K> KeyRange<K> atLeast(K from) {
    return new KeyRange<>(Objects.requireNonNull(from, "from"), null, false);
  }

  /** Keys {@code < to}. */
  public static <K> KeyRange<K> lessThan(K to) {
    return new KeyRange<>(null, Objects.requireNonNull(to, "to"), false);
  }

  /** Keys {@code >= from} and {@code < to}. */
  public static <K> KeyRange<K> between(K from, K to) {
    return new KeyRange<>(
        Objects.requireNonNull(from, "from"), Objects.requireNonNull(to, "to"), false);
  }

  /** The same keys, last to first. */
  public KeyRange<K> reversed() {
    return new KeyRange<>(from, to, !reverse);
  }

  public Optional<K> from() {
    return Optional.ofNullable(from);
  }

  public Optional<K> to() {
    return Optional.ofNullable(to);
  }

  public boolean isReverse() {
    return reverse;
  }

  @Override
  public String toString() {
    return "KeyRange[" + from + ", " + to + (reverse ? ") reversed" : ")");
  }
}
