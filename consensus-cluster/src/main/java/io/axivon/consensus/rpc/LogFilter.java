package io.axivon.consensus.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.execution.block.Bloom;
import io.axivon.consensus.execution.evm.Log;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * An eth_getLogs filter: a block range or one block hash, addresses (any of), and per topic
 * position a set of accepted values (any of; empty = wildcard), as go-ethereum's FilterCriteria.
 */
record LogFilter(
    Optional<BlockTag> fromBlock,
    Optional<BlockTag> toBlock,
    Optional<Bytes32> blockHash,
    List<Address> addresses,
    List<List<Bytes32>> topics) {
  /** go-ethereum's limit on topic positions (LOG4). */
  static final int MAX_TOPICS = 4;

  static LogFilter parse(JsonNode o) {
    if (!o.isObject()) {
      throw RpcException.invalidArgument(0, "filter must be a JSON object");
    }
    Optional<BlockTag> from = tag(o, "fromBlock");
    Optional<BlockTag> to = tag(o, "toBlock");
    Optional<Bytes32> hash = Optional.empty();
    JsonNode h = o.get("blockHash");
    if (h != null && !h.isNull()) {
      if (from.isPresent() || to.isPresent()) {
        throw RpcException.invalidArgument(
            0, "cannot specify both BlockHash and FromBlock/ToBlock, choose one or the other");
      }
      hash = Optional.of(Hex.parseHash(text(h, "blockHash")));
    }
    List<Address> addresses = new ArrayList<>();
    JsonNode a = o.get("address");
    if (a != null && !a.isNull()) {
      if (a.isArray()) {
        for (JsonNode e : a) {
          addresses.add(Hex.parseAddress(text(e, "address")));
        }
      } else {
        addresses.add(Hex.parseAddress(text(a, "address")));
      }
    }
    List<List<Bytes32>> topics = new ArrayList<>();
    JsonNode t = o.get("topics");
    if (t != null && !t.isNull()) {
      if (!t.isArray()) {
        throw RpcException.invalidArgument(0, "topics must be an array");
      }
      if (t.size() > MAX_TOPICS) {
        throw RpcException.invalidArgument(0, "exceed max topics");
      }
      for (JsonNode pos : t) {
        List<Bytes32> any = new ArrayList<>();
        if (pos.isArray()) {
          for (JsonNode e : pos) {
            if (e.isNull()) { // a null among the alternatives matches anything
              any.clear();
              break;
            }
            any.add(Hex.parseHash(text(e, "topic")));
          }
        } else if (!pos.isNull()) {
          any.add(Hex.parseHash(text(pos, "topic")));
        }
        topics.add(any);
      }
    }
    return new LogFilter(from, to, hash, addresses, topics);
  }

  private static Optional<BlockTag> tag(JsonNode o, String name) {
    JsonNode n = o.get(name);
    if (n == null || n.isNull()) {
      return Optional.empty();
    }
    return Optional.of(BlockTag.parse(text(n, name)));
  }

  private static String text(JsonNode n, String what) {
    if (!n.isTextual()) {
      throw RpcException.invalidArgument(0, what + ": expected a hex string, got " + n);
    }
    return n.textValue();
  }

  /** False when the block's bloom proves no log of it can match. */
  boolean mayMatch(Bytes bloom) {
    if (!addresses.isEmpty()
        && addresses.stream().noneMatch(a -> Bloom.mayContain(bloom, a.bytes()))) {
      return false;
    }
    for (List<Bytes32> any : topics) {
      if (!any.isEmpty() && any.stream().noneMatch(t -> Bloom.mayContain(bloom, t))) {
        return false;
      }
    }
    return true;
  }

  boolean matches(Log log) {
    if (!addresses.isEmpty() && !addresses.contains(log.address())) {
      return false;
    }
    if (topics.size() > log.topics().size()) {
      return false;
    }
    for (int i = 0; i < topics.size(); i++) {
      List<Bytes32> any = topics.get(i);
      if (!any.isEmpty() && !any.contains(log.topics().get(i))) {
        return false;
      }
    }
    return true;
  }
}
