package io.axivon.bench;

import io.axivon.common.crypto.secp256k1.HdKeys;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.node.devnet.Devnet;
import io.axivon.node.export.BlockSource;
import io.axivon.node.export.Exporter;
import io.axivon.node.export.RpcBlockSource;
import io.axivon.node.validator.ValidatorConfig;
import io.axivon.sdk.eth.Eip1559Transaction;
import io.axivon.sdk.eth.EthClient;
import io.axivon.sdk.rpc.JsonRpcClient;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.commons.io.file.PathUtils;
import org.apache.tuweni.bytes.Bytes;

/**
 * {@code axivon export} against the reference, the raw JSON-RPC fetch of the same range: a
 * one-validator devnet in this JVM gets {@code --txs} transfers from the ten development accounts,
 * then blocks 0..head are fetched (batched eth_getBlockByNumber with full transactions and
 * eth_getTransactionReceipt, the export's own requests, answers parsed and dropped) and exported
 * (the same fetch plus row mapping and Arrow writing), alternately, {@code --rounds} times each.
 * Prints blocks/s and rows/s of each and the ratio export / fetch (1.0 = the export costs nothing
 * beyond the fetch), and the export's own rate with the blocks already in memory.
 *
 * <p>Run: {@code bench/load ExportLoad [--txs 5000] [--rounds 5]}.
 */
public final class ExportLoad {
  private static final ValidatorConfig.Consensus FAST =
      new ValidatorConfig.Consensus(800, 300, 300, 100, 100, 1 << 20, 100);

  private ExportLoad() {}

  public static void main(String[] args) throws Exception {
    int txs = 5000;
    int rounds = 5;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--txs" -> txs = Integer.parseInt(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path dir = Files.createTempDirectory("export-load");
    try (Devnet devnet =
        Devnet.start(Devnet.Options.onFreePorts(dir.resolve("devnet"), 1, 1, FAST))) {
      String rpc = devnet.manifest().chains().get(0).rpc();
      JsonRpcClient client = new JsonRpcClient(URI.create(rpc), Duration.ofSeconds(60));
      EthClient eth = new EthClient(client);
      fill(eth, client, txs);
      long head = eth.blockNumber();
      System.out.printf("chain: blocks 0..%d, %d transfers%n", head, txs);

      List<Double> fetchSeconds = new ArrayList<>();
      List<Double> exportSeconds = new ArrayList<>();
      long rows = 0;
      for (int r = 0; r < rounds + 1; r++) { // round 0 warms up
        long t0 = System.nanoTime();
        RpcBlockSource source = new RpcBlockSource(client);
        long fetched = 0;
        for (long s = 0; s <= head; s += 100) {
          fetched += source.fetch(s, Math.min(head, s + 99)).size();
        }
        double f = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        Exporter.Result result =
            Exporter.export(
                client, 0, head, dir.resolve("out"), Exporter.Options.defaults(), n -> {});
        double e = (System.nanoTime() - t0) / 1e9;
        rows = result.rows().values().stream().mapToLong(Long::longValue).sum();
        if (fetched != head + 1) {
          throw new IllegalStateException("fetched " + fetched + " blocks");
        }
        if (r > 0) {
          fetchSeconds.add(f);
          exportSeconds.add(e);
        }
        System.out.printf("round %d: fetch %.3f s, export %.3f s (%s)%n", r, f, e, result.rows());
      }
      // the export's own cost: the same blocks from memory, no JSON-RPC
      List<BlockSource.BlockData> all = new ArrayList<>();
      RpcBlockSource source = new RpcBlockSource(client);
      for (long s = 0; s <= head; s += 100) {
        all.addAll(source.fetch(s, Math.min(head, s + 99)));
      }
      BlockSource memory = (a, b) -> all.subList((int) a, (int) b + 1);
      List<Double> memorySeconds = new ArrayList<>();
      for (int r = 0; r < rounds + 1; r++) {
        long t0 = System.nanoTime();
        Exporter.export(memory, 0, head, dir.resolve("mem"), Exporter.Options.defaults(), n -> {});
        if (r > 0) {
          memorySeconds.add((System.nanoTime() - t0) / 1e9);
        }
      }
      double m = median(memorySeconds);
      double f = median(fetchSeconds);
      double e = median(exportSeconds);
      System.out.printf(
          "export from memory (no JSON-RPC): %.0f rows/s, %.0f blocks/s%n",
          rows / m, (head + 1) / m);
      long blocks = head + 1;
      System.out.printf("fetch only (reference): %.0f blocks/s, %.0f tx/s%n", blocks / f, txs / f);
      System.out.printf(
          "export: %.0f blocks/s, %.0f rows/s (%d rows in all tables)%n",
          blocks / e, rows / e, rows);
      System.out.printf("ratio export / fetch throughput: %.2fx%n", f / e);
    } finally {
      PathUtils.deleteDirectory(dir);
    }
  }

  private static double median(List<Double> xs) {
    List<Double> s = xs.stream().sorted().toList();
    return s.get(s.size() / 2);
  }

  /** Sends {@code txs} transfers in waves the mempool holds, and waits until all are in blocks. */
  private static void fill(EthClient eth, JsonRpcClient client, int txs) throws Exception {
    List<Secp256k1PrivateKey> keys = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      keys.add(HdKeys.ethereumAccount(Genesis.DEV_MNEMONIC, "", i));
    }
    long chainId = eth.chainId();
    long[] nonces = new long[keys.size()];
    BigInteger tip = eth.maxPriorityFeePerGas();
    BigInteger maxFee = eth.gasPrice().shiftLeft(2).max(tip);
    int sent = 0;
    while (sent < txs) {
      int wave = Math.min(2000, txs - sent);
      for (int start = 0; start < wave; start += 200) {
        JsonRpcClient.Batch batch = client.batch();
        List<JsonRpcClient.BatchResult<String>> results = new ArrayList<>();
        for (int i = start; i < Math.min(wave, start + 200); i++) {
          int a = (sent + i) % keys.size();
          Eip1559Transaction tx =
              new Eip1559Transaction(
                  chainId,
                  nonces[a]++,
                  tip,
                  maxFee,
                  21_000,
                  Optional.of(keys.get((a + 1) % keys.size()).address()),
                  BigInteger.valueOf(1 + i),
                  Bytes.EMPTY);
          results.add(
              batch.add(
                  "eth_sendRawTransaction",
                  String.class,
                  tx.sign(keys.get(a)).raw().toHexString()));
        }
        batch.send();
        results.forEach(JsonRpcClient.BatchResult::get);
      }
      sent += wave;
      for (int a = 0; a < keys.size(); a++) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (eth.getTransactionCount(keys.get(a).address(), "latest") < nonces[a]) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("transfers not mined within 120 s");
          }
          Thread.sleep(100);
        }
      }
    }
  }
}
