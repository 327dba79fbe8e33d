package io.axivon.node.storage;

import static io.axivon.node.devnet.DevnetFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.common.crypto.secp256k1.HdKeys;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.consensus.execution.flow.FlowModule;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.node.cli.CliResult;
import io.axivon.node.devnet.DevnetFixture;
import io.axivon.node.devnet.DevnetManifest;
import io.axivon.sdk.eth.EthClient;
import io.axivon.sdk.rpc.JsonRpcClient;
import io.axivon.sdk.storage.FlowClient;
import io.axivon.sdk.storage.FlowSubmission;
import io.axivon.sdk.storage.StorageClient;
import io.axivon.sdk.storage.layout.FileTree;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage CLI against a devnet in this JVM (one validator, one chain, its two storage nodes):
 * upload to both nodes, download verified from one, status, and resumes that submit nothing.
 */
class StorageCliIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** Whether the node has the file whole (it may not know the root yet: exit 1). */
  private static boolean finalizedOn(String root, String node) throws Exception {
    CliResult r = CliResult.run("storage", "status", root, "--node", node, "--json");
    return r.exitCode() == 0 && JSON.readTree(r.out()).at("/nodes/0/finalized").asBoolean();
  }

  private static Path randomFile(Path file, int size, long seed) throws Exception {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    Files.write(file, data);
    return file;
  }

  @Test
  void uploadDownloadStatusAndResume() throws Exception {
    try (DevnetFixture devnet = DevnetFixture.start(dir)) {
      DevnetManifest m = devnet.manifest();
      assertThat(m.storage())
          .extracting(DevnetManifest.StorageEndpoint::name)
          .containsExactly("storage-0", "storage-1");
      assertThat(Files.readString(devnet.manifestFile()))
          .contains("\"storage\"")
          .contains(devnet.storageRpc(1));
      String chainRpc = devnet.chainRpc();
      String node0 = devnet.storageRpc(0);
      String node1 = devnet.storageRpc(1);
      EthClient eth =
          new EthClient(new JsonRpcClient(URI.create(chainRpc), Duration.ofSeconds(10)));

      // ~1 MiB, the last of its 5 segments partial
      Path file = randomFile(dir.resolve("one-mib.bin"), (1 << 20) + 12345, 1);
      List<String> upload =
          new ArrayList<>(
              List.of(
                  "storage",
                  "upload",
                  file.toString(),
                  "--chain-rpc",
                  chainRpc,
                  "--node",
                  node0,
                  "--node",
                  node1,
                  "--dev-account",
                  "0",
                  "--json"));
      JsonNode up = json(CliResult.run(upload.toArray(String[]::new)));
      String root = FileTree.of(file).root().toHexString();
      assertThat(up.path("root").asText()).isEqualTo(root);
      assertThat(up.path("submitted").asBoolean()).isTrue();
      assertThat(up.path("size").asLong()).isEqualTo(Files.size(file));
      assertThat(up.path("segments").asLong()).isEqualTo(5);
      // 5 to each node, less where a node already had a segment from its peer by P2P sync
      assertThat(up.path("segmentsSent").asLong()).isBetween(5L, 10L);
      long txSeq = up.path("txSeq").asLong();
      assertThat(up.path("nodes")).hasSize(2);
      up.path("nodes").forEach(n -> assertThat(n.path("finalized").asBoolean()).isTrue());

      JsonNode status = json(CliResult.run("storage", "status", root, "--node", node1, "--json"));
      assertThat(status.at("/nodes/0/finalized").asBoolean()).isTrue();
      assertThat(status.at("/nodes/0/txSeq").asLong()).isEqualTo(txSeq);
      assertThat(status.at("/nodes/0/uploadedSegments").asLong()).isEqualTo(5);
      CliResult text = CliResult.run("storage", "status", root, "--node", node0);
      assertThat(text.out()).contains("tx seq " + txSeq).contains("finalized");

      Path out = dir.resolve("back.bin");
      JsonNode down =
          json(
              CliResult.run(
                  "storage", "download", root, out.toString(), "--node", node0, "--json"));
      assertThat(down.path("size").asLong()).isEqualTo(Files.size(file));
      assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(file));

      // what the progress bar is drawn from: planned and transferred agree with the file
      AtomicLong[] seen = {new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong()};
      StorageClient.of(List.of(URI.create(node1)), Duration.ofSeconds(10), 2)
          .download(
              FileTree.of(file).root(),
              dir.resolve("again.bin"),
              new StorageClient.Progress() {
                @Override
                public void planned(long segments, long bytes) {
                  seen[0].addAndGet(segments);
                  seen[1].addAndGet(bytes);
                }

                @Override
                public void transferred(long segments, long bytes) {
                  seen[2].addAndGet(segments);
                  seen[3].addAndGet(bytes);
                }
              });
      assertThat(seen)
          .extracting(AtomicLong::get)
          .containsExactly(5L, Files.size(file), 5L, Files.size(file));

      // the same upload again: already stored everywhere, nothing submitted or sent
      Secp256k1PrivateKey payer = HdKeys.ethereumAccount(Genesis.DEV_MNEMONIC, "", 0);
      long nonce = eth.getTransactionCount(payer.address(), "latest");
      JsonNode again = json(CliResult.run(upload.toArray(String[]::new)));
      assertThat(again.path("submitted").asBoolean()).isFalse();
      assertThat(again.path("txSeq").asLong()).isEqualTo(txSeq);
      assertThat(again.path("segmentsSent").asLong()).isZero();
      assertThat(eth.getTransactionCount(payer.address(), "latest")).isEqualTo(nonce);

      // the same bytes with zeros appended share the root (it ignores trailing zeros) but not the
      // length: they get a submission of their own, never the shorter file's
      Path longer = dir.resolve("with-zeros.bin");
      Files.write(
          longer, java.util.Arrays.copyOf(Files.readAllBytes(file), (int) Files.size(file) + 100));
      long longerSize = Files.size(longer);
      assertThat(FileTree.of(longer).root().toHexString()).isEqualTo(root);
      upload.set(2, longer.toString());
      JsonNode zeros = json(CliResult.run(upload.toArray(String[]::new)));
      assertThat(zeros.path("submitted").asBoolean()).isTrue();
      assertThat(zeros.path("txSeq").asLong()).isNotEqualTo(txSeq);
      assertThat(zeros.path("size").asLong()).isEqualTo(longerSize);
      zeros
          .path("nodes")
          .forEach(
              n -> {
                assertThat(n.path("size").asLong()).isEqualTo(longerSize);
                assertThat(n.path("finalized").asBoolean()).isTrue();
              });
      upload.set(2, file.toString());

      // an upload interrupted after its submission: the rerun uploads to it, paying nothing more
      Path second = randomFile(dir.resolve("second.bin"), 300_000, 2);
      Secp256k1PrivateKey other = HdKeys.ethereumAccount(Genesis.DEV_MNEMONIC, "", 1);
      FlowSubmission submitted =
          new FlowClient(eth, FlowModule.ADDRESS).submit(FileTree.of(second).submission(), other);
      long otherNonce = eth.getTransactionCount(other.address(), "latest");
      upload.set(2, second.toString());
      upload.set(upload.indexOf("--dev-account") + 1, "1");
      JsonNode resumed = json(CliResult.run(upload.toArray(String[]::new)));
      assertThat(resumed.path("submitted").asBoolean()).isFalse();
      assertThat(resumed.path("txSeq").asLong()).isEqualTo(submitted.txSeq());
      // 2 segments × 2 nodes, less where P2P sync was first
      assertThat(resumed.path("segmentsSent").asLong()).isBetween(2L, 4L);
      resumed.path("nodes").forEach(n -> assertThat(n.path("finalized").asBoolean()).isTrue());
      assertThat(eth.getTransactionCount(other.address(), "latest")).isEqualTo(otherNonce);

      // the storage nodes' follower metrics on the devnet's /metrics, labelled by node
      try (HttpClient http = HttpClient.newHttpClient()) {
        String metrics =
            http.send(
                    HttpRequest.newBuilder(URI.create(m.metrics())).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(metrics).contains("axivon_storage_flow_next_tx_seq{node=\"storage-1\",}");
      }

      // a file uploaded to storage-0 alone reaches storage-1 by P2P segment sync
      Path third = randomFile(dir.resolve("third.bin"), 700_000, 3);
      JsonNode only0 =
          json(
              CliResult.run(
                  "storage",
                  "upload",
                  third.toString(),
                  "--chain-rpc",
                  chainRpc,
                  "--node",
                  node0,
                  "--dev-account",
                  "2",
                  "--json"));
      String thirdRoot = only0.path("root").asText();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!finalizedOn(thirdRoot, node1)) {
        assertThat(System.nanoTime()).as("storage-1 synced the file").isLessThan(deadline);
        Thread.sleep(100); // polling a condition
      }
      Path thirdBack = dir.resolve("third.back");
      assertThat(
              CliResult.run("storage", "download", thirdRoot, thirdBack.toString(), "--node", node1)
                  .exitCode())
          .isZero();
      assertThat(Files.readAllBytes(thirdBack)).isEqualTo(Files.readAllBytes(third));

      // unknown roots: a failure (exit 1) saying so, and no file left behind
      String unknown = "0x" + "ab".repeat(32);
      Path none = dir.resolve("none.bin");
      CliResult missing =
          CliResult.run("storage", "download", unknown, none.toString(), "--node", node0);
      assertThat(missing.exitCode()).isEqualTo(1);
      assertThat(missing.err()).contains("no storage node knows root " + unknown);
      assertThat(none).doesNotExist();
      CliResult unknownStatus = CliResult.run("storage", "status", unknown, "--node", node0);
      assertThat(unknownStatus.exitCode()).isEqualTo(1);
      assertThat(unknownStatus.out()).contains("unknown root");
    }
  }
}
