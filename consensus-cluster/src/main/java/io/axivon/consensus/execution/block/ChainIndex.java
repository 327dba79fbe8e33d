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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What JSON-RPC reads about past blocks, in LMDB: blocks by number and by hash, each block's
 * included raw transactions and receipts, and transaction hash to (block, index). One write
 * transaction per block (or per run of blocks), so a block is indexed entirely or not at all; the
 * head pointer is written in the same transaction.
 *
 * <p>Written behind: {@link #put} keeps the block in memory, where every read finds it at once, and
 * a writer thread of its own stores it. Indexing thousands of receipts and transaction locations
 * (random keys into a B-tree) and its fsync took 0.1–0.25 s per block under load, on the way of
 * every receipt while the consensus loop waited; the index is derived from the block store, which
 * is durable before the block is committed, so what a crash leaves unwritten the node runs again on
 * start (every stored block above the index's head). A block leaves memory only once its write is
 * committed, and reads look in memory first, so none ever misses one in between.
 */
public final class ChainIndex implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChainIndex.class);

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

  /**
   * Most blocks kept in memory before {@link #put} waits for the writer: a few seconds of blocks,
   * enough to ride out a slow fsync, and a bound on memory when the disk cannot keep up.
   */
  static final int MAX_UNWRITTEN = 8;

  /** A block put but not yet stored. */
  private record Unwritten(EthBlock block, List<Bytes> txs, List<Receipt> receipts) {}

  private final Store store;
  private final ExecutorService writer;
  private final Semaphore room = new Semaphore(MAX_UNWRITTEN);
  private final ConcurrentSkipListMap<Long, Unwritten> unwritten = new ConcurrentSkipListMap<>();
  private final Map<Bytes32, Long> unwrittenNumbers = new ConcurrentHashMap<>();
  private final Map<Bytes32, TxLocation> unwrittenLocations = new ConcurrentHashMap<>();
  private volatile Long head; // the last block put; null: none since open, read the store's
  private volatile RuntimeException failure; // the writer's, reported by the next put

  ChainIndex(Store store, ExecutorService writer) {
    this.store = store;
    this.writer = writer;
  }

  /**
   * Opens the index in {@code dir}. Its last commit may be undone by a system crash (not by a
   * process crash), and blocks put but not yet written are lost by either: the index is derived
   * from the block store, which is durable at every commit, and on start the node runs again every
   * stored block above the index's head. That saves one of the two fsyncs of each block's commit.
   */
  public static ChainIndex open(Path dir) {
    return new ChainIndex(
        openStore(dir),
        Executors.newSingleThreadExecutor(
            Thread.ofPlatform()
                .daemon(true) // close() drains it; a chain never closed must not hold the JVM
                .name("index-writer-" + dir.toAbsolutePath().getParent().getFileName())
                .factory()));
  }

  static Store openStore(Path dir) {
    return Store.open(
        dir,
        StoreOptions.defaults().withDurability(StoreOptions.Durability.ALL_BUT_LAST_COMMIT),
        BLOCKS,
        BLOCK_NUMBERS,
        BLOCK_TXS,
        RECEIPTS,
        TX_LOCATIONS,
        META);
  }

  /**
   * Indexes a block, its transactions and receipts, and makes it the head: every read answers from
   * it when this returns; it is stored atomically soon after. Waits while {@link #MAX_UNWRITTEN}
   * blocks are not yet stored.
   *
   * @throws IllegalStateException when an earlier block could not be stored (the disk failed)
   */
  public void put(EthBlock block, List<Bytes> txs, List<Receipt> receipts) {
    RuntimeException failed = failure;
    if (failed != null) {
      throw new IllegalStateException("the chain index could not store a block", failed);
    }
    room.acquireUninterruptibly();
    // The block first, then what leads to it (the writer lets go in the reverse order): a reader
    // that finds a transaction's location or a block's number always finds the block.
    unwritten.put(block.number(), new Unwritten(block, txs, receipts));
    unwrittenNumbers.put(block.hash(), block.number());
    for (int i = 0; i < receipts.size(); i++) {
      unwrittenLocations.put(receipts.get(i).txHash(), new TxLocation(block.number(), i));
    }
    head = block.number();
    try {
      writer.execute(this::writeUnwritten);
    } catch (RejectedExecutionException e) {
      room.release();
      throw new IllegalStateException("the chain index is closed", e);
    }
  }

  /**
   * Stores every block in memory in one transaction (several when the writer fell behind: one fsync
   * for all), then lets them go. Runs on the writer thread only.
   */
  private void writeUnwritten() {
    List<Unwritten> batch = List.copyOf(unwritten.values());
    if (batch.isEmpty() || failure != null) {
      return; // an earlier task wrote them; or nothing can be written any more
    }
    try {
      store.write(
          w -> {
            for (Unwritten u : batch) {
              EthBlock block = u.block();
              w.put(BLOCKS, block.number(), block);
              w.put(BLOCK_NUMBERS, block.hash(), block.number());
              w.put(BLOCK_TXS, block.number(), u.txs());
              w.put(RECEIPTS, block.number(), u.receipts());
              for (int i = 0; i < u.receipts().size(); i++) {
                w.put(
                    TX_LOCATIONS, u.receipts().get(i).txHash(), new TxLocation(block.number(), i));
              }
            }
            w.put(META, HEAD, batch.getLast().block().number());
          });
    } catch (RuntimeException e) {
      LOG.error("chain index: storing blocks from {} failed", batch.getFirst().block().number(), e);
      failure = e; // kept in memory: reads still answer; the next put says so
      return;
    }
    for (Unwritten u : batch) { // locations and numbers go before the block they lead to
      for (Receipt r : u.receipts()) {
        unwrittenLocations.remove(r.txHash());
      }
      unwrittenNumbers.remove(u.block().hash());
      unwritten.remove(u.block().number());
    }
    room.release(batch.size());
  }

  /** The number of the last indexed block, if any. */
  public Optional<Long> head() {
    Long h = head;
    return h != null ? Optional.of(h) : store.read(r -> r.get(META, HEAD));
  }

  // Each read looks in memory first: a block leaves it only after its write committed.

  public Optional<EthBlock> block(long number) {
    Unwritten u = unwritten.get(number);
    return u != null ? Optional.of(u.block()) : store.read(r -> r.get(BLOCKS, number));
  }

  public Optional<EthBlock> block(Bytes32 hash) {
    Long n = unwrittenNumbers.get(hash);
    if (n != null) {
      Optional<EthBlock> b = block(n);
      if (b.isPresent()) {
        return b;
      }
    }
    return store.read(r -> r.get(BLOCK_NUMBERS, hash).flatMap(k -> r.get(BLOCKS, k)));
  }

  public List<Bytes> transactions(long number) {
    Unwritten u = unwritten.get(number);
    return u != null ? u.txs() : store.read(r -> r.get(BLOCK_TXS, number).orElse(List.of()));
  }

  public List<Receipt> receipts(long number) {
    Unwritten u = unwritten.get(number);
    return u != null ? u.receipts() : store.read(r -> r.get(RECEIPTS, number).orElse(List.of()));
  }

  public Optional<TxLocation> location(Bytes32 txHash) {
    TxLocation l = unwrittenLocations.get(txHash);
    return l != null ? Optional.of(l) : store.read(r -> r.get(TX_LOCATIONS, txHash));
  }

  /** The receipt of an included transaction. */
  public Optional<Receipt> receipt(Bytes32 txHash) {
    return location(txHash)
        .flatMap(
            l -> {
              List<Receipt> rs = receipts(l.blockNumber());
              return l.index() < rs.size() ? Optional.of(rs.get(l.index())) : Optional.empty();
            });
  }

  /** How many blocks are put but not stored yet; for tests and metrics. */
  int unwrittenCount() {
    return unwritten.size();
  }

  /** Stores what is still in memory, then closes the store. */
  @Override
  public void close() {
    writer.shutdown();
    try {
      if (!writer.awaitTermination(1, TimeUnit.MINUTES)) {
        LOG.warn("chain index: the writer did not finish within a minute; closing anyway");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    store.close();
  }

  private static <T> Serializer<T> ser(RlpCodec<T> codec) {
    return Serializer.ofBytes(v -> Rlp.encode(codec, v), b -> Rlp.decode(codec, b));
  }
}
