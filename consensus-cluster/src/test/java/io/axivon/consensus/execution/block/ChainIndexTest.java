package io.axivon.consensus.execution.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.store.Store;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index written behind: every read answers from a block as soon as it is put, the same before
 * and after it is stored, and nothing is lost by closing or reopening.
 */
class ChainIndexTest {
  @TempDir Path dir;

  private final CountDownLatch gate = new CountDownLatch(1);
  private final ExecutorService writer = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    gate.countDown();
    writer.shutdownNow();
  }

  /** Holds the writer until {@link #gate} opens: what is put meanwhile stays in memory. */
  private void holdWriter() {
    writer.execute(
        () -> {
          try {
            gate.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
  }

  /** Waits for every write queued so far (the writer runs its tasks in order). */
  private void drain() throws Exception {
    writer.submit(() -> {}).get();
  }

  private record Put(EthBlock block, List<Bytes> txs, List<Receipt> receipts) {}

  private static Put block(long number, int txCount) {
    List<Bytes> txs = new ArrayList<>();
    List<Receipt> receipts = new ArrayList<>();
    Address from = new Address(Bytes.wrap(new byte[Address.SIZE]));
    for (int i = 0; i < txCount; i++) {
      Bytes raw = Bytes.concatenate(Bytes.ofUnsignedLong(number), Bytes.ofUnsignedInt(i));
      txs.add(raw);
      receipts.add(
          new Receipt(
              Hashes.keccak256(raw),
              2,
              true,
              21_000L * (i + 1),
              21_000,
              BigInteger.TEN,
              from,
              Optional.of(from),
              Optional.empty(),
              List.of(),
              Bloom.EMPTY,
              0));
    }
    EthBlock b =
        new EthBlock(
            number,
            Hashes.keccak256(Bytes.ofUnsignedLong(number)),
            Bytes32.ZERO,
            number * 1000,
            from,
            Bytes32.ZERO,
            Bytes32.ZERO,
            Bytes32.ZERO,
            Bloom.EMPTY,
            30_000_000,
            21_000L * txCount,
            BigInteger.ONE,
            Bytes32.ZERO,
            receipts.stream().map(Receipt::txHash).toList());
    return new Put(b, txs, receipts);
  }

  private static void assertReads(ChainIndex index, List<Put> puts) {
    assertThat(index.head()).contains(puts.getLast().block().number());
    for (Put p : puts) {
      long n = p.block().number();
      assertThat(index.block(n)).contains(p.block());
      assertThat(index.block(p.block().hash())).contains(p.block());
      assertThat(index.transactions(n)).isEqualTo(p.txs());
      assertThat(index.receipts(n)).isEqualTo(p.receipts());
      for (int i = 0; i < p.receipts().size(); i++) {
        Bytes32 tx = p.receipts().get(i).txHash();
        assertThat(index.location(tx)).contains(new TxLocation(n, i));
        assertThat(index.receipt(tx)).contains(p.receipts().get(i));
      }
    }
    assertThat(index.block(puts.getLast().block().number() + 1)).isEmpty();
    assertThat(index.receipt(Bytes32.ZERO)).isEmpty();
  }

  @Test
  void readsAnswerTheSameBeforeAndAfterTheWriteAndAfterReopening() throws Exception {
    List<Put> puts = List.of(block(0, 0), block(1, 3), block(2, 5));
    ChainIndex index = new ChainIndex(ChainIndex.openStore(dir), writer);
    holdWriter();
    for (Put p : puts) {
      index.put(p.block(), p.txs(), p.receipts());
    }
    assertThat(index.unwrittenCount()).isEqualTo(3);
    assertReads(index, puts);

    gate.countDown();
    drain();
    assertThat(index.unwrittenCount()).isZero();
    assertReads(index, puts);
    index.close();

    try (ChainIndex reopened = ChainIndex.open(dir)) {
      assertReads(reopened, puts);
    }
  }

  /**
   * What the receipt poll of a client does while blocks are put and written: once a transaction's
   * location is found, its block and receipt are found too (a location published before its block
   * once sent eth_getTransactionReceipt to an empty Optional). Large blocks widen the window in
   * which a wrong order would show; the writer stores and lets go of blocks meanwhile.
   */
  @Test
  void aLocationFoundAlwaysLeadsToItsBlockWhilePutsAndWritesGoOn() throws Exception {
    List<Put> puts = new ArrayList<>();
    for (int n = 0; n < 24; n++) {
      puts.add(block(n, 2_000));
    }
    ChainIndex index = new ChainIndex(ChainIndex.openStore(dir), writer);
    List<String> misses = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicBoolean done =
        new java.util.concurrent.atomic.AtomicBoolean();
    Thread poller =
        Thread.ofPlatform()
            .start(
                () -> {
                  for (Put p : puts) {
                    Bytes32 first = p.receipts().getFirst().txHash();
                    Optional<TxLocation> at = index.location(first);
                    while (at.isEmpty() && !done.get()) {
                      at = index.location(first);
                    }
                    if (at.isEmpty()) {
                      return;
                    }
                    if (index.block(at.get().blockNumber()).isEmpty()
                        || index.receipt(first).isEmpty()) {
                      misses.add("block " + p.block().number());
                    }
                  }
                });
    for (Put p : puts) {
      index.put(p.block(), p.txs(), p.receipts());
    }
    done.set(true);
    poller.join();
    assertThat(misses).isEmpty();
    drain();
    for (Put p : puts) { // stored now: each read decodes a block's 2,000 receipts, so sample
      assertThat(index.block(p.block().hash())).contains(p.block());
      assertThat(index.receipt(p.receipts().getLast().txHash())).contains(p.receipts().getLast());
    }
    index.close();
  }

  @Test
  void closeStoresWhatIsStillInMemory() {
    List<Put> puts = List.of(block(0, 1), block(1, 2));
    try (ChainIndex index = ChainIndex.open(dir)) {
      for (Put p : puts) {
        index.put(p.block(), p.txs(), p.receipts());
      }
    }
    try (ChainIndex reopened = ChainIndex.open(dir)) {
      assertReads(reopened, puts);
    }
  }

  @Test
  void putWaitsWhileTooManyBlocksAreUnstored() throws Exception {
    ChainIndex index = new ChainIndex(ChainIndex.openStore(dir), writer);
    holdWriter();
    List<Put> puts = new ArrayList<>();
    for (int n = 0; n <= ChainIndex.MAX_UNWRITTEN; n++) {
      puts.add(block(n, 1));
    }
    for (Put p : puts.subList(0, ChainIndex.MAX_UNWRITTEN)) {
      index.put(p.block(), p.txs(), p.receipts());
    }
    Put last = puts.getLast();
    Thread late =
        Thread.ofPlatform().start(() -> index.put(last.block(), last.txs(), last.receipts()));
    while (late.getState() != Thread.State.WAITING) {
      Thread.onSpinWait(); // parks on the room for blocks, not before
    }
    assertThat(index.unwrittenCount()).isEqualTo(ChainIndex.MAX_UNWRITTEN);
    assertThat(index.head()).contains((long) ChainIndex.MAX_UNWRITTEN - 1);
    gate.countDown();
    late.join();
    drain();
    assertReads(index, puts);
    index.close();
  }

  @Test
  void aFailedWriteKeepsTheBlockReadableAndTheNextPutSaysSo() throws Exception {
    Store store = ChainIndex.openStore(dir);
    ChainIndex index = new ChainIndex(store, writer);
    holdWriter();
    Put first = block(0, 2);
    index.put(first.block(), first.txs(), first.receipts());
    store.close(); // the disk goes away under the writer
    gate.countDown();
    drain();
    assertThat(index.unwrittenCount()).isEqualTo(1);
    assertThat(index.head()).contains(0L);
    assertThat(index.block(first.block().hash())).contains(first.block());
    assertThat(index.receipt(first.receipts().get(1).txHash())).contains(first.receipts().get(1));
    Put second = block(1, 1);
    assertThatThrownBy(() -> index.put(second.block(), second.txs(), second.receipts()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("could not store");
  }
}
