package io.axivon.sdk.mining;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.sdk.eth.EthClient;
import io.axivon.sdk.eth.StubEthServer;
import io.axivon.sdk.rpc.JsonRpcClient;
import io.axivon.sdk.storage.FlowAbi;
import io.axivon.sdk.storage.FlowClient;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MiningClientTest {
  static final Secp256k1PrivateKey KEY = Secp256k1PrivateKey.fromHex("0x" + "02".repeat(32));
  static final MiningContext CTX =
      new MiningContext(3, 60, Bytes32.fromHexString("0x77"), 4096, Bytes32.fromHexString("0x88"));

  StubEthServer stub;
  MiningClient client;
  final List<Bytes> sent = new CopyOnWriteArrayList<>();
  volatile String refusal; // the module's revert reason for submitAnswer, or null

  @BeforeEach
  void start() throws Exception {
    stub = new StubEthServer();
    stub.onSend(7, 3, 0x30000, sent)
        .on("eth_call", this::ethCall)
        .on("eth_getTransactionReceipt", p -> receipt(p.get(0).asText()));
    client =
        new MiningClient(
            new EthClient(
                new JsonRpcClient(stub.uri(), Duration.ofSeconds(5)), Duration.ofMillis(5)),
            FlowClient.DEVNET_FLOW_ADDRESS,
            MiningClient.MINING_ADDRESS,
            Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() {
    stub.close();
  }

  private static Bytes32 word(long v) {
    return Bytes32.leftPad(Bytes.ofUnsignedLong(v));
  }

  private JsonNode ethCall(JsonNode p) {
    Bytes data = Bytes.fromHexString(p.get(0).get("data").asText());
    Bytes sel = data.slice(0, 4);
    if (sel.equals(MiningClient.GET_CONTEXT)) {
      return new TextNode(
          Bytes.concatenate(
                  word(CTX.epoch()),
                  word(CTX.mineStart()),
                  CTX.flowRoot(),
                  word(CTX.flowLength()),
                  CTX.blockDigest(),
                  CTX.digest())
              .toHexString());
    }
    if (sel.equals(MiningClient.TARGET)) {
      return new TextNode(word(12345).toHexString());
    }
    if (sel.equals(MiningClient.MINER_OF)) {
      return new TextNode(FlowAbi.addressTopic(KEY.address()).toHexString());
    }
    if (sel.equals(MiningClient.MINER_STATS)) {
      return new TextNode(
          Bytes.concatenate(word(5), word(1234), word(3), data.slice(4, 32)).toHexString());
    }
    if (sel.equals(AnswerCodec.SELECTOR) && refusal != null) {
      Bytes reason = Bytes.wrap(refusal.getBytes(StandardCharsets.UTF_8));
      Bytes padded =
          Bytes.concatenate(reason, Bytes.wrap(new byte[(32 - reason.size() % 32) % 32]));
      throw new StubEthServer.RpcError(
          3,
          "execution reverted",
          new TextNode(
              Bytes.concatenate(FlowAbi.ERROR_SELECTOR, word(32), word(reason.size()), padded)
                  .toHexString()));
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
    ArrayNode logs = r.putArray("logs");
    ObjectNode l = logs.addObject();
    l.put("address", MiningClient.MINING_ADDRESS.toString());
    ArrayNode topics = l.putArray("topics");
    topics.add(MiningClient.ANSWER_ACCEPTED.toHexString());
    topics.add(Bytes32.fromHexString("0xabcd").toHexString());
    topics.add(word(3).toHexString());
    l.put(
        "data",
        Bytes.concatenate(FlowAbi.addressTopic(KEY.address()), word(16), Bytes32.ZERO, word(777))
            .toHexString());
    l.put("blockNumber", "0x9");
    l.put("blockHash", "0x" + "99".repeat(32));
    l.put("transactionHash", hash);
    l.put("transactionIndex", "0x0");
    l.put("logIndex", "0x0");
    l.put("removed", false);
    return r;
  }

  @Test
  void minerStatsAreReadInOneCall() {
    Bytes32 id = Bytes32.fromHexString("0x1234");
    MiningClient.MinerStats st = client.minerStats(id);
    assertThat(st).isEqualTo(new MiningClient.MinerStats(5, BigInteger.valueOf(1234), 3, id));
    assertThat(MiningClient.MINER_STATS.toHexString()).isEqualTo("0xe080c796");
  }

  private static Answer answer() {
    return new Answer(
        CTX.digest(),
        Bytes32.fromHexString("0xabcd"),
        Bytes32.ZERO,
        0,
        4096,
        16,
        CTX.digest(),
        Bytes32.ZERO,
        Bytes.wrap(new byte[4096]),
        List.of());
  }

  @Test
  void readsTheContextTargetAndMiner() {
    assertThat(client.context()).isEqualTo(CTX);
    assertThat(client.target()).isEqualTo(BigInteger.valueOf(12345));
    assertThat(client.minerOf(Bytes32.ZERO)).contains(KEY.address());
  }

  @Test
  void registersAndSubmits() throws Exception {
    Bytes32 salt = Bytes32.fromHexString("0x01");
    assertThat(client.register(salt, KEY))
        .isEqualTo(
            Hashes.keccak256(Bytes.concatenate(Bytes32.leftPad(KEY.address().bytes()), salt)));
    assertThat(client.submit(answer(), KEY)).isEqualTo(BigInteger.valueOf(777));
    assertThat(sent).hasSize(2);
  }

  @Test
  void aRefusedAnswerIsNotSentAndSaysWhy() {
    refusal = "stale context: answer is for 0x01, the current context is 0x02";
    assertThatThrownBy(() -> client.submit(answer(), KEY))
        .isInstanceOf(MiningClientException.class)
        .hasMessage("submitAnswer refused: " + refusal);
    assertThat(sent).isEmpty();
  }

  @Test
  void theMiningAddressIs1003() {
    assertThat(MiningClient.MINING_ADDRESS)
        .isEqualTo(new Address(Bytes.fromHexString("0x" + "00".repeat(18) + "1003")));
  }
}
