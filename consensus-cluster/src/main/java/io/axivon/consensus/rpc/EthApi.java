package io.axivon.consensus.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.execution.block.EthBlock;
import io.axivon.consensus.execution.block.Receipt;
import io.axivon.consensus.execution.block.TxLocation;
import io.axivon.consensus.execution.evm.BlockEnv;
import io.axivon.consensus.execution.evm.Executor;
import io.axivon.consensus.execution.evm.Log;
import io.axivon.consensus.execution.evm.Message;
import io.axivon.consensus.execution.evm.MessageResult;
import io.axivon.consensus.execution.tx.AccessTuple;
import io.axivon.consensus.execution.tx.IntrinsicGas;
import io.axivon.consensus.execution.tx.Transaction;
import io.axivon.consensus.execution.tx.TxCodec;
import io.axivon.consensus.execution.tx.TxErrors;
import io.axivon.consensus.execution.tx.TxSigner;
import io.axivon.consensus.mempool.AddResult;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Ethereum JSON-RPC methods over an {@link EthBackend}, independent of HTTP: {@link #call} takes a
 * method name and its positional params and returns the result as JSON, or throws {@link
 * RpcException} with go-ethereum's code and message. Thread-safe (the backend serializes state
 * access).
 */
public final class EthApi {
  /** go-ethereum's eth_feeHistory limit on blocks per call. */
  static final int MAX_FEE_HISTORY = 1024;

  /** go-ethereum's estimateGas stop rule: within 1.5% of the true minimum is good enough. */
  private static final double ESTIMATE_ERROR_RATIO = 0.015;

  private static final long CALL_STIPEND = 2300;

  private final EthBackend backend;
  private final RpcConfig config;
  private final String clientVersion;
  private final Map<String, Function<Params, JsonNode>> methods;

  public EthApi(EthBackend backend, RpcConfig config) {
    this.backend = backend;
    this.config = config;
    this.clientVersion =
        "Axivon/v0.1.0/"
            + System.getProperty("os.name", "unknown").toLowerCase(java.util.Locale.ROOT)
            + "-"
            + System.getProperty("os.arch", "unknown")
            + "/java"
            + Runtime.version().feature();
    this.methods =
        Map.ofEntries(
            Map.entry("web3_clientVersion", p -> text(p.atMost(0), clientVersion)),
            Map.entry("web3_sha3", p -> text(p.atMost(1), Hex.data(Hashes.keccak256(p.data(0))))),
            Map.entry("net_version", p -> text(p.atMost(0), Long.toString(backend.chainId()))),
            Map.entry("net_listening", p -> BooleanNode.TRUE),
            Map.entry("net_peerCount", p -> text(p.atMost(0), Hex.quantity(backend.peerCount()))),
            Map.entry("eth_chainId", p -> text(p.atMost(0), Hex.quantity(backend.chainId()))),
            Map.entry("eth_syncing", p -> syncing(p.atMost(0))),
            Map.entry(
                "eth_blockNumber", p -> text(p.atMost(0), Hex.quantity(backend.head().number()))),
            Map.entry("eth_gasPrice", p -> text(p.atMost(0), Hex.quantity(gasPrice()))),
            Map.entry(
                "eth_maxPriorityFeePerGas",
                p -> text(p.atMost(0), Hex.quantity(config.suggestedTip()))),
            Map.entry("eth_feeHistory", this::feeHistory),
            Map.entry("eth_getBalance", this::getBalance),
            Map.entry("eth_getTransactionCount", this::getTransactionCount),
            Map.entry("eth_getCode", this::getCode),
            Map.entry("eth_getStorageAt", this::getStorageAt),
            Map.entry("eth_getProof", this::getProof),
            Map.entry("axivon_getCertifiedHeader", this::getCertifiedHeader),
            Map.entry("eth_sendRawTransaction", this::sendRawTransaction),
            Map.entry("eth_call", this::ethCall),
            Map.entry("eth_estimateGas", this::estimateGas),
            Map.entry("eth_getTransactionByHash", this::getTransactionByHash),
            Map.entry("eth_getTransactionReceipt", this::getTransactionReceipt),
            Map.entry("eth_getBlockReceipts", this::getBlockReceipts),
            Map.entry("eth_getBlockByNumber", this::getBlockByNumber),
            Map.entry("eth_getBlockByHash", this::getBlockByHash),
            Map.entry("eth_getBlockTransactionCountByNumber", this::txCountByNumber),
            Map.entry("eth_getBlockTransactionCountByHash", this::txCountByHash),
            Map.entry("eth_getLogs", this::getLogs));
  }

  /**
   * Runs {@code method} with positional {@code params} (a JSON array, or null for none).
   *
   * @throws RpcException with go-ethereum's code and message
   */
  public JsonNode call(String method, JsonNode params) {
    Function<Params, JsonNode> m = methods.get(method);
    if (m == null) {
      throw RpcException.methodNotFound(method);
    }
    if (params != null && !params.isNull() && !params.isArray()) {
      throw RpcException.invalidParams("non-array args");
    }
    return m.apply(new Params(params));
  }

  /** Whether {@code method} exists. */
  public boolean supports(String method) {
    return methods.containsKey(method);
  }

  private static JsonNode text(Params ignored, String s) {
    return TextNode.valueOf(s);
  }

  // ------------------------------------------------------------------ chain and fees

  private JsonNode syncing(Params p) {
    return backend
        .syncing()
        .<JsonNode>map(
            s -> {
              ObjectNode o = EthJson.F.objectNode();
              o.put("startingBlock", Hex.quantity(s.startingBlock()));
              o.put("currentBlock", Hex.quantity(s.currentBlock()));
              o.put("highestBlock", Hex.quantity(s.highestBlock()));
              return o;
            })
        .orElse(BooleanNode.FALSE);
  }

  private BigInteger gasPrice() {
    return backend.nextBaseFee().add(config.suggestedTip());
  }

  private JsonNode feeHistory(Params p) {
    p.atMost(3);
    long count = Math.min(p.longOrDecimal(0), MAX_FEE_HISTORY);
    long newest = number(p.block(1), 1);
    List<Double> percentiles = new ArrayList<>();
    if (p.has(2)) {
      JsonNode arr = p.node(2);
      if (!arr.isArray()) {
        throw RpcException.invalidArgument(2, "expected an array of numbers");
      }
      for (JsonNode n : arr) {
        if (!n.isNumber()) {
          throw RpcException.invalidArgument(2, "expected an array of numbers");
        }
        double v = n.doubleValue();
        if (v < 0 || v > 100) {
          throw RpcException.invalidParams("invalid reward percentile: " + v);
        }
        if (!percentiles.isEmpty() && v < percentiles.getLast()) {
          throw RpcException.invalidParams(
              "invalid reward percentile: #"
                  + (percentiles.size() - 1)
                  + ":"
                  + percentiles.getLast()
                  + " > #"
                  + percentiles.size()
                  + ":"
                  + v);
        }
        percentiles.add(v);
      }
    }
    ObjectNode o = EthJson.F.objectNode();
    if (count == 0) {
      o.put("oldestBlock", "0x0");
      return o;
    }
    long oldest = Math.max(0, newest - count + 1);
    ArrayNode baseFees = EthJson.F.arrayNode();
    ArrayNode ratios = EthJson.F.arrayNode();
    ArrayNode rewards = EthJson.F.arrayNode();
    EthBlock last = null;
    for (long n = oldest; n <= newest; n++) {
      EthBlock b = backend.block(n).orElseThrow(() -> RpcException.server("header not found"));
      baseFees.add(Hex.quantity(b.baseFeePerGas()));
      ratios.add((double) b.gasUsed() / b.gasLimit());
      if (!percentiles.isEmpty()) {
        rewards.add(rewards(b, percentiles));
      }
      last = b;
    }
    EthBlock head = backend.head();
    baseFees.add(
        Hex.quantity(
            last.number() == head.number() ? backend.nextBaseFee() : nextAfter(last.number())));
    o.put("oldestBlock", Hex.quantity(oldest));
    if (!percentiles.isEmpty()) {
      o.set("reward", rewards);
    }
    o.set("baseFeePerGas", baseFees);
    o.set("gasUsedRatio", ratios);
    return o;
  }

  private BigInteger nextAfter(long number) {
    return backend.block(number + 1).orElseThrow().baseFeePerGas();
  }

  /** go-ethereum's reward percentiles: tips sorted ascending, weighted by gas used. */
  private ArrayNode rewards(EthBlock b, List<Double> percentiles) {
    ArrayNode out = EthJson.F.arrayNode();
    List<Receipt> receipts = backend.receipts(b.number());
    if (receipts.isEmpty()) {
      percentiles.forEach(x -> out.add("0x0"));
      return out;
    }
    record Tip(BigInteger tip, long gas) {}
    List<Tip> tips = new ArrayList<>();
    for (Receipt r : receipts) {
      tips.add(
          new Tip(
              r.effectiveGasPrice().subtract(b.baseFeePerGas()).max(BigInteger.ZERO), r.gasUsed()));
    }
    tips.sort(Comparator.comparing(Tip::tip));
    int i = 0;
    long sum = tips.getFirst().gas();
    for (double pct : percentiles) {
      double threshold = b.gasUsed() * pct / 100;
      while (sum < threshold && i < tips.size() - 1) {
        i++;
        sum += tips.get(i).gas();
      }
      out.add(Hex.quantity(tips.get(i).tip()));
    }
    return out;
  }

  // ------------------------------------------------------------------ state

  /**
   * Resolves a block parameter to a block number (pending = latest); null if the hash is unknown.
   */
  private long number(BlockTag tag, int argIndex) {
    return switch (tag) {
      case BlockTag.Latest l -> backend.head().number();
      case BlockTag.Pending pd -> backend.head().number();
      case BlockTag.Earliest e -> 0;
      case BlockTag.Number n -> n.number();
      case BlockTag.Hash h ->
          backend
              .block(h.hash())
              .map(EthBlock::number)
              .orElseThrow(() -> RpcException.server("header for hash not found"));
    };
  }

  private <T> T atState(
      BlockTag tag, int argIndex, java.util.function.BiFunction<EthBlock, Executor, T> body) {
    return backend.withState(number(tag, argIndex), body);
  }

  private JsonNode getBalance(Params p) {
    p.atMost(2);
    Address a = p.address(0);
    return TextNode.valueOf(Hex.quantity(atState(p.blockOrLatest(1), 1, (b, s) -> s.balance(a))));
  }

  private JsonNode getTransactionCount(Params p) {
    p.atMost(2);
    Address a = p.address(0);
    BlockTag tag = p.blockOrLatest(1);
    long nonce = atState(tag, 1, (b, s) -> s.nonce(a));
    if (tag instanceof BlockTag.Pending) {
      nonce = backend.pendingNonce(a, nonce);
    }
    return TextNode.valueOf(Hex.quantity(nonce));
  }

  private JsonNode getCode(Params p) {
    p.atMost(2);
    Address a = p.address(0);
    return TextNode.valueOf(Hex.data(atState(p.blockOrLatest(1), 1, (b, s) -> s.code(a))));
  }

  private JsonNode getStorageAt(Params p) {
    p.atMost(3);
    Address a = p.address(0);
    Bytes32 slot = p.slot(1);
    return TextNode.valueOf(Hex.data(atState(p.blockOrLatest(2), 2, (b, s) -> s.storage(a, slot))));
  }

  /**
   * Most storage keys one eth_getProof call may ask for (go-ethereum has no limit; we bound work).
   */
  static final int MAX_PROOF_KEYS = 1024;

  /** EIP-1186: the account and storage slots with their Merkle-Patricia proofs. */
  private JsonNode getProof(Params p) {
    p.atMost(3);
    Address a = p.address(0);
    JsonNode keysNode = p.node(1);
    if (!keysNode.isArray()) {
      throw RpcException.invalidArgument(1, "expected an array of storage keys");
    }
    if (keysNode.size() > MAX_PROOF_KEYS) {
      throw RpcException.invalidArgument(
          1, "at most " + MAX_PROOF_KEYS + " storage keys, got " + keysNode.size());
    }
    Params keyParams = new Params(keysNode);
    List<Bytes32> keys = new java.util.ArrayList<>();
    for (int i = 0; i < keysNode.size(); i++) {
      keys.add(keyParams.slot(i));
    }
    var proof = atState(p.block(2), 2, (b, s) -> s.proof(b.stateRoot(), a, keys));
    ObjectNode o = EthJson.F.objectNode();
    o.put("address", Hex.data(a.bytes()));
    o.set("accountProof", hexArray(proof.accountProof()));
    o.put("balance", Hex.quantity(proof.balance()));
    o.put("codeHash", Hex.data(proof.codeHash()));
    o.put("nonce", Hex.quantity(proof.nonce()));
    o.put("storageHash", Hex.data(proof.storageHash()));
    var slots = EthJson.F.arrayNode();
    for (var sp : proof.storageProof()) {
      ObjectNode so = EthJson.F.objectNode();
      so.put("key", Hex.data(sp.key()));
      so.put("value", Hex.quantity(sp.value().toUnsignedBigInteger()));
      so.set("proof", hexArray(sp.proof()));
      slots.add(so);
    }
    o.set("storageProof", slots);
    return o;
  }

  /**
   * The consensus header at a height with its commit certificate (RLP, specs/consensus.md), or
   * null: what a light client or a cross-chain relayer needs besides eth_getProof. The header of
   * height h commits to the state after EVM block h - 1 ({@code appHash}).
   */
  private JsonNode getCertifiedHeader(Params p) {
    p.atMost(1);
    long height = number(p.block(0), 0);
    return backend
        .certifiedBlock(height)
        .<JsonNode>map(
            b -> {
              ObjectNode o = EthJson.F.objectNode();
              var h = b.block().header();
              o.put("height", Hex.quantity(h.height()));
              o.put("chainId", h.chainId());
              o.put("hash", Hex.data(h.hash()));
              o.put("appHash", Hex.data(h.appHash()));
              o.put("validatorsHash", Hex.data(h.validatorsHash()));
              o.put(
                  "header",
                  Hex.data(
                      io.axivon.common.codec.Rlp.encode(
                          io.axivon.consensus.types.BlockHeader.CODEC, h)));
              o.put(
                  "certificate",
                  Hex.data(
                      io.axivon.common.codec.Rlp.encode(
                          io.axivon.consensus.types.CommitCertificate.CODEC, b.commit())));
              return o;
            })
        .orElse(com.fasterxml.jackson.databind.node.NullNode.getInstance());
  }

  private static JsonNode hexArray(List<Bytes> nodes) {
    var arr = EthJson.F.arrayNode();
    nodes.forEach(n -> arr.add(Hex.data(n)));
    return arr;
  }

  // ------------------------------------------------------------------ transactions

  private JsonNode sendRawTransaction(Params p) {
    p.atMost(1);
    Bytes raw = p.data(0);
    try {
      backend.decode(raw); // kept decoded for the mempool's check
    } catch (InvalidInputException e) {
      throw RpcException.server(e.getMessage());
    }
    AddResult r = backend.submit(raw);
    return switch (r) {
      case AddResult.Added a -> TextNode.valueOf(Hex.data(a.hash()));
      case AddResult.Duplicate d -> throw RpcException.server(TxErrors.ALREADY_KNOWN);
      case AddResult.Rejected rej -> throw RpcException.server(rej.reason());
    };
  }

  private JsonNode getTransactionByHash(Params p) {
    p.atMost(1);
    Bytes32 hash = p.hash(0);
    Optional<TxLocation> at = backend.location(hash);
    if (at.isPresent()) {
      EthBlock b = backend.block(at.get().blockNumber()).orElseThrow();
      return minedTx(
          b, at.get().index(), backend.transactions(b.number()), backend.receipts(b.number()));
    }
    Optional<Bytes> pending = backend.pendingTransaction(hash);
    if (pending.isEmpty()) {
      return NullNode.instance;
    }
    Transaction tx = TxCodec.decode(pending.get());
    Address from = TxSigner.recoverSender(tx, backend.chainId());
    return EthJson.transaction(tx, from, hash, null);
  }

  private static ObjectNode minedTx(
      EthBlock b, int index, List<Bytes> raws, List<Receipt> receipts) {
    Bytes raw = raws.get(index);
    Receipt r = receipts.get(index);
    return EthJson.transaction(
        TxCodec.decode(raw), r.from(), r.txHash(), new EthJson.Position(b, index));
  }

  private JsonNode getTransactionReceipt(Params p) {
    p.atMost(1);
    Bytes32 hash = p.hash(0);
    Optional<TxLocation> at = backend.location(hash);
    if (at.isEmpty()) {
      return NullNode.instance;
    }
    EthBlock b = backend.block(at.get().blockNumber()).orElseThrow();
    Receipt r = backend.receipts(b.number()).get(at.get().index());
    return EthJson.receipt(r, b, at.get().index());
  }

  /**
   * Every receipt of one block, as go-ethereum answers it: the block by number or tag, by a bare
   * 32-byte hash, or as an EIP-1898 object; {@code null} for an unknown block. One call instead of
   * one per transaction (what indexers and {@code axivon export} want).
   */
  private JsonNode getBlockReceipts(Params p) {
    p.atMost(1);
    JsonNode arg = p.node(0);
    BlockTag tag =
        arg.isTextual() && arg.textValue().length() == 66
            ? new BlockTag.Hash(p.hash(0))
            : p.block(0);
    Optional<EthBlock> block = blockByTag(tag);
    if (block.isEmpty()) {
      return NullNode.instance;
    }
    EthBlock b = block.get();
    List<Receipt> receipts = backend.receipts(b.number());
    ArrayNode out = EthJson.F.arrayNode();
    for (int i = 0; i < receipts.size(); i++) {
      out.add(EthJson.receipt(receipts.get(i), b, i));
    }
    return out;
  }

  // ------------------------------------------------------------------ blocks

  private Optional<EthBlock> blockByTag(BlockTag tag) {
    return switch (tag) {
      case BlockTag.Latest l -> Optional.of(backend.head());
      case BlockTag.Pending pd -> Optional.of(backend.head());
      case BlockTag.Earliest e -> backend.block(0);
      case BlockTag.Number n -> backend.block(n.number());
      case BlockTag.Hash h -> backend.block(h.hash());
    };
  }

  private JsonNode getBlockByNumber(Params p) {
    p.atMost(2);
    BlockTag tag = p.block(0);
    boolean full = p.bool(1);
    return blockByTag(tag).<JsonNode>map(b -> blockJson(b, full)).orElse(NullNode.instance);
  }

  private JsonNode getBlockByHash(Params p) {
    p.atMost(2);
    Bytes32 hash = p.hash(0);
    boolean full = p.bool(1);
    return backend.block(hash).<JsonNode>map(b -> blockJson(b, full)).orElse(NullNode.instance);
  }

  private JsonNode blockJson(EthBlock b, boolean full) {
    List<Bytes> raws = backend.transactions(b.number());
    ArrayNode txs = EthJson.F.arrayNode();
    if (full) {
      List<Receipt> receipts = backend.receipts(b.number());
      for (int i = 0; i < raws.size(); i++) {
        txs.add(minedTx(b, i, raws, receipts));
      }
    } else {
      b.transactionHashes().forEach(h -> txs.add(Hex.data(h)));
    }
    return EthJson.block(b, txs, raws);
  }

  private JsonNode txCountByNumber(Params p) {
    p.atMost(1);
    return blockByTag(p.block(0))
        .<JsonNode>map(b -> TextNode.valueOf(Hex.quantity(b.transactionHashes().size())))
        .orElse(NullNode.instance);
  }

  private JsonNode txCountByHash(Params p) {
    p.atMost(1);
    return backend
        .block(p.hash(0))
        .<JsonNode>map(b -> TextNode.valueOf(Hex.quantity(b.transactionHashes().size())))
        .orElse(NullNode.instance);
  }

  // ------------------------------------------------------------------ logs

  private JsonNode getLogs(Params p) {
    p.atMost(1);
    LogFilter f;
    try {
      f = LogFilter.parse(p.node(0));
    } catch (Hex.HexException e) {
      throw RpcException.invalidArgument(0, e.getMessage());
    }
    long from;
    long to;
    if (f.blockHash().isPresent()) {
      EthBlock b =
          backend
              .block(f.blockHash().get())
              .orElseThrow(() -> RpcException.server("unknown block"));
      from = b.number();
      to = b.number();
    } else {
      long head = backend.head().number();
      from = f.fromBlock().map(t -> number(t, 0)).orElse(head);
      to = Math.min(f.toBlock().map(t -> number(t, 0)).orElse(head), head);
      if (from > head) {
        return EthJson.F.arrayNode();
      }
      if (from > to) {
        throw RpcException.server("invalid block range params");
      }
      if (to - from + 1 > config.maxLogsBlockRange()) {
        throw new RpcException(
            RpcException.LIMIT_EXCEEDED,
            "block range too large: "
                + (to - from + 1)
                + " blocks, limit "
                + config.maxLogsBlockRange());
      }
    }
    ArrayNode out = EthJson.F.arrayNode();
    for (long n = from; n <= to; n++) {
      EthBlock b = backend.block(n).orElseThrow();
      if (b.transactionHashes().isEmpty() || !f.mayMatch(b.logsBloom())) {
        continue;
      }
      List<Receipt> receipts = backend.receipts(n);
      for (int i = 0; i < receipts.size(); i++) {
        Receipt r = receipts.get(i);
        List<Log> logs = r.logs();
        for (int j = 0; j < logs.size(); j++) {
          if (f.matches(logs.get(j))) {
            if (out.size() >= config.maxLogsResults()) {
              throw new RpcException(
                  RpcException.LIMIT_EXCEEDED,
                  "query returned more than " + config.maxLogsResults() + " results");
            }
            out.add(EthJson.log(logs.get(j), b, r.txHash(), i, r.firstLogIndex() + j));
          }
        }
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ calls

  private JsonNode ethCall(Params p) {
    p.atMost(3);
    CallArgs args = CallArgs.parse(p.node(0), 0);
    BlockTag tag = p.blockOrLatest(1);
    if (p.has(2)) {
      throw RpcException.invalidArgument(2, "state overrides are not supported");
    }
    MessageResult r =
        atState(
            tag,
            1,
            (b, s) -> {
              long gas = Math.min(args.gas().orElse(b.gasLimit()), config.gasCap());
              return run(args, b, s, gas);
            });
    return TextNode.valueOf(Hex.data(outcome(r)));
  }

  /** The return data of a successful run; go-ethereum's errors otherwise. */
  private static Bytes outcome(MessageResult r) {
    return switch (r.status()) {
      case SUCCESS -> r.returnData();
      case REVERTED -> throw RpcException.reverted(r.returnData());
      case FAILED -> throw RpcException.server(r.error());
    };
  }

  private static long intrinsicGas(CallArgs a) {
    boolean create = a.to().isEmpty();
    long gas = create ? IntrinsicGas.TX_CREATE : IntrinsicGas.TX;
    Bytes d = a.data();
    for (int i = 0; i < d.size(); i++) {
      gas += d.get(i) == 0 ? IntrinsicGas.ZERO_BYTE : IntrinsicGas.NONZERO_BYTE;
    }
    if (create) {
      gas += IntrinsicGas.INITCODE_WORD * ((d.size() + 31L) / 32);
    }
    for (AccessTuple t : a.accessList()) {
      gas +=
          IntrinsicGas.ACCESS_LIST_ADDRESS
              + IntrinsicGas.ACCESS_LIST_STORAGE_KEY * t.storageKeys().size();
    }
    return gas;
  }

  /**
   * Runs a call with {@code gas} on a throw-away copy of the state at block {@code b}, as
   * go-ethereum applies a message: intrinsic gas first, then the EVM; balance checked for gas *
   * price + value. The gas used is {@code gas - result.gasLeft()}.
   */
  private MessageResult run(CallArgs a, EthBlock b, Executor s, long gas) {
    return run(a, b, s, gas, false);
  }

  /** As above; {@code withRefund} also reads the refund counter (one more libevm call). */
  private MessageResult run(CallArgs a, EthBlock b, Executor s, long gas, boolean withRefund) {
    Address from = a.from().orElse(CallArgs.ZERO);
    long intrinsic = intrinsicGas(a);
    if (gas < intrinsic) {
      throw RpcException.server(
          TxErrors.INTRINSIC_GAS + ": gas " + gas + ", minimum needed " + intrinsic);
    }
    BigInteger price = a.price(b.baseFeePerGas());
    // A free call moving no value needs no balance: skip the read (a JNA call) on the hot path.
    BigInteger balance =
        price.signum() == 0 && a.value().signum() == 0 ? BigInteger.ZERO : s.balance(from);
    BigInteger want = price.multiply(BigInteger.valueOf(gas)).add(a.value());
    if (price.signum() > 0 && balance.compareTo(want) < 0) {
      throw RpcException.server(
          TxErrors.INSUFFICIENT_FUNDS + ": address " + from + " have " + balance + " want " + want);
    }
    if (a.value().signum() > 0 && balance.compareTo(a.value()) < 0) {
      throw RpcException.server(TxErrors.INSUFFICIENT_FUNDS_FOR_TRANSFER + ": address " + from);
    }
    BlockEnv env =
        new BlockEnv(
            backend.chainId(),
            b.number(),
            b.timestamp(),
            b.miner(),
            b.gasLimit(),
            b.baseFeePerGas(),
            b.mixHash());
    Message m =
        new Message(from, a.to(), a.value(), a.data(), gas - intrinsic, price, a.accessList());
    return withRefund ? s.speculate(x -> x.run(m, env)) : s.call(m, env);
  }

  private JsonNode estimateGas(Params p) {
    p.atMost(3);
    CallArgs args = CallArgs.parse(p.node(0), 0);
    BlockTag tag = p.blockOrLatest(1);
    if (p.has(2)) {
      throw RpcException.invalidArgument(2, "state overrides are not supported");
    }
    long estimate =
        atState(
            tag,
            1,
            (b, s) -> {
              long hi = Math.min(args.gas().orElse(b.gasLimit()), config.gasCap());
              Address from = args.from().orElse(CallArgs.ZERO);
              BigInteger price = args.price(b.baseFeePerGas());
              if (price.signum() > 0) { // what the balance can pay for caps the search
                BigInteger left = s.balance(from).subtract(args.value());
                if (left.signum() < 0) {
                  throw RpcException.server(TxErrors.INSUFFICIENT_FUNDS_FOR_TRANSFER);
                }
                BigInteger allowance = left.divide(price);
                if (allowance.compareTo(BigInteger.valueOf(hi)) < 0) {
                  hi = allowance.longValue();
                }
              }
              return estimate(args, b, s, hi);
            });
    return TextNode.valueOf(Hex.quantity(estimate));
  }

  /** go-ethereum's search: run at the cap, then bisect between the gas used and the cap. */
  private long estimate(CallArgs a, EthBlock b, Executor s, long cap) {
    long intrinsic = intrinsicGas(a);
    if (cap < intrinsic) {
      throw RpcException.server("gas required exceeds allowance (" + cap + ")");
    }
    MessageResult top = run(a, b, s, cap, true);
    if (!top.success()) {
      if (top.status() == MessageResult.Status.REVERTED) {
        throw RpcException.reverted(top.returnData());
      }
      throw RpcException.server("gas required exceeds allowance (" + cap + ")");
    }
    long used = cap - top.gasLeft(); // intrinsic + execution, before refunds
    if (used == intrinsic) {
      return intrinsic; // no code ran (a plain transfer): exactly the intrinsic gas
    }
    long lo = used - 1;
    long hi = cap;
    long optimistic = (used + top.refund() + CALL_STIPEND) * 64 / 63;
    if (optimistic < hi) {
      if (run(a, b, s, optimistic).success()) {
        hi = optimistic;
      } else {
        lo = optimistic;
      }
    }
    while (lo + 1 < hi) {
      if ((double) (hi - lo) / hi < ESTIMATE_ERROR_RATIO) {
        break;
      }
      long mid = lo + (hi - lo) / 2;
      if (mid > lo * 2) {
        mid = lo * 2; // most calls need little: search low first, as go-ethereum does
      }
      if (run(a, b, s, mid).success()) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return hi;
  }
}
