package io.axivon.sdk.eth;

import io.axivon.common.crypto.secp256k1.Address;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;

/**
 * The call object of {@code eth_call} and {@code eth_estimateGas}.
 *
 * @param from the sender, if it matters to the callee
 * @param to the callee
 * @param value wei sent with the call
 * @param data calldata
 */
public record CallRequest(Optional<Address> from, Address to, BigInteger value, Bytes data) {
  public CallRequest {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(data, "data");
  }

  /** A read-only call without sender or value. */
  public static CallRequest of(Address to, Bytes data) {
    return new CallRequest(Optional.empty(), to, BigInteger.ZERO, data);
  }

  Map<String, String> toJson() {
    Map<String, String> m = new LinkedHashMap<>();
    from.ifPresent(f -> m.put("from", f.toLowerHex()));
    m.put("to", to.toLowerHex());
    if (value.signum() != 0) {
      m.put("value", EthHex.quantity(value));
    }
    m.put("data", data.toHexString());
    return m;
  }
}
