package io.axivon.common.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.commons.io.file.PathUtils;
import org.apache.tuweni.bytes.Bytes;

/**
 * Reused read transactions and {@link ReadTx#firstIn}: interleaved writes and reads must always see
 * the newest committed state (a reused transaction never serves an old snapshot), many reads in one
 * call equal the same reads one call each, and firstIn equals the scan's first entry.
 */
class ReaderReuseProperties {
  static final Table<Long, Bytes> TABLE = Table.of("reuse", Serializers.LONG, Serializers.BYTES);

  private static Path dir;
  private static Store store;

  @BeforeContainer
  static void open() throws IOException {
    dir = Files.createTempDirectory("reader-reuse");
    store =
        Store.open(dir, StoreOptions.defaults().withInitialMapSize(64 * StoreOptions.KIB), TABLE);
  }

  @AfterContainer
  static void close() {
    store.close();
    try {
      PathUtils.deleteDirectory(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Property(tries = 200)
  void readsAfterEachWriteSeeIt(
      @ForAll @Size(max = 30) List<@IntRange(min = 0, max = 40) Integer> keys,
      @ForAll @IntRange(min = 0, max = 3000) int valueLength) {
    store.write(tx -> tx.clear(TABLE));
    NavigableMap<Long, Bytes> model = new TreeMap<>();
    int n = 0;
    for (int k : keys) {
      Bytes value = Bytes.wrap(new byte[valueLength]).or(Bytes.ofUnsignedInt(n++)); // distinct
      long key = k;
      if (k % 7 == 3 && model.containsKey(key)) {
        store.write(tx -> tx.delete(TABLE, key));
        model.remove(key);
      } else {
        store.write(tx -> tx.put(TABLE, key, value));
        model.put(key, value);
      }
      // one read call per key, then all keys in one call: both equal the model
      for (long q = 0; q <= 40; q += 5) {
        long query = q;
        Optional<Bytes> got = store.read(tx -> tx.get(TABLE, query));
        assertThat(got).isEqualTo(Optional.ofNullable(model.get(query)));
      }
      Map<Long, Bytes> batched =
          store.read(
              tx -> {
                Map<Long, Bytes> out = new TreeMap<>();
                for (long q = 0; q <= 40; q++) {
                  long query = q;
                  tx.get(TABLE, q).ifPresent(v -> out.put(query, v));
                }
                return out;
              });
      assertThat(batched).isEqualTo(model);
    }
  }

  @Property(tries = 200)
  void firstInEqualsFirstOfScan(
      @ForAll @Size(max = 20) List<@IntRange(min = 0, max = 50) Integer> keys,
      @ForAll @IntRange(min = -1, max = 52) int from,
      @ForAll @IntRange(min = -1, max = 52) int to,
      @ForAll boolean reverse) {
    store.write(
        tx -> {
          tx.clear(TABLE);
          for (int k : keys) {
            tx.put(TABLE, (long) k, Bytes.ofUnsignedInt(k));
          }
        });
    KeyRange<Long> range =
        from < 0 && to < 0
            ? KeyRange.all()
            : from < 0
                ? KeyRange.lessThan((long) to)
                : to < 0 ? KeyRange.atLeast((long) from) : KeyRange.between((long) from, (long) to);
    KeyRange<Long> walked = reverse ? range.reversed() : range;
    for (int round = 0; round < 2; round++) { // the second round uses the cached cursor again
      Optional<KeyValue<Long, Bytes>> viaScan =
          store.read(
              tx -> {
                try (Stream<KeyValue<Long, Bytes>> s = tx.scan(TABLE, walked)) {
                  return s.findFirst();
                }
              });
      Optional<KeyValue<Long, Bytes>> viaFirstIn = store.read(tx -> tx.firstIn(TABLE, walked));
      assertThat(viaFirstIn).isEqualTo(viaScan);
      // and inside a write transaction (no cached cursor)
      Optional<KeyValue<Long, Bytes>> inWrite = store.writeAndGet(tx -> tx.firstIn(TABLE, walked));
      assertThat(inWrite).isEqualTo(viaScan);
    }
  }
}
