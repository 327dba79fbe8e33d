package io.axivon.sdk.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.common.merkle.Subtree;
import io.axivon.sdk.eth.Eip1559Transaction;
import io.axivon.sdk.eth.EthClient;
import io.axivon.sdk.eth.StubEthServer;
import io.axivon.sdk.rpc.JsonRpcClient;
import io.axivon.sdk.storage.layout.Submission;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FlowClientTest {
  static final Address FLOW = FlowClient.DEVNET_FLOW_ADDRESS;
  static final Secp256k1PrivateKey KEY = Secp256k1PrivateKey.fromHex("0x" + "01".repeat(32));
  static final Submission SUB =
      new Submission(
          700,
          Bytes.EMPTY,
          List.of(
              new Subtree(Bytes32.fromHexString("0x" + "11".repeat(32)), 1),
              new Subtree(Bytes32.fromHexString("0x" + "22".repeat(32)), 0)));

  StubEthServer stub;
  FlowClient client;
  final List<Bytes> sent = new CopyOnWriteArrayList<>();
  final AtomicInteger receiptPolls = new AtomicInteger();
  volatile JsonNode submitRevert; // error data for eth_call of submit, or null
  volatile boolean receiptFails;

  @BeforeEach
  void start() throws Exception {
    stub = new StubEthServer();
    stub.onSend(7, 3, 100_000, sent)
        .on("eth_call", this::ethCall)
        .on(
            "eth_getTransactionReceipt",
            p ->
                receiptPolls.incrementAndGet() < 3
                    ? NullNode.getInstance()
                    : receipt(p.get(0).asText()));
    client =
        new FlowClient(
            new EthClient(
                new JsonRpcClient(stub.uri(), Duration.ofSeconds(5)), Duration.ofMillis(5)),
            FLOW);
  }

  @AfterEach
  void stop() {
    stub.close();
  }

  private JsonNode ethCall(JsonNode p) {
    Bytes data = Bytes.fromHexString(p.get(0).get("data").asText());
    Bytes sel = data.slice(0, 4);
    if (sel.equals(FlowAbi.MARKET_SELECTOR)) {
      return new TextNode(FlowAbi.addressTopic(FLOW).toHexString());
    }
    if (sel.equals(FlowAbi.PRICE_PER_SECTOR_SELECTOR)) {
      return new TextNode(FlowAbi.word(10).toHexString());
    }
    assertThat(sel).isEqualTo(FlowAbi.SUBMIT_SELECTOR);
    if (submitRevert != null) {
      throw new StubEthServer.RpcError(3, "execution reverted", submitRevert);
    }
    return new TextNode("0x" + "00".repeat(128));
  }

  private JsonNode receipt(String hash) {
    ObjectNode r = stub.mapper.createObjectNode();
    r.put("transactionHash", hash);
    r.put("blockNumber", "0x9");
    r.put("blockHash", "0x" + "99".repeat(32));
    r.put("status", receiptFails ? "0x0" : "0x1");
    r.put("gasUsed", "0x5208");
    ArrayNode logs = r.putArray("logs");
    Bytes data = FlowAbi.encodeSubmitData(5, 4096, 3, SUB);
    // the same event from another contract must be ignored
    logs.add(logJson(Address.fromHex("0x0000000000000000000000000000000000002002"), 6, data, hash));
    logs.add(logJson(FLOW, 5, data, hash));
    return r;
  }

  private ObjectNode logJson(Address address, long index, Bytes data, String txHash) {
    ObjectNode l = stub.mapper.createObjectNode();
    l.put("address", address.toString()); // checksummed, as nodes often write it
    ArrayNode topics = l.putArray("topics");
    topics.add(FlowAbi.SUBMIT_TOPIC.toHexString());
    topics.add(FlowAbi.addressTopic(KEY.address()).toHexString());
    topics.add(FlowAbi.identity(SUB).toHexString());
    l.put("data", data.toHexString());
    l.put("blockNumber", "0x9");
    l.put("blockHash", "0x" + "99".repeat(32));
    l.put("transactionHash", txHash);
    l.put("transactionIndex", "0x0");
    l.put("logIndex", "0x" + Long.toHexString(index));
    l.put("removed", false);
    return l;
  }

  private static JsonNode text(long v) {
    return new TextNode("0x" + Long.toHexString(v));
  }

  @Test
  void submitPaysTheFeeAndDecodesTheEvent() throws Exception {
    FlowSubmission sub = client.submit(SUB, KEY);
    assertThat(sub.txSeq()).isEqualTo(5);
    assertThat(sub.startEntryIndex()).isEqualTo(4096);
    assertThat(sub.size()).isEqualTo(700);
    assertThat(sub.root()).isEqualTo(SUB.root());
    assertThat(sub.sender()).isEqualTo(KEY.address());
    assertThat(sub.blockNumber()).isEqualTo(9);
    assertThat(receiptPolls.get()).isEqualTo(3);
    // exactly the transaction we expect: fee 10 × 3 sectors, gas +25 %, maxFee 2 × gasPrice
    Eip1559Transaction expected =
        new Eip1559Transaction(
            7,
            3,
            BigInteger.ONE,
            BigInteger.valueOf(0x20),
            125_000,
            Optional.of(FLOW),
            BigInteger.valueOf(30),
            FlowAbi.encodeSubmit(SUB));
    assertThat(sent).containsExactly(expected.sign(KEY).raw());
  }

  @Test
  void aRevertingDryRunSendsNothingAndSaysWhy() {
    submitRevert =
        new TextNode(
            Bytes.concatenate(
                    FlowAbi.NOT_ENOUGH_FEE_SELECTOR,
                    FlowAbi.word(10),
                    FlowAbi.word(30),
                    FlowAbi.word(29))
                .toHexString());
    assertThatThrownBy(() -> client.submit(SUB, KEY))
        .isInstanceOf(StorageClientException.class)
        .hasMessageContaining("dry run")
        .hasMessageContaining("NotEnoughFee(price=10, amount=30, paid=29)");
    assertThat(sent).isEmpty();
  }

  @Test
  void aRevertedReceiptFailsWithTheReplayedReason() {
    receiptFails = true;
    AtomicInteger calls = new AtomicInteger();
    stub.on(
        "eth_call",
        p -> {
          // the dry run passes; the replay at the parent block reverts
          if (p.get(1).asText().equals("0x8")) {
            throw new StubEthServer.RpcError(
                3,
                "execution reverted",
                new TextNode(
                    Bytes.concatenate(
                            FlowAbi.ERROR_SELECTOR,
                            FlowAbi.word(32),
                            FlowAbi.word(6),
                            Bytes.wrap("paused".getBytes()),
                            Bytes.wrap(new byte[26]))
                        .toHexString()));
          }
          calls.incrementAndGet();
          return ethCall(p);
        });
    assertThatThrownBy(() -> client.submit(SUB, KEY))
        .isInstanceOf(StorageClientException.class)
        .hasMessageContaining("reverted in block 9: paused");
    assertThat(sent).hasSize(1);
  }

  @Test
  void submissionsReadsTheLogsOfTheFlow() {
    stub.on(
        "eth_getLogs",
        p -> {
          JsonNode f = p.get(0);
          assertThat(f.get("address").asText()).isEqualTo(FLOW.toLowerHex());
          assertThat(f.get("fromBlock").asText()).isEqualTo("0x1");
          assertThat(f.get("toBlock").asText()).isEqualTo("0x10");
          assertThat(f.get("topics").get(0).asText()).isEqualTo(FlowAbi.SUBMIT_TOPIC.toHexString());
          ArrayNode out = stub.mapper.createArrayNode();
          out.add(
              logJson(FLOW, 0, FlowAbi.encodeSubmitData(5, 4096, 3, SUB), "0x" + "ab".repeat(32)));
          return out;
        });
    List<SubmitEvent> events = client.submissions(1, 16);
    assertThat(events).hasSize(1);
    assertThat(events.getFirst().submissionIndex()).isEqualTo(5);
    assertThat(events.getFirst().root()).isEqualTo(SUB.root());
    assertThat(events.getFirst().transactionHash())
        .isEqualTo(Bytes32.fromHexString("0x" + "ab".repeat(32)));
  }

  @Test
  void feeIsPriceTimesSectors() {
    assertThat(client.pricePerSector()).isEqualTo(BigInteger.TEN);
    assertThat(client.fee(SUB)).isEqualTo(BigInteger.valueOf(30));
  }
}
