package io.axivon.consensus.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.execution.tx.AccessTuple;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/** The transaction object of eth_call and eth_estimateGas (go-ethereum's TransactionArgs). */
record CallArgs(
    Optional<Address> from,
    Optional<Address> to,
    Optional<Long> gas,
    Optional<BigInteger> gasPrice,
    Optional<BigInteger> maxFeePerGas,
    Optional<BigInteger> maxPriorityFeePerGas,
    BigInteger value,
    Bytes data,
    List<AccessTuple> accessList) {
  static final Address ZERO = new Address(Bytes.wrap(new byte[Address.SIZE]));

  static CallArgs parse(JsonNode o, int i) {
    if (!o.isObject()) {
      throw RpcException.invalidArgument(i, "transaction must be a JSON object");
    }
    Optional<Bytes> data = Params.dataField(o, "data", i);
    Optional<Bytes> input = Params.dataField(o, "input", i);
    if (data.isPresent() && input.isPresent() && !data.equals(input)) {
      throw RpcException.invalidArgument(
          i,
          "both \"data\" and \"input\" are set and not equal. Please use \"input\" to pass"
              + " transaction call data");
    }
    Optional<BigInteger> gas = Params.quantityField(o, "gas", i);
    if (gas.isPresent() && gas.get().bitLength() > 63) {
      throw RpcException.invalidArgument(i, "field gas: hex number > 64 bits");
    }
    Optional<BigInteger> gasPrice = Params.quantityField(o, "gasPrice", i);
    Optional<BigInteger> maxFee = Params.quantityField(o, "maxFeePerGas", i);
    Optional<BigInteger> maxTip = Params.quantityField(o, "maxPriorityFeePerGas", i);
    if (gasPrice.isPresent() && (maxFee.isPresent() || maxTip.isPresent())) {
      throw RpcException.invalidParams(
          "both gasPrice and (maxFeePerGas or maxPriorityFeePerGas) specified");
    }
    return new CallArgs(
        Params.addressField(o, "from", i),
        Params.addressField(o, "to", i),
        gas.map(BigInteger::longValue),
        gasPrice,
        maxFee,
        maxTip,
        Params.quantityField(o, "value", i).orElse(BigInteger.ZERO),
        input.or(() -> data).orElse(Bytes.EMPTY),
        accessList(o.get("accessList"), i));
  }

  private static List<AccessTuple> accessList(JsonNode a, int i) {
    List<AccessTuple> out = new ArrayList<>();
    if (a == null || a.isNull()) {
      return out;
    }
    if (!a.isArray()) {
      throw RpcException.invalidArgument(i, "field accessList: expected an array");
    }
    for (JsonNode e : a) {
      Address addr =
          Params.addressField(e, "address", i)
              .orElseThrow(
                  () -> RpcException.invalidArgument(i, "field accessList: address missing"));
      List<Bytes32> keys = new ArrayList<>();
      JsonNode k = e.get("storageKeys");
      if (k != null && k.isArray()) {
        for (JsonNode key : k) {
          if (!key.isTextual()) {
            throw RpcException.invalidArgument(i, "field accessList: storage key not a string");
          }
          try {
            keys.add(Hex.parseHash(key.textValue()));
          } catch (Hex.HexException ex) {
            throw RpcException.invalidArgument(i, "field accessList: " + ex.getMessage());
          }
        }
      }
      out.add(new AccessTuple(addr, keys));
    }
    return out;
  }

  /** The price the message runs at (GASPRICE): go-ethereum's rules for calls, 0 when unset. */
  BigInteger price(BigInteger baseFee) {
    if (gasPrice.isPresent()) {
      return gasPrice.get();
    }
    if (maxFeePerGas.isEmpty() && maxPriorityFeePerGas.isEmpty()) {
      return BigInteger.ZERO;
    }
    BigInteger tip = maxPriorityFeePerGas.orElse(BigInteger.ZERO);
    BigInteger cap = maxFeePerGas.orElse(baseFee.add(tip));
    return cap.min(baseFee.add(tip));
  }
}
