package io.axivon.sdk.mining;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.sdk.eth.CallRequest;
import io.axivon.sdk.eth.Eip1559Transaction;
import io.axivon.sdk.eth.EthClient;
import io.axivon.sdk.eth.ExecutionRevertedException;
import io.axivon.sdk.eth.Log;
import io.axivon.sdk.eth.Receipt;
import io.axivon.sdk.storage.FlowAbi;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A miner's view of chain 0 (specs/pora.md): the flow's mining context and the mining module's
 * target, registration, and answer submission (a dry run first, so a refused answer costs no gas
 * and comes back with the module's reason).
 */
public final class MiningClient {
  /** The mining module's address, {@code 0x…1003}. */
  public static final Address MINING_ADDRESS =
      Address.fromHex("0x0000000000000000000000000000000000001003");

  static final Bytes GET_CONTEXT = FlowAbi.selector("getContext()");
  static final Bytes TARGET = FlowAbi.selector("target()");
  static final Bytes MINER_OF = FlowAbi.selector("minerOf(bytes32)");
  static final Bytes REGISTER = FlowAbi.selector("registerMiner(bytes32)");
  static final Bytes MINER_STATS = FlowAbi.selector("minerStats(bytes32)");

  /**
   * A miner's totals as the mining module keeps them (specs/pora.md section 11).
   *
   * @param lastEpoch the epoch of the last accepted answer (0 with no answer)
   * @param lastContext the context digest of the last accepted answer (zero with no answer)
   */
  public record MinerStats(
      long answersAccepted, BigInteger rewardsWei, long lastEpoch, Bytes32 lastContext) {}

  static final Bytes32 ANSWER_ACCEPTED =
      Hashes.keccak256(
          Bytes.wrap("AnswerAccepted(bytes32,uint256,address,uint256,bytes32,uint256)".getBytes()));

  private final EthClient eth;
  private final Address flow;
  private final Address mining;
  private final Duration receiptTimeout;

  public MiningClient(EthClient eth, Address flow, Address mining, Duration receiptTimeout) {
    this.eth = eth;
    this.flow = flow;
    this.mining = mining;
    this.receiptTimeout = receiptTimeout;
  }

  /** The flow's current mining context. */
  public MiningContext context() {
    Bytes r =
        eth.call(new CallRequest(Optional.empty(), flow, BigInteger.ZERO, GET_CONTEXT), "latest");
    if (r.size() != 6 * 32) {
      throw new InvalidInputException("getContext returned " + r.size() + " bytes, not 192");
    }
    MiningContext c =
        new MiningContext(
            FlowAbi.decodeUint256(r.slice(0, 32), "epoch").longValueExact(),
            FlowAbi.decodeUint256(r.slice(32, 32), "mineStart").longValueExact(),
            Bytes32.wrap(r.slice(64, 32)),
            FlowAbi.decodeUint256(r.slice(96, 32), "flowLength").longValueExact(),
            Bytes32.wrap(r.slice(128, 32)));
    if (!c.digest().equals(Bytes32.wrap(r.slice(160, 32)))) {
      throw new InvalidInputException("getContext's digest does not match its fields");
    }
    return c;
  }

  /** The current target. */
  public BigInteger target() {
    return FlowAbi.decodeUint256(view(TARGET), "target");
  }

  /** The account a miner id is bound to, empty when not registered. */
  public Optional<Address> minerOf(Bytes32 minerId) {
    Address a = FlowAbi.decodeAddress(view(Bytes.concatenate(MINER_OF, minerId)), "minerOf");
    return a.equals(Address.fromHex("0x" + "00".repeat(20))) ? Optional.empty() : Optional.of(a);
  }

  /** A miner's accepted answers and rewards since genesis, in one view call. */
  public MinerStats minerStats(Bytes32 minerId) {
    Bytes r = view(Bytes.concatenate(MINER_STATS, minerId));
    if (r.size() != 4 * 32) {
      throw new InvalidInputException("minerStats returned " + r.size() + " bytes, not 128");
    }
    return new MinerStats(
        FlowAbi.decodeUint256(r.slice(0, 32), "answers").longValueExact(),
        FlowAbi.decodeUint256(r.slice(32, 32), "rewards"),
        FlowAbi.decodeUint256(r.slice(64, 32), "lastEpoch").longValueExact(),
        Bytes32.wrap(r.slice(96, 32)));
  }

  /** {@code keccak256(account left-padded ‖ salt)}. */
  public static Bytes32 minerId(Address account, Bytes32 salt) {
    return Hashes.keccak256(Bytes.concatenate(Bytes32.leftPad(account.bytes()), salt));
  }

  /** Registers {@code minerId(key's account, salt)} and returns it. */
  public Bytes32 register(Bytes32 salt, Secp256k1PrivateKey key) throws InterruptedException {
    send(Bytes.concatenate(REGISTER, salt), key, "registerMiner");
    return minerId(key.address(), salt);
  }

  /**
   * Submits an answer and returns the reward paid.
   *
   * @throws MiningClientException with the module's reason when it refuses the answer
   */
  public BigInteger submit(Answer answer, Secp256k1PrivateKey key) throws InterruptedException {
    Receipt r = send(AnswerCodec.encodeCall(answer), key, "submitAnswer");
    for (Log log : r.logs()) {
      if (log.address().equals(mining)
          && log.topics().size() == 3
          && log.topics().getFirst().equals(ANSWER_ACCEPTED)
          && log.data().size() == 4 * 32) {
        return FlowAbi.decodeUint256(log.data().slice(96, 32), "reward");
      }
    }
    throw new MiningClientException(
        "transaction " + r.transactionHash() + " has no AnswerAccepted log of " + mining);
  }

  private Bytes view(Bytes data) {
    return eth.call(new CallRequest(Optional.empty(), mining, BigInteger.ZERO, data), "latest");
  }

  private Receipt send(Bytes data, Secp256k1PrivateKey key, String what)
      throws InterruptedException {
    Address from = key.address();
    CallRequest call = new CallRequest(Optional.of(from), mining, BigInteger.ZERO, data);
    long gas;
    try {
      eth.call(call, "latest");
      gas = eth.estimateGas(call) * 5 / 4;
    } catch (ExecutionRevertedException e) {
      throw new MiningClientException(
          what + " refused: " + FlowAbi.describeRevert(e.revertData()).orElse(e.getMessage()), e);
    }
    BigInteger tip = eth.maxPriorityFeePerGas();
    Eip1559Transaction tx =
        new Eip1559Transaction(
            eth.chainId(),
            eth.getTransactionCount(from, "pending"),
            tip,
            eth.gasPrice().shiftLeft(1).max(tip),
            gas,
            Optional.of(mining),
            BigInteger.ZERO,
            data);
    Bytes32 hash = eth.sendRawTransaction(tx.sign(key).raw());
    Receipt r;
    try {
      r = eth.waitForReceipt(hash, receiptTimeout);
    } catch (TimeoutException e) {
      throw new MiningClientException(what + " transaction " + hash + " got no receipt", e);
    }
    if (!r.success()) {
      throw new MiningClientException(
          what + " transaction " + hash + " reverted in block " + r.blockNumber());
    }
    return r;
  }
}
