package io.axivon.consensus.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import io.axivon.common.crypto.secp256k1.Address;
import java.math.BigInteger;
import java.util.Optional;
import java.util.function.Function;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Positional parameters of one call, read with go-ethereum's checks and messages: "missing value
 * for required argument N", "too many arguments, want at most N", "invalid argument N: why".
 */
final class Params {
  private final JsonNode array;

  /** {@code params}: a JSON array, or null/missing for none. */
  Params(JsonNode params) {
    this.array = params;
  }

  int size() {
    return array == null || array.isNull() ? 0 : array.size();
  }

  /** Fails when more than {@code max} arguments were given. */
  Params atMost(int max) {
    if (size() > max) {
      throw RpcException.invalidParams("too many arguments, want at most " + max);
    }
    return this;
  }

  /** Whether argument {@code i} is present and not null. */
  boolean has(int i) {
    return i < size() && !array.get(i).isNull();
  }

  JsonNode node(int i) {
    if (!has(i)) {
      throw RpcException.invalidParams("missing value for required argument " + i);
    }
    return array.get(i);
  }

  String string(int i) {
    JsonNode n = node(i);
    if (!n.isTextual()) {
      throw RpcException.invalidArgument(i, "expected a JSON string, got " + n.getNodeType());
    }
    return n.textValue();
  }

  Bytes data(int i) {
    String s = string(i);
    try {
      return Hex.parseData(s);
    } catch (Hex.HexException e) {
      throw RpcException.invalidArgument(i, e.getMessage());
    }
  }

  Address address(int i) {
    String s = string(i);
    try {
      return Hex.parseAddress(s);
    } catch (Hex.HexException e) {
      throw RpcException.invalidArgument(i, e.getMessage());
    }
  }

  Bytes32 hash(int i) {
    String s = string(i);
    try {
      return Hex.parseHash(s);
    } catch (Hex.HexException e) {
      throw RpcException.invalidArgument(i, e.getMessage());
    }
  }

  /** A storage slot: a quantity or 32-byte data, as go-ethereum's decodeHash (up to 32 bytes). */
  Bytes32 slot(int i) {
    String s = string(i);
    try {
      String digits = s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
      if (digits.length() > 64) {
        throw new Hex.HexException("hex string too long, want at most 32 bytes");
      }
      if (digits.length() % 2 == 1) {
        digits = "0" + digits;
      }
      return Bytes32.leftPad(Hex.parseData("0x" + digits));
    } catch (Hex.HexException e) {
      throw RpcException.invalidArgument(i, e.getMessage());
    }
  }

  boolean bool(int i) {
    JsonNode n = node(i);
    if (!n.isBoolean()) {
      throw RpcException.invalidArgument(i, "expected a JSON boolean, got " + n.getNodeType());
    }
    return n.booleanValue();
  }

  /** A block tag, number, or EIP-1898 object ({"blockNumber": ...} or {"blockHash": ...}). */
  BlockTag block(int i) {
    return blockTag(node(i), i);
  }

  /** Argument {@code i} as a block tag, {@code latest} when absent. */
  BlockTag blockOrLatest(int i) {
    return has(i) ? block(i) : BlockTag.LATEST;
  }

  static BlockTag blockTag(JsonNode n, int i) {
    try {
      if (n.isTextual()) {
        return BlockTag.parse(n.textValue());
      }
      if (n.isObject()) {
        JsonNode num = n.get("blockNumber");
        JsonNode hash = n.get("blockHash");
        if (num != null && hash != null) {
          throw RpcException.invalidArgument(i, "cannot specify both BlockHash and BlockNumber");
        }
        if (hash != null && hash.isTextual()) {
          return new BlockTag.Hash(Hex.parseHash(hash.textValue()));
        }
        if (num != null && num.isTextual()) {
          return BlockTag.parse(num.textValue());
        }
      }
    } catch (Hex.HexException e) {
      throw RpcException.invalidArgument(i, e.getMessage());
    }
    throw RpcException.invalidArgument(i, "invalid block number or tag: " + n);
  }

  /** A quantity given as hex, or (as go-ethereum's HexOrDecimal64) a decimal JSON number. */
  long longOrDecimal(int i) {
    JsonNode n = node(i);
    if (n.isIntegralNumber() && n.canConvertToLong() && n.longValue() >= 0) {
      return n.longValue();
    }
    if (n.isTextual()) {
      try {
        return n.textValue().startsWith("0x") || n.textValue().startsWith("0X")
            ? Hex.parseLong(n.textValue())
            : Long.parseUnsignedLong(n.textValue());
      } catch (Hex.HexException e) {
        throw RpcException.invalidArgument(i, e.getMessage());
      } catch (NumberFormatException e) {
        throw RpcException.invalidArgument(i, "invalid number " + n.textValue());
      }
    }
    throw RpcException.invalidArgument(i, "expected a number, got " + n);
  }

  /** Reads field {@code name} of an object argument as a quantity; empty when absent or null. */
  static Optional<BigInteger> quantityField(JsonNode obj, String name, int i) {
    return hexField(obj, name, i, Hex::parseQuantity);
  }

  /** Reads field {@code name} of an object argument as hex data; empty when absent or null. */
  static Optional<Bytes> dataField(JsonNode obj, String name, int i) {
    return hexField(obj, name, i, Hex::parseData);
  }

  /** Reads field {@code name} of an object argument as an address; empty when absent or null. */
  static Optional<Address> addressField(JsonNode obj, String name, int i) {
    return hexField(obj, name, i, Hex::parseAddress);
  }

  private static <T> Optional<T> hexField(
      JsonNode obj, String name, int i, Function<String, T> parse) {
    JsonNode f = obj.get(name);
    if (f == null || f.isNull()) {
      return Optional.empty();
    }
    if (!f.isTextual()) {
      throw RpcException.invalidArgument(i, "field " + name + ": expected a hex string");
    }
    try {
      return Optional.of(parse.apply(f.textValue()));
    } catch (Hex.HexException e) {
      throw RpcException.invalidArgument(i, "field " + name + ": " + e.getMessage());
    }
  }
}
