package io.axivon.node.devnet;

import static io.axivon.node.devnet.DevnetFixture.FAST;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.da.cert.DaCertificate;
import io.axivon.da.chain.ChainDaView;
import io.axivon.da.chain.DaChain;
import io.axivon.node.cli.CliResult;
import io.axivon.node.validator.ValidatorKeyFile;
import io.axivon.sdk.da.DaClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data availability end to end on a 4-validator devnet in this JVM: blobs put through the REST and
 * the OP Alt-DA API are certified by the validators' DA nodes and confirmed on chain 0, come back
 * byte for byte with a DA node down, and after a restart on the same data dir; the {@code axivon
 * da} commands drive the same API.
 */
class DevnetDaIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long DEADLINE_NANOS = 180_000_000_000L;

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  private static Devnet.Options options(Path data) {
    return Devnet.Options.onFreePorts(data, 4, 1, FAST);
  }

  @Test
  void blobsCertifyOnChainZeroAndSurviveANodeDownAndARestart() throws Exception {
    Path data = dir.resolve("devnet");
    byte[] rest = new byte[150_000];
    new Random(1).nextBytes(rest);
    byte[] alt = new byte[40_000];
    new Random(2).nextBytes(alt);
    String key;
    Bytes32 dataRoot;
    try (Devnet devnet = Devnet.start(options(data))) {
      DevnetManifest.DaEndpoint m = devnet.manifest().da();
      assertThat(m).isNotNull();
      assertThat(m.nodes()).hasSize(4);
      assertThat(m.module()).isEqualTo(DaClient.DA_ADDRESS.toString());
      DevnetDa da = devnet.da().orElseThrow();
      awaitReady(da);
      String api = m.api();

      // REST: 202 with the key at once, then certified on chain 0
      HttpResponse<String> put =
          http.send(
              HttpRequest.newBuilder(URI.create(api + "/v1/blobs"))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(rest))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(put.statusCode()).as(put.body()).isEqualTo(202);
      key = JSON.readTree(put.body()).get("key").asText();
      JsonNode status = awaitCertified(api, key);
      dataRoot = Bytes32.fromHexString(status.get("dataRoot").asText());
      assertThat(da.client().isAvailable(dataRoot)).isTrue();
      DaClient.Blob onChain = da.client().blob(dataRoot);
      assertThat(onChain.status()).isEqualTo(1);
      assertThat(onChain.size()).isEqualTo(rest.length);
      assertThat(onChain.disperser().toString()).isEqualTo(m.disperser());
      assertThat(get(api + "/v1/blobs/" + key)).isEqualTo(rest);
      // confirming again is idempotent: the earlier certification is the confirmation
      ChainDaView again =
          new ChainDaView(
              da.client(),
              Optional.of(ValidatorKeyFile.loadFeeKey(DevnetDa.disperserKeyFile(data))));
      assertThat(
              again.confirm(
                  DaCertificate.decode(Bytes.fromHexString(status.get("certificate").asText())),
                  rest.length))
          .isEqualTo(
              new DaChain.Confirmation(
                  Bytes32.fromHexString(status.get("tx").asText()), status.get("block").asLong()));

      // OP Alt-DA: the put answers once certified, with the generic commitment
      HttpResponse<byte[]> altPut =
          http.send(
              HttpRequest.newBuilder(URI.create(api + "/put"))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(alt))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(altPut.statusCode()).as(new String(altPut.body())).isEqualTo(200);
      Bytes commitment = Bytes.wrap(altPut.body());
      assertThat(commitment.size()).isEqualTo(34);
      assertThat(commitment.slice(0, 2)).isEqualTo(Bytes.of(0x01, 0x41));
      assertThat(get(api + "/get/" + commitment.toHexString())).isEqualTo(alt);
      JsonNode altStatus =
          JSON.readTree(get(api + "/v1/blobs/" + commitment.slice(2).toHexString() + "/status"));
      assertThat(da.client().isAvailable(Bytes32.fromHexString(altStatus.get("dataRoot").asText())))
          .isTrue();

      // the CLI over the same API
      Path file = dir.resolve("cli.bin");
      byte[] viaCli = new byte[5_000];
      new Random(3).nextBytes(viaCli);
      Files.write(file, viaCli);
      CliResult cliPut = CliResult.run("da", "put", file.toString(), "--api", api, "--json");
      assertThat(cliPut.exitCode()).as(cliPut.err()).isZero();
      JsonNode cliJson = JSON.readTree(cliPut.out());
      assertThat(cliJson.get("status").asText()).isEqualTo("certified");
      String cliKey = cliJson.get("key").asText();
      Path back = dir.resolve("back.bin");
      CliResult cliGet = CliResult.run("da", "get", cliKey, "--out", back.toString(), "--api", api);
      assertThat(cliGet.exitCode()).as(cliGet.err()).isZero();
      assertThat(Files.readAllBytes(back)).isEqualTo(viaCli);
      CliResult cliStatus = CliResult.run("da", "status", cliKey, "--api", api, "--json");
      assertThat(cliStatus.exitCode()).as(cliStatus.err()).isZero();
      assertThat(JSON.readTree(cliStatus.out()).get("status").asText()).isEqualTo("certified");
      CliResult sample = CliResult.run("da", "sample", cliKey, "--api", api, "--json");
      assertThat(sample.exitCode()).as(sample.err()).isZero();
      assertThat(JSON.readTree(sample.out()).get("verified").asInt())
          .isEqualTo(JSON.readTree(sample.out()).get("asked").asInt())
          .isPositive();
      CliResult unknown = CliResult.run("da", "status", "0x" + "ab".repeat(32), "--api", api);
      assertThat(unknown.exitCode()).isEqualTo(1);
      assertThat(unknown.err()).contains("unknown blob");

      // one DA node down: the others still hold enough rows
      da.nodes().get(3).close();
      assertThat(get(api + "/v1/blobs/" + key)).isEqualTo(rest);
    }

    // a restart on the same data dir keeps the certified blob retrievable
    try (Devnet devnet = Devnet.start(options(data))) {
      DevnetDa da = devnet.da().orElseThrow();
      String api = devnet.manifest().da().api();
      assertThat(da.client().isAvailable(dataRoot)).isTrue();
      JsonNode status = JSON.readTree(get(api + "/v1/blobs/" + key + "/status"));
      assertThat(status.get("status").asText()).isEqualTo("certified");
      assertThat(get(api + "/v1/blobs/" + key)).isEqualTo(rest);
    }
  }

  private byte[] get(String url) throws Exception {
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).as(url + ": " + new String(r.body())).isEqualTo(200);
    return r.body();
  }

  private static void awaitReady(DevnetDa da) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE_NANOS;
    while (!da.ready()) {
      assertThat(System.nanoTime()).as("DA operators in the epoch").isLessThan(deadline);
      Thread.sleep(200); // polling a condition, with a deadline
    }
  }

  private JsonNode awaitCertified(String api, String key) throws Exception {
    long deadline = System.nanoTime() + DEADLINE_NANOS;
    while (true) {
      JsonNode s = JSON.readTree(get(api + "/v1/blobs/" + key + "/status"));
      String state = s.get("status").asText();
      assertThat(state).as(s.toString()).isNotEqualTo("failed");
      if (state.equals("certified")) {
        return s;
      }
      assertThat(System.nanoTime()).as("certified in time: " + s).isLessThan(deadline);
      Thread.sleep(100); // polling a condition, with a deadline
    }
  }
}
