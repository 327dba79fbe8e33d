package io.axivon.sdk.compute;

import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * EIP-712 typed-data hashing: {@code hashStruct(s) = keccak256(typeHash ‖ encodeData(s))} and the
 * signed digest {@code keccak256(0x19 0x01 ‖ domainSeparator ‖ hashStruct(message))}.
 *
 * <p>Computed directly with keccak256 rather than web3j's {@code StructuredDataEncoder}: that class
 * (web3j crypto 5.0.0) takes a JSON document and re-parses the type graph on every call, too slow
 * for the chain's settlement path, which hashes one fixed struct per request. Callers build the
 * field words with {@link #address}, {@link #uint}, {@link #string} and nested {@link #hashStruct}
 * results; the tests check the EIP's own Mail example against its published digest.
 */
public final class Eip712 {
  /** {@code EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)}. */
  public static final String DOMAIN_TYPE =
      "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)";

  public static final Bytes32 DOMAIN_TYPE_HASH = typeHash(DOMAIN_TYPE);

  private static final Bytes PREFIX = Bytes.fromHexString("0x1901");

  private Eip712() {}

  /** keccak256 of the encoded type, e.g. {@code Mail(Person from,Person to,string contents)…}. */
  public static Bytes32 typeHash(String encodedType) {
    return Hashes.keccak256(Bytes.wrap(encodedType.getBytes(StandardCharsets.UTF_8)));
  }

  /** {@code keccak256(typeHash ‖ field words)}. */
  public static Bytes32 hashStruct(Bytes32 typeHash, List<Bytes32> fields) {
    Bytes[] parts = new Bytes[fields.size() + 1];
    parts[0] = typeHash;
    for (int i = 0; i < fields.size(); i++) {
      parts[i + 1] = fields.get(i);
    }
    return Hashes.keccak256(Bytes.concatenate(parts));
  }

  /** The domain separator of {@link #DOMAIN_TYPE}. */
  public static Bytes32 domainSeparator(
      String name, String version, BigInteger chainId, Address verifyingContract) {
    return hashStruct(
        DOMAIN_TYPE_HASH,
        List.of(string(name), string(version), uint(chainId), address(verifyingContract)));
  }

  /** What is signed: {@code keccak256(0x1901 ‖ domainSeparator ‖ structHash)}. */
  public static Bytes32 digest(Bytes32 domainSeparator, Bytes32 structHash) {
    return Hashes.keccak256(Bytes.concatenate(PREFIX, domainSeparator, structHash));
  }

  /** A string field: keccak256 of its UTF-8 bytes. */
  public static Bytes32 string(String value) {
    return Hashes.keccak256(Bytes.wrap(value.getBytes(StandardCharsets.UTF_8)));
  }

  /** An address field: left-padded to 32 bytes. */
  public static Bytes32 address(Address value) {
    return Bytes32.leftPad(value.bytes());
  }

  /** A uint256 field: big-endian, left-padded. */
  public static Bytes32 uint(BigInteger value) {
    if (value.signum() < 0 || value.bitLength() > 256) {
      throw new IllegalArgumentException("not a uint256: " + value);
    }
    return Bytes32.leftPad(Bytes.wrap(value.toByteArray()).trimLeadingZeros());
  }
}
