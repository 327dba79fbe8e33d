package io.axivon.consensus.execution.evm;

import io.axivon.common.crypto.secp256k1.Address;
import java.math.BigInteger;
import java.util.List;
import java.util.function.Function;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The EVM and its state, as the block executor uses them: account reads and writes on a working
 * state on top of the last committed root, message execution, commit. Everything Ethereum wraps
 * around the EVM (validation, gas purchase, fees, receipts) is the caller's, so that this interface
 * stays small enough to put another EVM behind it. One thread at a time.
 */
public interface Executor extends AutoCloseable {
  /** The state root of the last commit (or the one opened at). */
  Bytes32 committedRoot();

  BigInteger balance(Address account);

  long nonce(Address account);

  Bytes code(Address account);

  Bytes32 storage(Address account, Bytes32 key);

  /**
   * The account and {@code keys} of its storage at the committed state {@code root} (not the
   * working state), with their Merkle-Patricia proofs (EIP-1186).
   */
  default AccountProof proof(Bytes32 root, Address account, List<Bytes32> keys) {
    throw new UnsupportedOperationException("this executor keeps no proofs");
  }

  void addBalance(Address account, BigInteger amount);

  void subBalance(Address account, BigInteger amount);

  void setNonce(Address account, long nonce);

  /** Sets a storage slot directly (system modules' block hooks and genesis). */
  void setStorage(Address account, Bytes32 key, Bytes32 value);

  /** Sets code directly (genesis allocations). */
  void setCode(Address account, Bytes code);

  /**
   * Runs {@code message} in {@code block}: warms the EIP-2929 access set (sender, recipient,
   * precompiles, coinbase, access list) and calls or creates. It neither charges gas nor bumps the
   * caller's nonce: a creation takes its address from the caller's current nonce.
   */
  MessageResult run(Message message, BlockEnv block);

  /**
   * Runs {@code body} on the working state, then undoes everything it changed: eth_call and
   * eth_estimateGas. Not reentrant.
   */
  <T> T speculate(Function<Executor, T> body);

  /**
   * Runs {@code message} as {@link #run} does and undoes everything it changed: eth_call. The
   * result carries neither logs nor the refund, so an implementation may skip reading them. Not
   * within {@link #speculate}.
   */
  default MessageResult call(Message message, BlockEnv block) {
    return speculate(x -> x.run(message, block));
  }

  /** Writes the working state to disk and returns its root; it becomes the committed state. */
  Bytes32 commit();

  /**
   * What this executor knows of the accounts of its last committed state, for other threads; by
   * default nothing (readers then use a view of the state).
   */
  default CommittedAccounts committedAccounts() {
    return CommittedAccounts.none(committedRoot());
  }

  /** Drops every change since the last commit. */
  void discard();

  /**
   * Drops the working state and reopens it at {@code root}, a root committed before: back past a
   * commit (a block executed but not decided), or reads at a past block.
   */
  void reset(Bytes32 root);

  @Override
  void close();
}
