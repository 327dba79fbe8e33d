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
    checkService("request", service);
    checkUint256("request", "nonce", nonce);
    checkUint256("request", "fee", fee);
  }

  // Shared with ResponseReceipt, whose struct begins with Request's fields: "what" names the
  // struct in the messages ("request", "receipt").

  /** Checks a service name is 1 to {@link #MAX_SERVICE_BYTES} UTF-8 bytes. */
  static void checkService(String what, String service) {
    int len = service.getBytes(StandardCharsets.UTF_8).length;
    if (len == 0 || len > MAX_SERVICE_BYTES) {
      throw new InvalidInputException(
          what + " service name must be 1 to " + MAX_SERVICE_BYTES + " bytes, got " + len);
    }
  }

  /** Checks {@code v} is a uint256. */
  static void checkUint256(String what, String name, BigInteger v) {
    if (v == null || v.signum() < 0 || v.bitLength() > 256) {
      throw new InvalidInputException(what + " " + name + " must be a uint256, got " + v);
    }
  }

  /** The EIP-712 words of Request's fields, in order (Response's struct starts with them). */
  static List<Bytes32> words(
      Address user,
      Address provider,
      String service,
      BigInteger nonce,
      BigInteger fee,
      Bytes32 requestHash) {
    return List.of(
        Eip712.address(user),
        Eip712.address(provider),
        Eip712.string(service),
        Eip712.uint(nonce),
        Eip712.uint(fee),
        requestHash);
  }

  /** {@code hashStruct(Request)}. */
  public Bytes32 structHash() {
    return Eip712.hashStruct(TYPE_HASH, words(user, provider, service, nonce, fee, requestHash));
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
