package io.axivon.node.devnet;

import static io.axivon.node.devnet.DevnetFixture.FAST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.HdKeys;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.consensus.execution.tx.DynamicFeeTransaction;
import io.axivon.consensus.execution.tx.TxSigner;
import io.axivon.consensus.mempool.AddResult;
import io.axivon.p2p.P2pNode;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevnetIT {
  @TempDir Path dir;

  private static Devnet.Options options(Path dir) {
    return Devnet.Options.onFreePorts(dir, 4, 2, FAST);
  }

  static void await(BooleanSupplier condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(20); // polling a condition, not waiting for luck
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
    }
  }

  private static String get(String url) throws IOException, InterruptedException {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client
          .send(
              HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
          .body();
    }
  }

  private static String post(String url, String body) throws IOException, InterruptedException {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client
          .send(
              HttpRequest.newBuilder(URI.create(url))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    }
  }

  @Test
  void validatorsMeshFinalizeAndShowOnMetrics() throws Exception {
    try (Devnet devnet = Devnet.start(options(dir))) {
      List<P2pNode> nodes = devnet.nodes();
      // validators 1..3 only know validator 0 at start: a full mesh means peer exchange worked
      await(
          () -> nodes.stream().allMatch(n -> n.peers().size() == 3),
          Duration.ofSeconds(30),
          "mesh");
      await(
          () ->
              devnet.validators().stream()
                  .allMatch(v -> v.chains().stream().allMatch(c -> c.node().height() >= 3)),
          Duration.ofSeconds(60),
          "every validator at height 3 on both chains");
      DevnetManifest manifest = devnet.manifest();
      String metrics = get(manifest.metrics());
      assertThat(metrics)
          .containsPattern(
              "axivon_consensus_height\\{chain=\"axivon-12700\",node=\"3\",} [0-9]+\\.0")
          .contains("axivon_p2p_connected_peers{node=\"0\",} 3.0")
          .contains("axivon_consensus_commit_seconds_count{chain=\"axivon-12700\",node=\"1\",}")
          .containsPattern(
              "axivon_consensus_height\\{chain=\"axivon-12701\",node=\"0\",} [0-9]+\\.0")
          .contains("jvm_threads_current");

      String chainId =
          post(
              manifest.chains().get(1).rpc(),
              "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[]}");
      assertThat(chainId).contains("\"result\":\"0x319d\"");
      String getStakingCode =
          "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"eth_getCode\",\"params\":"
              + "[\"0x0000000000000000000000000000000000001000\",\"latest\"]}";
      // The staking module lives on chain 0 only: it holds the stake of the whole cluster.
      assertThat(post(manifest.chains().get(0).rpc(), getStakingCode))
          .contains("\"result\":\"0x60006000fd\"");
      assertThat(post(manifest.chains().get(1).rpc(), getStakingCode))
          .contains("\"result\":\"0x\"");

      // ... and so does the storage flow, whose address the manifest lists: market() is itself
      assertThat(manifest.chains().get(0).contracts())
          .containsEntry("staking", "0x0000000000000000000000000000000000001000")
          .containsEntry("flow", "0x0000000000000000000000000000000000001001")
          .containsEntry("serving", "0x0000000000000000000000000000000000001005")
          .containsEntry("dataAvailability", "0x0000000000000000000000000000000000001004")
          .containsEntry("crossChain", "0x0000000000000000000000000000000000001006");
      assertThat(manifest.chains().get(1).contracts())
          .containsOnlyKeys("chain0LightClient", "crossChain");
      String market =
          "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"eth_call\",\"params\":[{\"to\":"
              + "\"0x0000000000000000000000000000000000001001\",\"data\":\"0x80f55605\"},\"latest\"]}";
      assertThat(post(manifest.chains().get(0).rpc(), market))
          .contains("\"result\":\"0x" + "0".repeat(60) + "1001\"");

      DevnetManifest onDisk =
          new ObjectMapper().readValue(dir.resolve("devnet.json").toFile(), DevnetManifest.class);
      assertThat(onDisk).isEqualTo(manifest);
      assertThat(onDisk.p2p()).hasSize(4);
      assertThat(onDisk.chainId()).isEqualTo(Devnet.CHAIN_ID);
      assertThat(onDisk.chains())
          .extracting(DevnetManifest.ChainEndpoint::evmChainId)
          .containsExactly(12700L, 12701L);
      assertThat(onDisk.devAccounts())
          .hasSize(10)
          .first()
          .isEqualTo("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
      assertThat(onDisk.p2p().get(0).nodeId()).isEqualTo(nodes.get(0).localId().toHex());
    }
  }

  @Test
  void anEvmTransferSubmittedToOneValidatorIsExecutedByAll() {
    try (Devnet devnet = Devnet.start(options(dir))) {
      for (int chain = 0; chain < 2; chain++) {
        transferOn(devnet, chain);
      }
    }
  }

  private static void transferOn(Devnet devnet, int chain) {
    {
      var key = HdKeys.ethereumAccount(Genesis.DEV_MNEMONIC, "", 0);
      Address to = Address.fromHex("0x000000000000000000000000000000000000bEEF");
      BigInteger value = Genesis.AXN;
      BigInteger gwei = BigInteger.TEN.pow(9);
      Bytes raw =
          TxSigner.sign(
                  new DynamicFeeTransaction(
                      Devnet.NETWORK_ID + chain,
                      0,
                      gwei.multiply(BigInteger.TWO),
                      gwei.multiply(BigInteger.valueOf(100)),
                      21_000,
                      Optional.of(to),
                      value,
                      Bytes.EMPTY,
                      List.of(),
                      null),
                  key)
              .encode();
      var validators = devnet.validators().stream().map(v -> v.chains().get(chain)).toList();
      assertThat(validators.get(1).node().submit(raw)).isInstanceOf(AddResult.Added.class);
      await(
          () ->
              validators.stream()
                  .allMatch(
                      v ->
                          v.evm()
                              .orElseThrow()
                              .index()
                              .location(Hashes.keccak256(raw))
                              .isPresent()),
          Duration.ofSeconds(60),
          "the transfer in a block on every validator");
      for (var v : validators) {
        assertThat(v.evm().orElseThrow().index().receipt(Hashes.keccak256(raw))).isPresent();
      }
      // the same chain everywhere: the head's state root agrees once all are at one height
      long h = validators.get(0).node().height();
      await(
          () -> validators.stream().allMatch(v -> v.node().height() >= h),
          Duration.ofSeconds(30),
          "all at one height");
      var root = validators.get(0).node().block(h).orElseThrow().appHashAfter();
      for (var v : validators) {
        assertThat(v.node().block(h).orElseThrow().appHashAfter()).isEqualTo(root);
      }
    }
  }

  @Test
  void restartKeepsIdentitiesAndContinuesTheChain() {
    List<String> first;
    long height;
    try (Devnet devnet = Devnet.start(options(dir))) {
      first = devnet.manifest().p2p().stream().map(DevnetManifest.P2pEndpoint::nodeId).toList();
      await(
          () -> devnet.validators().get(0).node().height() >= 2,
          Duration.ofSeconds(60),
          "height 2");
      height = devnet.validators().get(0).node().height();
    }
    try (Devnet devnet = Devnet.start(options(dir))) {
      assertThat(devnet.manifest().p2p().stream().map(DevnetManifest.P2pEndpoint::nodeId))
          .containsExactlyElementsOf(first);
      assertThat(devnet.validators().get(0).node().height()).isGreaterThanOrEqualTo(height);
      await(
          () -> devnet.validators().get(0).node().height() > height,
          Duration.ofSeconds(60),
          "the same chain grows after the restart");
    }
  }

  @Test
  void secondDevnetOnTheSameDataDirIsRefused() {
    try (Devnet devnet = Devnet.start(options(dir))) {
      assertThat(devnet.nodes()).hasSize(4);
      assertThatThrownBy(() -> Devnet.start(options(dir)))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("another devnet is running");
    }
  }

  @Test
  void takenP2pPortIsNamedAndLeavesNothingBehind() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Devnet.Options onTakenPort =
          Devnet.Options.onFreePorts(dir, 4, 2, FAST).withP2pBasePort(taken.getLocalPort());
      assertThatThrownBy(() -> Devnet.start(onTakenPort))
          .hasMessageContaining("P2P port " + taken.getLocalPort())
          .hasMessageContaining("in use");
    }
    // the failed start released the data dir
    try (Devnet devnet = Devnet.start(options(dir))) {
      assertThat(devnet.nodes()).hasSize(4);
    }
  }

  @Test
  void badOptionsAreInputErrors() {
    assertThatThrownBy(() -> Devnet.Options.onFreePorts(dir, 0, 2, FAST))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("--validators");
    assertThatThrownBy(() -> Devnet.Options.onFreePorts(dir, 4, 2, FAST).withP2pBasePort(65534))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("--p2p-port");
  }
}
