package io.axivon.node.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.common.config.ConfigLoader;
import io.axivon.kv.node.StreamFilter;
import io.axivon.node.cli.CliResult;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `axivon kv-node`: what it refuses before starting (exit 2, one line) and how config is read. */
class KvNodeCliTest {
  static final String S1 = "0x" + "11".repeat(32);
  static final String S2 = "0x" + "22".repeat(32);
  @TempDir Path dir;

  @Test
  void refusesMissingOrBadStreams() {
    CliResult none = CliResult.run("kv-node", "--data-dir", dir.toString());
    assertThat(none.exitCode()).as(none.err()).isEqualTo(2);
    assertThat(none.err()).contains("streams: give the stream ids to replay");
    CliResult bad = CliResult.run("kv-node", "--streams", "0x12", "--data-dir", dir.toString());
    assertThat(bad.exitCode()).as(bad.err()).isEqualTo(2);
    assertThat(bad.err())
        .contains("streams: 0x12 is not a stream id (0x and 64 hex digits) nor all");
    CliResult url =
        CliResult.run(
            "kv-node",
            "--streams",
            "all",
            "--storage-node",
            "ftp://x",
            "--data-dir",
            dir.toString());
    assertThat(url.exitCode()).as(url.err()).isEqualTo(2);
    assertThat(url.err()).contains("not an http(s) URL: ftp://x");
  }

  @Test
  void configFileThenFlags() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("kv.yaml"),
            "data-dir: ./state\nstreams: [\""
                + S1
                + "\"]\nstorage-nodes: [\"http://127.0.0.1:5679/\"]\nrpc:\n  port: 7000\n");
    KvNodeConfig cfg = ConfigLoader.load(KvNodeConfig.class, Optional.of(file), Map.of());
    assertThat(cfg.streamFilter()).isEqualTo(StreamFilter.of(Set.of(Bytes32.fromHexString(S1))));
    assertThat(cfg.storageNodeUrls()).containsExactly(URI.create("http://127.0.0.1:5679/"));
    assertThat(cfg.rpc().port()).isEqualTo(7000);
    assertThat(cfg.chain().rpc()).isEqualTo("http://127.0.0.1:8545/");

    KvNodeCommand cmd = new KvNodeCommand();
    cmd.streams = List.of(S1, S2);
    KvNodeConfig flagged =
        ConfigLoader.load(KvNodeConfig.class, Optional.of(file), cmd.overrides());
    assertThat(flagged.streamFilter().streams())
        .containsExactlyInAnyOrder(Bytes32.fromHexString(S1), Bytes32.fromHexString(S2));
    cmd.streams = List.of("all");
    assertThat(
            ConfigLoader.load(KvNodeConfig.class, Optional.of(file), cmd.overrides())
                .streamFilter()
                .holdsAll())
        .isTrue();
    assertThat(KvNodeConfig.defaults().rpc().port()).isEqualTo(6789);
    assertThatThrownBy(() -> KvNodeConfig.streamFilter(List.of()))
        .isInstanceOf(InvalidInputException.class);
  }
}
