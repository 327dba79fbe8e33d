package io.axivon.consensus.execution.evm;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.consensus.execution.block.BlockExecutor;
import io.axivon.consensus.execution.block.ExecutedBlock;
import io.axivon.consensus.execution.tx.DynamicFeeTransaction;
import io.axivon.consensus.execution.tx.SenderCache;
import io.axivon.consensus.execution.tx.TxSigner;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.commons.io.file.PathUtils;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The executor's deferred balance and nonce writes (and its plain transfers in Java) leave exactly
 * the state, receipts and skips that writing everything at once leaves: random blocks of transfers
 * between a few accounts (the coinbase among them as sender and recipient), to fresh addresses, to
 * a contract that stores the coinbase's and the caller's balances, to a STOP-only contract, to a
 * reverting one, to one that logs, to a precompile, creations, unaffordable values, too little gas;
 * to the address a creation deploys to next; run on both, block after block.
 */
class DeferredWritesProperties {
  private static final long CHAIN_ID = 1337;
  private static final BigInteger GWEI = BigInteger.TEN.pow(9);
  private static final int ACCOUNTS = 4;
  // COINBASE BALANCE PUSH1 0 SSTORE CALLER BALANCE PUSH1 1 SSTORE STOP
  private static final Bytes BALANCE_READER = Bytes.fromHexString("0x4131600055333160015500");
  private static final Address READER =
      Address.fromHex("0x00000000000000000000000000000000000abc01");
  private static final Address STOPPER =
      Address.fromHex("0x00000000000000000000000000000000000abc02");
  // PUSH1 0 PUSH1 0 REVERT
  private static final Address REVERTER =
      Address.fromHex("0x00000000000000000000000000000000000abc03");
  // CALLER PUSH1 0 PUSH1 0 LOG1 STOP: one log whose topic is the caller
  private static final Address LOGGER =
      Address.fromHex("0x00000000000000000000000000000000000abc04");
  private static final Address IDENTITY =
      Address.fromHex("0x0000000000000000000000000000000000000004");
  private static final Address OTHER_COINBASE =
      Address.fromHex("0x00000000000000000000000000000000000000cb");
  // PUSH1 0 PUSH1 0 RETURN: deploys an account without code
  private static final Bytes EMPTY_INIT = Bytes.fromHexString("0x60006000f3");
  // PUSH11 <BALANCE_READER> PUSH1 0 MSTORE PUSH1 11 PUSH1 21 RETURN: deploys BALANCE_READER
  private static final Bytes READER_INIT =
      Bytes.concatenate(Bytes.of(0x6a), BALANCE_READER, Bytes.fromHexString("0x600052600b6015f3"));

  /** One transaction: who sends, to what, how much, with how much gas and tip. */
  record Spec(int sender, int target, int value, boolean muchGas, boolean tip) {}

  @Provide
  Arbitrary<List<List<Spec>>> blocks() {
    Arbitrary<Spec> spec =
        Combinators.combine(
                Arbitraries.integers().between(0, ACCOUNTS - 1),
                Arbitraries.integers().between(0, ACCOUNTS + 8),
                Arbitraries.integers().between(0, 3),
                Arbitraries.of(true, false),
                Arbitraries.of(true, false))
            .as(Spec::new);
    return spec.list().ofMaxSize(14).list().ofMinSize(1).ofMaxSize(4);
  }

  @Property(tries = 40)
  void deferredWritesLeaveTheStateThatWritingAtOnceLeaves(
      @ForAll("blocks") List<List<Spec>> blocks, @ForAll boolean coinbaseIsAnAccount)
      throws IOException {
    Path dir = Files.createTempDirectory("deferred-writes");
    List<Secp256k1PrivateKey> keys = new ArrayList<>();
    for (int i = 0; i < ACCOUNTS; i++) {
      keys.add(Secp256k1PrivateKey.fromBytes(Hashes.keccak256(Bytes.ofUnsignedInt(i + 7))));
    }
    Address coinbase = coinbaseIsAnAccount ? keys.get(0).address() : OTHER_COINBASE;
    try (LibEvmExecutor deferred =
            LibEvmExecutor.open(dir.resolve("a"), LibEvmExecutor.EMPTY_ROOT, n -> null);
        LibEvmExecutor reference =
            LibEvmExecutor.openWriteThrough(
                dir.resolve("b"), LibEvmExecutor.EMPTY_ROOT, n -> null)) {
      for (Executor x : List.of(deferred, reference)) {
        for (Secp256k1PrivateKey k : keys) {
          x.addBalance(k.address(), BigInteger.TEN.pow(18));
        }
        x.setCode(READER, BALANCE_READER);
        x.setCode(STOPPER, Bytes.fromHexString("0x00"));
        x.setCode(REVERTER, Bytes.fromHexString("0x60006000fd"));
        x.setCode(LOGGER, Bytes.fromHexString("0x3360006000a100"));
      }
      assertThat(deferred.commit()).isEqualTo(reference.commit());
      SenderCache senders = new SenderCache(1_000);
      long number = 1;
      CommittedAccounts lastKnown = deferred.committedAccounts();
      Map<Address, Long> lastNonces = new HashMap<>(lastKnown.nonces());
      Map<Address, BigInteger> lastBalances = new HashMap<>(lastKnown.balances());
      for (List<Spec> block : blocks) {
        List<Bytes> raws = new ArrayList<>();
        long[] nonces = new long[ACCOUNTS];
        for (int i = 0; i < ACCOUNTS; i++) {
          nonces[i] = reference.nonce(keys.get(i).address());
        }
        for (Spec s : block) {
          raws.add(sign(s, keys, nonces[s.sender()]++));
        }
        BlockEnv env =
            new BlockEnv(CHAIN_ID, number, number, coinbase, 30_000_000, GWEI, Bytes32.ZERO);
        number++;
        ExecutedBlock a = new BlockExecutor(deferred, CHAIN_ID, senders).execute(env, raws);
        ExecutedBlock b = new BlockExecutor(reference, CHAIN_ID, senders).execute(env, raws);
        assertThat(a.receipts()).isEqualTo(b.receipts());
        assertThat(a.skipped()).isEqualTo(b.skipped());
        assertThat(a.included()).isEqualTo(b.included());
        for (Secp256k1PrivateKey k : keys) { // reads before the commit see the deferred writes
          assertThat(deferred.balance(k.address())).isEqualTo(reference.balance(k.address()));
          assertThat(deferred.nonce(k.address())).isEqualTo(reference.nonce(k.address()));
        }
        assertThat(deferred.balance(coinbase)).isEqualTo(reference.balance(coinbase));
        // what other threads read of the last commit did not move with this block's execution
        assertThat(lastKnown.nonces()).isEqualTo(lastNonces);
        assertThat(lastKnown.balances()).isEqualTo(lastBalances);
        assertThat(deferred.commit()).isEqualTo(reference.commit());
        // and what they read of this one is libevm's committed state (a view keeps no caches)
        CommittedAccounts known = deferred.committedAccounts();
        assertThat(known.root()).isEqualTo(deferred.committedRoot());
        for (Map.Entry<Address, Long> e : known.nonces().entrySet()) {
          long stored = deferred.views().at(known.root(), -1, v -> v.nonce(e.getKey()));
          assertThat(stored).as("nonce of %s", e.getKey()).isEqualTo(e.getValue());
        }
        for (Map.Entry<Address, BigInteger> e : known.balances().entrySet()) {
          BigInteger stored = deferred.views().at(known.root(), -1, v -> v.balance(e.getKey()));
          assertThat(stored).as("balance of %s", e.getKey()).isEqualTo(e.getValue());
        }
        lastKnown = known;
        lastNonces = new HashMap<>(known.nonces());
        lastBalances = new HashMap<>(known.balances());
        // and after it, as the RPC reads the head (the executor keeps its caches across commits)
        for (Secp256k1PrivateKey k : keys) {
          assertThat(deferred.nonce(k.address())).isEqualTo(reference.nonce(k.address()));
          assertThat(deferred.balance(k.address())).isEqualTo(reference.balance(k.address()));
        }
        // the cached values are libevm's: reopened at the root (no caches), the same answers
        long[] cachedNonces = new long[ACCOUNTS];
        for (int i = 0; i < ACCOUNTS; i++) {
          cachedNonces[i] = deferred.nonce(keys.get(i).address());
        }
        deferred.reset(deferred.committedRoot());
        for (int i = 0; i < ACCOUNTS; i++) {
          assertThat(deferred.nonce(keys.get(i).address())).isEqualTo(cachedNonces[i]);
        }
        assertThat(deferred.storage(READER, Bytes32.ZERO))
            .isEqualTo(reference.storage(READER, Bytes32.ZERO));
      }
    } finally {
      PathUtils.deleteDirectory(dir);
    }
  }

  @Example
  void repeatedTransfersToAnAccountWithoutCodeSkipLibevm() throws IOException {
    Path dir = Files.createTempDirectory("java-transfers");
    Secp256k1PrivateKey key = Secp256k1PrivateKey.fromBytes(Hashes.keccak256(Bytes.of(9)));
    Address to = Address.fromHex("0x000000000000000000000000000000000000beef");
    try (LibEvmExecutor deferred =
            LibEvmExecutor.open(dir.resolve("a"), LibEvmExecutor.EMPTY_ROOT, n -> null);
        LibEvmExecutor reference =
            LibEvmExecutor.openWriteThrough(
                dir.resolve("b"), LibEvmExecutor.EMPTY_ROOT, n -> null)) {
      for (LibEvmExecutor x : List.of(deferred, reference)) {
        x.addBalance(key.address(), BigInteger.TEN.pow(18));
        x.commit();
        List<Bytes> raws = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          raws.add(
              TxSigner.sign(
                      new DynamicFeeTransaction(
                          CHAIN_ID,
                          i,
                          GWEI,
                          GWEI.multiply(BigInteger.TEN),
                          21_000,
                          Optional.of(to),
                          BigInteger.valueOf(i + 1),
                          Bytes.EMPTY,
                          List.of(),
                          null),
                      key)
                  .encode());
        }
        BlockEnv env = new BlockEnv(CHAIN_ID, 1, 1, OTHER_COINBASE, 30_000_000, GWEI, Bytes32.ZERO);
        ExecutedBlock b = new BlockExecutor(x, CHAIN_ID, new SenderCache(100)).execute(env, raws);
        assertThat(b.receipts()).hasSize(5);
      }
      assertThat(deferred.javaTransfers()).isEqualTo(4); // the first one finds out there is no code
      assertThat(reference.javaTransfers()).isZero();
      assertThat(deferred.balance(to)).isEqualTo(BigInteger.valueOf(15));
      assertThat(deferred.commit()).isEqualTo(reference.commit());
    } finally {
      PathUtils.deleteDirectory(dir);
    }
  }

  /** keccak256(rlp([sender, nonce]))[12:], for the small nonces used here. */
  private static Address createdAddress(Address sender, long nonce) {
    Bytes n =
        nonce == 0
            ? Bytes.of(0x80)
            : nonce < 0x80 ? Bytes.of((int) nonce) : Bytes.of(0x81, (int) nonce);
    Bytes body = Bytes.concatenate(Bytes.of(0x94), sender.bytes(), n);
    Bytes rlp = Bytes.concatenate(Bytes.of(0xc0 + body.size()), body);
    return new Address(Hashes.keccak256(rlp).slice(12));
  }

  private static Bytes sign(Spec s, List<Secp256k1PrivateKey> keys, long nonce) {
    Optional<Address> to;
    Bytes data = Bytes.EMPTY;
    int t = s.target();
    if (t < ACCOUNTS) {
      to = Optional.of(keys.get(t).address());
    } else if (t == ACCOUNTS) {
      to = Optional.of(OTHER_COINBASE);
    } else if (t == ACCOUNTS + 1) {
      to = Optional.of(READER);
    } else if (t == ACCOUNTS + 2) {
      to = Optional.of(STOPPER);
    } else if (t == ACCOUNTS + 3) {
      to = Optional.of(IDENTITY);
    } else if (t == ACCOUNTS + 5) {
      // where account 0's creation at nonce 1..4 deploys: funded before, called after
      to = Optional.of(createdAddress(keys.get(0).address(), 1 + s.value()));
    } else if (t == ACCOUNTS + 4) {
      to = Optional.of(Address.fromHex("0x%040x".formatted(0xf00000L + nonce)));
    } else if (t == ACCOUNTS + 7) {
      to = Optional.of(REVERTER);
    } else if (t == ACCOUNTS + 8) {
      to = Optional.of(LOGGER);
    } else {
      to = Optional.empty();
      data = s.value() % 2 == 0 ? READER_INIT : EMPTY_INIT;
    }
    BigInteger value =
        switch (s.value()) {
          case 0 -> BigInteger.ZERO;
          case 1 -> BigInteger.ONE;
          case 2 -> BigInteger.TEN.pow(15);
          default -> BigInteger.TEN.pow(19); // more than any account holds
        };
    return TxSigner.sign(
            new DynamicFeeTransaction(
                CHAIN_ID,
                nonce,
                s.tip() ? GWEI : BigInteger.ZERO,
                GWEI.multiply(BigInteger.TEN),
                s.muchGas() ? 120_000 : 21_000,
                to,
                value,
                data,
                List.of(),
                null),
            keys.get(s.sender()))
        .encode();
  }
}
