package io.axivon.sdk.eth;

import com.fasterxml.jackson.databind.JsonNode;
import io.axivon.common.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A transaction receipt ({@code eth_getTransactionReceipt}).
 *
 * @param success {@code status == 1}; false when the transaction reverted
 */
public record Receipt(
    Bytes32 transactionHash,
    long blockNumber,
    Bytes32 blockHash,
    boolean success,
    long gasUsed,
    List<Log> logs) {
  public Receipt {
    Objects.requireNonNull(transactionHash, "transactionHash");
    Objects.requireNonNull(blockHash, "blockHash");
    logs = List.copyOf(logs);
  }

  /** Reads a receipt object; the message names the field that is wrong. */
  public static Receipt fromJson(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new InvalidInputException("a receipt must be a JSON object, got " + json);
    }
    JsonNode logsJson = json.get("logs");
    if (logsJson == null || !logsJson.isArray()) {
      throw new InvalidInputException("receipt has no logs array");
    }
    List<Log> logs = new ArrayList<>(logsJson.size());
    logsJson.forEach(l -> logs.add(Log.fromJson(l)));
    long status = EthHex.parseLong(Log.text(json, "status"), "receipt status");
    if (status > 1) {
      throw new InvalidInputException("receipt status must be 0x0 or 0x1, got " + status);
    }
    return new Receipt(
        EthHex.parseBytes32(Log.text(json, "transactionHash"), "receipt transactionHash"),
        EthHex.parseLong(Log.text(json, "blockNumber"), "receipt blockNumber"),
        EthHex.parseBytes32(Log.text(json, "blockHash"), "receipt blockHash"),
        status == 1,
        EthHex.parseLong(Log.text(json, "gasUsed"), "receipt gasUsed"),
        logs);
  }
}
