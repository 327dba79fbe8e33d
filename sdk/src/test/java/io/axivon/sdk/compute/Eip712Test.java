package io.axivon.sdk.compute;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.common.crypto.secp256k1.Secp256k1Signature;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;

class Eip712Test {
  private static final Bytes32 PERSON = Eip712.typeHash("Person(string name,address wallet)");
  private static final Bytes32 MAIL =
      Eip712.typeHash(
          "Mail(Person from,Person to,string contents)Person(string name,address wallet)");

  private static Bytes32 person(String name, String wallet) {
    return Eip712.hashStruct(
        PERSON, List.of(Eip712.string(name), Eip712.address(Address.fromHex(wallet))));
  }

  private static final Bytes32 MAIL_DOMAIN =
      Eip712.domainSeparator(
          "Ether Mail",
          "1",
          BigInteger.ONE,
          Address.fromHex("0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"));

  private static final Bytes32 MAIL_STRUCT =
      Eip712.hashStruct(
          MAIL,
          List.of(
              person("Cow", "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"),
              person("Bob", "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"),
              Eip712.string("Hello, Bob!")));

  @Test
  void mailExampleOfTheEipGivesItsPublishedHashes() {
    assertThat(MAIL_DOMAIN.toHexString())
        .isEqualTo("0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f");
    assertThat(MAIL_STRUCT.toHexString())
        .isEqualTo("0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e");
    assertThat(Eip712.digest(MAIL_DOMAIN, MAIL_STRUCT).toHexString())
        .isEqualTo("0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2");
  }

  @Test
  void mailExampleSignatureOfTheEipRecoversToCow() {
    Bytes32 digest = Eip712.digest(MAIL_DOMAIN, MAIL_STRUCT);
    Secp256k1Signature published =
        new Secp256k1Signature(
            Bytes32.fromHexString(
                "0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d"),
            Bytes32.fromHexString(
                "0x07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562"),
            1);
    Secp256k1PrivateKey cow =
        Secp256k1PrivateKey.fromBytes(
            Hashes.keccak256(Bytes.wrap("cow".getBytes(StandardCharsets.US_ASCII))));
    assertThat(cow.address())
        .isEqualTo(Address.fromHex("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"));
    assertThat(Secp256k1.recover(digest, published).address()).isEqualTo(cow.address());
    // RFC 6979 signing is deterministic: the EIP's signature is the one we produce.
    assertThat(cow.sign(digest)).isEqualTo(published);
  }

  /**
   * Pins the request digest (a regression guard: any change of type string, domain or encoding
   * breaks every signature already made). Not cross-checked with web3j's StructuredDataEncoder: its
   * 5.0.0 release fails on uint256 message fields ("no constructor exists for Uint256").
   */
  @Test
  void requestDigestIsPinned() {
    ServingRequest r =
        new ServingRequest(
            Address.fromHex("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"),
            Address.fromHex("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"),
            "llama-3-8b",
            BigInteger.valueOf(7),
            new BigInteger("123456789012345678901234567890"),
            Hashes.keccak256(Bytes.wrap("body".getBytes(StandardCharsets.US_ASCII))));
    assertThat(ServingRequest.TYPE_HASH)
        .isEqualTo(
            Hashes.keccak256(
                Bytes.wrap(
                    ("Request(address user,address provider,string service,uint256 nonce,"
                            + "uint256 fee,bytes32 requestHash)")
                        .getBytes(StandardCharsets.US_ASCII))));
    assertThat(r.digest(ServingDomain.of(12700)).toHexString())
        .isEqualTo("0x0323d312c1c12da0b8d883cfdad3013b383bc0956dd6127a77bd31084387fee5");
  }
}
