package io.axivon.consensus.execution;

import static io.axivon.consensus.execution.ExecFixtures.GWEI;
import static io.axivon.consensus.execution.ExecFixtures.key;
import static io.axivon.consensus.execution.ExecFixtures.tx;
import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.time.ManualClock;
import io.axivon.consensus.app.FinalizeResult;
import io.axivon.consensus.app.ProposalBody;
import io.axivon.consensus.app.TxCheck;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.consensus.execution.tx.DynamicFeeTransaction;
import io.axivon.consensus.execution.tx.TxSigner;
import io.axivon.consensus.types.Block;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvmApplicationTest {
  private static final Address FEES = Address.fromHex("0x00000000000000000000000000000000000fee00");

  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(1_700_000_000_000L);
  private final List<Bytes> mempool = new ArrayList<>();
  private EvmChain chain;
  private EvmApplication app;
  private Address bob;

  @BeforeEach
  void open() {
    chain = EvmChain.open(dir, Genesis.devnet(ExecFixtures.CHAIN_ID));
    app = new EvmApplication(chain, max -> List.copyOf(mempool), clock, h -> FEES);
    bob = key(1).address();
  }

  @AfterEach
  void close() {
    chain.close();
  }

  /** The block after the chain's head. */
  private Block block(long timeMillis, List<Bytes> txs) {
    return TestBlocks.next("evm-test", chain, timeMillis, txs);
  }

  @Test
  void checkTxAcceptsWhatTheMempoolNeedsToKnow() {
    Bytes raw = tx(key(0), 0, Optional.of(bob), BigInteger.ONE, Bytes.EMPTY, 21_000);
    TxCheck.Accepted ok = (TxCheck.Accepted) app.checkTx(raw);
    assertThat(ok.sender()).isEqualTo(key(0).address().bytes());
    assertThat(ok.nonce()).isZero();
    assertThat(ok.nextNonce()).isZero();
    assertThat(ok.priority())
        .isEqualTo(2 * GWEI.longValueExact()); // tip 2 gwei under a 10 gwei cap
    // a future nonce is accepted: the mempool queues it
    TxCheck.Accepted future =
        (TxCheck.Accepted)
            app.checkTx(tx(key(0), 5, Optional.of(bob), BigInteger.ONE, Bytes.EMPTY, 21_000));
    assertThat(future.nonce()).isEqualTo(5);
    assertThat(future.nextNonce()).isZero();
  }

  private String rejection(Bytes raw) {
    return ((TxCheck.Rejected) app.checkTx(raw)).reason();
  }

  @Test
  void checkTxRejectsWithGoEthereumMessages() {
    assertThat(
            rejection(
                tx(
                    key(0),
                    0,
                    Optional.of(bob),
                    Genesis.AXN.multiply(BigInteger.valueOf(20_000)),
                    Bytes.EMPTY,
                    21_000)))
        .startsWith("insufficient funds for gas * price + value: balance ");
    assertThat(rejection(tx(key(0), 0, Optional.of(bob), BigInteger.ONE, Bytes.EMPTY, 20_000)))
        .isEqualTo("intrinsic gas too low");
    assertThat(rejection(tx(key(0), 0, Optional.of(bob), BigInteger.ONE, Bytes.EMPTY, 31_000_000)))
        .isEqualTo("exceeds block gas limit");
    assertThat(rejection(Bytes.fromHexString("0x05c0")))
        .isEqualTo("transaction type not supported");
    Bytes otherChain =
        TxSigner.sign(
                new DynamicFeeTransaction(
                    1,
                    0,
                    GWEI,
                    GWEI.multiply(BigInteger.TEN),
                    21_000,
                    Optional.of(bob),
                    BigInteger.ONE,
                    Bytes.EMPTY,
                    List.of(),
                    null),
                key(0))
            .encode();
    assertThat(rejection(otherChain)).isEqualTo("invalid sender: invalid chain id for signer");
    Bytes cheap =
        TxSigner.sign(
                new DynamicFeeTransaction(
                    ExecFixtures.CHAIN_ID,
                    0,
                    BigInteger.ZERO,
                    BigInteger.TEN,
                    21_000,
                    Optional.of(bob),
                    BigInteger.ONE,
                    Bytes.EMPTY,
                    List.of(),
                    null),
                key(0))
            .encode();
    assertThat(rejection(cheap)).isEqualTo("max fee per gas less than block base fee");

    Bytes first = tx(key(0), 0, Optional.of(bob), BigInteger.ONE, Bytes.EMPTY, 21_000);
    app.finalizeBlock(block(clock.millis(), List.of(first)));
    app.commit();
    assertThat(rejection(first)).isEqualTo("nonce too low: next nonce 1, tx nonce 0");
  }

  /**
   * Checks answer from the committed head, not from a block executed but not committed (with
   * optimistic execution, a proposal waiting for its votes), and the same one at a time or batched;
   * the block's commit moves them on.
   */
  @Test
  void checksReadTheCommittedHeadWhileABlockIsExecuted() {
    Bytes first = tx(key(0), 0, Optional.of(bob), BigInteger.ONE, Bytes.EMPTY, 21_000);
    Bytes second = tx(key(0), 1, Optional.of(bob), BigInteger.ONE, Bytes.EMPTY, 21_000);
    app.finalizeBlock(block(clock.millis(), List.of(first)));
    for (List<TxCheck> checks :
        List.of(
            List.of(app.checkTx(first), app.checkTx(second)),
            app.checkTxs(List.of(first, second)))) {
      assertThat(checks)
          .allSatisfy(
              c ->
                  assertThat(c)
                      .isInstanceOfSatisfying(
                          TxCheck.Accepted.class, a -> assertThat(a.nextNonce()).isZero()));
    }
    app.commit();
    assertThat(rejection(first)).isEqualTo("nonce too low: next nonce 1, tx nonce 0");
    TxCheck.Accepted next = (TxCheck.Accepted) app.checkTx(second);
    assertThat(next.nextNonce()).isEqualTo(1);
    // the sender was read through the executor's caches of the commit, not only from a view
    assertThat(chain.headAccounts().nonces()).containsEntry(key(0).address(), 1L);
    assertThat(chain.headAccounts().root()).isEqualTo(chain.head().stateRoot());
  }

  @Test
  void proposalsPackByGasAndMoveTimeForward() {
    Bytes big1 = tx(key(0), 0, Optional.of(bob), BigInteger.ONE, Bytes.EMPTY, 20_000_000);
    Bytes big2 = tx(key(1), 0, Optional.of(bob), BigInteger.ONE, Bytes.EMPTY, 20_000_000);
    Bytes small = tx(key(2), 0, Optional.of(bob), BigInteger.ONE, Bytes.EMPTY, 21_000);
    mempool.addAll(List.of(big1, big2, Bytes.fromHexString("0x01"), small));
    ProposalBody p = app.prepareProposal(1, 1 << 20);
    assertThat(p.transactions()).containsExactly(big1, small);
    assertThat(p.timeMillis()).isEqualTo(clock.millis());

    Block b1 = block(p.timeMillis(), p.transactions());
    assertThat(app.processProposal(b1)).isTrue();
    Bytes32 appHash = app.finalizeBlock(b1).appHash();
    app.commit();
    assertThat(appHash).isEqualTo(chain.head().stateRoot());
    assertThat(chain.state().balance(FEES))
        .isPositive(); // the coinbase function's address got the tips

    // a clock behind the parent still gives a later block time
    ProposalBody p2 = app.prepareProposal(2, 1 << 20);
    assertThat(p2.timeMillis()).isEqualTo(b1.header().timeMillis() + 1);
    clock.advance(Duration.ofSeconds(1));
    assertThat(app.prepareProposal(2, 1 << 20).timeMillis()).isEqualTo(clock.millis());
  }

  /** The mempool drops a decided block's transactions by these, so all of them must be there. */
  @Test
  void aFinalizedBlockGivesTheHashOfEachOfItsTransactionsIncludedOrSkipped() {
    Bytes included = tx(key(0), 0, Optional.of(bob), BigInteger.ONE, Bytes.EMPTY, 21_000);
    Bytes gap = tx(key(1), 3, Optional.of(bob), BigInteger.ONE, Bytes.EMPTY, 21_000);
    Bytes garbage = Bytes.fromHexString("0x02c0");
    List<Bytes> txs = List.of(included, gap, garbage);

    Block b = block(clock.millis(), txs);
    FinalizeResult r = app.finalizeBlock(b);

    assertThat(chain.pendingExecution().orElseThrow().skipped()).hasSize(2);
    assertThat(r.txHashes())
        .containsExactlyInAnyOrderElementsOf(txs.stream().map(Hashes::keccak256).toList());
    app.commit();
    // a block committed before is not run again, and says nothing of its transactions
    assertThat(app.finalizeBlock(b).txHashes()).isEmpty();
  }

  @Test
  void processProposalRefusesBadTimeTransactionsAndGas() {
    Bytes ok = tx(key(0), 0, Optional.of(bob), BigInteger.ONE, Bytes.EMPTY, 21_000);
    assertThat(app.processProposal(block(0, List.of(ok)))).isFalse(); // not after genesis time 0
    assertThat(app.processProposal(block(1000, List.of(ok)))).isTrue();
    assertThat(app.processProposal(block(1000, List.of(Bytes.fromHexString("0x02c0"))))).isFalse();
    Bytes big1 = tx(key(0), 0, Optional.of(bob), BigInteger.ONE, Bytes.EMPTY, 20_000_000);
    Bytes big2 = tx(key(1), 0, Optional.of(bob), BigInteger.ONE, Bytes.EMPTY, 20_000_000);
    assertThat(app.processProposal(block(1000, List.of(big1, big2)))).isFalse();
  }
}
