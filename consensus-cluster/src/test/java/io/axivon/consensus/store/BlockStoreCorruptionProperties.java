package io.axivon.consensus.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.store.Store;
import io.axivon.common.store.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.commons.io.file.PathUtils;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Any damaged byte, or any truncation, of a row that {@link BlockStore#open} checks (the top
 * heights' blocks, commit rows, hash index rows and their validator set) makes open refuse the
 * store.
 */
class BlockStoreCorruptionProperties {
  static final int HEIGHT = 5;
  static Path root;
  static Path template;
  static List<StoredBlock> chain;

  @BeforeContainer
  static void buildTemplate() throws IOException {
    root = Files.createTempDirectory("blockstore-corruption");
    template = root.resolve("template");
    chain = ChainFixture.chain(HEIGHT);
    try (BlockStore s =
        BlockStore.open(template, ChainFixture.CHAIN, ChainFixture.GENESIS, BlockStoreTest.SMALL)) {
      for (StoredBlock b : chain) {
        s.append(b);
      }
    }
  }

  @AfterContainer
  static void cleanUp() throws IOException {
    PathUtils.deleteDirectory(root);
  }

  /** The checked rows: {@code which} picks one. */
  private record Row<K>(Table<K, Bytes> table, K key) {}

  private static Row<?> row(int which) {
    StoredBlock top = chain.get(HEIGHT - 1);
    StoredBlock below = chain.get(HEIGHT - 2);
    return switch (which) {
      case 0 -> new Row<>(BlockStore.BLOCKS, (long) HEIGHT);
      case 1 -> new Row<>(BlockStore.BLOCKS, (long) HEIGHT - 1);
      case 2 -> new Row<>(BlockStore.COMMITS, (long) HEIGHT);
      case 3 -> new Row<>(BlockStore.COMMITS, (long) HEIGHT - 1);
      case 4 -> new Row<>(BlockStore.HASHES, top.block().hash());
      case 5 -> new Row<>(BlockStore.HASHES, below.block().hash());
      default -> new Row<>(BlockStore.VALIDATOR_SETS, (Bytes32) top.validators().hash());
    };
  }

  @Property(tries = 60)
  void anyFlippedByteIsRefused(
      @ForAll @IntRange(min = 0, max = 6) int which,
      @ForAll @IntRange(min = 0, max = 1 << 20) int position,
      @ForAll @IntRange(min = 1, max = 255) int mask)
      throws IOException {
    damageAndExpectRefusal(
        which,
        v -> {
          byte[] b = v.toArray();
          b[position % b.length] ^= (byte) mask;
          return Bytes.wrap(b);
        });
  }

  @Property(tries = 30)
  void anyTruncationIsRefused(
      @ForAll @IntRange(min = 0, max = 6) int which,
      @ForAll @IntRange(min = 0, max = 1 << 20) int cut)
      throws IOException {
    damageAndExpectRefusal(which, v -> v.slice(0, cut % v.size()));
  }

  private static <K> void damageAndExpectRefusal(
      int which, java.util.function.UnaryOperator<Bytes> damage) throws IOException {
    Path dir = Files.createTempDirectory(root, "case");
    Files.copy(template.resolve("data.mdb"), dir.resolve("data.mdb"));
    @SuppressWarnings("unchecked")
    Row<K> row = (Row<K>) row(which);
    try (Store raw =
        Store.open(
            dir,
            BlockStoreTest.SMALL,
            BlockStore.META,
            BlockStore.BLOCKS,
            BlockStore.HASHES,
            BlockStore.COMMITS,
            BlockStore.VALIDATOR_SETS)) {
      raw.write(
          tx -> {
            Bytes value = tx.get(row.table(), row.key()).orElseThrow();
            tx.put(row.table(), row.key(), damage.apply(value));
          });
    }
    assertThatThrownBy(
            () ->
                BlockStore.open(
                    dir, ChainFixture.CHAIN, ChainFixture.GENESIS, BlockStoreTest.SMALL))
        .isInstanceOf(CorruptStoreException.class);
  }
}
