package io.axivon.consensus.execution.block;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.execution.evm.BlockEnv;
import io.axivon.consensus.execution.evm.Executor;
import io.axivon.consensus.execution.evm.Message;
import io.axivon.consensus.execution.evm.MessageResult;
import io.axivon.consensus.execution.tx.IntrinsicGas;
import io.axivon.consensus.execution.tx.SenderCache;
import io.axivon.consensus.execution.tx.Transaction;
import io.axivon.consensus.execution.tx.TxErrors;
import io.axivon.consensus.execution.tx.TxRules;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Executes a block's transactions in order on the executor's working state, as go-ethereum's state
 * transition does: check, buy gas at the effective price, run, refund unused gas (plus at most a
 * fifth of the gas used, EIP-3529), burn the base fee and pay the tip to the coinbase.
 *
 * <p>Rule for invalid transactions: a transaction that does not decode, has no valid sender, or
 * fails a check at its turn (nonce, balance for gasLimit * maxFee + value, fee cap below the base
 * fee, intrinsic gas, init code size, the block's remaining gas) is skipped: it changes no state
 * and gets no receipt, and the next one runs. Proposers only propose transactions that passed
 * checkTx, so this happens when an earlier transaction of the block changed the sender's balance or
 * nonce, or the proposer is faulty; skipping keeps the block useful instead of rejecting it all.
 *
 * <p>The senders are recovered first, in parallel ({@link SenderCache#decodeAll}); execution then
 * looks each one up in order, so the outcome is the same as recovering one at a time.
 */
public final class BlockExecutor {
  private final Executor executor;
  private final long chainId;
  private final SenderCache senders;

  public BlockExecutor(Executor executor, long chainId, SenderCache senders) {
    this.executor = executor;
    this.chainId = chainId;
    this.senders = senders;
  }

  /** Runs {@code rawTxs} in {@code env} (whose gas limit is the block's); commits nothing. */
  public ExecutedBlock execute(BlockEnv env, List<Bytes> rawTxs) {
    // senders first, on every core (usually all cached by checkTx already); then strictly in order
    List<SenderCache.Decoded> decoded = senders.decodeAll(rawTxs, chainId);
    List<Bytes> included = new ArrayList<>(rawTxs.size());
    List<Receipt> receipts = new ArrayList<>(rawTxs.size());
    List<ExecutedBlock.Skipped> skipped = new ArrayList<>();
    long gasUsed = 0;
    int logIndex = 0;
    for (int i = 0; i < rawTxs.size(); i++) {
      Bytes raw = rawTxs.get(i);
      SenderCache.Decoded d = decoded.get(i);
      Address from;
      try {
        if (d == null) { // it failed to decode or recover in decodeAll: again, for the reason
          d = senders.decode(raw);
        }
        from = senders.sender(d, chainId); // recovered by decodeAll: answered by d itself
      } catch (InvalidInputException e) {
        Bytes32 hash = d != null ? d.hash() : Hashes.keccak256(raw);
        skipped.add(new ExecutedBlock.Skipped(hash, e.getMessage()));
        continue;
      }
      Bytes32 hash = d.hash();
      Transaction tx = d.tx();
      Outcome o = apply(tx, from, env, env.gasLimit() - gasUsed);
      if (o.error != null) {
        skipped.add(new ExecutedBlock.Skipped(hash, o.error));
        continue;
      }
      gasUsed += o.gasUsed;
      MessageResult r = o.result;
      included.add(raw);
      receipts.add(
          new Receipt(
              hash,
              tx.type(),
              r.success(),
              gasUsed,
              o.gasUsed,
              o.price,
              from,
              tx.to(),
              r.contractAddress(),
              r.logs(),
              Bloom.of(r.logs()),
              logIndex));
      logIndex += r.logs().size();
    }
    return new ExecutedBlock(included, receipts, skipped, gasUsed);
  }

  private record Outcome(String error, MessageResult result, long gasUsed, BigInteger price) {
    static Outcome error(String e) {
      return new Outcome(e, null, 0, null);
    }
  }

  private Outcome apply(Transaction tx, Address from, BlockEnv env, long gasRemaining) {
    Optional<String> bad = TxRules.checkStateless(tx, env.gasLimit());
    if (bad.isPresent()) {
      return Outcome.error(bad.get());
    }
    if (tx.gasLimit() > gasRemaining) {
      return Outcome.error(TxErrors.GAS_LIMIT_REACHED);
    }
    bad = TxRules.checkBaseFee(tx, env.baseFee());
    if (bad.isPresent()) {
      return Outcome.error(bad.get());
    }
    long nonce = executor.nonce(from);
    if (tx.nonce() < nonce) {
      return Outcome.error(TxErrors.NONCE_TOO_LOW);
    }
    if (tx.nonce() > nonce) {
      return Outcome.error(TxErrors.NONCE_TOO_HIGH);
    }
    if (nonce == Long.MAX_VALUE) {
      return Outcome.error(TxErrors.NONCE_MAX);
    }
    if (executor.balance(from).compareTo(TxRules.maxCost(tx)) < 0) {
      return Outcome.error(TxErrors.INSUFFICIENT_FUNDS);
    }
    BigInteger price = tx.effectiveGasPrice(env.baseFee());
    BigInteger gasLimit = BigInteger.valueOf(tx.gasLimit());
    executor.subBalance(from, gasLimit.multiply(price));
    MessageResult r =
        executor.run(
            new Message(
                from,
                tx.to(),
                tx.value(),
                tx.data(),
                tx.gasLimit() - IntrinsicGas.of(tx),
                price,
                tx.accessList()),
            env);
    // After the run: a creation takes its address from the unbumped nonce (see Executor#run).
    executor.setNonce(from, nonce + 1);
    long used = tx.gasLimit() - r.gasLeft();
    used -= Math.min(r.refund(), used / 5); // EIP-3529
    long unused = tx.gasLimit() - used;
    if (unused > 0) {
      executor.addBalance(from, BigInteger.valueOf(unused).multiply(price));
    }
    BigInteger tip = price.subtract(env.baseFee()); // the base fee part is burned: credited to none
    if (tip.signum() > 0) {
      executor.addBalance(env.coinbase(), tip.multiply(BigInteger.valueOf(used)));
    }
    return new Outcome(null, r, used, price);
  }
}
