package io.axivon.consensus.execution;

import static io.axivon.consensus.execution.ExecFixtures.GWEI;
import static io.axivon.consensus.execution.ExecFixtures.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.time.ManualClock;
import io.axivon.consensus.app.ProposalBody;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.consensus.execution.system.SystemModules;
import io.axivon.consensus.execution.tx.DynamicFeeTransaction;
import io.axivon.consensus.execution.tx.SenderCache;
import io.axivon.consensus.execution.tx.TxSigner;
import io.axivon.consensus.mempool.Mempool;
import io.axivon.consensus.mempool.MempoolConfig;
import io.axivon.consensus.types.Block;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A transaction's way from mempool admission to a block, once through the caches (the mempool
 * hashes with the application's {@code txHash} and re-checks with its {@code recheckTxs} from the
 * checks' memos, decodes and hashes come from a large {@link SenderCache}) and once as before (the
 * mempool hashes with Keccak-256 itself, a one-entry cache decodes and recovers almost everything
 * again): the same admissions and rejections with the same messages, the same blocks, receipts and
 * state roots, the same pool after each block.
 */
class TxPathProperties {
  private static final Address FEES = Address.fromHex("0x00000000000000000000000000000000000fee00");
  private static final Optional<Address> BOB =
      Optional.of(Address.fromHex("0x00000000000000000000000000000000000000b0"));

  /** One node's application, chain and mempool. */
  private static final class Side implements AutoCloseable {
    final Path dir;
    final EvmChain chain;
    final Mempool mempool;
    final EvmApplication app;

    Side(SenderCache cache, boolean cachedHash) throws IOException {
      dir = Files.createTempDirectory("txpath");
      chain =
          EvmChain.open(dir, Genesis.devnet(ExecFixtures.CHAIN_ID), SystemModules.none(), cache);
      EvmApplication[] a = new EvmApplication[1];
      MempoolConfig config = new MempoolConfig(12, 1 << 20, 1 << 16, 3, 10);
      mempool =
          cachedHash ? Mempool.of(config, () -> a[0]) : new Mempool(config, tx -> a[0].checkTx(tx));
      app =
          new EvmApplication(
              chain,
              max -> mempool.reap(max, Integer.MAX_VALUE),
              new ManualClock(1_700_000_000_000L),
              h -> FEES);
      a[0] = app;
    }

    /** Proposes, checks, executes and commits a block; what the outside sees of it. */
    List<Object> block(long timeMillis) {
      long height = chain.head().number() + 1;
      ProposalBody body = app.prepareProposal(height, 1 << 20);
      List<Bytes> txs = body.transactions();
      Block b = TestBlocks.next("txpath", chain, timeMillis, txs);
      boolean ok = app.processProposal(b);
      Bytes32 root = app.finalizeBlock(b).appHash();
      app.commit();
      mempool.update(txs);
      return List.of(
          txs,
          ok,
          root,
          chain.index().block(height).orElseThrow(),
          chain.index().receipts(height),
          new HashSet<>(mempool.held()));
    }

    @Override
    public void close() throws IOException {
      chain.close();
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /** Raw bytes for one op: valid, replacements, nonce gaps, bad signatures, other chains, junk. */
  private static Bytes raw(int op, List<Bytes> sent) {
    int kind = op % 9;
    int from = (op / 9) % 3;
    long nonce = (op / 27) % 5;
    long tip = 1 + (op / 135) % 4;
    if (kind == 7 && !sent.isEmpty()) {
      return sent.get((op / 9) % sent.size()); // a duplicate
    }
    if (kind == 8) {
      return Bytes.of((byte) 2, (byte) (op >>> 8), (byte) op); // junk
    }
    BigInteger value =
        kind == 6 ? Genesis.AXN.multiply(BigInteger.valueOf(50_000)) : BigInteger.ONE;
    long chainId = kind == 5 ? ExecFixtures.CHAIN_ID + 1 : ExecFixtures.CHAIN_ID;
    Bytes raw =
        TxSigner.sign(
                new DynamicFeeTransaction(
                    chainId,
                    nonce,
                    GWEI.multiply(BigInteger.valueOf(tip)),
                    GWEI.multiply(BigInteger.valueOf(10 + tip)),
                    21_000,
                    BOB,
                    value,
                    Bytes.EMPTY,
                    List.of(),
                    null),
                key(from))
            .encode();
    if (kind == 4) { // a bad signature: a flipped bit of s
      byte[] b = raw.toArrayUnsafe().clone();
      b[b.length - 1] ^= 1;
      return Bytes.wrap(b);
    }
    return raw;
  }

  @Property(tries = 25)
  void cachedAndUncachedPathsAgree(
      @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 1_000_000) Integer> ops,
      @ForAll @IntRange(min = 1, max = 6) int perBlock)
      throws IOException {
    SenderCache big = new SenderCache(1 << 12);
    try (Side cached = new Side(big, true);
        Side plain = new Side(new SenderCache(1), false)) {
      List<Bytes> sent = new ArrayList<>();
      long time = 1_700_000_000_000L;
      for (int i = 0; i < ops.size(); i++) {
        Bytes raw = raw(ops.get(i), sent);
        sent.add(raw);
        assertThat(cached.mempool.add(raw)).isEqualTo(plain.mempool.add(raw));
        assertThat(cached.app.txHash(raw)).isEqualTo(Hashes.keccak256(raw));
        if (i % perBlock == perBlock - 1 || i == ops.size() - 1) {
          time += 1_000;
          assertThat(cached.block(time)).isEqualTo(plain.block(time));
        }
      }
      assertThat(cached.mempool.held()).containsExactlyInAnyOrderElementsOf(plain.mempool.held());
    }
  }

  @Example
  void theOpsMakeRealBlocks() throws IOException {
    // from account 0: nonces 0, 2 (a gap), 1 (fills it), a bad signature, a duplicate
    List<Integer> ops = List.of(0, 54, 27, 4, 7);
    try (Side side = new Side(new SenderCache(1 << 12), true)) {
      List<Bytes> sent = new ArrayList<>();
      for (int op : ops) {
        Bytes raw = raw(op, sent);
        sent.add(raw);
        side.mempool.add(raw);
      }
      List<Object> block = side.block(1_700_000_001_000L);
      assertThat((List<?>) block.get(0)).hasSize(3);
      assertThat((List<?>) block.get(4)).hasSize(3); // receipts
      assertThat(side.mempool.size()).isZero();
    }
  }
}
