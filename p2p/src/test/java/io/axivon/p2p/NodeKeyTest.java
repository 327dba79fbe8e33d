package io.axivon.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import java.nio.charset.StandardCharsets;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;

class NodeKeyTest {

  @Test
  void fromSeedRebuildsTheSameKeyPair() {
    NodeKey key = NodeKey.generate();
    NodeKey again = NodeKey.fromSeed(key.seed());
    assertThat(again.id()).isEqualTo(key.id());
    byte[] message = "hello".getBytes(StandardCharsets.UTF_8);
    assertThat(NodeKey.verify(key.id(), message, again.sign(message))).isTrue();
  }

  @Test
  void rfc8032TestVector1() {
    // RFC 8032 section 7.1, TEST 1: the public key and the signature of the empty message
    NodeKey key =
        NodeKey.fromSeed(
            Bytes32.fromHexString(
                "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    assertThat(key.id().toHex())
        .isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    assertThat(org.apache.tuweni.bytes.Bytes.wrap(key.sign(new byte[0])).toUnprefixedHexString())
        .isEqualTo(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  }

  @Test
  void verifyRejectsWrongMessageKeyOrSignature() {
    NodeKey a = NodeKey.generate();
    NodeKey b = NodeKey.generate();
    byte[] message = {1, 2, 3};
    byte[] signature = a.sign(message);
    assertThat(NodeKey.verify(a.id(), new byte[] {1, 2, 4}, signature)).isFalse();
    assertThat(NodeKey.verify(b.id(), message, signature)).isFalse();
    signature[10] ^= 1;
    assertThat(NodeKey.verify(a.id(), message, signature)).isFalse();
    assertThat(NodeKey.verify(a.id(), message, new byte[63])).isFalse();
  }

  @Test
  void verifyNeverThrowsOnKeysOffTheCurve() {
    // y = 2 is not the y-coordinate of any point on edwards25519
    NodeId bogus =
        NodeId.fromHex("0200000000000000000000000000000000000000000000000000000000000000");
    assertThat(NodeKey.verify(bogus, new byte[] {1}, new byte[64])).isFalse();
    NodeId allOnes =
        NodeId.fromHex("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
    assertThat(NodeKey.verify(allOnes, new byte[] {1}, new byte[64])).isFalse();
  }

  @Test
  void nodeIdParsing() {
    NodeId id = NodeKey.generate().id();
    assertThat(NodeId.fromHex(id.toHex())).isEqualTo(id);
    assertThat(NodeId.fromHex("0x" + id.toHex())).isEqualTo(id);
    assertThatThrownBy(() -> NodeId.fromHex("abcd")).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> NodeId.fromHex("zz")).isInstanceOf(InvalidInputException.class);
    assertThat(id.shortHex()).hasSize(8);
  }

  @Test
  void peerAddressParsing() {
    NodeId id = NodeKey.generate().id();
    PeerAddress parsed = PeerAddress.parse(id.toHex() + "@127.0.0.1:30303");
    assertThat(parsed.id()).isEqualTo(id);
    assertThat(parsed.address().getPort()).isEqualTo(30303);
    assertThat(parsed.address().getHostString()).isEqualTo("127.0.0.1");
    assertThat(PeerAddress.parse(id.toHex() + "@[::1]:7").address().getHostString())
        .isEqualTo("::1");
    assertThatThrownBy(() -> PeerAddress.parse(id.toHex() + "@host:0"))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> PeerAddress.parse("host:1")).isInstanceOf(InvalidInputException.class);
  }
}
