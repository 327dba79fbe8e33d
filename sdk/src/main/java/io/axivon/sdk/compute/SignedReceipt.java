package io.axivon.sdk.compute;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.common.crypto.secp256k1.Secp256k1Signature;
import org.apache.tuweni.bytes.Bytes32;

/** A {@link ResponseReceipt} with the provider's secp256k1 signature over its EIP-712 digest. */
public record SignedReceipt(ResponseReceipt receipt, Secp256k1Signature signature) {
  public SignedReceipt {
    if (receipt == null || signature == null) {
      throw new InvalidInputException("signed receipt needs a receipt and a signature");
    }
  }

  /**
   * Signs {@code receipt} as its provider.
   *
   * @throws InvalidInputException if the key is not the receipt's provider
   */
  public static SignedReceipt sign(
      ResponseReceipt receipt, Bytes32 domainSeparator, Secp256k1PrivateKey key) {
    if (!key.address().equals(receipt.provider())) {
      throw new InvalidInputException(
          "key of " + key.address() + " cannot sign a receipt of provider " + receipt.provider());
    }
    return new SignedReceipt(receipt, key.sign(receipt.digest(domainSeparator)));
  }

  /** The address that signed the digest under {@code domainSeparator}. */
  public Address signer(Bytes32 domainSeparator) {
    return Secp256k1.recoverAddress(receipt.digest(domainSeparator), signature);
  }

  /** Whether the receipt's provider signed it under {@code domainSeparator}. */
  public boolean verify(Bytes32 domainSeparator) {
    try {
      return signer(domainSeparator).equals(receipt.provider());
    } catch (InvalidInputException e) {
      return false;
    }
  }
}
