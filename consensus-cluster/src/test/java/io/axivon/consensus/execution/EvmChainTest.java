package io.axivon.consensus.execution;

import static io.axivon.consensus.execution.ExecFixtures.COINBASE;
import static io.axivon.consensus.execution.ExecFixtures.GWEI;
import static io.axivon.consensus.execution.ExecFixtures.blockHash;
import static io.axivon.consensus.execution.ExecFixtures.call;
import static io.axivon.consensus.execution.ExecFixtures.key;
import static io.axivon.consensus.execution.ExecFixtures.selector;
import static io.axivon.consensus.execution.ExecFixtures.tx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.execution.block.BaseFee;
import io.axivon.consensus.execution.block.Bloom;
import io.axivon.consensus.execution.block.EthBlock;
import io.axivon.consensus.execution.block.ExecutedBlock;
import io.axivon.consensus.execution.block.Receipt;
import io.axivon.consensus.execution.block.TrieRoots;
import io.axivon.consensus.execution.evm.BlockEnv;
import io.axivon.consensus.execution.evm.Log;
import io.axivon.consensus.execution.evm.Message;
import io.axivon.consensus.execution.evm.MessageResult;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.consensus.execution.tx.TxErrors;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvmChainTest {
  private static final BigInteger START = Genesis.AXN.multiply(BigInteger.valueOf(10_000));

  @TempDir Path dir;
  private EvmChain chain;
  private Address alice;
  private Address bob;

  @BeforeEach
  void open() {
    chain = EvmChain.open(dir, Genesis.devnet(ExecFixtures.CHAIN_ID));
    alice = key(0).address();
    bob = key(1).address();
  }

  @AfterEach
  void close() {
    chain.close();
  }

  private EthBlock run(long n, Bytes... txs) {
    Bytes32 parent = n == 1 ? chain.genesis().hash() : blockHash(n - 1);
    EthBlock b = chain.execute(n, blockHash(n), parent, n * 1000, COINBASE, List.of(txs));
    return b;
  }

  private EthBlock runAndCommit(long n, Bytes... txs) {
    EthBlock b = run(n, txs);
    chain.commit();
    return b;
  }

  @Test
  void genesisFundsTheDevAccounts() {
    assertThat(Genesis.devAccounts().getFirst())
        .isEqualTo(Address.fromHex("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"));
    assertThat(chain.head().number()).isZero();
    assertThat(chain.head().hash()).isEqualTo(chain.genesis().hash());
    for (Address a : Genesis.devAccounts()) {
      assertThat(chain.state().balance(a)).isEqualTo(START);
    }
    assertThat(chain.nextBaseFee()).isEqualTo(GWEI);
  }

  @Test
  void transferBurnsTheBaseFeeAndPaysTheTipToTheCoinbase() {
    Bytes raw = tx(key(0), 0, Optional.of(bob), Genesis.AXN, Bytes.EMPTY, 21_000);
    EthBlock b = runAndCommit(1, raw);

    BigInteger price = GWEI.multiply(BigInteger.valueOf(3)); // min(10 gwei, 1 gwei base + 2 tip)
    BigInteger fee = price.multiply(BigInteger.valueOf(21_000));
    assertThat(chain.state().balance(alice)).isEqualTo(START.subtract(Genesis.AXN).subtract(fee));
    assertThat(chain.state().balance(bob)).isEqualTo(START.add(Genesis.AXN));
    BigInteger tips = GWEI.multiply(BigInteger.TWO).multiply(BigInteger.valueOf(21_000));
    assertThat(chain.state().balance(COINBASE)).isEqualTo(tips);
    assertThat(chain.state().nonce(alice)).isEqualTo(1);
    // the base fee part (fee - tips) went to nobody: it is burned

    assertThat(b.gasUsed()).isEqualTo(21_000);
    assertThat(b.baseFeePerGas()).isEqualTo(GWEI);
    assertThat(b.transactionHashes()).containsExactly(Hashes.keccak256(raw));
    assertThat(b.transactionsRoot()).isEqualTo(TrieRoots.transactionsRoot(List.of(raw)));
    assertThat(b.stateRoot()).isEqualTo(chain.state().committedRoot());
    Receipt r = chain.index().receipt(Hashes.keccak256(raw)).orElseThrow();
    assertThat(r.success()).isTrue();
    assertThat(r.gasUsed()).isEqualTo(21_000);
    assertThat(r.cumulativeGasUsed()).isEqualTo(21_000);
    assertThat(r.effectiveGasPrice()).isEqualTo(price);
    assertThat(r.from()).isEqualTo(alice);
    assertThat(r.logs()).isEmpty();
    assertThat(chain.index().block(b.hash())).contains(b);
    assertThat(chain.index().transactions(1)).containsExactly(raw);

    // the next block's base fee falls: block 1 used far less than its target
    assertThat(chain.nextBaseFee())
        .isEqualTo(BaseFee.ethereum().next(GWEI, 21_000, Genesis.DEFAULT_GAS_LIMIT))
        .isLessThan(GWEI);
  }

  /** Optimistic execution ran a proposal that was not decided: the chain goes back to its head. */
  @Test
  void aDiscardedBlockLeavesNoTraceAndTheDecidedOneRunsAsOnAFreshChain() {
    Bytes proposed = tx(key(0), 0, Optional.of(bob), Genesis.AXN, Bytes.EMPTY, 21_000);
    Bytes decided = tx(key(0), 0, Optional.of(bob), BigInteger.TWO, Bytes.EMPTY, 21_000);
    runAndCommit(1);
    Bytes32 rootAfterOne = chain.head().stateRoot();
    EthBlock speculative =
        chain.execute(2, Bytes32.repeat((byte) 7), blockHash(1), 2000, COINBASE, List.of(proposed));
    assertThat(chain.state().nonce(alice)).isEqualTo(1);

    chain.discardPending();
    assertThat(chain.head().number()).isEqualTo(1);
    assertThat(chain.state().committedRoot()).isEqualTo(rootAfterOne);
    assertThat(chain.state().nonce(alice)).isZero();
    assertThat(chain.state().balance(bob)).isEqualTo(START);
    assertThat(chain.pendingValidatorUpdates()).isEmpty();
    assertThat(chain.index().receipt(Hashes.keccak256(proposed))).isEmpty();

    EthBlock b = runAndCommit(2, decided);
    assertThat(b.stateRoot()).isNotEqualTo(speculative.stateRoot());
    assertThat(chain.state().balance(bob)).isEqualTo(START.add(BigInteger.TWO));
    try (EvmChain fresh =
        EvmChain.open(dir.resolve("fresh"), Genesis.devnet(ExecFixtures.CHAIN_ID))) {
      fresh.execute(1, blockHash(1), fresh.genesis().hash(), 1000, COINBASE, List.of());
      fresh.commit();
      EthBlock same =
          fresh.execute(2, blockHash(2), blockHash(1), 2000, COINBASE, List.of(decided));
      assertThat(same.stateRoot()).isEqualTo(b.stateRoot());
    }
  }

  @Test
  void invalidTransactionsAreSkippedWithGoEthereumReasons() {
    Bytes ok = tx(key(0), 0, Optional.of(bob), BigInteger.ONE, Bytes.EMPTY, 21_000);
    Bytes replay = ok;
    Bytes gap = tx(key(0), 5, Optional.of(bob), BigInteger.ONE, Bytes.EMPTY, 21_000);
    Bytes tooLowGas = tx(key(1), 0, Optional.of(alice), BigInteger.ONE, Bytes.EMPTY, 20_999);
    Bytes tooRich = tx(key(2), 0, Optional.of(alice), START, Bytes.EMPTY, 21_000);
    Bytes garbage = Bytes.fromHexString("0x03c0");
    run(1, ok, replay, gap, tooLowGas, tooRich, garbage);
    ExecutedBlock e = chain.pendingExecution().orElseThrow();
    assertThat(e.included()).containsExactly(ok);
    assertThat(e.skipped())
        .extracting(ExecutedBlock.Skipped::reason)
        .containsExactly(
            TxErrors.NONCE_TOO_LOW,
            TxErrors.NONCE_TOO_HIGH,
            TxErrors.INTRINSIC_GAS,
            TxErrors.INSUFFICIENT_FUNDS,
            TxErrors.TX_TYPE_NOT_SUPPORTED);
    chain.commit();
    assertThat(chain.state().nonce(key(1).address())).isZero();
  }

  @Test
  void deployCallLogAndRevert() {
    Bytes deploy =
        tx(key(0), 0, Optional.empty(), BigInteger.ZERO, ExecFixtures.counterBytecode(), 1_000_000);
    runAndCommit(1, deploy);
    Receipt created = chain.index().receipt(Hashes.keccak256(deploy)).orElseThrow();
    assertThat(created.success()).isTrue();
    Address counter = created.contractAddress().orElseThrow();
    // CREATE's address: keccak256(rlp([sender, nonce]))[12:]
    Bytes expected =
        Hashes.keccak256(
                Rlp.encode(
                    RlpCodec.<Address>struct(
                        (w, a) -> w.writeBytes(a.bytes()).writeUInt64(0), r -> null),
                    alice))
            .slice(12);
    assertThat(counter.bytes()).isEqualTo(expected);
    assertThat(chain.state().code(counter).size()).isGreaterThan(0);
    assertThat(created.gasUsed()).isGreaterThan(53_000);

    Bytes inc = tx(key(0), 1, Optional.of(counter), BigInteger.ZERO, call("increment()"), 100_000);
    Bytes tooLarge =
        tx(key(0), 2, Optional.of(counter), BigInteger.ZERO, call("add(uint256)", 101), 100_000);
    Bytes add =
        tx(key(0), 3, Optional.of(counter), BigInteger.ZERO, call("add(uint256)", 41), 100_000);
    EthBlock b2 = runAndCommit(2, inc, tooLarge, add);
    assertThat(chain.state().storage(counter, Bytes32.ZERO))
        .isEqualTo(Bytes32.leftPad(Bytes.of(42)));

    Bytes32 incremented = Hashes.keccak256(Bytes.wrap("Incremented(address,uint256)".getBytes()));
    Receipt incR = chain.index().receipt(Hashes.keccak256(inc)).orElseThrow();
    assertThat(incR.success()).isTrue();
    assertThat(incR.logs()).hasSize(1);
    Log log = incR.logs().getFirst();
    assertThat(log.address()).isEqualTo(counter);
    assertThat(log.topics()).containsExactly(incremented, Bytes32.leftPad(alice.bytes()));
    assertThat(log.data()).isEqualTo(Bytes32.leftPad(Bytes.of(1)));
    assertThat(Bloom.mayContain(incR.logsBloom(), counter.bytes())).isTrue();
    assertThat(Bloom.mayContain(incR.logsBloom(), incremented)).isTrue();
    assertThat(Bloom.mayContain(incR.logsBloom(), bob.bytes())).isFalse();
    assertThat(Bloom.mayContain(b2.logsBloom(), counter.bytes())).isTrue();

    Receipt revR = chain.index().receipt(Hashes.keccak256(tooLarge)).orElseThrow();
    assertThat(revR.success()).isFalse();
    assertThat(revR.logs()).isEmpty();
    assertThat(revR.gasUsed()).isLessThan(100_000); // a revert returns the unused gas
    assertThat(chain.state().nonce(alice)).isEqualTo(4); // a reverted tx still bumps the nonce

    Receipt addR = chain.index().receipt(Hashes.keccak256(add)).orElseThrow();
    assertThat(addR.logs().getFirst().data()).isEqualTo(Bytes32.leftPad(Bytes.of(42)));
    assertThat(addR.firstLogIndex()).isEqualTo(1); // block-wide log index
    assertThat(addR.cumulativeGasUsed())
        .isEqualTo(incR.gasUsed() + revR.gasUsed() + addR.gasUsed());
    assertThat(b2.receiptsRoot()).isEqualTo(TrieRoots.receiptsRoot(chain.index().receipts(2)));

    // revert data as eth_call sees it: a speculative run, rolled back
    BlockEnv env =
        new BlockEnv(
            ExecFixtures.CHAIN_ID, 3, 3, COINBASE, Genesis.DEFAULT_GAS_LIMIT, GWEI, Bytes32.ZERO);
    MessageResult custom =
        chain.state().speculate(s -> s.run(message(counter, call("add(uint256)", 101)), env));
    MessageResult reason =
        chain.state().speculate(s -> s.run(message(counter, call("fail()")), env));
    MessageResult ok =
        chain.state().speculate(s -> s.run(message(counter, call("increment()")), env));
    assertThat(ok.success()).isTrue();
    assertThat(ok.logs()).hasSize(1);
    assertThat(chain.state().storage(counter, Bytes32.ZERO))
        .isEqualTo(Bytes32.leftPad(Bytes.of(42)));
    assertThat(custom.status()).isEqualTo(MessageResult.Status.REVERTED);
    assertThat(custom.returnData())
        .isEqualTo(
            Bytes.concatenate(
                selector("TooLarge(uint256,uint256)"),
                Bytes32.leftPad(Bytes.of(101)),
                Bytes32.leftPad(Bytes.of(100))));
    assertThat(custom.error()).isEqualTo("execution reverted");
    assertThat(reason.returnData().slice(0, 4)).isEqualTo(selector("Error(string)"));
    assertThat(new String(reason.returnData().slice(68, 4).toArrayUnsafe())).isEqualTo("nope");
  }

  private Message message(Address to, Bytes data) {
    return new Message(alice, Optional.of(to), BigInteger.ZERO, data, 100_000, GWEI, List.of());
  }

  /** CREATE's address: keccak256(rlp([sender, nonce]))[12:]. */
  private static Address createAddress(Address sender, long nonce) {
    return new Address(
        Hashes.keccak256(
                Rlp.encode(
                    RlpCodec.<Address>struct(
                        (w, a) -> w.writeBytes(a.bytes()).writeUInt64(nonce), r -> null),
                    sender))
            .slice(12));
  }

  @Test
  void creationsTakeTheAddressOfTheirOwnNonceAfterOtherTransactions() {
    // found by ethers.js: libevm un-bumps the nonce of a top-level creation, so a deployment at
    // nonce n > 0 went to the address of nonce n - 1 and an account's second deployment collided
    Bytes transfer = tx(key(0), 0, Optional.of(bob), BigInteger.ONE, Bytes.EMPTY, 21_000);
    runAndCommit(1, transfer);
    Bytes first =
        tx(key(0), 1, Optional.empty(), BigInteger.ZERO, ExecFixtures.counterBytecode(), 1_000_000);
    Bytes second =
        tx(key(0), 2, Optional.empty(), BigInteger.ZERO, ExecFixtures.counterBytecode(), 1_000_000);
    runAndCommit(2, first, second);
    for (int i = 0; i < 2; i++) {
      Receipt r = chain.index().receipt(Hashes.keccak256(i == 0 ? first : second)).orElseThrow();
      assertThat(r.success()).as("creation at nonce %d", i + 1).isTrue();
      assertThat(r.contractAddress()).contains(createAddress(alice, i + 1));
      assertThat(chain.state().code(createAddress(alice, i + 1)).size()).isPositive();
    }
    assertThat(chain.state().code(createAddress(alice, 0))).isEqualTo(Bytes.EMPTY);
    assertThat(chain.state().nonce(alice)).isEqualTo(3);

    // eth_call / eth_estimateGas of the next creation: nonce 3's address, nothing kept
    BlockEnv env =
        new BlockEnv(
            ExecFixtures.CHAIN_ID, 3, 3, COINBASE, Genesis.DEFAULT_GAS_LIMIT, GWEI, Bytes32.ZERO);
    Message create =
        new Message(
            alice,
            Optional.empty(),
            BigInteger.ZERO,
            ExecFixtures.counterBytecode(),
            1_000_000,
            GWEI,
            List.of());
    MessageResult speculated = chain.state().speculate(s -> s.run(create, env));
    assertThat(speculated.success()).isTrue();
    assertThat(speculated.contractAddress()).contains(createAddress(alice, 3));
    MessageResult called = chain.state().call(create, env);
    assertThat(called.success()).isTrue();
    assertThat(called.contractAddress()).contains(createAddress(alice, 3));
    assertThat(chain.state().nonce(alice)).isEqualTo(3);
    assertThat(chain.state().code(createAddress(alice, 3))).isEqualTo(Bytes.EMPTY);
  }

  @Test
  void restartReportsTheSameRootWithoutReExecuting() {
    Bytes deploy =
        tx(key(0), 0, Optional.empty(), BigInteger.ZERO, ExecFixtures.counterBytecode(), 1_000_000);
    runAndCommit(1, deploy);
    Address counter =
        chain
            .index()
            .receipt(Hashes.keccak256(deploy))
            .orElseThrow()
            .contractAddress()
            .orElseThrow();
    EthBlock b2 =
        runAndCommit(
            2, tx(key(0), 1, Optional.of(counter), BigInteger.ZERO, call("increment()"), 100_000));
    BigInteger balance = chain.state().balance(alice);
    chain.close();

    chain = EvmChain.open(dir, Genesis.devnet(ExecFixtures.CHAIN_ID));
    assertThat(chain.head()).isEqualTo(b2);
    assertThat(chain.state().committedRoot()).isEqualTo(b2.stateRoot());
    assertThat(chain.state().balance(alice)).isEqualTo(balance);
    assertThat(chain.state().storage(counter, Bytes32.ZERO))
        .isEqualTo(Bytes32.leftPad(Bytes.of(1)));
    // consensus replaying a committed block gets the stored result back; nothing runs
    assertThat(chain.execute(2, blockHash(2), blockHash(1), 2000, COINBASE, List.of()))
        .isEqualTo(b2);
    assertThatThrownBy(
            () -> chain.execute(2, blockHash(99), blockHash(1), 2000, COINBASE, List.of()))
        .isInstanceOf(IllegalStateException.class);
    // and the chain goes on from there
    EthBlock b3 =
        runAndCommit(
            3, tx(key(0), 2, Optional.of(counter), BigInteger.ZERO, call("increment()"), 100_000));
    assertThat(b3.parentHash()).isEqualTo(b2.hash());
    assertThat(chain.state().storage(counter, Bytes32.ZERO))
        .isEqualTo(Bytes32.leftPad(Bytes.of(2)));
  }

  @Test
  void cachedNoncesAndBalancesMatchTheStoredState() {
    Address carol = key(2).address();
    Bytes deploy =
        tx(key(0), 3, Optional.empty(), BigInteger.ZERO, ExecFixtures.counterBytecode(), 1_000_000);
    runAndCommit(
        1,
        tx(key(0), 0, Optional.of(bob), Genesis.AXN, Bytes.EMPTY, 21_000),
        tx(key(0), 1, Optional.of(bob), Genesis.AXN, Bytes.EMPTY, 30_000),
        tx(key(1), 0, Optional.of(alice), BigInteger.TWO, Bytes.EMPTY, 21_000),
        tx(key(0), 2, Optional.of(alice), BigInteger.TEN, Bytes.EMPTY, 21_000), // to itself
        deploy,
        tx(key(0), 4, Optional.of(carol), BigInteger.ONE, Bytes.EMPTY, 21_000),
        tx(key(1), 1, Optional.of(carol), BigInteger.ONE, Bytes.EMPTY, 21_000),
        tx(key(1), 1, Optional.of(carol), BigInteger.ONE, Bytes.EMPTY, 21_000)); // skipped
    runAndCommit(2, tx(key(2), 0, Optional.of(COINBASE), BigInteger.ONE, Bytes.EMPTY, 21_000));
    List<Address> accounts = List.of(alice, bob, carol, COINBASE);
    List<BigInteger> balances = accounts.stream().map(chain.state()::balance).toList();
    List<Long> nonces = accounts.stream().map(chain.state()::nonce).toList();
    assertThat(nonces).containsExactly(5L, 2L, 1L, 0L);
    chain.close();
    chain = EvmChain.open(dir, Genesis.devnet(ExecFixtures.CHAIN_ID)); // nothing cached
    assertThat(accounts.stream().map(chain.state()::balance).toList()).isEqualTo(balances);
    assertThat(accounts.stream().map(chain.state()::nonce).toList()).isEqualTo(nonces);
  }

  @Test
  void blockhashReadsTheChainIndex() {
    // runtime: sstore(0, blockhash(1)); init code returns those 7 bytes
    Bytes init = Bytes.fromHexString("0x66600140600055006000526007" + "6019f3");
    Bytes deploy = tx(key(0), 0, Optional.empty(), BigInteger.ZERO, init, 200_000);
    runAndCommit(1, deploy);
    Address probe =
        chain
            .index()
            .receipt(Hashes.keccak256(deploy))
            .orElseThrow()
            .contractAddress()
            .orElseThrow();
    assertThat(chain.state().code(probe)).isEqualTo(Bytes.fromHexString("0x60014060005500"));
    runAndCommit(2);
    runAndCommit(3, tx(key(0), 1, Optional.of(probe), BigInteger.ZERO, Bytes.EMPTY, 100_000));
    assertThat(chain.state().storage(probe, Bytes32.ZERO)).isEqualTo(blockHash(1));
  }

  @Test
  void blockGasLimitSkipsWhatNoLongerFits() {
    // 30M block gas limit: two 20M-gas transactions cannot both fit
    Bytes a = tx(key(0), 0, Optional.of(bob), BigInteger.ONE, Bytes.EMPTY, 20_000_000);
    Bytes b = tx(key(1), 0, Optional.of(alice), BigInteger.ONE, Bytes.EMPTY, 20_000_000);
    run(1, a, b);
    // the first used only 21000, so the second's 20M limit still fits the remaining gas
    assertThat(chain.pendingExecution().orElseThrow().included()).containsExactly(a, b);
    chain.commit();
    Bytes c = tx(key(0), 1, Optional.of(bob), BigInteger.ONE, Bytes.EMPTY, 30_000_001);
    run(2, c);
    assertThat(chain.pendingExecution().orElseThrow().skipped())
        .extracting(ExecutedBlock.Skipped::reason)
        .containsExactly(TxErrors.GAS_LIMIT);
  }
}
