package io.axivon.common.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
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
 * Reads through the FFM binding ({@link NativeLmdb}) equal reads through lmdbjava: two stores get
 * the same writes, one reading natively and one through lmdbjava, and every get, contains, firstIn,
 * firstWithPrefix and scan (both directions, open and closed bounds) must answer the same.
 */
class NativeReadProperties {
  static final Table<Bytes, Bytes> TABLE = Table.of("t", Serializers.BYTES, Serializers.BYTES);

  private static Path dir;
  private static Store fast;
  private static Store plain;

  @BeforeContainer
  static void open() throws IOException {
    dir = Files.createTempDirectory("native-read");
    StoreOptions options = StoreOptions.defaults().withInitialMapSize(256 * StoreOptions.KIB);
    fast = Store.open(dir.resolve("fast"), options, List.of(TABLE), true);
    plain = Store.open(dir.resolve("plain"), options, List.of(TABLE), false);
  }

  @AfterContainer
  static void close() {
    fast.close();
    plain.close();
    try {
      PathUtils.deleteDirectory(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Property(tries = 1)
  void theBindingIsUsedOnLinux() {
    assertThat(plain.nativeReads()).isFalse();
    if (Files.isReadable(Path.of("/proc/self/maps"))) {
      assertThat(fast.nativeReads()).isTrue();
    }
  }

  @Property(tries = 150)
  void nativeReadsEqualLmdbjavaReads(
      @ForAll @Size(max = 40)
          List<@Size(min = 1, max = 4) List<@IntRange(min = 0, max = 3) Byte>> keys,
      @ForAll @IntRange(min = 0, max = 5000) int valueLength,
      @ForAll @Size(max = 12)
          List<@Size(min = 1, max = 4) List<@IntRange(min = 0, max = 3) Byte>> probes) {
    for (Store s : List.of(fast, plain)) {
      s.write(
          tx -> {
            tx.clear(TABLE);
            int n = 0;
            for (List<Byte> k : keys) {
              // values of varied length, large ones on overflow pages
              byte[] v = new byte[(valueLength + 37 * n++) % 5001];
              if (v.length > 0) {
                v[0] = (byte) n;
              }
              tx.put(TABLE, bytes(k), Bytes.wrap(v));
            }
          });
    }
    for (List<Byte> p : probes) {
      Bytes probe = bytes(p);
      for (int i = 0; i < 2; i++) {
        same(tx -> tx.get(TABLE, probe));
        same(tx -> tx.contains(TABLE, probe));
      }
      for (int prefix = 0; prefix <= probe.size(); prefix++) {
        int n = prefix;
        same(tx -> tx.firstWithPrefix(TABLE, probe, n));
        // the model: the first key at or after the probe, if it shares the probe's first n bytes
        Optional<KeyValue<Bytes, Bytes>> model =
            plain.read(tx -> tx.firstIn(TABLE, KeyRange.atLeast(probe)));
        Optional<KeyValue<Bytes, Bytes>> got = fast.read(tx -> tx.firstWithPrefix(TABLE, probe, n));
        assertThat(got)
            .isEqualTo(
                model.filter(
                    e -> e.key().size() >= n && e.key().slice(0, n).equals(probe.slice(0, n))));
      }
      for (Bytes other : probes.stream().map(NativeReadProperties::bytes).toList()) {
        for (KeyRange<Bytes> range :
            List.of(
                KeyRange.atLeast(probe),
                KeyRange.lessThan(probe).reversed(),
                KeyRange.between(probe, other),
                KeyRange.between(probe, other).reversed(),
                KeyRange.<Bytes>all(),
                KeyRange.<Bytes>all().reversed())) {
          same(tx -> tx.firstIn(TABLE, range));
          same(tx -> scan(tx, range));
        }
      }
    }
    // many reads in one call: the cached cursor and the scan cursors interleave
    same(NativeReadProperties::everything);
  }

  private static void same(Function<ReadTx, Object> read) {
    Object expected = plain.read(read);
    assertThat(fast.read(read)).isEqualTo(expected);
  }

  private static List<KeyValue<Bytes, Bytes>> scan(ReadTx tx, KeyRange<Bytes> range) {
    try (Stream<KeyValue<Bytes, Bytes>> s = tx.scan(TABLE, range)) {
      return s.toList();
    }
  }

  private static List<Object> everything(ReadTx tx) {
    try (Stream<KeyValue<Bytes, Bytes>> s = tx.scan(TABLE, KeyRange.all())) {
      return s.<Object>map(
              e -> List.of(e, tx.firstIn(TABLE, KeyRange.atLeast(e.key())), tx.get(TABLE, e.key())))
          .toList();
    }
  }

  private static Bytes bytes(List<Byte> k) {
    byte[] out = new byte[k.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = k.get(i);
    }
    return Bytes.wrap(out);
  }
}
