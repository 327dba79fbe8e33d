package io.axivon.node.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.HdKeys;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.compute.demo.DemoUpstream;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.node.cli.CliProcess;
import io.axivon.node.devnet.DevnetFixture;
import io.axivon.sdk.compute.ComputeClient;
import io.axivon.sdk.compute.ComputeException;
import io.axivon.sdk.compute.ServingAbi;
import io.axivon.sdk.compute.ServingClient;
import io.axivon.sdk.compute.ServingDomain;
import io.axivon.sdk.compute.SubAccount;
import io.axivon.sdk.eth.EthClient;
import io.axivon.sdk.eth.Log;
import io.axivon.sdk.rpc.JsonRpcClient;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code axivon compute-gateway} killed with SIGKILL after it metered N paid requests
 * and before it settled any (its settlement threshold and timer are set out of reach): restarted
 * from the same config and journal, it settles every one exactly once (the chain's FeesSettled
 * events count N requests whose fees sum to what the user was charged, the sub-account's nonce is
 * the last request's), still asks for the output it metered before the kill, and the user's funds
 * are conserved (ledger + sub-account + fees paid = what was deposited).
 */
class ComputeGatewayKillIT {
  private static final int N = 20;
  private static final String SERVICE = "crash-digest";

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void sigkillBetweenMeteringAndSettlementLosesAndDuplicatesNothing() throws Exception {
    CliProcess.jar();
    try (DevnetFixture devnet = DevnetFixture.start(dir)) {
      String rpc = devnet.chainRpc();
      EthClient eth = new EthClient(new JsonRpcClient(URI.create(rpc), Duration.ofSeconds(10)));
      ServingClient chain = new ServingClient(eth);
      Secp256k1PrivateKey providerKey = HdKeys.ethereumAccount(Genesis.DEV_MNEMONIC, "", 7);
      Secp256k1PrivateKey userKey = HdKeys.ethereumAccount(Genesis.DEV_MNEMONIC, "", 8);
      Address provider = providerKey.address();
      Address user = userKey.address();
      Path home = Files.createDirectories(dir.resolve("gateway"));
      Files.writeString(home.resolve("provider.key"), providerKey.bytes().toUnprefixedHexString());

      // nothing settles before the kill: the threshold and the timer are out of reach
      Process first = start(home, rpc, 256, 3_600_000);
      BigInteger deposit = Genesis.AXN;
      BigInteger transferred = deposit.divide(BigInteger.TWO);
      BigInteger charged = BigInteger.ZERO;
      BigInteger owed = BigInteger.ZERO;
      URI url;
      try {
        JsonNode doc = CliProcess.readDocument(first);
        assertThat(doc.path("provider").asText()).isEqualTo(provider.toString());
        url = URI.create(doc.path("gateway").asText() + DemoUpstream.PATH);
        chain.deposit(userKey, deposit);
        chain.transferFund(userKey, provider, transferred);
        ComputeClient client =
            new ComputeClient(
                http, userKey, ServingDomain.of(eth.chainId()), Duration.ofSeconds(30));
        for (int i = 1; i <= N; i++) {
          Bytes body = Bytes.wrap(("request " + i).getBytes(StandardCharsets.UTF_8));
          BigInteger fee = BigInteger.valueOf(body.size()).add(owed); // 1 wei a byte each way
          ComputeClient.Response r = client.post(url, provider, SERVICE, i, fee, body);
          assertThat(r.status()).isEqualTo(200);
          charged = charged.add(fee);
          owed = r.owed();
          assertThat(owed).isEqualTo(BigInteger.valueOf(r.body().size()));
        }
        assertThat(pending(doc)).isEqualTo(N);
        assertThat(chain.account(user, provider).nonce()).isZero(); // metered, not settled
        first.destroyForcibly(); // SIGKILL
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
      } finally {
        first.destroyForcibly();
      }
      assertThat(chain.account(user, provider).nonce())
          .as("nothing settled before the kill")
          .isZero();

      // the same config and journal, now settling every 200 ms
      Process second = start(home, rpc, 256, 200);
      try {
        JsonNode doc = CliProcess.readDocument(second);
        url = URI.create(doc.path("gateway").asText() + DemoUpstream.PATH); // port 0: a new one
        ComputeClient client =
            new ComputeClient(
                http, userKey, ServingDomain.of(eth.chainId()), Duration.ofSeconds(30));
        Bytes body = Bytes.wrap("after the kill".getBytes(StandardCharsets.UTF_8));
        BigInteger input = BigInteger.valueOf(body.size());
        // the output metered before the kill is still owed: a fee without it is refused
        URI again = url;
        assertThatThrownBy(() -> client.post(again, provider, SERVICE, N + 1, input, body))
            .isInstanceOfSatisfying(
                ComputeException.class, e -> assertThat(e.status()).isEqualTo(402))
            .hasMessageContaining(owed + " wei owed for output");
        BigInteger fee = input.add(owed);
        assertThat(client.post(url, provider, SERVICE, N + 1, fee, body).status()).isEqualTo(200);
        charged = charged.add(fee);

        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (chain.account(user, provider).nonce().longValueExact() < N + 1
            || pending(doc) != 0) {
          assertThat(System.nanoTime()).as("settled within 90 s").isLessThan(deadline);
          Thread.sleep(200); // polling chain state: nothing to wait on but the next block
        }
        second.destroy(); // SIGTERM
        assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
      } finally {
        second.destroyForcibly();
      }

      SubAccount account = chain.account(user, provider);
      assertThat(account.nonce()).isEqualTo(BigInteger.valueOf(N + 1));
      assertThat(account.balance()).isEqualTo(transferred.subtract(charged));
      List<Log> settled =
          eth.getLogs(
              ServingDomain.SERVING_ADDRESS,
              List.of(
                  List.of(ServingAbi.topic(ServingAbi.FEES_SETTLED)),
                  List.of(Bytes32.leftPad(user.bytes())),
                  List.of(Bytes32.leftPad(provider.bytes()))),
              0,
              eth.blockNumber());
      long count = 0;
      BigInteger total = BigInteger.ZERO;
      long lastNonce = 0;
      for (Log l : settled) {
        count += l.data().slice(0, 32).toUnsignedBigInteger().longValueExact();
        total = total.add(l.data().slice(32, 32).toUnsignedBigInteger());
        long n = l.data().slice(64, 32).toUnsignedBigInteger().longValueExact();
        assertThat(n).as("batches settle increasing nonces").isGreaterThan(lastNonce);
        lastNonce = n;
      }
      assertThat(count).as("every request settled exactly once").isEqualTo(N + 1);
      assertThat(total).as("fees settled = fees charged").isEqualTo(charged);
      assertThat(lastNonce).isEqualTo(N + 1);
      // conserved: what the user deposited is in its ledger, its sub-account or paid as fees
      assertThat(chain.balance(user).add(account.balance()).add(total)).isEqualTo(deposit);
    }
  }

  private Process start(Path home, String rpc, int batchSize, long intervalMs) throws Exception {
    Path config = home.resolve("gateway.yaml");
    Files.writeString(
        config,
        "port: 0\n"
            + "upstream: demo\n"
            + "provider-key: provider.key\n"
            + "journal: journal.log\n"
            + "chain:\n  rpc: "
            + rpc
            + "\n"
            + "service:\n  name: "
            + SERVICE
            + "\n  input-price: '1'\n  output-price: '1'\n  verifiability: signed-response\n"
            + "settlement:\n  batch-size: "
            + batchSize
            + "\n  interval-ms: "
            + intervalMs
            + "\n"
            + "metrics:\n  port: 0\n");
    return CliProcess.start(
        home.resolve("stderr.txt"), "compute-gateway", "--config", config.toString(), "--json");
  }

  /** The gateway's axivon_compute_gateway_pending_requests, from its /metrics. */
  private int pending(JsonNode doc) throws Exception {
    String metrics =
        http.send(
                HttpRequest.newBuilder(URI.create(doc.path("metrics").asText())).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    for (String line : metrics.split("\n")) {
      if (line.startsWith("axivon_compute_gateway_pending_requests ")) {
        return (int) Double.parseDouble(line.substring(line.indexOf(' ') + 1));
      }
    }
    throw new AssertionError("no pending gauge in /metrics");
  }
}
