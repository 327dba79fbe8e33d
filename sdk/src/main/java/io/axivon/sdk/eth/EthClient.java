package io.axivon.sdk.eth;

import com.fasterxml.jackson.databind.JsonNode;
import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.sdk.rpc.JsonRpcClient;
import io.axivon.sdk.rpc.JsonRpcException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The Ethereum JSON-RPC methods a chain client needs, typed, over {@link JsonRpcClient}. Remote
 * failures stay {@link JsonRpcException}s, except an EVM revert, which is an {@link
 * ExecutionRevertedException} carrying the revert data; a malformed answer is an {@link
 * InvalidInputException} naming the field. Thread-safe.
 */
public final class EthClient {
  /** go-ethereum's JSON-RPC error code for "execution reverted". */
  public static final int REVERTED_CODE = 3;

  private final JsonRpcClient rpc;
  private final Duration receiptPollInterval;

  /** A client polling receipts every 200 ms. */
  public EthClient(JsonRpcClient rpc) {
    this(rpc, Duration.ofMillis(200));
  }

  public EthClient(JsonRpcClient rpc, Duration receiptPollInterval) {
    this.rpc = Objects.requireNonNull(rpc, "rpc");
    if (receiptPollInterval.isNegative() || receiptPollInterval.isZero()) {
      throw new IllegalArgumentException("poll interval must be positive");
    }
    this.receiptPollInterval = receiptPollInterval;
  }

  public JsonRpcClient rpc() {
    return rpc;
  }

  /** A block parameter for a block number. */
  public static String block(long number) {
    return EthHex.quantity(number);
  }

  public long chainId() {
    return quantity("eth_chainId");
  }

  public long blockNumber() {
    return quantity("eth_blockNumber");
  }

  /** The hash of block {@code number}, or empty if the node has no such block yet. */
  public Optional<Bytes32> blockHash(long number) {
    JsonNode block = rpc.callRaw("eth_getBlockByNumber", block(number), false);
    if (block.isNull()) {
      return Optional.empty();
    }
    return Optional.of(EthHex.parseBytes32(block.path("hash").asText(null), "block hash"));
  }

  /** The account's nonce at {@code blockTag} ("latest", "pending" or a block number). */
  public long getTransactionCount(Address address, String blockTag) {
    return quantity("eth_getTransactionCount", address.toLowerHex(), blockTag);
  }

  public BigInteger getBalance(Address address, String blockTag) {
    return bigQuantity("eth_getBalance", address.toLowerHex(), blockTag);
  }

  public BigInteger gasPrice() {
    return bigQuantity("eth_gasPrice");
  }

  public BigInteger maxPriorityFeePerGas() {
    return bigQuantity("eth_maxPriorityFeePerGas");
  }

  /**
   * {@code eth_estimateGas} at the pending state; a revert throws {@link
   * ExecutionRevertedException}.
   */
  public long estimateGas(CallRequest request) {
    return EthHex.parseLong(
        text(reverting("eth_estimateGas", request.toJson()), "eth_estimateGas"), "gas estimate");
  }

  /** {@code eth_call}; a revert throws {@link ExecutionRevertedException}. */
  public Bytes call(CallRequest request, String blockTag) {
    return EthHex.parseBytes(
        text(reverting("eth_call", request.toJson(), blockTag), "eth_call"), "eth_call result");
  }

  /** Sends a signed transaction; returns its hash as the node reports it. */
  public Bytes32 sendRawTransaction(Bytes raw) {
    return EthHex.parseBytes32(
        text(rpc.callRaw("eth_sendRawTransaction", raw.toHexString()), "eth_sendRawTransaction"),
        "transaction hash");
  }

  /** The receipt, or empty while the transaction is not in a block. */
  public Optional<Receipt> getTransactionReceipt(Bytes32 hash) {
    JsonNode r = rpc.callRaw("eth_getTransactionReceipt", hash.toHexString());
    return r.isNull() ? Optional.empty() : Optional.of(Receipt.fromJson(r));
  }

  /**
   * Polls for the receipt every poll interval (the last wait cut to the deadline) until it comes or
   * {@code timeout} has passed.
   *
   * @throws TimeoutException if no receipt came in time
   */
  public Receipt waitForReceipt(Bytes32 hash, Duration timeout)
      throws TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<Receipt> receipt = getTransactionReceipt(hash);
      if (receipt.isPresent()) {
        return receipt.get();
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new TimeoutException(
            "no receipt for transaction " + hash + " within " + timeout.toMillis() + " ms");
      }
      Thread.sleep(Duration.ofNanos(Math.min(left, receiptPollInterval.toNanos())));
    }
  }

  /**
   * {@code eth_getLogs} over blocks {@code [fromBlock, toBlock]} for one contract.
   *
   * @param topics per position: the accepted values (empty list = any)
   */
  public List<Log> getLogs(
      Address address, List<List<Bytes32>> topics, long fromBlock, long toBlock) {
    if (fromBlock < 0 || toBlock < fromBlock) {
      throw new IllegalArgumentException("bad block range [" + fromBlock + ", " + toBlock + "]");
    }
    Map<String, Object> filter = new LinkedHashMap<>();
    filter.put("address", address.toLowerHex());
    filter.put("fromBlock", block(fromBlock));
    filter.put("toBlock", block(toBlock));
    List<Object> t = new ArrayList<>();
    for (List<Bytes32> position : topics) {
      if (position.isEmpty()) {
        t.add(null);
      } else if (position.size() == 1) {
        t.add(position.getFirst().toHexString());
      } else {
        t.add(position.stream().map(Bytes32::toHexString).toList());
      }
    }
    filter.put("topics", t);
    JsonNode result = rpc.callRaw("eth_getLogs", filter);
    if (!result.isArray()) {
      throw new InvalidInputException(
          "eth_getLogs answered " + result.getNodeType() + ", not an array");
    }
    List<Log> logs = new ArrayList<>(result.size());
    for (JsonNode l : result) {
      logs.add(Log.fromJson(l));
    }
    return logs;
  }

  private JsonNode reverting(String method, Object... params) {
    try {
      return rpc.callRaw(method, params);
    } catch (JsonRpcException e) {
      if (e.kind() != JsonRpcException.Kind.REMOTE) {
        throw e;
      }
      Optional<JsonNode> data = e.data();
      boolean hexData =
          data.isPresent() && data.get().isTextual() && data.get().asText().startsWith("0x");
      if (e.code() != REVERTED_CODE && !(hexData && e.getMessage().contains("revert"))) {
        throw e;
      }
      Bytes revert = Bytes.EMPTY;
      if (hexData) {
        try {
          revert = Bytes.fromHexString(data.get().asText());
        } catch (IllegalArgumentException bad) {
          revert = Bytes.EMPTY; // the message still says what happened
        }
      }
      throw new ExecutionRevertedException(method + ": " + e.getMessage(), revert);
    }
  }

  private long quantity(String method, Object... params) {
    return EthHex.parseLong(text(rpc.callRaw(method, params), method), method + " result");
  }

  private BigInteger bigQuantity(String method, Object... params) {
    return EthHex.parseBig(text(rpc.callRaw(method, params), method), method + " result");
  }

  private static String text(JsonNode node, String method) {
    if (!node.isTextual()) {
      throw new InvalidInputException(
          method + " answered " + node.getNodeType() + " where a hex string was expected");
    }
    return node.asText();
  }
}
