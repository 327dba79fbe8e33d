package io.axivon.consensus.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EthRpcServerTest {
  @TempDir Path dir;
  private RpcFixture f;
  private EthRpcServer server;
  private URI uri;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  @BeforeEach
  void start() {
    RpcConfig config = RpcConfig.defaults().withPort(0).withLimits(4096, 10, 1000, 1000);
    f = new RpcFixture(dir, config);
    server = new EthRpcServer(config, f.api);
    var at = server.start();
    uri = URI.create("http://127.0.0.1:" + at.getPort() + "/");
  }

  @AfterEach
  void stop() {
    server.close();
    f.close();
  }

  private HttpResponse<String> post(String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesSingleAndBatchCallsOnOneKeptAliveConnection() throws Exception {
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r =
          post("{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"eth_chainId\"}");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
      assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
      JsonNode j = RpcFixture.JSON.readTree(r.body());
      assertThat(j.get("result").asText()).isEqualTo("0x539");
      assertThat(j.get("id").asInt()).isEqualTo(i);
    }
    HttpResponse<String> batch =
        post(
            "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"},"
                + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"eth_blockNumber\"}]");
    JsonNode j = RpcFixture.JSON.readTree(batch.body());
    assertThat(j).hasSize(2);
    assertThat(j.get(1).get("result").asText()).isEqualTo("0x0");
  }

  @Test
  void oversizedBodyGets413AndTheServerGoesOn() throws Exception {
    String big =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"web3_sha3\",\"params\":[\"0x"
            + "ab".repeat(4096)
            + "\"]}";
    HttpResponse<String> tooLarge = post(big);
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    // readable by a browser wallet, and saying why
    assertThat(tooLarge.headers().firstValue("access-control-allow-origin")).contains("*");
    assertThat(tooLarge.body()).startsWith("request body exceeds ");
    assertThat(post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"}").statusCode())
        .isEqualTo(200);
  }

  @Test
  void getAnswers405AndPreflightAnswersCors() throws Exception {
    HttpResponse<String> get =
        http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.body()).contains("POST");
    HttpResponse<String> options =
        http.send(
            HttpRequest.newBuilder(uri)
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://localhost:3000")
                .header("Access-Control-Request-Method", "POST")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(options.statusCode()).isEqualTo(204);
    assertThat(options.headers().firstValue("Access-Control-Allow-Methods").orElseThrow())
        .contains("POST");
    assertThat(options.headers().firstValue("Access-Control-Allow-Headers").orElseThrow())
        .contains("Content-Type");
  }

  @Test
  void bindingAPortInUseSaysSo() {
    RpcConfig taken = RpcConfig.defaults().withPort(uri.getPort());
    EthRpcServer second = new EthRpcServer(taken, f.api);
    assertThatThrownBy(second::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot bind JSON-RPC server to 127.0.0.1:" + uri.getPort());
  }

  @Test
  void parseErrorOverHttp() throws Exception {
    HttpResponse<String> r = post("not json");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(RpcFixture.JSON.readTree(r.body()).get("error").get("code").asInt())
        .isEqualTo(-32700);
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    StringBuilder both = new StringBuilder();
    for (int id = 1; id <= 2; id++) {
      String body =
          "{\"jsonrpc\":\"2.0\",\"id\":"
              + id
              + ",\"method\":\""
              + (id == 1 ? "eth_getBalance" : "eth_chainId")
              + "\",\"params\":"
              + (id == 1 ? "[\"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\"]" : "[]")
              + "}";
      both.append("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ")
          .append(body.length())
          .append("\r\n\r\n")
          .append(body);
    }
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", uri.getPort())) {
      socket.setSoTimeout(30_000);
      socket
          .getOutputStream()
          .write(both.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      java.io.BufferedReader in =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(
                  socket.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
      for (int id = 1; id <= 2; id++) {
        int length = -1;
        for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
          if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
            length = Integer.parseInt(line.substring(15).trim());
          }
        }
        char[] body = new char[length];
        int read = 0;
        while (read < length) {
          read += in.read(body, read, length - read);
        }
        assertThat(RpcFixture.JSON.readTree(new String(body)).get("id").asInt()).isEqualTo(id);
      }
    }
  }
}
