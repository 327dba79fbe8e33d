package io.axivon.node.storage;

import static io.axivon.node.devnet.DevnetFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.axivon.common.crypto.secp256k1.HdKeys;
import io.axivon.consensus.execution.flow.FlowModule;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.node.cli.CliResult;
import io.axivon.node.devnet.DevnetFixture;
import io.axivon.sdk.eth.EthClient;
import io.axivon.sdk.rpc.JsonRpcClient;
import io.axivon.sdk.storage.FlowClient;
import io.axivon.sdk.storage.StorageClient;
import io.axivon.sdk.storage.StorageJson;
import io.axivon.sdk.storage.layout.FileTree;
import io.axivon.sdk.storage.layout.Layout;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash test: two storage nodes as their own OS processes on a devnet's chain 0, one
 * SIGKILLed during an upload, restarted from its data dir; the rerun sends only the segments each
 * node lacks, and the file comes back whole from the other node alone.
 */
class StorageKillResumeIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int SEGMENTS = 24;

  @TempDir Path dir;

  @Test
  void sigkillDuringUploadThenRestartResumeAndDownloadFromTheOtherNode() throws Exception {
    StorageNodeProcess.jar();
    try (DevnetFixture devnet = DevnetFixture.start(dir)) {
      String chainRpc = devnet.chainRpc();
      Path configA = StorageNodeProcess.writeConfig(dir.resolve("a.yaml"), "a-data", chainRpc, "");
      Path configB = StorageNodeProcess.writeConfig(dir.resolve("b.yaml"), "b-data", chainRpc, "");
      Path errA = dir.resolve("a.err");
      Path errB = dir.resolve("b.err");

      byte[] data = new byte[(SEGMENTS - 1) * Layout.SEGMENT_SIZE + 4321];
      new Random(8).nextBytes(data);
      Path file = Files.write(dir.resolve("file.bin"), data);
      FileTree tree = FileTree.of(file);

      try (StorageNodeProcess b = StorageNodeProcess.start(configB, errB)) {
        StorageNodeProcess a = StorageNodeProcess.start(configA, errA);
        try {
          EthClient eth = new EthClient(new JsonRpcClient(URI.create(chainRpc), WAIT));
          long txSeq =
              new FlowClient(eth, FlowModule.ADDRESS)
                  .submit(tree.submission(), HdKeys.ethereumAccount(Genesis.DEV_MNEMONIC, "", 3))
                  .txSeq();
          awaitKnown(a.client(WAIT), txSeq);
          awaitKnown(b.client(WAIT), txSeq);

          // upload to A and B (their calls alternate, two in flight); SIGKILL A once 8 segments
          // are in
          StorageNodeProcess killed = a;
          AtomicLong transferred = new AtomicLong();
          AtomicBoolean killedOnce = new AtomicBoolean();
          StorageClient client = new StorageClient(List.of(a.client(WAIT), b.client(WAIT)), 2);
          assertThatThrownBy(
                  () ->
                      client.upload(
                          tree,
                          file,
                          txSeq,
                          (segments, bytes) -> {
                            if (transferred.addAndGet(segments) >= 8
                                && killedOnce.compareAndSet(false, true)) {
                              try {
                                killed.kill();
                              } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                              }
                            }
                          }))
              .as("the upload to the killed node fails")
              .isInstanceOf(Exception.class);
          assertThat(killedOnce).isTrue();
        } finally {
          a.close();
        }

        // restart A from the same data dir: its store reopens and keeps what it committed
        a = StorageNodeProcess.start(configA, errA);
        try {
          JsonRpcClient nodeA = a.client(WAIT);
          JsonRpcClient nodeB = b.client(WAIT);
          long txSeq = awaitKnownByRoot(nodeA, tree);
          long storedA = bitmapCount(nodeA, txSeq);
          long storedB = bitmapCount(nodeB, txSeq);
          // of the two calls (4 segments each) reported before the kill, at least one was A's
          // (calls alternate A, B, A, ... with two in flight), and what A answered was committed
          assertThat(storedA).as("A was killed mid-upload").isBetween(4L, SEGMENTS - 1L);
          assertThat(fileInfo(nodeA, txSeq).path("uploadedSegNum").asLong()).isEqualTo(storedA);

          // the CLI rerun: nothing submitted again, only the missing segments sent
          JsonNode rerun =
              json(
                  CliResult.run(
                      "storage",
                      "upload",
                      file.toString(),
                      "--chain-rpc",
                      chainRpc,
                      "--node",
                      a.rpc().toString(),
                      "--node",
                      b.rpc().toString(),
                      "--dev-account",
                      "3",
                      "--json"));
          assertThat(rerun.path("submitted").asBoolean()).isFalse();
          assertThat(rerun.path("txSeq").asLong()).isEqualTo(txSeq);
          assertThat(rerun.path("segmentsSent").asLong())
              .isEqualTo((SEGMENTS - storedA) + (SEGMENTS - storedB));
          rerun.path("nodes").forEach(n -> assertThat(n.path("finalized").asBoolean()).isTrue());
          assertThat(fileInfo(nodeA, txSeq).path("finalized").asBoolean()).isTrue();
          assertThat(bitmapCount(nodeA, txSeq)).isEqualTo(SEGMENTS);

          // download from B alone (A is stopped first, so nothing can come from it)
          assertThat(a.stop()).as("A stops on SIGTERM").isTrue();
          Path out = dir.resolve("back.bin");
          json(
              CliResult.run(
                  "storage",
                  "download",
                  tree.root().toHexString(),
                  out.toString(),
                  "--node",
                  b.rpc().toString(),
                  "--json"));
          assertThat(Files.readAllBytes(out)).isEqualTo(data);
        } finally {
          a.close();
        }
      }
      assertThat(Files.readString(errA)).doesNotContain("Exception");
    }
  }

  private static JsonNode fileInfo(JsonRpcClient node, long txSeq) {
    return node.callRaw("zgs_getFileInfoByTxSeq", txSeq);
  }

  private static long bitmapCount(JsonRpcClient node, long txSeq) {
    return StorageJson.bitmap(node.callRaw("zgs_getSegmentBitmapByTxSeq", txSeq), SEGMENTS).count();
  }

  /** Waits until the node has synced submission {@code txSeq} from the chain. */
  private static void awaitKnown(JsonRpcClient node, long txSeq) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (fileInfo(node, txSeq).isNull()) {
      assertThat(System.nanoTime()).as("node synced tx seq %d in time", txSeq).isLessThan(deadline);
      Thread.sleep(100); // the node polls the chain every 100 ms: nothing to wait on but its answer
    }
  }

  private static long awaitKnownByRoot(JsonRpcClient node, FileTree tree)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    JsonNode info;
    while ((info = node.callRaw("zgs_getFileInfo", tree.root().toHexString(), false)).isNull()) {
      assertThat(System.nanoTime())
          .as("restarted node knows the root in time")
          .isLessThan(deadline);
      Thread.sleep(100);
    }
    return info.at("/tx/seq").asLong();
  }
}
