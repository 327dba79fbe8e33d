package io.axivon.consensus.execution.block;

import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import io.axivon.common.store.Serializer;
import io.axivon.common.store.Serializers;
import io.axivon.common.store.Store;
import io.axivon.common.store.StoreOptions;
import io.axivon.common.store.Table;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * What JSON-RPC reads about past blocks, in LMDB: blocks by number and by hash, each block's
 * included raw transactions and receipts, and transaction hash to (block, index). One write
 * transaction per block, so a block is indexed entirely or not at all; the head pointer is written
 * in the same transaction.
 */
public final class ChainIndex implements AutoCloseable {
  static final Table<Long, EthBlock> BLOCKS =
      Table.of("eth-blocks", Serializers.LONG, ser(StorageCodecs.BLOCK));
  static final Table<Bytes32, Long> BLOCK_NUMBERS =
      Table.of("eth-block-numbers", Serializers.BYTES32, Serializers.LONG);
  static final Table<Long, List<Bytes>> BLOCK_TXS =
      Table.of("eth-block-txs", Serializers.LONG, ser(StorageCodecs.TXS));
  static final Table<Long, List<Receipt>> RECEIPTS =
      Table.of("eth-receipts", Serializers.LONG, ser(StorageCodecs.RECEIPTS));
  static final Table<Bytes32, TxLocation> TX_LOCATIONS =
      Table.of("eth-tx-locations", Serializers.BYTES32, ser(StorageCodecs.LOCATION));
  static final Table<String, Long> META =
      Table.of("eth-meta", Serializers.STRING, Serializers.LONG);
  private static final String HEAD = "head";

  private final Store store;

  private ChainIndex(Store store) {
    this.store = store;
  }

  /**
   * Opens the index in {@code dir}. Its last commit may be undone by a system crash (not by a
   * process crash): the index is derived from the block store, which is durable at every commit,
   * and on start the node runs again every stored block above the index's head. That saves one of
   * the two fsyncs of each block's commit, which is on the way of every receipt.
   */
  public static ChainIndex open(Path dir) {
    return new ChainIndex(
        Store.open(
            dir,
            StoreOptions.defaults().withDurability(StoreOptions.Durability.ALL_BUT_LAST_COMMIT),
            BLOCKS,
            BLOCK_NUMBERS,
            BLOCK_TXS,
            RECEIPTS,
            TX_LOCATIONS,
            META));
  }

  /** Indexes a block, its transactions and receipts, and makes it the head, atomically. */
  public void put(EthBlock block, List<Bytes> txs, List<Receipt> receipts) {
    store.write(
        w -> {
          w.put(BLOCKS, block.number(), block);
          w.put(BLOCK_NUMBERS, block.hash(), block.number());
          w.put(BLOCK_TXS, block.number(), txs);
          w.put(RECEIPTS, block.number(), receipts);
          for (int i = 0; i < receipts.size(); i++) {
            w.put(TX_LOCATIONS, receipts.get(i).txHash(), new TxLocation(block.number(), i));
          }
          w.put(META, HEAD, block.number());
        });
  }

  /** The number of the last indexed block, if any. */
  public Optional<Long> head() {
    return store.read(r -> r.get(META, HEAD));
  }

  public Optional<EthBlock> block(long number) {
    return store.read(r -> r.get(BLOCKS, number));
  }

  public Optional<EthBlock> block(Bytes32 hash) {
    return store.read(r -> r.get(BLOCK_NUMBERS, hash).flatMap(n -> r.get(BLOCKS, n)));
  }

  public List<Bytes> transactions(long number) {
    return store.read(r -> r.get(BLOCK_TXS, number).orElse(List.of()));
  }

  public List<Receipt> receipts(long number) {
    return store.read(r -> r.get(RECEIPTS, number).orElse(List.of()));
  }

  public Optional<TxLocation> location(Bytes32 txHash) {
    return store.read(r -> r.get(TX_LOCATIONS, txHash));
  }

  /** The receipt of an included transaction. */
  public Optional<Receipt> receipt(Bytes32 txHash) {
    return store.read(
        r ->
            r.get(TX_LOCATIONS, txHash)
                .flatMap(l -> r.get(RECEIPTS, l.blockNumber()).map(rs -> rs.get(l.index()))));
  }

  @Override
  public void close() {
    store.close();
  }

  private static <T> Serializer<T> ser(RlpCodec<T> codec) {
    return Serializer.ofBytes(v -> Rlp.encode(codec, v), b -> Rlp.decode(codec, b));
  }
}
