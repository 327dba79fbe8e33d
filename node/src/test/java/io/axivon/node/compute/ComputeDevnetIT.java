package io.axivon.node.compute;

import static io.axivon.node.devnet.DevnetFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.common.crypto.secp256k1.HdKeys;
import io.axivon.compute.demo.DemoUpstream;
import io.axivon.compute.demo.ErasureEncodeService;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.node.cli.CliResult;
import io.axivon.node.devnet.Devnet;
import io.axivon.node.devnet.DevnetFixture;
import io.axivon.node.devnet.DevnetManifest;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compute market on a devnet in this JVM, through the CLI: the devnet's gateway has registered
 * the demo service with its own funded provider key; a development account funds its ledger,
 * transfers to the provider, sends a signed request through the gateway, gets the demo's answer
 * with a verified response signature, and the gateway settles it on chain 0 (the sub-account's
 * balance moves by the fee, its nonce to the request's).
 */
class ComputeDevnetIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void fundTransferRequestAndSettle() throws Exception {
    try (DevnetFixture devnet = DevnetFixture.start(dir)) {
      DevnetManifest m = devnet.manifest();
      String rpc = devnet.chainRpc();
      assertThat(m.chains().get(0).contracts())
          .containsEntry("serving", "0x0000000000000000000000000000000000001005");
      assertThat(m.compute()).hasSize(2);
      DevnetManifest.ComputeEndpoint gw = m.compute().get(0);
      assertThat(gw.service()).isEqualTo(DemoUpstream.SERVICE_NAME);
      assertThat(gw.demo()).isEqualTo(gw.gateway() + DemoUpstream.PATH);

      JsonNode services = json(CliResult.run("compute", "services", "--chain-rpc", rpc, "--json"));
      assertThat(services.at("/services")).hasSize(2);
      assertThat(services.at("/services/0/provider").asText()).isEqualTo(gw.provider());
      assertThat(services.at("/services/0/url").asText()).isEqualTo(gw.gateway());
      assertThat(services.at("/services/0/verifiability").asText()).isEqualTo("signed-response");

      String user = HdKeys.ethereumAccount(Genesis.DEV_MNEMONIC, "", 1).address().toString();
      JsonNode fund =
          json(
              CliResult.run(
                  "compute", "fund", "1axn", "--dev-account", "1", "--chain-rpc", rpc, "--json"));
      assertThat(fund.at("/balance").asText()).isEqualTo(Genesis.AXN.toString());
      BigInteger half = Genesis.AXN.divide(BigInteger.TWO);
      JsonNode transfer =
          json(
              CliResult.run(
                  "compute",
                  "transfer",
                  gw.provider(),
                  "0.5axn",
                  "--dev-account",
                  "1",
                  "--chain-rpc",
                  rpc,
                  "--json"));
      assertThat(transfer.at("/account/balance").asText()).isEqualTo(half.toString());

      String text = "hello compute market";
      JsonNode answer =
          json(
              CliResult.run(
                  "compute",
                  "request",
                  "--provider",
                  gw.provider(),
                  "--service",
                  gw.service(),
                  "--data",
                  text,
                  "--dev-account",
                  "1",
                  "--chain-rpc",
                  rpc,
                  "--json"));
      assertThat(answer.at("/status").asInt()).isEqualTo(200);
      assertThat(answer.at("/verified").asBoolean()).isTrue();
      assertThat(answer.at("/body").asText())
          .isEqualTo(DemoUpstream.answer(Bytes.wrap(text.getBytes(StandardCharsets.UTF_8))));
      // the demo service costs 1 wei per input byte and 1 per output byte
      BigInteger fee = new BigInteger(answer.at("/fee").asText());
      assertThat(fee).isEqualTo(BigInteger.valueOf(text.length()));
      assertThat(new BigInteger(answer.at("/owed").asText()))
          .isEqualTo(BigInteger.valueOf(answer.at("/body").asText().length()));
      long nonce = answer.at("/nonce").asLong();

      // the gateway settles on its timer; nudging it only makes that sooner
      ComputeGateway gateway = devnet.devnet().computeGateway().orElseThrow();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      JsonNode account;
      while (true) {
        account =
            json(
                CliResult.run(
                    "compute",
                    "balance",
                    user,
                    "--provider",
                    gw.provider(),
                    "--chain-rpc",
                    rpc,
                    "--json"));
        // the chain shows the settlement as soon as it is mined; the gateway drops the request from
        // its pending set once its settler has read the receipt, a moment later
        if (account.at("/account/nonce").asLong() == nonce && gateway.pending() == 0) {
          break;
        }
        assertThat(System.nanoTime()).as("settled within 60 s").isLessThan(deadline);
        gateway.settleNow();
        Thread.sleep(100); // the chain state is polled: nothing to wait on but the next block
      }
      assertThat(new BigInteger(account.at("/account/balance").asText()))
          .isEqualTo(half.subtract(fee));
      assertThat(account.at("/balance").asText()).isEqualTo(half.toString());
      assertThat(gateway.pending()).isZero();

      // a replay of the settled nonce is refused by the gateway (409), exit code 1
      CliResult replay =
          CliResult.run(
              "compute",
              "request",
              "--provider",
              gw.provider(),
              "--service",
              gw.service(),
              "--data",
              text,
              "--nonce",
              Long.toString(nonce),
              "--dev-account",
              "1",
              "--chain-rpc",
              rpc);
      assertThat(replay.exitCode()).isEqualTo(1);
      assertThat(replay.err()).contains("409").contains("already used");

      // the erasure-encode service, a gateway and provider of its own: shards, receipt kept
      DevnetManifest.ComputeEndpoint erasure = m.compute().get(1);
      assertThat(erasure.service()).isEqualTo(ErasureEncodeService.SERVICE_NAME);
      assertThat(erasure.demo()).isEqualTo(erasure.gateway() + ErasureEncodeService.PATH);
      assertThat(services.at("/services/1/verifiability").asText()).isEqualTo("signed-response");
      assertThat(
              CliResult.run(
                      "compute",
                      "transfer",
                      erasure.provider(),
                      "0.1axn",
                      "--dev-account",
                      "1",
                      "--chain-rpc",
                      rpc)
                  .exitCode())
          .isZero();
      Path state = dir.resolve("state");
      JsonNode shards =
          json(
              CliResult.run(
                  "compute",
                  "request",
                  "--provider",
                  erasure.provider(),
                  "--service",
                  erasure.service(),
                  "--path",
                  ErasureEncodeService.PATH + "?k=2&m=1",
                  "--data",
                  "abcd",
                  "--state-dir",
                  state.toString(),
                  "--dev-account",
                  "1",
                  "--chain-rpc",
                  rpc,
                  "--json"));
      assertThat(shards.at("/verified").asBoolean()).isTrue();
      assertThat(shards.at("/overmetered").asBoolean()).isFalse();
      JsonNode doc = JSON.readTree(shards.at("/body").asText());
      assertThat(doc.at("/k").asInt()).isEqualTo(2);
      assertThat(doc.at("/shards")).hasSize(3);
      assertThat(doc.at("/shards/0").asText()).isEqualTo("YWI="); // "ab"
      Path receipt = Path.of(shards.at("/receipt").asText());
      assertThat(receipt).startsWith(state).exists();
      // an honest receipt is no evidence: refused before any transaction
      CliResult honest =
          CliResult.run(
              "compute", "dispute", receipt.toString(), "--dev-account", "1", "--chain-rpc", rpc);
      assertThat(honest.exitCode()).isEqualTo(2);
      assertThat(honest.err()).contains("no overcharge to dispute");

      // MCP over Streamable HTTP: the gateway pays with development account 9
      assertThat(gw.mcp()).isEqualTo(gw.gateway() + "/mcp");
      for (String[] step :
          new String[][] {
            {"fund", "1axn"}, {"transfer", gw.provider(), "0.5axn"},
          }) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("compute"));
        args.addAll(java.util.List.of(step));
        args.addAll(
            java.util.List.of(
                "--dev-account", Integer.toString(Devnet.MCP_DEV_ACCOUNT), "--chain-rpc", rpc));
        assertThat(CliResult.run(args.toArray(String[]::new)).exitCode()).isZero();
      }
      try (HttpClient http = HttpClient.newHttpClient()) {
        Mcp mcp = new Mcp(http, URI.create(gw.mcp()));
        HttpResponse<String> init =
            mcp.post(
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}");
        assertThat(init.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(init.body()).at("/result/protocolVersion").asText())
            .isEqualTo("2025-11-25");
        mcp.session = init.headers().firstValue("mcp-session-id").orElseThrow();
        assertThat(
                mcp.post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")
                    .statusCode())
            .isEqualTo(202);
        JsonNode tools =
            JSON.readTree(
                mcp.post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}").body());
        assertThat(tools.at("/result/tools").findValuesAsText("name"))
            .containsExactly("list_services", "describe_service", "call_service", "get_balance");
        JsonNode listed = mcp.call(3, "list_services", "{}");
        assertThat(listed.at("/isError").asBoolean()).isFalse();
        assertThat(listed.at("/structuredContent/services/0/name").asText()).isEqualTo("digest");
        JsonNode called = mcp.call(4, "call_service", "{\"input\":\"hi mcp\"}");
        assertThat(called.at("/isError").asBoolean()).as(called.toString()).isFalse();
        assertThat(called.at("/structuredContent/output").asText())
            .isEqualTo(DemoUpstream.answer(Bytes.wrap("hi mcp".getBytes(StandardCharsets.UTF_8))));
        assertThat(called.at("/structuredContent/verified").asBoolean()).isTrue();
        // the provider's signed receipt comes back whole, ready to be kept as dispute evidence
        JsonNode mcpReceipt = called.at("/structuredContent/receipt");
        assertThat(mcpReceipt.path("signedByProvider").asBoolean()).as(called.toString()).isTrue();
        assertThat(mcpReceipt.path("overmetered").asBoolean()).isFalse();
        assertThat(mcpReceipt.path("provider").asText())
            .isEqualToIgnoringCase(called.at("/structuredContent/provider").asText());
        assertThat(mcpReceipt.path("nonce").asText())
            .isEqualTo(called.at("/structuredContent/nonce").asText());
        assertThat(mcpReceipt.path("responseHash").asText())
            .isEqualTo(
                io.axivon.common.crypto.Hashes.keccak256(
                        Bytes.wrap(
                            called
                                .at("/structuredContent/output")
                                .asText()
                                .getBytes(StandardCharsets.UTF_8)))
                    .toHexString());
        assertThat(mcpReceipt.path("signature").asText()).hasSize(2 + 130);
        JsonNode balance = mcp.call(5, "get_balance", "{}");
        assertThat(balance.at("/structuredContent/user").asText())
            .isEqualTo(
                HdKeys.ethereumAccount(Genesis.DEV_MNEMONIC, "", Devnet.MCP_DEV_ACCOUNT)
                    .address()
                    .toString());
        assertThat(balance.at("/structuredContent/account/balance").asText())
            .isEqualTo(half.toString());
        // a business error is a tool error, never a hang
        JsonNode missing =
            mcp.call(
                6,
                "describe_service",
                "{\"provider\":\"" + gw.provider() + "\",\"service\":\"nope\"}");
        assertThat(missing.at("/isError").asBoolean()).isTrue();
      }
    }
  }

  /** A minimal Streamable HTTP client: one POST per message, the session header after init. */
  private static final class Mcp {
    final HttpClient http;
    final URI url;
    String session;

    Mcp(HttpClient http, URI url) {
      this.http = http;
      this.url = url;
    }

    HttpResponse<String> post(String body) throws Exception {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(url)
              .header("Accept", "application/json, text/event-stream")
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body));
      if (session != null) {
        b.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-11-25");
      }
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode call(int id, String tool, String arguments) throws Exception {
      HttpResponse<String> r =
          post(
              "{\"jsonrpc\":\"2.0\",\"id\":"
                  + id
                  + ",\"method\":\"tools/call\",\"params\":{\"name\":\""
                  + tool
                  + "\",\"arguments\":"
                  + arguments
                  + "}}");
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode n = JSON.readTree(r.body());
      assertThat(n.at("/id").asInt()).isEqualTo(id);
      return n.at("/result");
    }
  }
}
