package io.axivon.sdk.eth;

import com.fasterxml.jackson.databind.JsonNode;
import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.secp256k1.Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * An EVM log as {@code eth_getLogs} and receipts return it.
 *
 * @param address the emitting contract
 * @param topics topic 0 (the event signature for non-anonymous events), then indexed arguments
 * @param data the ABI-encoded non-indexed arguments
 */
public record Log(
    Address address,
    List<Bytes32> topics,
    Bytes data,
    long blockNumber,
    Bytes32 blockHash,
    Bytes32 transactionHash,
    long transactionIndex,
    long logIndex,
    boolean removed) {
  public Log {
    Objects.requireNonNull(address, "address");
    topics = List.copyOf(topics);
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(blockHash, "blockHash");
    Objects.requireNonNull(transactionHash, "transactionHash");
  }

  /**
   * Reads a log object of a JSON-RPC answer.
   *
   * @throws InvalidInputException naming the field that is missing or malformed
   */
  public static Log fromJson(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new InvalidInputException("a log must be a JSON object, got " + json);
    }
    JsonNode topicsJson = json.get("topics");
    if (topicsJson == null || !topicsJson.isArray()) {
      throw new InvalidInputException("log has no topics array: " + json);
    }
    List<Bytes32> topics = new ArrayList<>(topicsJson.size());
    for (JsonNode t : topicsJson) {
      topics.add(EthHex.parseBytes32(t.asText(null), "log topic"));
    }
    return new Log(
        Address.fromHex(text(json, "address").toLowerCase(java.util.Locale.ROOT)),
        topics,
        EthHex.parseBytes(text(json, "data"), "log data"),
        EthHex.parseLong(text(json, "blockNumber"), "log blockNumber"),
        EthHex.parseBytes32(text(json, "blockHash"), "log blockHash"),
        EthHex.parseBytes32(text(json, "transactionHash"), "log transactionHash"),
        EthHex.parseLong(text(json, "transactionIndex"), "log transactionIndex"),
        EthHex.parseLong(text(json, "logIndex"), "log logIndex"),
        json.path("removed").asBoolean(false));
  }

  static String text(JsonNode json, String field) {
    JsonNode v = json.get(field);
    if (v == null || !v.isTextual()) {
      throw new InvalidInputException("missing or non-string field '" + field + "' in " + json);
    }
    return v.asText();
  }
}
