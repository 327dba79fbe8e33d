package io.axivon.sdk.da;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.sdk.eth.Eip1559Transaction;
import io.axivon.sdk.eth.EthClient;
import io.axivon.sdk.eth.StubEthServer;
import io.axivon.sdk.rpc.JsonRpcClient;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Prepared transactions: the dry run apart from the nonce, so senders can pipeline nonces. */
class DaClientSubmitTest {
  static final Secp256k1PrivateKey KEY =
      Secp256k1PrivateKey.fromBytes(Bytes32.fromHexString("0x" + "42".repeat(32)));
  static final Bytes REFUSED = Bytes.fromHexString("0xdead");

  StubEthServer stub;
  DaClient client;
  final List<Bytes> sent = new CopyOnWriteArrayList<>();
  final AtomicInteger chainIdCalls = new AtomicInteger();
  final AtomicInteger estimates = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    stub = new StubEthServer();
    stub.on(
            "eth_chainId",
            p -> {
              chainIdCalls.incrementAndGet();
              return text(7);
            })
        .on("eth_gasPrice", p -> text(0x10))
        .on("eth_maxPriorityFeePerGas", p -> text(1))
        .on(
            "eth_estimateGas",
            p -> {
              estimates.incrementAndGet();
              return text(100_000);
            })
        .on(
            "eth_call",
            p -> {
              if (Bytes.fromHexString(p.get(0).get("data").asText()).equals(REFUSED)) {
                throw new StubEthServer.RpcError(3, "execution reverted", null);
              }
              return new TextNode("0x");
            })
        .on(
            "eth_sendRawTransaction",
            p -> {
              Bytes raw = Bytes.fromHexString(p.get(0).asText());
              sent.add(raw);
              return new TextNode(Hashes.keccak256(raw).toHexString());
            });
    client =
        new DaClient(
            new EthClient(new JsonRpcClient(stub.uri(), Duration.ofSeconds(5))),
            DaClient.DA_ADDRESS,
            Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() {
    stub.close();
  }

  @Test
  void preparedTransactionsGoOutWithTheNoncesGivenAndARefusalSendsNothing() {
    Bytes a = Bytes.fromHexString("0x01");
    Bytes c = Bytes.fromHexString("0x03");
    DaClient.Prepared first = client.prepare(a, BigInteger.TWO, KEY.address(), "confirmBlob");
    assertThatThrownBy(() -> client.prepare(REFUSED, BigInteger.TWO, KEY.address(), "confirmBlob"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("confirmBlob refused");
    DaClient.Prepared third = client.prepare(c, BigInteger.TWO, KEY.address(), "confirmBlob");
    assertThat(first.gas()).isEqualTo(125_000);
    assertThat(first.maxFee()).isEqualTo(BigInteger.valueOf(0x20));

    // both sent back to back, consecutive nonces, no receipt awaited in between
    Bytes32 h1 = client.submit(first, KEY, 3);
    Bytes32 h2 = client.submit(third, KEY, 4);
    assertThat(sent).containsExactly(expected(a, 3), expected(c, 4));
    assertThat(h1).isEqualTo(Hashes.keccak256(sent.get(0)));
    assertThat(h2).isEqualTo(Hashes.keccak256(sent.get(1)));
    assertThat(chainIdCalls.get()).isEqualTo(1); // asked once, then remembered
  }

  @Test
  void submitIsPrepareThenSend() {
    Bytes a = Bytes.fromHexString("0x01");
    client.submit(a, BigInteger.TWO, KEY, 9, "confirmBlob");
    assertThat(sent).containsExactly(expected(a, 9));
    assertThatThrownBy(() -> client.submit(REFUSED, BigInteger.TWO, KEY, 10, "confirmBlob"))
        .isInstanceOf(InvalidInputException.class);
    assertThat(sent).hasSize(1);
  }

  @Test
  void aKnownGasLimitSkipsTheEstimateButNotTheDryRun() {
    Bytes a = Bytes.fromHexString("0x01");
    DaClient.Prepared p =
        client.prepare(a, BigInteger.TWO, KEY.address(), "confirmBlob", OptionalLong.of(125_000));
    assertThat(estimates.get()).isZero();
    assertThat(p.gas()).isEqualTo(125_000);
    client.submit(p, KEY, 3);
    assertThat(sent).containsExactly(expected(a, 3)); // the same transaction as with the estimate
    assertThatThrownBy(
            () ->
                client.prepare(
                    REFUSED, BigInteger.TWO, KEY.address(), "confirmBlob", OptionalLong.of(1)))
        .isInstanceOf(InvalidInputException.class);
  }

  private static Bytes expected(Bytes data, long nonce) {
    return new Eip1559Transaction(
            7,
            nonce,
            BigInteger.ONE,
            BigInteger.valueOf(0x20),
            125_000,
            Optional.of(DaClient.DA_ADDRESS),
            BigInteger.TWO,
            data)
        .sign(KEY)
        .raw();
  }

  private static JsonNode text(long v) {
    return new TextNode("0x" + Long.toHexString(v));
  }
}
