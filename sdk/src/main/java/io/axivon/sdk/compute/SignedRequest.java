package io.axivon.sdk.compute;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.common.crypto.secp256k1.Secp256k1Signature;
import org.apache.tuweni.bytes.Bytes32;

/** A {@link ServingRequest} with the user's secp256k1 signature over its EIP-712 digest. */
public record SignedRequest(ServingRequest request, Secp256k1Signature signature) {
  public SignedRequest {
    if (request == null || signature == null) {
      throw new InvalidInputException("signed request needs a request and a signature");
    }
  }

  /**
   * Signs {@code request} with {@code key}.
   *
   * @throws InvalidInputException if the key is not the request's user
   */
  public static SignedRequest sign(
      ServingRequest request, ServingDomain domain, Secp256k1PrivateKey key) {
    if (!key.address().equals(request.user())) {
      throw new InvalidInputException(
          "key of " + key.address() + " cannot sign a request of user " + request.user());
    }
    return new SignedRequest(request, key.sign(request.digest(domain)));
  }

  /** The address that signed the digest under {@code domainSeparator}. */
  public Address signer(Bytes32 domainSeparator) {
    return Secp256k1.recoverAddress(request.digest(domainSeparator), signature);
  }

  /** Whether the request's user signed it in {@code domain}. */
  public boolean verify(ServingDomain domain) {
    return verify(domain.separator());
  }

  /** Whether the request's user signed it under {@code domainSeparator}. */
  public boolean verify(Bytes32 domainSeparator) {
    try {
      return signer(domainSeparator).equals(request.user());
    } catch (InvalidInputException e) {
      return false;
    }
  }
}
