package io.axivon.sdk.storage;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.sdk.eth.CallRequest;
import io.axivon.sdk.eth.Eip1559Transaction;
import io.axivon.sdk.eth.EthClient;
import io.axivon.sdk.eth.ExecutionRevertedException;
import io.axivon.sdk.eth.Log;
import io.axivon.sdk.eth.Receipt;
import io.axivon.sdk.storage.layout.Submission;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Submits files to the flow on chain 0 and reads its Submit events, over Ethereum JSON-RPC, with
 * 0G's Flow ABI (shared/reference/0g-rpc.md §5). A submission pays {@code pricePerSector × Σ
 * 2^height} as the transaction value; it is dry-run with {@code eth_call} first so that a revert
 * ({@code NotEnoughFee}, {@code Error(string)}) fails before anything is sent. Thread-safe, but two
 * concurrent submits from one key race for the nonce: serialise them per key.
 */
public final class FlowClient {
  /** The flow system module's address in the devnet. */
  public static final Address DEVNET_FLOW_ADDRESS =
      Address.fromHex("0x0000000000000000000000000000000000001001");

  private final EthClient eth;
  private final Address flow;

  public FlowClient(EthClient eth, Address flow) {
    this.eth = Objects.requireNonNull(eth, "eth");
    this.flow = Objects.requireNonNull(flow, "flow");
  }

  public Address flowAddress() {
    return flow;
  }

  /**
   * How a submission is sent; empty fields are asked of the node.
   *
   * @param fee the value to pay instead of {@code pricePerSector × sectors}
   * @param gasLimit instead of {@code eth_estimateGas} (+25 %)
   * @param maxFeePerGas instead of twice {@code eth_gasPrice} (at least the tip)
   * @param maxPriorityFeePerGas instead of {@code eth_maxPriorityFeePerGas}
   * @param receiptTimeout how long to wait for the receipt
   */
  public record Options(
      Optional<BigInteger> fee,
      Optional<Long> gasLimit,
      Optional<BigInteger> maxFeePerGas,
      Optional<BigInteger> maxPriorityFeePerGas,
      Duration receiptTimeout) {
    public Options {
      Objects.requireNonNull(fee, "fee");
      Objects.requireNonNull(gasLimit, "gasLimit");
      Objects.requireNonNull(maxFeePerGas, "maxFeePerGas");
      Objects.requireNonNull(maxPriorityFeePerGas, "maxPriorityFeePerGas");
      Objects.requireNonNull(receiptTimeout, "receiptTimeout");
    }

    /** Everything from the node; a 60 s receipt timeout. */
    public static Options defaults() {
      return new Options(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Duration.ofSeconds(60));
    }

    public Options withFee(BigInteger newFee) {
      return new Options(
          Optional.of(newFee), gasLimit, maxFeePerGas, maxPriorityFeePerGas, receiptTimeout);
    }

    public Options withGasLimit(long gas) {
      return new Options(fee, Optional.of(gas), maxFeePerGas, maxPriorityFeePerGas, receiptTimeout);
    }

    public Options withReceiptTimeout(Duration timeout) {
      return new Options(fee, gasLimit, maxFeePerGas, maxPriorityFeePerGas, timeout);
    }
  }

  /** The price per sector: {@code market()} then {@code pricePerSector()} on it, as the 0G SDK. */
  public BigInteger pricePerSector() {
    Address market =
        FlowAbi.decodeAddress(
            eth.call(CallRequest.of(flow, FlowAbi.MARKET_SELECTOR), "latest"), "market()");
    return FlowAbi.decodeUint256(
        eth.call(CallRequest.of(market, FlowAbi.PRICE_PER_SECTOR_SELECTOR), "latest"),
        "pricePerSector()");
  }

  /** {@code pricePerSector × Σ 2^height}. */
  public BigInteger fee(Submission submission) {
    return pricePerSector().multiply(BigInteger.valueOf(submission.sectors()));
  }

  /** {@link #submitForEvent} with the defaults, as a storage node will see it. */
  public FlowSubmission submit(Submission submission, Secp256k1PrivateKey signer)
      throws InterruptedException {
    return submitForEvent(submission, signer, Options.defaults()).toFlowSubmission();
  }

  public FlowSubmission submit(Submission submission, Secp256k1PrivateKey signer, Options options)
      throws InterruptedException {
    return submitForEvent(submission, signer, options).toFlowSubmission();
  }

  /**
   * Submits and waits for the receipt; returns the decoded Submit event.
   *
   * @throws StorageClientException if the dry run or the transaction reverts (with the decoded
   *     reason), the receipt does not come in time, or the receipt has no Submit log of the flow
   */
  public SubmitEvent submitForEvent(
      Submission submission, Secp256k1PrivateKey signer, Options options)
      throws InterruptedException {
    Address from = signer.address();
    BigInteger fee = options.fee().isPresent() ? options.fee().get() : fee(submission);
    CallRequest call =
        new CallRequest(Optional.of(from), flow, fee, FlowAbi.encodeSubmit(submission));
    long gas;
    try {
      eth.call(call, "latest");
      gas =
          options.gasLimit().isPresent() ? options.gasLimit().get() : eth.estimateGas(call) * 5 / 4;
    } catch (ExecutionRevertedException e) {
      throw new StorageClientException(
          "the flow refuses the submission (dry run, fee " + fee + " wei): " + reason(e), e);
    }
    BigInteger tip =
        options.maxPriorityFeePerGas().isPresent()
            ? options.maxPriorityFeePerGas().get()
            : eth.maxPriorityFeePerGas();
    BigInteger maxFee =
        options.maxFeePerGas().isPresent()
            ? options.maxFeePerGas().get()
            : eth.gasPrice().shiftLeft(1).max(tip);
    Eip1559Transaction tx =
        new Eip1559Transaction(
            eth.chainId(),
            eth.getTransactionCount(from, "pending"),
            tip,
            maxFee,
            gas,
            Optional.of(flow),
            fee,
            call.data());
    Eip1559Transaction.SignedTransaction signed = tx.sign(signer);
    Bytes32 hash = eth.sendRawTransaction(signed.raw());
    Receipt receipt;
    try {
      receipt = eth.waitForReceipt(hash, options.receiptTimeout());
    } catch (TimeoutException e) {
      throw new StorageClientException(
          "submit transaction " + hash + " got no receipt: " + e.getMessage(), e);
    }
    if (!receipt.success()) {
      throw new StorageClientException(
          "submit transaction "
              + hash
              + " reverted in block "
              + receipt.blockNumber()
              + ": "
              + replayReason(call, receipt.blockNumber()));
    }
    for (Log log : receipt.logs()) {
      if (log.address().equals(flow)
          && !log.topics().isEmpty()
          && log.topics().getFirst().equals(FlowAbi.SUBMIT_TOPIC)) {
        SubmitEvent event = FlowAbi.decodeSubmit(log);
        if (!event.root().equals(submission.root())
            || event.submission().length() != submission.length()) {
          throw new StorageClientException(
              "the Submit event of "
                  + hash
                  + " is for root "
                  + event.root()
                  + " and size "
                  + event.submission().length()
                  + ", not the submitted "
                  + submission.root()
                  + " and size "
                  + submission.length());
        }
        return event;
      }
    }
    throw new StorageClientException(
        "transaction "
            + hash
            + " succeeded but its receipt has no Submit log of the flow "
            + flow.toLowerHex());
  }

  /**
   * The Submit events of blocks {@code [fromBlock, toBlock]}, in chain order.
   *
   * @throws InvalidInputException if a log is malformed, from another contract or outside the range
   */
  public List<SubmitEvent> submissions(long fromBlock, long toBlock) {
    List<SubmitEvent> out = new ArrayList<>();
    for (Log log : eth.getLogs(flow, List.of(List.of(FlowAbi.SUBMIT_TOPIC)), fromBlock, toBlock)) {
      if (log.removed()) {
        throw new InvalidInputException(
            "eth_getLogs returned a removed log of block "
                + log.blockNumber()
                + ": the chain is final and should never remove one");
      }
      if (!log.address().equals(flow)) {
        throw new InvalidInputException(
            "eth_getLogs for the flow "
                + flow.toLowerHex()
                + " returned a log of "
                + log.address());
      }
      if (log.blockNumber() < fromBlock || log.blockNumber() > toBlock) {
        throw new InvalidInputException(
            "eth_getLogs for blocks ["
                + fromBlock
                + ", "
                + toBlock
                + "] returned a log of block "
                + log.blockNumber());
      }
      out.add(FlowAbi.decodeSubmit(log));
    }
    return out;
  }

  private static String reason(ExecutionRevertedException e) {
    return FlowAbi.describeRevert(e.revertData()).orElse(e.getMessage());
  }

  /** Receipts carry no revert data: replay the call on the parent state to learn the reason. */
  private String replayReason(CallRequest call, long block) {
    try {
      eth.call(call, EthClient.block(Math.max(0, block - 1)));
      return "no reason given (the replay on the parent block succeeds)";
    } catch (ExecutionRevertedException e) {
      return reason(e);
    } catch (RuntimeException e) {
      return "no reason given (replay failed: " + e.getMessage() + ")";
    }
  }
}
