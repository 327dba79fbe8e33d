package io.axivon.sdk.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.sdk.eth.EthClient;
import io.axivon.sdk.eth.StubEthServer;
import io.axivon.sdk.rpc.JsonRpcClient;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServingClientTest {
  static final Secp256k1PrivateKey KEY =
      Secp256k1PrivateKey.fromBytes(Hashes.keccak256(Bytes.of(1)));
  static final ServiceInfo S =
      new ServiceInfo(
          KEY.address(),
          "llama",
          "chatbot",
          "https://x.example",
          "m",
          BigInteger.ONE,
          BigInteger.TWO,
          Verifiability.NONE,
          3);

  StubEthServer stub;
  ServingClient client;
  final List<JsonNode> calls = new CopyOnWriteArrayList<>();
  final List<Bytes> sent = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    stub = new StubEthServer();
    stub.onSend(0x319c, 0, 0x186a0, sent)
        .on("eth_call", this::ethCall)
        .on("eth_getTransactionReceipt", p -> receipt(p.get(0).asText()));
    client =
        new ServingClient(
            new EthClient(
                new JsonRpcClient(stub.uri(), Duration.ofSeconds(5)), Duration.ofMillis(5)),
            ServingDomain.SERVING_ADDRESS,
            Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() {
    stub.close();
  }

  private JsonNode ethCall(JsonNode p) {
    calls.add(p.get(0));
    assertThat(p.get(0).get("to").asText())
        .isEqualToIgnoringCase(ServingDomain.SERVING_ADDRESS.toLowerHex());
    Bytes data = Bytes.fromHexString(p.get(0).get("data").asText());
    Bytes sel = data.slice(0, 4);
    if (sel.equals(ServingAbi.selector(ServingAbi.LIST_SERVICES))) {
      return new TextNode(ServingAbi.encodeServicesReturn(List.of(S)).toHexString());
    }
    if (sel.equals(ServingAbi.selector(ServingAbi.GET_ACCOUNT))) {
      return new TextNode(
          ServingAbi.encodeAccount(
                  new SubAccount(BigInteger.TEN, BigInteger.ONE, BigInteger.ZERO, 0))
              .toHexString());
    }
    if (sel.equals(ServingAbi.selector(ServingAbi.WITHDRAW))) {
      Bytes reason =
          Bytes.concatenate(
              ServingAbi.selector("Error(string)"),
              ServingAbi.tuple(
                  List.of(
                      ServingAbi.dynamic(
                          "ledger balance of 0 wei is below the 5 wei to withdraw"))));
      throw new StubEthServer.RpcError(3, "execution reverted", new TextNode(reason.toHexString()));
    }
    return new TextNode("0x");
  }

  private JsonNode receipt(String hash) {
    ObjectNode r = stub.mapper.createObjectNode();
    r.put("transactionHash", hash);
    r.put("blockNumber", "0x9");
    r.put("blockHash", "0x" + "99".repeat(32));
    r.put("status", "0x1");
    r.put("gasUsed", "0x5208");
    r.putArray("logs");
    return r;
  }

  @Test
  void viewsDecodeTheModuleAnswers() {
    assertThat(client.listServices()).containsExactly(S);
    assertThat(client.account(KEY.address(), KEY.address()).balance()).isEqualTo(BigInteger.TEN);
    Bytes data = Bytes.fromHexString(calls.get(1).get("data").asText());
    assertThat(data)
        .isEqualTo(
            Bytes.concatenate(
                ServingAbi.selector(ServingAbi.GET_ACCOUNT),
                ServingAbi.word(KEY.address()),
                ServingAbi.word(KEY.address())));
  }

  @Test
  void writesSendSignedTransactionsAndRefusalsCarryTheReason() throws Exception {
    assertThat(client.deposit(KEY, BigInteger.valueOf(5)).success()).isTrue();
    assertThat(sent).hasSize(1);
    assertThatThrownBy(() -> client.withdraw(KEY, BigInteger.valueOf(5)))
        .isInstanceOf(ComputeException.class)
        .hasMessage(
            "the serving module refuses: ledger balance of 0 wei is below the 5 wei to withdraw");
    assertThat(sent).hasSize(1);
  }

  @Test
  void addOrUpdateServiceCallMatchesTheAbiEncoding() {
    Bytes call = ServingClient.addOrUpdateServiceCall(S);
    assertThat(call.slice(0, 4).toHexString()).isEqualTo("0xd2b3c08f");
    // 7 head words, the first four are offsets to the strings
    assertThat(call.slice(4, 32).toUnsignedBigInteger()).isEqualTo(BigInteger.valueOf(7 * 32));
    assertThat(call.slice(4 + 7 * 32 + 32, 5))
        .isEqualTo(Bytes.wrap("llama".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void signedResponsesVerify() {
    org.apache.tuweni.bytes.Bytes32 hash = Hashes.keccak256(Bytes.of(9));
    Bytes body = Bytes.wrap("out".getBytes(StandardCharsets.US_ASCII));
    Bytes sig = KEY.sign(ComputeClient.responseDigest(hash, body)).encode();
    assertThat(ComputeClient.verifyResponse(KEY.address(), hash, body, sig)).isTrue();
    assertThat(
            ComputeClient.verifyResponse(
                Address.fromHex("0x" + "00".repeat(19) + "01"), hash, body, sig))
        .isFalse();
    assertThat(ComputeClient.verifyResponse(KEY.address(), hash, body, Bytes.of(1, 2))).isFalse();
  }
}
