package io.axivon.kv.node;

import static io.axivon.kv.tx.KvGen.account;
import static io.axivon.kv.tx.KvGen.stream;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.kv.client.KvBatcher;
import io.axivon.kv.tx.KvTags;
import io.axivon.kv.tx.KvTransaction;
import io.axivon.kv.tx.KvTxCodec;
import io.axivon.kv.tx.StreamWrite;
import io.axivon.sdk.kv.KvClient;
import io.axivon.sdk.rpc.JsonRpcClient;
import io.axivon.sdk.storage.FlowSubmission;
import io.axivon.sdk.storage.StorageClient;
import io.axivon.sdk.storage.layout.FileTree;
import io.axivon.storage.node.StorageNode;
import io.axivon.storage.node.StorageService;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A storage node and a KV node on loopback sharing a test flow: a KV transaction written as an
 * ordinary file through the storage path is replayed and read back over kv_* RPC.
 */
class KvNodeIT {
  static final Bytes32 S = stream(1);
  static final Duration WAIT = Duration.ofSeconds(30);
  @TempDir Path dir;

  /** Submits {@code data} with {@code tags} to the flow and uploads it; returns its tx seq. */
  private long write(TestFlow flow, StorageClient client, Bytes data, Bytes tags, Address sender)
      throws Exception {
    Path file = Files.write(dir.resolve("tx-" + flow.nextTxSeq() + ".bin"), data.toArrayUnsafe());
    FileTree tree = FileTree.of(file);
    FlowSubmission sub = flow.submit(tree.submission().withTags(tags), sender);
    client.upload(file, sub.txSeq());
    return sub.txSeq();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes());
  }

  @Test
  void aKvTransactionUploadedAsAFileIsReplayedAndServed() throws Exception {
    TestFlow flow = new TestFlow();
    StorageNode.Config storageConfig =
        StorageNode.Config.defaults(
                dir.resolve("storage"),
                new StorageService.NetworkIdentity(
                    12700, "0x0000000000000000000000000000000000001001"))
            .withRpcAddress(new InetSocketAddress("127.0.0.1", 0));
    try (StorageNode storage = StorageNode.start(storageConfig, flow)) {
      StorageClient client = StorageClient.of(List.of(storage.rpcUri()), WAIT, 2);
      KvNode.Config config =
          KvNode.Config.defaults(
                  dir.resolve("kv"), StreamFilter.of(Set.of(S)), List.of(storage.rpcUri()))
              .withRpcAddress(new InetSocketAddress("127.0.0.1", 0))
              .withPollInterval(Duration.ofMillis(50));

      // an ordinary file first: the KV node passes over it
      write(flow, client, Bytes.wrap(new byte[1000]), Bytes.EMPTY, account(1));
      KvTransaction put =
          KvTransaction.ofWrites(
              -1,
              List.of(
                  new StreamWrite(S, Bytes.wrap("k".getBytes()), Bytes.wrap("v1".getBytes())),
                  new StreamWrite(stream(2), Bytes.wrap("k".getBytes()), Bytes.of(9))));
      long seq = write(flow, client, KvTxCodec.encode(put), KvTags.of(put), account(1));
      byte[] big = new byte[600_000]; // three kv_getValue pieces
      new java.util.Random(7).nextBytes(big);
      KvTransaction bigPut =
          KvTransaction.ofWrites(
              -1, List.of(new StreamWrite(S, Bytes.wrap("big".getBytes()), Bytes.wrap(big))));
      long bigSeq = write(flow, client, KvTxCodec.encode(bigPut), KvTags.of(bigPut), account(1));
      // a malformed KV transaction is recorded and skipped
      long bad = write(flow, client, Bytes.of(1, 2, 3), KvTags.encode(List.of(S)), account(1));

      try (KvNode kv = KvNode.start(config, flow)) {
        assertThat(kv.awaitReplayed(bad + 1, WAIT)).isTrue();
        JsonRpcClient rpc = new JsonRpcClient(kv.rpcUri(), WAIT);
        assertThat(rpc.callRaw("kv_getTransactionResult", seq).asText()).isEqualTo("Commit");
        assertThat(rpc.callRaw("kv_getTransactionResult", bad).asText())
            .startsWith("DataParseError: KV transaction truncated");
        assertThat(rpc.callRaw("kv_getTransactionResult", 0).isNull()).isTrue();
        JsonNode value = rpc.callRaw("kv_getValue", S.toHexString(), b64("k"), 0, 262144);
        assertThat(value.get("version").asLong()).isEqualTo(seq);
        assertThat(value.get("data").asText()).isEqualTo(b64("v1"));
        assertThat(rpc.callRaw("kv_isAdmin", account(1).toLowerHex(), S.toHexString()).asBoolean())
            .isTrue();

        // the sdk's client over the same RPC
        KvClient client2 = KvClient.of(kv.rpcUri(), WAIT);
        Bytes k = Bytes.wrap("k".getBytes());
        assertThat(client2.getValue(S, k, OptionalLong.empty()))
            .isEqualTo(new KvClient.Value(seq, Bytes.wrap("v1".getBytes())));
        assertThat(client2.getValue(S, k, OptionalLong.of(0)))
            .isEqualTo(new KvClient.Value(0, Bytes.EMPTY));
        assertThat(client2.transactionResult(seq)).contains("Commit");
        assertThat(client2.transactionResult(0)).isEmpty();
        assertThat(client2.holdingStreamIds()).containsExactly(S);
        assertThat(client2.isAdmin(account(1), S, OptionalLong.empty())).isTrue();
        assertThat(client2.hasWritePermission(account(2), S, k, OptionalLong.empty())).isFalse();
        List<KvClient.Entry> all = new java.util.ArrayList<>();
        client2
            .range(S, null, Bytes.wrap("c".getBytes()), OptionalLong.empty())
            .forEachRemaining(e -> all.add(new KvClient.Entry(e.key(), e.version(), Bytes.EMPTY)));
        assertThat(all)
            .containsExactly(new KvClient.Entry(Bytes.wrap("big".getBytes()), bigSeq, Bytes.EMPTY));
        assertThat(client2.getValue(S, Bytes.wrap("big".getBytes()), OptionalLong.empty()))
            .isEqualTo(new KvClient.Value(bigSeq, Bytes.wrap(big)));
        List<KvClient.Entry> range = new java.util.ArrayList<>();
        client2
            .range(S, Bytes.wrap("c".getBytes()), null, OptionalLong.empty())
            .forEachRemaining(range::add);
        assertThat(range).containsExactly(new KvClient.Entry(k, seq, Bytes.wrap("v1".getBytes())));
      }

      // the batcher: upload while a KV node runs, wait for the result
      try (KvNode kv = KvNode.start(config, flow)) {
        KvClient reader = KvClient.of(kv.rpcUri(), WAIT);
        KvBatcher batcher =
            new KvBatcher(
                s -> flow.submit(s, account(1)),
                client,
                reader,
                dir.resolve("tmp"),
                Duration.ofMillis(20));
        KvBatcher.Result r =
            batcher
                .set(S, Bytes.wrap("x".getBytes()), Bytes.wrap("1".getBytes()))
                .set(S, Bytes.wrap("y".getBytes()), Bytes.wrap("2".getBytes()))
                .set(S, Bytes.wrap("x".getBytes()), Bytes.wrap("3".getBytes()))
                .exec(WAIT);
        assertThat(r.committed()).as(r.result()).isTrue();
        assertThat(reader.getValue(S, Bytes.wrap("x".getBytes()), OptionalLong.empty()))
            .isEqualTo(new KvClient.Value(r.txSeq(), Bytes.wrap("3".getBytes())));
        // a stale read: x changed after version 0
        KvBatcher.Result stale =
            new KvBatcher(
                    s -> flow.submit(s, account(1)),
                    client,
                    reader,
                    dir.resolve("tmp"),
                    Duration.ofMillis(20))
                .version(0)
                .read(S, Bytes.wrap("x".getBytes()))
                .set(S, Bytes.wrap("y".getBytes()), Bytes.wrap("4".getBytes()))
                .exec(WAIT);
        assertThat(stale.result())
            .startsWith("VersionConfliction: stream " + S.toHexString() + " key 0x78");
      }

      // a restart resumes at the cursor; a later write by someone else is denied
      KvTransaction other =
          KvTransaction.ofWrites(
              -1,
              List.of(new StreamWrite(S, Bytes.wrap("k".getBytes()), Bytes.wrap("v2".getBytes()))));
      long denied = write(flow, client, KvTxCodec.encode(other), KvTags.of(other), account(2));
      try (KvNode kv = KvNode.start(config, flow)) {
        assertThat(kv.awaitReplayed(denied + 1, WAIT)).isTrue();
        assertThat(kv.store().result(denied)).get().asString().startsWith("WritePermissionDenied");
        assertThat(kv.store().value(S, Bytes.wrap("k".getBytes()), denied).data())
            .isEqualTo(Bytes.wrap("v1".getBytes()));
      }
    }
  }
}
