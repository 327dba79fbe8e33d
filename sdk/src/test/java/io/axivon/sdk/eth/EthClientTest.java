package io.axivon.sdk.eth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.sdk.rpc.JsonRpcClient;
import io.axivon.sdk.rpc.JsonRpcException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EthClientTest {
  static final Address TO = Address.fromHex("0x0000000000000000000000000000000000001001");
  StubEthServer stub;
  EthClient eth;

  @BeforeEach
  void start() throws Exception {
    stub = new StubEthServer();
    eth = new EthClient(new JsonRpcClient(stub.uri(), Duration.ofSeconds(5)), Duration.ofMillis(5));
  }

  @AfterEach
  void stop() {
    stub.close();
  }

  @Test
  void quantitiesAndParams() {
    stub.on("eth_chainId", p -> new TextNode("0x7a69"))
        .on("eth_blockNumber", p -> new TextNode("0x0"))
        .on(
            "eth_getTransactionCount",
            p -> {
              assertThat(p.get(0).asText()).isEqualTo(TO.toLowerHex());
              assertThat(p.get(1).asText()).isEqualTo("pending");
              return new TextNode("0x2");
            })
        .on("eth_getBalance", p -> new TextNode("0x" + "f".repeat(64)));
    assertThat(eth.chainId()).isEqualTo(31337);
    assertThat(eth.blockNumber()).isZero();
    assertThat(eth.getTransactionCount(TO, "pending")).isEqualTo(2);
    assertThat(eth.getBalance(TO, "latest"))
        .isEqualTo(BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE));
  }

  @Test
  void aRevertCarriesItsData() {
    stub.on(
        "eth_call",
        p -> {
          throw new StubEthServer.RpcError(3, "execution reverted", new TextNode("0xdeadbeef"));
        });
    assertThatThrownBy(() -> eth.call(CallRequest.of(TO, Bytes.EMPTY), "latest"))
        .isInstanceOfSatisfying(
            ExecutionRevertedException.class,
            e -> assertThat(e.revertData()).isEqualTo(Bytes.fromHexString("0xdeadbeef")));
  }

  @Test
  void otherErrorsStayJsonRpcErrors() {
    stub.on(
        "eth_estimateGas",
        p -> {
          throw new StubEthServer.RpcError(-32000, "insufficient funds", null);
        });
    assertThatThrownBy(() -> eth.estimateGas(CallRequest.of(TO, Bytes.EMPTY)))
        .isInstanceOf(JsonRpcException.class)
        .hasMessageContaining("insufficient funds");
  }

  @Test
  void waitingForAReceiptEndsAtTheDeadline() {
    AtomicInteger polls = new AtomicInteger();
    stub.on(
        "eth_getTransactionReceipt",
        p -> {
          polls.incrementAndGet();
          return NullNode.getInstance();
        });
    assertThatThrownBy(() -> eth.waitForReceipt(Bytes32.ZERO, Duration.ofMillis(50)))
        .isInstanceOf(TimeoutException.class)
        .hasMessageContaining("no receipt for transaction");
    assertThat(polls.get()).isPositive(); // several, unless one call outlasts the deadline
  }

  @Test
  void aMalformedLogNamesTheField() {
    stub.on(
        "eth_getLogs",
        p -> {
          var log = stub.mapper.createObjectNode();
          log.put("address", TO.toLowerHex());
          log.putArray("topics").add("0x12");
          return stub.mapper.createArrayNode().add(log);
        });
    assertThatThrownBy(() -> eth.getLogs(TO, List.of(), 0, 1))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("log topic must be 32 bytes");
  }
}
