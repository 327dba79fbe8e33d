package io.axivon.node.da;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.node.p2pnode.NodeConfig;
import io.axivon.p2p.NodeId;
import io.axivon.p2p.PeerAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;

class DaNodeConfigTest {
  private static final NodeId ID =
      NodeId.fromHex(Bytes32.repeat((byte) 0xab).toUnprefixedHexString());
  private static final InetSocketAddress BOUND = new InetSocketAddress("127.0.0.1", 30503);

  private static DaNodeConfig config(String host, String advertise) {
    DaNodeConfig d = DaNodeConfig.defaults();
    return new DaNodeConfig(
        Path.of("x"),
        host,
        d.port(),
        advertise,
        d.chainRpc(),
        d.module(),
        "",
        true,
        d.retentionEpochs(),
        new NodeConfig.MetricsEndpoint("127.0.0.1", 0));
  }

  private static String registered(String host, String advertise) {
    return config(host, advertise).registeredAddress(ID, BOUND);
  }

  @Test
  void registersTheBoundAddressWithoutAdvertise() {
    assertThat(registered("127.0.0.1", "")).isEqualTo(new PeerAddress(ID, BOUND).toString());
  }

  @Test
  void advertisedHostKeepsTheBoundPortUnlessOneIsGiven() {
    assertThat(registered("127.0.0.1", "da1.example.org"))
        .isEqualTo(ID.toHex() + "@da1.example.org:30503");
    assertThat(registered("0.0.0.0", "203.0.113.7:4000"))
        .isEqualTo(ID.toHex() + "@203.0.113.7:4000");
    assertThat(registered("::", "[2001:db8::1]:4000")).isEqualTo(ID.toHex() + "@2001:db8::1:4000");
    assertThat(registered("::", "[2001:db8::1]")).isEqualTo(ID.toHex() + "@2001:db8::1:30503");
  }

  @Test
  void theRegisteredAddressParsesBackAsAPeer() {
    String text = registered("0.0.0.0", "node.example:31000");
    PeerAddress parsed = PeerAddress.parse(text);
    assertThat(parsed.id()).isEqualTo(ID);
    assertThat(parsed.address().getHostString()).isEqualTo("node.example");
    assertThat(parsed.address().getPort()).isEqualTo(31000);
  }

  @Test
  void aWildcardBindNeedsAnAdvertisedAddress() {
    assertThatThrownBy(() -> config("0.0.0.0", ""))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("--advertise");
  }

  @Test
  void badAdvertisedAddressesAreRefusedPrecisely() {
    assertThatThrownBy(() -> config("127.0.0.1", "host:0")).hasMessageContaining("1..65535");
    assertThatThrownBy(() -> config("127.0.0.1", "host:http")).hasMessageContaining("bad port");
    assertThatThrownBy(() -> config("127.0.0.1", "0.0.0.0:5000"))
        .hasMessageContaining("not an address anyone can dial");
    assertThatThrownBy(() -> config("127.0.0.1", "[::1")).hasMessageContaining("unclosed");
    assertThatThrownBy(() -> config("127.0.0.1", "a@b")).hasMessageContaining("HOST or HOST:PORT");
    assertThatThrownBy(() -> config("127.0.0.1", "[::1]x")).hasMessageContaining("':PORT'");
  }
}
