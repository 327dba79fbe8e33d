package io.axivon.consensus.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.execution.ExecFixtures;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonRpcHandlerTest {
  @TempDir Path dir;
  private RpcFixture f;
  private JsonRpcHandler handler;

  @BeforeEach
  void open() {
    f = new RpcFixture(dir);
    handler = new JsonRpcHandler(f.api, 3);
  }

  @AfterEach
  void close() {
    f.close();
  }

  private JsonNode handle(String body) throws Exception {
    Optional<byte[]> out = handler.handle(body.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    assertThat(out).isPresent();
    return RpcFixture.JSON.readTree(out.get());
  }

  @Test
  void singleCallEchoesTheIdExactly() throws Exception {
    JsonNode r = handle("{'jsonrpc':'2.0','id':17000000000000000123,'method':'eth_chainId'}");
    assertThat(r.get("jsonrpc").asText()).isEqualTo("2.0");
    assertThat(r.get("id").bigIntegerValue().toString()).isEqualTo("17000000000000000123");
    assertThat(r.get("result").asText()).isEqualTo("0x539");
    assertThat(r.has("error")).isFalse();
    JsonNode s = handle("{'jsonrpc':'2.0','id':'abc','method':'eth_blockNumber','params':[]}");
    assertThat(s.get("id").asText()).isEqualTo("abc");
  }

  @Test
  void batchAnswersEachInOrderWithItsOwnErrors() throws Exception {
    JsonNode r =
        handle(
            "[{'jsonrpc':'2.0','id':1,'method':'eth_chainId'},"
                + "{'jsonrpc':'2.0','id':2,'method':'eth_nope'},"
                + "{'jsonrpc':'2.0','method':'eth_chainId'}]");
    assertThat(r).hasSize(2); // the notification gets no answer
    assertThat(r.get(0).get("result").asText()).isEqualTo("0x539");
    assertThat(r.get(1).get("id").asInt()).isEqualTo(2);
    assertThat(r.get(1).get("error").get("code").asInt()).isEqualTo(-32601);
  }

  @Test
  void framingErrors() throws Exception {
    JsonNode parse = handle("{'jsonrpc':");
    assertThat(parse.get("error").get("code").asInt()).isEqualTo(-32700);
    assertThat(parse.get("id").isNull()).isTrue();
    assertThat(handle("").get("error").get("code").asInt()).isEqualTo(-32700);
    assertThat(handle("   ").get("error").get("message").asText()).isEqualTo("parse error");
    assertThat(handle("[]").get("error").get("message").asText()).isEqualTo("empty batch");
    JsonNode big = handle("[1,2,3,4]");
    assertThat(big.get("error").get("code").asInt()).isEqualTo(-32600);
    assertThat(big.get("error").get("message").asText()).isEqualTo("batch too large");
    assertThat(handle("[1]").get(0).get("error").get("code").asInt()).isEqualTo(-32600);
    assertThat(
            handle("{'jsonrpc':'1.0','id':1,'method':'eth_chainId'}")
                .get("error")
                .get("code")
                .asInt())
        .isEqualTo(-32600);
    assertThat(handle("{'jsonrpc':'2.0','id':1,'method':5}").get("error").get("code").asInt())
        .isEqualTo(-32600);
    JsonNode named = handle("{'jsonrpc':'2.0','id':1,'method':'eth_getBalance','params':{'a':1}}");
    assertThat(named.get("error").get("code").asInt()).isEqualTo(-32602);
    assertThat(
            handler.handle(
                "{\"jsonrpc\":\"2.0\",\"method\":\"eth_chainId\"}"
                    .getBytes(StandardCharsets.UTF_8)))
        .isEmpty();
  }

  @Test
  void revertErrorCarriesTheRevertDataOtherErrorsNone() throws Exception {
    Bytes deploy =
        ExecFixtures.tx(
            ExecFixtures.key(0),
            0,
            Optional.empty(),
            BigInteger.ZERO,
            ExecFixtures.counterBytecode(),
            500_000);
    f.block(deploy);
    Address counter = f.chain.index().receipts(1).getFirst().contractAddress().orElseThrow();
    JsonNode r =
        handle(
            "{'jsonrpc':'2.0','id':1,'method':'eth_call','params':[{'to':'"
                + counter
                + "','data':'"
                + ExecFixtures.call("fail()")
                + "'},'latest']}");
    assertThat(r.get("error").get("code").asInt()).isEqualTo(3);
    assertThat(r.get("error").get("message").asText()).isEqualTo("execution reverted: nope");
    assertThat(r.get("error").get("data").asText()).startsWith("0x08c379a0");
    JsonNode bad = handle("{'jsonrpc':'2.0','id':1,'method':'eth_getBalance','params':['0x12']}");
    assertThat(bad.get("error").get("code").asInt()).isEqualTo(-32602);
    assertThat(bad.get("error").has("data")).isFalse();
  }
}
