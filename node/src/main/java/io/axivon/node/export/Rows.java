package io.axivon.node.export;

import com.fasterxml.jackson.databind.JsonNode;
import io.axivon.common.InvalidInputException;
import io.axivon.consensus.execution.da.DataAvailabilityModule;
import io.axivon.consensus.execution.flow.FlowModule;
import io.axivon.consensus.execution.system.Abi;
import io.axivon.sdk.eth.EthHex;
import io.axivon.sdk.eth.Log;
import io.axivon.sdk.storage.FlowAbi;
import io.axivon.sdk.storage.SubmitEvent;
import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Turns one block as JSON-RPC gives it (with full transactions) and its receipts into rows of the
 * export tables. Pure: no I/O but the sink. A malformed answer is an {@link InvalidInputException}
 * naming the block and field.
 */
final class Rows {
  /** Where rows go: one call per row, values in the table's column order. */
  interface Sink {
    void row(TableSchema table, Object... values) throws IOException;
  }

  static final String DA_ADDRESS = DataAvailabilityModule.ADDRESS.toLowerHex();
  static final String FLOW_ADDRESS = FlowModule.ADDRESS.toLowerHex();
  static final String BLOB_CERTIFIED_TOPIC =
      Abi.eventTopic(DataAvailabilityModule.BLOB_CERTIFIED).toHexString();
  static final String SUBMIT_TOPIC = FlowAbi.SUBMIT_TOPIC.toHexString();

  private Rows() {}

  /**
   * Emits the block's row, its transactions' rows, their logs' rows and the DA and flow events.
   *
   * @param receipts the receipt of each transaction, in block order
   */
  static void block(JsonNode block, List<JsonNode> receipts, Sink sink) throws IOException {
    long number = EthHex.parseLong(text(block, "number", "block"), "block number");
    String where = "block " + number;
    JsonNode txs = block.get("transactions");
    if (txs == null || !txs.isArray()) {
      throw new InvalidInputException(where + " has no transactions array");
    }
    if (receipts.size() != txs.size()) {
      throw new InvalidInputException(
          where + " has " + txs.size() + " transactions but " + receipts.size() + " receipts");
    }
    String blockHash = hex(block, "hash", where);
    sink.row(
        Tables.BLOCKS,
        number,
        blockHash,
        hex(block, "parentHash", where),
        quantity(block, "timestamp", where),
        hex(block, "miner", where),
        quantity(block, "gasUsed", where),
        quantity(block, "gasLimit", where),
        block.hasNonNull("baseFeePerGas") ? decimal(block, "baseFeePerGas", where) : null,
        (long) txs.size(),
        hex(block, "stateRoot", where),
        hex(block, "transactionsRoot", where),
        hex(block, "receiptsRoot", where),
        block.hasNonNull("size") ? quantity(block, "size", where) : null);
    for (int i = 0; i < txs.size(); i++) {
      transaction(number, blockHash, i, txs.get(i), receipts.get(i), sink);
    }
  }

  private static void transaction(
      long number, String blockHash, int index, JsonNode tx, JsonNode receipt, Sink sink)
      throws IOException {
    if (!tx.isObject()) {
      throw new InvalidInputException(
          "block " + number + " lists transaction hashes; the export needs full transactions");
    }
    String hash = hex(tx, "hash", "block " + number + " transaction " + index);
    String where = "transaction " + hash;
    if (receipt == null || !receipt.isObject()) {
      throw new InvalidInputException("no receipt for " + where);
    }
    if (!hash.equals(hex(receipt, "transactionHash", "receipt of " + where))
        || !blockHash.equals(hex(receipt, "blockHash", "receipt of " + where))) {
      throw new InvalidInputException(
          "the receipt of " + where + " is for another transaction or block");
    }
    String input = hex(tx, "input", where);
    long inputSize = (input.length() - 2) / 2;
    sink.row(
        Tables.TRANSACTIONS,
        number,
        (long) index,
        hash,
        hex(tx, "from", where),
        tx.hasNonNull("to") ? hex(tx, "to", where) : null,
        quantity(tx, "nonce", where),
        decimal(tx, "value", where),
        quantity(tx, "gas", where),
        decimal(tx, "gasPrice", where),
        tx.hasNonNull("maxFeePerGas") ? decimal(tx, "maxFeePerGas", where) : null,
        tx.hasNonNull("maxPriorityFeePerGas") ? decimal(tx, "maxPriorityFeePerGas", where) : null,
        tx.hasNonNull("type") ? quantity(tx, "type", where) : 0L,
        inputSize,
        inputSize >= 4 ? input.substring(0, 10) : null,
        quantity(receipt, "status", where + " receipt") == 1,
        quantity(receipt, "gasUsed", where + " receipt"),
        quantity(receipt, "cumulativeGasUsed", where + " receipt"),
        decimal(receipt, "effectiveGasPrice", where + " receipt"),
        receipt.hasNonNull("contractAddress")
            ? hex(receipt, "contractAddress", where + " receipt")
            : null);
    JsonNode logs = receipt.get("logs");
    if (logs == null || !logs.isArray()) {
      throw new InvalidInputException("the receipt of " + where + " has no logs array");
    }
    for (JsonNode log : logs) {
      log(number, hash, index, log, sink);
    }
  }

  private static void log(long number, String txHash, int txIndex, JsonNode log, Sink sink)
      throws IOException {
    String where = "a log of transaction " + txHash;
    JsonNode topics = log.get("topics");
    if (topics == null || !topics.isArray() || topics.size() > 4) {
      throw new InvalidInputException(where + " has no array of at most 4 topics");
    }
    String[] t = new String[4];
    for (int i = 0; i < topics.size(); i++) {
      t[i] = lowerHex(topics.get(i), where + " topic " + i);
    }
    long logIndex = quantity(log, "logIndex", where);
    String address = hex(log, "address", where);
    sink.row(
        Tables.LOGS,
        number,
        txHash,
        (long) txIndex,
        logIndex,
        address,
        t[0],
        t[1],
        t[2],
        t[3],
        hex(log, "data", where));
    if (address.equals(DA_ADDRESS) && BLOB_CERTIFIED_TOPIC.equals(t[0])) {
      blobCertified(number, txHash, logIndex, t, hex(log, "data", where), sink);
    } else if (address.equals(FLOW_ADDRESS) && SUBMIT_TOPIC.equals(t[0])) {
      SubmitEvent e = FlowAbi.decodeSubmit(Log.fromJson(log));
      sink.row(
          Tables.STORAGE_SUBMISSIONS,
          number,
          txHash,
          logIndex,
          e.submissionIndex(),
          e.sender().toLowerHex(),
          e.root().toHexString(),
          e.identity().toHexString(),
          e.submission().length(),
          e.startPos(),
          e.length(),
          e.submission().tags().toHexString());
    }
  }

  /**
   * {@code BlobCertified(bytes32 indexed dataRoot, uint64 epoch, uint64 quorumId, address indexed
   * disperser, uint64 size)}: topics [sig, dataRoot, disperser], data (epoch, quorumId, size).
   */
  private static void blobCertified(
      long number, String txHash, long logIndex, String[] topics, String data, Sink sink)
      throws IOException {
    String where = "BlobCertified log " + logIndex + " of block " + number;
    if (topics[1] == null || topics[2] == null || topics[3] != null) {
      throw new InvalidInputException(where + " must have 3 topics");
    }
    Bytes words = Bytes.fromHexString(data);
    if (words.size() != 96) {
      throw new InvalidInputException(where + " has " + words.size() + " data bytes, not 96");
    }
    Bytes32 disperser = Bytes32.fromHexString(topics[2]);
    sink.row(
        Tables.DA_BLOBS,
        number,
        txHash,
        logIndex,
        topics[1],
        disperser.slice(12).toHexString(),
        uint64(words, 0, where + " epoch"),
        uint64(words, 1, where + " quorum id"),
        uint64(words, 2, where + " size"));
  }

  private static long uint64(Bytes words, int word, String what) {
    Bytes w = words.slice(32 * word, 32);
    if (!w.slice(0, 24).isZero() || (w.get(24) & 0x80) != 0) {
      throw new InvalidInputException(what + " does not fit in 63 bits");
    }
    return w.slice(24).toLong();
  }

  private static String text(JsonNode o, String field, String where) {
    JsonNode v = o.get(field);
    if (v == null || !v.isTextual()) {
      throw new InvalidInputException(where + " has no string field '" + field + "'");
    }
    return v.asText();
  }

  /** A hex data field (hash, address, bytes), lowercase. */
  private static String hex(JsonNode o, String field, String where) {
    JsonNode v = o.get(field);
    if (v == null) {
      throw new InvalidInputException(where + " has no field '" + field + "'");
    }
    return lowerHex(v, where + " " + field);
  }

  private static String lowerHex(JsonNode v, String what) {
    String s = v.isTextual() ? v.asText() : null;
    if (s == null || !s.startsWith("0x") || (s.length() & 1) != 0) {
      throw new InvalidInputException(what + " is not 0x-prefixed hex data: " + v);
    }
    return s.toLowerCase(Locale.ROOT);
  }

  private static long quantity(JsonNode o, String field, String where) {
    return EthHex.parseLong(text(o, field, where), where + " " + field);
  }

  private static String decimal(JsonNode o, String field, String where) {
    BigInteger v = EthHex.parseBig(text(o, field, where), where + " " + field);
    return v.toString();
  }
}
