package io.axivon.consensus.store;

import static io.axivon.consensus.store.ChainFixture.CHAIN;
import static io.axivon.consensus.store.ChainFixture.GENESIS;
import static io.axivon.consensus.store.ChainFixture.SET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.codec.Rlp;
import io.axivon.common.store.Serializers;
import io.axivon.common.store.Store;
import io.axivon.common.store.StoreOptions;
import io.axivon.consensus.types.Block;
import io.axivon.consensus.types.BlockHeader;
import io.axivon.consensus.types.CommitCertificate;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockStoreTest {
  static final StoreOptions SMALL = new StoreOptions(StoreOptions.MIB, StoreOptions.GIB, 8);
  static List<StoredBlock> chain;

  @TempDir Path dir;

  @BeforeAll
  static void build() {
    chain = ChainFixture.chain(7);
  }

  private BlockStore open() {
    return BlockStore.open(dir, CHAIN, GENESIS, SMALL);
  }

  private BlockStore filled(int n) {
    BlockStore s = open();
    for (int i = 0; i < n; i++) {
      s.append(chain.get(i));
    }
    return s;
  }

  @Test
  void appendsReadsAndReopens() {
    try (BlockStore s = open()) {
      assertThat(s.height()).isZero();
      assertThat(s.latest()).isEmpty();
      assertThat(s.get(1)).isEmpty();
      for (StoredBlock b : chain) {
        s.append(b);
      }
      assertThat(s.height()).isEqualTo(7);
      assertThat(s.get(3)).contains(chain.get(2));
      assertThat(s.byHash(chain.get(5).block().hash())).contains(chain.get(5));
      assertThat(s.byHash(Bytes32.ZERO)).isEmpty();
      assertThat(s.get(8)).isEmpty();
      assertThat(s.get(0)).isEmpty();
    }
    try (BlockStore s = open()) {
      assertThat(s.height()).isEqualTo(7);
      assertThat(s.latest()).contains(chain.get(6));
      assertThat(s.get(7)).contains(chain.get(6));
      assertThat(s.get(1)).contains(chain.get(0));
      assertThat(s.<Long>raw(tx -> tx.count(BlockStore.VALIDATOR_SETS)).longValue())
          .as("sets deduped")
          .isOne();
    }
  }

  @Test
  void appendChecksHeightLinkRootAndCommit() {
    try (BlockStore s = filled(2)) {
      assertThatThrownBy(() -> s.append(chain.get(3)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("at height 2, cannot append height 4");
      assertThatThrownBy(() -> s.append(chain.get(1)))
          .hasMessageContaining("cannot append height 2");
      Block good = chain.get(2).block();
      Block badParent = ChainFixture.block(3, Bytes32.ZERO, good.transactions());
      assertThatThrownBy(() -> s.append(ChainFixture.stored(badParent)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("parent hash");
      BlockHeader h = good.header();
      Block badRoot = new Block(h, List.of(Bytes.of(9)));
      assertThatThrownBy(() -> s.append(ChainFixture.stored(badRoot)))
          .hasMessageContaining("tx root");
      Block badApp =
          new Block(
              new BlockHeader(
                  CHAIN,
                  3,
                  h.timeMillis(),
                  h.parentHash(),
                  h.txRoot(),
                  Bytes32.ZERO,
                  h.validatorsHash(),
                  h.nextValidatorsHash(),
                  0),
              good.transactions());
      assertThatThrownBy(() -> s.append(ChainFixture.stored(badApp)))
          .hasMessageContaining("app hash");
      Block otherChain =
          new Block(
              new BlockHeader(
                  "other",
                  3,
                  h.timeMillis(),
                  h.parentHash(),
                  h.txRoot(),
                  h.appHash(),
                  h.validatorsHash(),
                  h.nextValidatorsHash(),
                  0),
              good.transactions());
      assertThatThrownBy(() -> s.append(ChainFixture.stored(otherChain)))
          .hasMessageContaining("chain 'other'");
      StoredBlock weak =
          new StoredBlock(good, ChainFixture.commit(good, 2), SET, ChainFixture.appHash(3));
      assertThatThrownBy(() -> s.append(weak))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("need more than 2/3");
      StoredBlock wrongCommit =
          new StoredBlock(good, chain.get(1).commit(), SET, ChainFixture.appHash(3));
      assertThatThrownBy(() -> s.append(wrongCommit))
          .hasMessageContaining("commit is for height 2");
      StoredBlock otherSet =
          new StoredBlock(
              good,
              chain.get(2).commit(),
              ChainFixture.set(ChainFixture.keys(5)),
              ChainFixture.appHash(3));
      assertThatThrownBy(() -> s.append(otherSet)).hasMessageContaining("validators hash");
      assertThat(s.height()).isEqualTo(2);
      s.append(chain.get(2));
      assertThat(s.height()).isEqualTo(3);
    }
  }

  @Test
  void refusesAnotherChainOrGenesis() {
    filled(1).close();
    assertThatThrownBy(() -> BlockStore.open(dir, "other", GENESIS, SMALL))
        .isInstanceOf(CorruptStoreException.class)
        .hasMessageContaining("belongs to chain 'test-chain', not 'other'");
    assertThatThrownBy(() -> BlockStore.open(dir, CHAIN, Bytes32.ZERO, SMALL))
        .isInstanceOf(CorruptStoreException.class)
        .hasMessageContaining("was created for genesis " + GENESIS.toHexString());
  }

  @Test
  void refusesUnknownFormatVersion() {
    assertCorruptAfter(
        2,
        tx ->
            tx.put(
                BlockStore.META, BlockStore.FORMAT_KEY, Bytes.wrap(Serializers.LONG.toBytes(9L))),
        "unknown block-store format version 9");
  }

  @Test
  void refusesMissingMetadata() {
    assertCorruptAfter(
        2,
        tx -> tx.delete(BlockStore.META, BlockStore.CHAIN_KEY),
        "metadata row 'chain-id' is missing");
    assertCorruptAfter(
        2, tx -> tx.clear(BlockStore.META), "holds blocks but no block-store metadata");
  }

  @Test
  void refusesTipThatDoesNotDecode() {
    assertCorruptAfter(
        5,
        tx -> tx.put(BlockStore.BLOCKS, 5L, Bytes.of(0xc1, 0x80)),
        "block at height 5 does not decode");
    Bytes trailing = Bytes.concatenate(Rlp.encode(Block.CODEC, chain.get(4).block()), Bytes.of(0));
    assertCorruptAfter(
        5, tx -> tx.put(BlockStore.BLOCKS, 5L, trailing), "block at height 5 does not decode");
  }

  @Test
  void refusesBrokenHashLink() {
    // height 4 replaced by a well-formed block on another parent, with its own index and commit
    Block fork = ChainFixture.block(4, Bytes32.ZERO, List.of());
    StoredBlock forkStored = ChainFixture.stored(fork);
    assertCorruptAfter(
        5,
        tx -> {
          tx.delete(BlockStore.HASHES, chain.get(3).block().hash());
          tx.put(BlockStore.BLOCKS, 4L, Rlp.encode(Block.CODEC, fork));
          tx.put(BlockStore.HASHES, fork.hash(), Bytes.wrap(Serializers.LONG.toBytes(4L)));
          tx.put(
              BlockStore.COMMITS,
              4L,
              Rlp.encode(
                  BlockStore.CommitRow.CODEC,
                  new BlockStore.CommitRow(
                      forkStored.commit(), SET.hash(), ChainFixture.appHash(4))));
        },
        "broken hash link: block 5 does not name block 4");
  }

  @Test
  void refusesCommitThatDoesNotVerify() {
    StoredBlock top = chain.get(4);
    CommitCertificate c = top.commit();
    CommitCertificate forged =
        new CommitCertificate(
            c.height(), c.round(), c.blockHash(), c.signers(), chain.get(3).commit().aggregate());
    assertCorruptAfter(
        5,
        tx ->
            tx.put(
                BlockStore.COMMITS,
                5L,
                Rlp.encode(
                    BlockStore.CommitRow.CODEC,
                    new BlockStore.CommitRow(forged, SET.hash(), ChainFixture.appHash(5)))),
        "commit of height 5 does not verify");
  }

  @Test
  void refusesMissingRows() {
    assertCorruptAfter(
        4, tx -> tx.delete(BlockStore.COMMITS, 4L), "table commits has 3 rows for 4 blocks");
    assertCorruptAfter(
        4,
        tx -> tx.delete(BlockStore.HASHES, chain.get(1).block().hash()),
        "table block-hashes has 3 rows for 4 blocks");
    assertCorruptAfter(
        4, tx -> tx.delete(BlockStore.BLOCKS, 2L), "tip is height 4 but only 3 block rows exist");
    assertCorruptAfter(4, tx -> tx.clear(BlockStore.VALIDATOR_SETS), "is missing");
  }

  /** Fills a fresh directory, damages it through a raw store, and expects open to say so. */
  private void assertCorruptAfter(
      int blocks, Consumer<io.axivon.common.store.WriteTx> damage, String message) {
    Path d = dir.resolve("case-" + message.hashCode() + "-" + System.nanoTime());
    try (BlockStore s = BlockStore.open(d, CHAIN, GENESIS, SMALL)) {
      for (int i = 0; i < blocks; i++) {
        s.append(chain.get(i));
      }
    }
    try (Store raw =
        Store.open(
            d,
            SMALL,
            BlockStore.META,
            BlockStore.BLOCKS,
            BlockStore.HASHES,
            BlockStore.COMMITS,
            BlockStore.VALIDATOR_SETS)) {
      raw.write(damage);
    }
    assertThatThrownBy(() -> BlockStore.open(d, CHAIN, GENESIS, SMALL))
        .isInstanceOf(CorruptStoreException.class)
        .hasMessageContaining(message)
        .hasMessageContaining(d.toAbsolutePath().normalize().toString());
  }
}
