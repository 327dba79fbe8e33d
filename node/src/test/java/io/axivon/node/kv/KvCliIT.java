package io.axivon.node.kv;

import static io.axivon.node.devnet.DevnetFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.axivon.common.crypto.secp256k1.HdKeys;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.node.cli.CliResult;
import io.axivon.node.devnet.DevnetFixture;
import io.axivon.node.devnet.DevnetManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `axivon kv` against a devnet in this JVM (one validator, one chain, its storage nodes) and a KV
 * node following that chain: writes go through the flow and a storage node, the KV node replays
 * them with the Submit events' senders, reads come back over kv_* RPC.
 */
class KvCliIT {
  @TempDir Path dir;

  @Test
  void putGetRangeDeleteAndAccessControlOnADevnet() throws Exception {
    try (DevnetFixture devnet = DevnetFixture.start(dir)) {
      DevnetManifest m = devnet.manifest();
      String chainRpc = devnet.chainRpc();
      String storage = devnet.storageRpc(0);
      // the devnet's own KV node, holding the default stream
      assertThat(m.services()).containsKey("kv");
      String kvRpc = m.services().get("kv");
      List<String> common = List.of("--chain-rpc", chainRpc, "--node", storage, "--kv-node", kvRpc);

      JsonNode put = json(run(common, "kv", "put", "greeting", "hello", "--json"));
      assertThat(put.path("result").asText()).isEqualTo("Commit");
      long version = put.path("txSeq").asLong();
      JsonNode got = json(run(common(kvRpc), "kv", "get", "greeting", "--json"));
      assertThat(got.path("value").asText()).isEqualTo("hello");
      assertThat(got.path("version").asLong()).isEqualTo(version);
      assertThat(run(common(kvRpc), "kv", "get", "greeting").out()).isEqualTo("hello\n");

      assertThat(run(common, "kv", "put", "other", "x").exitCode()).isZero();
      JsonNode range = json(run(common(kvRpc), "kv", "range", "--json"));
      assertThat(range.path("entries")).hasSize(2);
      assertThat(range.at("/entries/0/key").asText()).isEqualTo("greeting");
      assertThat(range.at("/entries/1/key").asText()).isEqualTo("other");

      // dev account 0 opened the stream and is its admin: account 1 may not write until granted
      CliResult denied = run(common, "kv", "put", "greeting", "hi", "--dev-account", "1");
      assertThat(denied.exitCode()).isEqualTo(1);
      assertThat(denied.err()).contains("WritePermissionDenied");
      String account1 = HdKeys.ethereumAccount(Genesis.DEV_MNEMONIC, "", 1).address().toString();
      assertThat(run(common, "kv", "grant", account1).exitCode()).isZero();
      assertThat(run(common, "kv", "put", "greeting", "hi", "--dev-account", "1").exitCode())
          .isZero();
      assertThat(run(common(kvRpc), "kv", "get", "greeting").out()).isEqualTo("hi\n");
      // as of the first write
      assertThat(run(common(kvRpc), "kv", "get", "greeting", "--at", String.valueOf(version)).out())
          .isEqualTo("hello\n");

      // a value above the KV node's 64 KiB threshold: kept by reference in the node's value
      // files, and kv get reads it back in 256 KiB pages (KvClient.PIECE): three here
      StringBuilder b = new StringBuilder();
      for (int i = 0; b.length() < 600 * 1024; i++) {
        b.append(i).append(',');
      }
      String big = b.toString();
      JsonNode bigPut = json(run(common, "kv", "put", "big", big, "--json"));
      assertThat(bigPut.path("result").asText()).isEqualTo("Commit");
      assertThat(run(common(kvRpc), "kv", "get", "big").out()).isEqualTo(big + "\n");
      try (Stream<Path> files = Files.walk(devnet.dataDir())) {
        assertThat(files.filter(f -> f.toString().endsWith(".kvtx")).count()).isEqualTo(1);
      }

      assertThat(run(common, "kv", "del", "greeting").exitCode()).isZero();
      CliResult gone = run(common(kvRpc), "kv", "get", "greeting");
      assertThat(gone.exitCode()).isEqualTo(1);
      assertThat(gone.err()).contains("no value for key 'greeting'");
    }
  }

  private static List<String> common(String kvRpc) {
    return List.of("--kv-node", kvRpc);
  }

  private static CliResult run(List<String> options, String... command) {
    List<String> args = new ArrayList<>(List.of(command));
    args.addAll(options);
    return CliResult.run(args.toArray(String[]::new));
  }
}
