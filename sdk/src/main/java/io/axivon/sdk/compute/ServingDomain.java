package io.axivon.sdk.compute;

import io.axivon.common.crypto.secp256k1.Address;
import java.math.BigInteger;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The EIP-712 domain of compute requests: name {@code AxivonServing}, version {@code 1}, the chain
 * id of chain 0 and the serving module's address as verifying contract (specs/compute.md).
 */
public record ServingDomain(BigInteger chainId, Address verifyingContract) {
  public static final String NAME = "AxivonServing";
  public static final String VERSION = "1";

  /** The serving system module on chain 0: {@code 0x…1005}. */
  public static final Address SERVING_ADDRESS =
      new Address(Bytes.fromHexString("0x" + "00".repeat(18) + "1005"));

  public ServingDomain {
    if (chainId == null || chainId.signum() < 0 || chainId.bitLength() > 256) {
      throw new IllegalArgumentException("chainId must be a uint256");
    }
    if (verifyingContract == null) {
      throw new IllegalArgumentException("verifyingContract is required");
    }
  }

  /** The domain of the serving module on the chain with this id. */
  public static ServingDomain of(long chainId) {
    return new ServingDomain(BigInteger.valueOf(chainId), SERVING_ADDRESS);
  }

  public Bytes32 separator() {
    return Eip712.domainSeparator(NAME, VERSION, chainId, verifyingContract);
  }
}
