package io.axivon.storage.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.sdk.storage.FileInfo;
import io.axivon.sdk.storage.FlowClient;
import io.axivon.sdk.storage.layout.FileTree;
import io.axivon.storage.node.StorageNode;
import io.axivon.storage.node.StorageService;
import io.prometheus.client.CollectorRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A storage node built on the chain follower: files submitted on chain become uploadable. */
class ChainFollowingNodeTest {
  @TempDir Path dir;

  @Test
  void aNodeFollowingTheChainAcceptsSegmentsOfSubmittedFiles() throws Exception {
    byte[] data = new byte[300_000];
    new Random(5).nextBytes(data);
    FileTree tree = FileTree.of(data);
    Address alice = Address.fromHex("0x00000000000000000000000000000000000a11ce");
    try (StubChain chain = new StubChain(FlowClient.DEVNET_FLOW_ADDRESS)) {
      chain.submit(3, tree.submission(), alice);
      StorageNode.Config config =
          StorageNode.Config.defaults(
                  dir,
                  new StorageService.NetworkIdentity(
                      31337, FlowClient.DEVNET_FLOW_ADDRESS.toLowerHex()))
              .withRpcAddress(new InetSocketAddress("127.0.0.1", 0));
      ChainFlowView.Config chainConfig =
          ChainFlowView.Config.devnet(chain.uri()).withPollInterval(Duration.ofMillis(10));
      try (StorageNode node =
          StorageNode.startFollowingChain(config, chainConfig, new CollectorRegistry())) {
        ChainFlowView flow = node.chainFlow().orElseThrow();
        assertThat(flow.awaitNextTxSeq(1, Duration.ofSeconds(20))).isTrue();
        assertThat(node.service().status().nextTxSeq()).isEqualTo(1);

        long segments = tree.layout().segments();
        for (int i = 0; i < segments; i++) {
          int off = i * 262_144;
          int len = Math.min(262_144, data.length - off);
          node.service().upload(List.of(tree.segment(i, data, off, len)));
        }
        FileInfo info = node.service().fileInfoByTxSeq(0).orElseThrow();
        assertThat(info.finalized()).isTrue();
        assertThat(info.submission().root()).isEqualTo(tree.root());
        assertThat(info.submission().sender()).isEqualTo(alice);
        assertThat(node.service().download(tree.root(), 0, 4).orElseThrow().toArrayUnsafe())
            .isEqualTo(java.util.Arrays.copyOf(data, 1024));
      }
    }
  }
}
