package io.axivon.sdk.compute;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.secp256k1.Address;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.tuweni.bytes.Bytes32;

/**
 * One paid request as the user signs it (EIP-712 struct {@code Request}): who pays, which
 * provider's service, the request's nonce in the (user, provider) sequence, the fee it authorises
 * and the hash of the request body.
 */
public record ServingRequest(
    Address user,
    Address provider,
    String service,
    BigInteger nonce,
    BigInteger fee,
    Bytes32 requestHash) {
  public static final String TYPE =
      "Request(address user,address provider,string service,uint256 nonce,uint256 fee,"
          + "bytes32 requestHash)";
  public static final Bytes32 TYPE_HASH = Eip712.typeHash(TYPE);

  /** Longest service name in bytes (the module refuses longer names). */
  public static final int MAX_SERVICE_BYTES = 64;

  public ServingRequest {
    if (user == null || provider == null || service == null || requestHash == null) {
      throw new InvalidInputException(
          "request user, provider, service and requestHash are required");
    }
    int len = service.getBytes(StandardCharsets.UTF_8).length;
    if (len == 0 || len > MAX_SERVICE_BYTES) {
      throw new InvalidInputException(
          "request service name must be 1 to " + MAX_SERVICE_BYTES + " bytes, got " + len);
    }
    uint256("nonce", nonce);
    uint256("fee", fee);
  }

  private static void uint256(String name, BigInteger v) {
    if (v == null || v.signum() < 0 || v.bitLength() > 256) {
      throw new InvalidInputException("request " + name + " must be a uint256, got " + v);
    }
  }

  /** {@code hashStruct(Request)}. */
  public Bytes32 structHash() {
    return Eip712.hashStruct(
        TYPE_HASH,
        List.of(
            Eip712.address(user),
            Eip712.address(provider),
            Eip712.string(service),
            Eip712.uint(nonce),
            Eip712.uint(fee),
            requestHash));
  }

  /** The digest the user signs in {@code domain}. */
  public Bytes32 digest(ServingDomain domain) {
    return digest(domain.separator());
  }

  /** The digest with a precomputed domain separator (the hot path hashes it once). */
  public Bytes32 digest(Bytes32 domainSeparator) {
    return Eip712.digest(domainSeparator, structHash());
  }
}
