package io.axivon.node.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.HdKeys;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.consensus.execution.flow.FlowModule;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.node.cli.CliResult;
import io.axivon.node.devnet.DevnetFixture;
import io.axivon.sdk.eth.Eip1559Transaction;
import io.axivon.sdk.eth.EthClient;
import io.axivon.sdk.eth.EthHex;
import io.axivon.sdk.rpc.JsonRpcClient;
import io.axivon.sdk.storage.FlowClient;
import io.axivon.sdk.storage.FlowSubmission;
import io.axivon.sdk.storage.layout.FileTree;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.SeekableReadChannel;
import org.apache.arrow.vector.util.Text;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code axivon export} against a one-validator devnet in this JVM: transfers and a flow
 * submission, exported, read back with Arrow's reader and checked against the JSON-RPC.
 */
class ExportIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** A table read back: schema metadata and each column's values. */
  record Table(Map<String, String> metadata, List<String> names, Map<String, List<Object>> cols) {
    int rows() {
      return cols.values().iterator().next().size();
    }

    List<Object> col(String name) {
      return cols.get(name);
    }

    /** Row {@code i} as column name to value. */
    Map<String, Object> row(int i) {
      Map<String, Object> r = new HashMap<>();
      cols.forEach((k, v) -> r.put(k, v.get(i)));
      return r;
    }
  }

  static Table read(Path file) throws Exception {
    try (BufferAllocator allocator = new RootAllocator();
        ArrowFileReader reader =
            new ArrowFileReader(new SeekableReadChannel(Files.newByteChannel(file)), allocator)) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      Map<String, List<Object>> cols = new LinkedHashMap<>();
      List<String> names = new ArrayList<>();
      root.getSchema().getFields().forEach(f -> names.add(f.getName()));
      names.forEach(n -> cols.put(n, new ArrayList<>()));
      while (reader.loadNextBatch()) {
        for (FieldVector v : root.getFieldVectors()) {
          for (int i = 0; i < root.getRowCount(); i++) {
            Object o = v.getObject(i);
            cols.get(v.getName()).add(o instanceof Text t ? t.toString() : o);
          }
        }
      }
      return new Table(root.getSchema().getCustomMetadata(), names, cols);
    }
  }

  private static Bytes32 transfer(
      EthClient eth, Secp256k1PrivateKey from, Address to, BigInteger value) throws Exception {
    BigInteger tip = eth.maxPriorityFeePerGas();
    Eip1559Transaction tx =
        new Eip1559Transaction(
            eth.chainId(),
            eth.getTransactionCount(from.address(), "pending"),
            tip,
            eth.gasPrice().shiftLeft(1).max(tip),
            21_000,
            Optional.of(to),
            value,
            Bytes.EMPTY);
    return eth.sendRawTransaction(tx.sign(from).raw());
  }

  @Test
  void exportsWhatTheJsonRpcServes() throws Exception {
    try (DevnetFixture devnet = DevnetFixture.start(dir)) {
      String rpc = devnet.chainRpc();
      JsonRpcClient client = new JsonRpcClient(URI.create(rpc), Duration.ofSeconds(10));
      EthClient eth = new EthClient(client, Duration.ofMillis(50));
      Secp256k1PrivateKey alice = HdKeys.ethereumAccount(Genesis.DEV_MNEMONIC, "", 0);
      Secp256k1PrivateKey bob = HdKeys.ethereumAccount(Genesis.DEV_MNEMONIC, "", 1);

      List<Bytes32> sent = new ArrayList<>();
      BigInteger big = BigInteger.TEN.pow(19).add(BigInteger.valueOf(7)); // > 2^63 wei
      sent.add(transfer(eth, alice, bob.address(), big));
      sent.add(transfer(eth, alice, bob.address(), BigInteger.ONE));
      sent.add(transfer(eth, bob, alice.address(), BigInteger.TWO));
      for (Bytes32 h : sent) {
        assertThat(eth.waitForReceipt(h, Duration.ofSeconds(30)).success()).isTrue();
      }
      byte[] data = new byte[5000];
      new Random(3).nextBytes(data);
      FileTree tree = FileTree.of(data);
      FlowSubmission submitted =
          new FlowClient(eth, FlowModule.ADDRESS).submit(tree.submission(), bob);
      long head = eth.blockNumber();

      Path out = dir.resolve("export");
      CliResult r =
          CliResult.run(
              "export",
              "--rpc",
              rpc,
              "--from",
              "0",
              "--to",
              Long.toString(head),
              "--out",
              out.toString(),
              "--batch-rows",
              "7",
              "--json");
      assertThat(r.exitCode()).as(r.err()).isZero();
      JsonNode summary = JSON.readTree(r.out());
      assertThat(summary.path("from").asLong()).isZero();
      assertThat(summary.path("to").asLong()).isEqualTo(head);
      try (Stream<Path> files = Files.list(out)) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .containsExactlyInAnyOrder(
                "blocks.arrow",
                "transactions.arrow",
                "logs.arrow",
                "da_blobs.arrow",
                "storage_submissions.arrow");
      }

      // blocks: one row per block, hashes and parents as the JSON-RPC has them
      Table blocks = read(out.resolve("blocks.arrow"));
      assertThat(blocks.names())
          .containsExactlyElementsOf(Tables.BLOCKS.columns().stream().map(Column::name).toList());
      assertThat(blocks.metadata())
          .containsEntry("axivon.from_block", "0")
          .containsEntry("axivon.to_block", Long.toString(head))
          .containsEntry("axivon.chain_id", Long.toString(eth.chainId()));
      assertThat(blocks.rows()).isEqualTo(head + 1);
      assertThat(summary.at("/files/blocks.arrow/rows").asLong()).isEqualTo(head + 1);
      long txCount = 0;
      long logCount = 0;
      for (int n = 0; n <= head; n++) {
        JsonNode b = client.callRaw("eth_getBlockByNumber", EthHex.quantity(n), false);
        Map<String, Object> row = blocks.row(n);
        assertThat(row.get("number")).isEqualTo((long) n);
        assertThat(row.get("hash")).isEqualTo(b.path("hash").asText());
        assertThat(row.get("parent_hash")).isEqualTo(b.path("parentHash").asText());
        assertThat(row.get("timestamp"))
            .isEqualTo(EthHex.parseLong(b.path("timestamp").asText(), "ts"));
        assertThat(row.get("transaction_count")).isEqualTo((long) b.path("transactions").size());
        txCount += b.path("transactions").size();
        for (JsonNode h : b.path("transactions")) {
          logCount += client.callRaw("eth_getTransactionReceipt", h.asText()).path("logs").size();
        }
      }

      // transactions: every one, ours with from, to and the exact value
      Table txs = read(out.resolve("transactions.arrow"));
      assertThat(txs.rows()).isEqualTo(txCount);
      assertThat(summary.at("/files/transactions.arrow/rows").asLong()).isEqualTo(txCount);
      List<String> hashes = txs.col("hash").stream().map(Object::toString).toList();
      assertThat(hashes).containsAll(sent.stream().map(Bytes32::toHexString).toList());
      Map<String, Object> first = txs.row(hashes.indexOf(sent.get(0).toHexString()));
      assertThat(first.get("from")).isEqualTo(alice.address().toLowerHex());
      assertThat(first.get("to")).isEqualTo(bob.address().toLowerHex());
      assertThat(first.get("value")).isEqualTo(big.toString());
      assertThat(first.get("success")).isEqualTo(true);
      assertThat(first.get("gas_used")).isEqualTo(21_000L);
      assertThat(first.get("input_size")).isEqualTo(0L);
      assertThat(first.get("method_id")).isNull();
      assertThat(first.get("type")).isEqualTo(2L);
      Map<String, Object> third = txs.row(hashes.indexOf(sent.get(2).toHexString()));
      assertThat(third.get("from")).isEqualTo(bob.address().toLowerHex());
      assertThat(third.get("value")).isEqualTo("2");

      // logs: every receipt's logs; the flow submission among them
      Table logs = read(out.resolve("logs.arrow"));
      assertThat(logs.rows()).isEqualTo(logCount);
      assertThat(logs.col("address")).contains(FlowModule.ADDRESS.toLowerHex());

      // storage submissions: ours, decoded
      Table subs = read(out.resolve("storage_submissions.arrow"));
      assertThat(subs.rows()).isEqualTo(1);
      Map<String, Object> s = subs.row(0);
      assertThat(s.get("submission_index")).isEqualTo(submitted.txSeq());
      assertThat(s.get("root")).isEqualTo(tree.root().toHexString());
      assertThat(s.get("size")).isEqualTo(5000L);
      assertThat(s.get("sender")).isEqualTo(bob.address().toLowerHex());
      assertThat(s.get("block_number")).isEqualTo(submitted.blockNumber());
      assertThat(s.get("start_pos")).isEqualTo(submitted.startEntryIndex());

      // DA is not wired into the devnet yet: the table is there, with its schema and no rows
      Table blobs = read(out.resolve("da_blobs.arrow"));
      assertThat(blobs.names())
          .containsExactlyElementsOf(Tables.DA_BLOBS.columns().stream().map(Column::name).toList());
      assertThat(blobs.rows()).isZero();

      // a sub-range, the default --to (the head) and text output; then the bad ranges
      CliResult tail =
          CliResult.run(
              "export", "--rpc", rpc, "--from", Long.toString(head - 1), "--out", out.toString());
      assertThat(tail.exitCode()).as(tail.err()).isZero();
      assertThat(tail.out()).contains("blocks.arrow");
      assertThat(read(out.resolve("blocks.arrow")).rows()).isBetween(2, 100);
      CliResult beyond =
          CliResult.run(
              "export",
              "--rpc",
              rpc,
              "--to",
              Long.toString(head + 1_000_000),
              "--out",
              out.toString());
      assertThat(beyond.exitCode()).isEqualTo(2);
      assertThat(beyond.err()).contains("beyond the chain head");
      CliResult fromBeyond =
          CliResult.run(
              "export",
              "--rpc",
              rpc,
              "--from",
              Long.toString(head + 1_000_000),
              "--out",
              out.toString());
      assertThat(fromBeyond.exitCode()).isEqualTo(2);
      assertThat(fromBeyond.err()).contains("--from").contains("beyond the chain head");
      try (Stream<Path> files = Files.list(out)) {
        assertThat(files.map(Path::toString)).noneMatch(p -> p.endsWith(".tmp"));
      }
    }
  }
}
