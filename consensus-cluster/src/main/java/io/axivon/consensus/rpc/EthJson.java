package io.axivon.consensus.rpc;

import static io.axivon.consensus.rpc.Hex.address;
import static io.axivon.consensus.rpc.Hex.data;
import static io.axivon.consensus.rpc.Hex.quantity;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.execution.block.EthBlock;
import io.axivon.consensus.execution.block.Receipt;
import io.axivon.consensus.execution.evm.Log;
import io.axivon.consensus.execution.tx.AccessTuple;
import io.axivon.consensus.execution.tx.LegacyTransaction;
import io.axivon.consensus.execution.tx.Transaction;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.apache.tuweni.rlp.RLP;

/**
 * go-ethereum's JSON shapes for blocks, transactions, receipts and logs (ethapi's RPCTransaction,
 * RPCMarshalBlock, MarshalReceipt; types.Log), field for field, so that ethers, viem and web3j
 * parse them.
 */
final class EthJson {
  static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** keccak256(rlp([])): the hash of an empty uncle list. */
  static final Bytes32 EMPTY_UNCLES = Hashes.keccak256(RLP.encodeList(w -> {}));

  /** Root of the empty trie (Shanghai's withdrawalsRoot with no withdrawals). */
  static final Bytes32 EMPTY_TRIE =
      Bytes32.fromHexString("0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");

  private static final String EIGHT_ZERO_BYTES = "0x0000000000000000";

  private EthJson() {}

  /** Where a transaction sits: its block, or none for a pending one. */
  record Position(EthBlock block, int index) {}

  static ObjectNode transaction(Transaction tx, Address from, Bytes32 hash, Position at) {
    ObjectNode o = F.objectNode();
    o.put("blockHash", at == null ? null : data(at.block().hash()));
    o.put("blockNumber", at == null ? null : quantity(at.block().number()));
    o.put("from", address(from));
    o.put("gas", quantity(tx.gasLimit()));
    // Mined typed-2 transactions show the price paid; pending ones their fee cap (as geth).
    BigInteger price =
        tx.type() == 2 && at != null
            ? tx.effectiveGasPrice(at.block().baseFeePerGas())
            : tx.maxFeePerGas();
    o.put("gasPrice", quantity(price));
    if (tx.type() == 2) {
      o.put("maxFeePerGas", quantity(tx.maxFeePerGas()));
      o.put("maxPriorityFeePerGas", quantity(tx.maxPriorityFeePerGas()));
    }
    o.put("hash", data(hash));
    o.put("input", data(tx.data()));
    o.put("nonce", quantity(tx.nonce()));
    o.put("to", tx.to().map(Hex::address).orElse(null));
    o.put("transactionIndex", at == null ? null : quantity(at.index()));
    o.put("value", quantity(tx.value()));
    o.put("type", quantity(tx.type()));
    if (tx.type() != 0) {
      o.set("accessList", accessList(tx.accessList()));
    }
    if (tx.chainId().isPresent()) {
      o.put("chainId", quantity(tx.chainId().getAsLong()));
    }
    if (tx instanceof LegacyTransaction legacy) {
      o.put("v", quantity(legacy.v()));
    } else {
      o.put("v", quantity(tx.signature().yParity()));
    }
    o.put("r", quantity(tx.signature().r()));
    o.put("s", quantity(tx.signature().s()));
    if (tx.type() != 0) {
      o.put("yParity", quantity(tx.signature().yParity()));
    }
    return o;
  }

  static ArrayNode accessList(List<AccessTuple> list) {
    ArrayNode a = F.arrayNode();
    for (AccessTuple t : list) {
      ObjectNode e = a.addObject();
      e.put("address", address(t.address()));
      ArrayNode keys = e.putArray("storageKeys");
      t.storageKeys().forEach(k -> keys.add(data(k)));
    }
    return a;
  }

  static ObjectNode receipt(Receipt r, EthBlock block, int index) {
    ObjectNode o = F.objectNode();
    o.put("blockHash", data(block.hash()));
    o.put("blockNumber", quantity(block.number()));
    o.put("contractAddress", r.contractAddress().map(Hex::address).orElse(null));
    o.put("cumulativeGasUsed", quantity(r.cumulativeGasUsed()));
    o.put("effectiveGasPrice", quantity(r.effectiveGasPrice()));
    o.put("from", address(r.from()));
    o.put("gasUsed", quantity(r.gasUsed()));
    o.set("logs", logs(r, block, index));
    o.put("logsBloom", data(r.logsBloom()));
    o.put("status", quantity(r.success() ? 1 : 0));
    o.put("to", r.to().map(Hex::address).orElse(null));
    o.put("transactionHash", data(r.txHash()));
    o.put("transactionIndex", quantity(index));
    o.put("type", quantity(r.type()));
    return o;
  }

  static ArrayNode logs(Receipt r, EthBlock block, int index) {
    ArrayNode a = F.arrayNode();
    List<Log> logs = r.logs();
    for (int i = 0; i < logs.size(); i++) {
      a.add(log(logs.get(i), block, r.txHash(), index, r.firstLogIndex() + i));
    }
    return a;
  }

  static ObjectNode log(Log l, EthBlock block, Bytes32 txHash, int txIndex, int logIndex) {
    ObjectNode o = F.objectNode();
    o.put("address", address(l.address()));
    ArrayNode topics = o.putArray("topics");
    l.topics().forEach(t -> topics.add(data(t)));
    o.put("data", data(l.data()));
    o.put("blockNumber", quantity(block.number()));
    o.put("transactionHash", data(txHash));
    o.put("transactionIndex", quantity(txIndex));
    o.put("blockHash", data(block.hash()));
    o.put("logIndex", quantity(logIndex));
    o.put("removed", false);
    return o;
  }

  /**
   * A block; {@code transactions} holds hashes (as text) or full transaction objects. Proof-of-work
   * fields carry their post-merge constants; Shanghai's withdrawals are always empty.
   */
  static ObjectNode block(EthBlock b, ArrayNode transactions, List<Bytes> rawTxs) {
    ObjectNode o = F.objectNode();
    o.put("baseFeePerGas", quantity(b.baseFeePerGas()));
    o.put("difficulty", "0x0");
    o.put("extraData", "0x");
    o.put("gasLimit", quantity(b.gasLimit()));
    o.put("gasUsed", quantity(b.gasUsed()));
    o.put("hash", data(b.hash()));
    o.put("logsBloom", data(b.logsBloom()));
    o.put("miner", address(b.miner()));
    o.put("mixHash", data(b.mixHash()));
    o.put("nonce", EIGHT_ZERO_BYTES);
    o.put("number", quantity(b.number()));
    o.put("parentHash", data(b.parentHash()));
    o.put("receiptsRoot", data(b.receiptsRoot()));
    o.put("sha3Uncles", data(EMPTY_UNCLES));
    o.put("size", quantity(size(b, rawTxs)));
    o.put("stateRoot", data(b.stateRoot()));
    o.put("timestamp", quantity(b.timestamp()));
    o.set("transactions", transactions);
    o.put("transactionsRoot", data(b.transactionsRoot()));
    o.putArray("uncles");
    o.putArray("withdrawals");
    o.put("withdrawalsRoot", data(EMPTY_TRIE));
    return o;
  }

  /**
   * The RLP size of the block as Ethereum would encode it (Shanghai header with these fields,
   * transactions, no uncles, no withdrawals): what "size" means to clients.
   */
  static long size(EthBlock b, List<Bytes> rawTxs) {
    Bytes header =
        RLP.encodeList(
            w -> {
              w.writeValue(b.parentHash());
              w.writeValue(EMPTY_UNCLES);
              w.writeValue(b.miner().bytes());
              w.writeValue(b.stateRoot());
              w.writeValue(b.transactionsRoot());
              w.writeValue(b.receiptsRoot());
              w.writeValue(b.logsBloom());
              w.writeValue(Bytes.EMPTY); // difficulty
              w.writeLong(b.number());
              w.writeLong(b.gasLimit());
              w.writeLong(b.gasUsed());
              w.writeLong(b.timestamp());
              w.writeValue(Bytes.EMPTY); // extraData
              w.writeValue(b.mixHash());
              w.writeValue(Bytes.wrap(new byte[8])); // nonce
              w.writeBigInteger(b.baseFeePerGas());
              w.writeValue(EMPTY_TRIE);
            });
    List<Bytes> items = new ArrayList<>(rawTxs);
    return RLP.encodeList(
            w -> {
              w.writeRLP(header);
              w.writeList(
                  t -> {
                    for (Bytes raw : items) {
                      // typed transactions are carried as RLP strings, legacy ones as lists
                      if ((raw.get(0) & 0xff) >= 0xc0) {
                        t.writeRLP(raw);
                      } else {
                        t.writeValue(raw);
                      }
                    }
                  });
              w.writeList(u -> {});
              w.writeList(u -> {});
            })
        .size();
  }
}
