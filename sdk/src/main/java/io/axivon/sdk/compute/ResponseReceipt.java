package io.axivon.sdk.compute;

import io.axivon.common.InvalidInputException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.apache.tuweni.bytes.Bytes32;

/**
 * What a {@code signed-response} provider signs for each answer (EIP-712 struct {@code Response},
 * specs/compute.md section 8): the request it answers (user, provider, service, nonce, the fee the
 * user signed, the request hash), the hash of the response body it delivered and the output units
 * it metered for it. Two different receipts for one request, or a receipt metering more units than
 * its body has, are evidence the serving module charges the provider's bond for.
 */
public record ResponseReceipt(
    io.axivon.common.crypto.secp256k1.Address user,
    io.axivon.common.crypto.secp256k1.Address provider,
    String service,
    BigInteger nonce,
    BigInteger fee,
    Bytes32 requestHash,
    Bytes32 responseHash,
    BigInteger outputUnits) {
  public static final String TYPE =
      "Response(address user,address provider,string service,uint256 nonce,uint256 fee,"
          + "bytes32 requestHash,bytes32 responseHash,uint256 outputUnits)";
  public static final Bytes32 TYPE_HASH = Eip712.typeHash(TYPE);

  public ResponseReceipt {
    if (user == null
        || provider == null
        || service == null
        || requestHash == null
        || responseHash == null) {
      throw new InvalidInputException(
          "receipt user, provider, service, requestHash and responseHash are required");
    }
    ServingRequest.checkService("receipt", service);
    ServingRequest.checkUint256("receipt", "nonce", nonce);
    ServingRequest.checkUint256("receipt", "fee", fee);
    ServingRequest.checkUint256("receipt", "outputUnits", outputUnits);
  }

  /** The receipt of the answer to {@code r}. */
  public static ResponseReceipt of(ServingRequest r, Bytes32 responseHash, long outputUnits) {
    return new ResponseReceipt(
        r.user(),
        r.provider(),
        r.service(),
        r.nonce(),
        r.fee(),
        r.requestHash(),
        responseHash,
        BigInteger.valueOf(outputUnits));
  }

  /** Whether {@code other} answers the same request: user, provider, service, nonce, hash. */
  public boolean sameRequest(ResponseReceipt other) {
    return user.equals(other.user)
        && provider.equals(other.provider)
        && service.equals(other.service)
        && nonce.equals(other.nonce)
        && requestHash.equals(other.requestHash);
  }

  /** {@code hashStruct(Response)}. */
  public Bytes32 structHash() {
    List<Bytes32> words =
        new ArrayList<>(ServingRequest.words(user, provider, service, nonce, fee, requestHash));
    words.add(responseHash);
    words.add(Eip712.uint(outputUnits));
    return Eip712.hashStruct(TYPE_HASH, words);
  }

  /** The digest the provider signs under {@code domainSeparator}. */
  public Bytes32 digest(Bytes32 domainSeparator) {
    return Eip712.digest(domainSeparator, structHash());
  }
}
