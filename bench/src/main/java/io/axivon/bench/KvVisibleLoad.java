package io.axivon.bench;

import io.axivon.common.crypto.secp256k1.HdKeys;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.consensus.execution.flow.FlowModule;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.kv.node.KvNode;
import io.axivon.kv.tx.KvTags;
import io.axivon.kv.tx.KvTransaction;
import io.axivon.kv.tx.KvTxCodec;
import io.axivon.kv.tx.StreamWrite;
import io.axivon.node.devnet.Devnet;
import io.axivon.node.devnet.DevnetManifest;
import io.axivon.sdk.eth.EthClient;
import io.axivon.sdk.kv.KvClient;
import io.axivon.sdk.rpc.JsonRpcClient;
import io.axivon.sdk.storage.FlowClient;
import io.axivon.sdk.storage.FlowSubmission;
import io.axivon.sdk.storage.StorageClient;
import io.axivon.sdk.storage.StorageClientException;
import io.axivon.sdk.storage.layout.FileTree;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.commons.io.file.PathUtils;
import org.apache.tuweni.bytes.Bytes;

/**
 * Write→visible latency of the KV layer (issue 10's target: visible at most 2 blocks after the log
 * holds the data). Starts an in-process devnet (one validator, its storage nodes and KV node, ports
 * picked by the OS, a block about every second) and makes N KV writes one after another as {@code
 * axivon kv put} does: submit the transaction file to the flow (its receipt names the block),
 * upload it to the storage nodes, then poll the KV node's kv_getTransactionResult every 5 ms. For
 * each write it records the chain head and the time when the upload completed (the log holds the
 * data) and when the KV node reports the result, and prints p50/p99/max in blocks and ms, also
 * counted from the submission's block.
 *
 * <p>Run: {@code bench/load KvVisibleLoad [--writes 20]}.
 */
public final class KvVisibleLoad {
  private KvVisibleLoad() {}

  record Sample(
      long subBlock, long uploadBlock, long visibleBlock, double visMs, double fromReceiptMs) {}

  public static void main(String[] args) throws Exception {
    int writes = 20;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--writes" -> writes = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path dir = Files.createTempDirectory("kv-visible");
    try (Devnet devnet =
        Devnet.start(
            Devnet.Options.onFreePorts(
                dir.resolve("devnet"), 1, 1, Devnet.Options.defaultConsensus()))) {
      List<Sample> samples = run(devnet, writes, dir);
      report(samples);
    } finally {
      PathUtils.deleteDirectory(dir);
    }
  }

  static List<Sample> run(Devnet devnet, int writes, Path dir) throws Exception {
    DevnetManifest m = devnet.manifest();
    URI chain = URI.create(m.chains().get(0).rpc());
    EthClient eth = new EthClient(new JsonRpcClient(chain, Duration.ofSeconds(30)));
    FlowClient flow = new FlowClient(eth, FlowModule.ADDRESS);
    StorageClient storage =
        StorageClient.of(
            m.storage().stream().map(s -> URI.create(s.rpc())).toList(), Duration.ofSeconds(60), 4);
    KvClient kv = KvClient.of(URI.create(m.services().get("kv")), Duration.ofSeconds(10));
    Secp256k1PrivateKey key = HdKeys.ethereumAccount(Genesis.DEV_MNEMONIC, "", 0);
    SplittableRandom random = new SplittableRandom(10);
    List<Sample> samples = new ArrayList<>();
    for (int i = -1; i < writes; i++) { // write -1 opens the stream and warms up: not counted
      byte[] value = new byte[100];
      random.nextBytes(value);
      KvTransaction tx =
          KvTransaction.ofWrites(
              -1,
              List.of(
                  new StreamWrite(
                      KvNode.DEFAULT_STREAM,
                      Bytes.wrap(("load-" + i).getBytes()),
                      Bytes.wrap(value))));
      Path file = dir.resolve("tx-" + i + ".bin");
      Files.write(file, KvTxCodec.encode(tx).toArrayUnsafe());
      FileTree tree = FileTree.of(file);
      FlowSubmission sub = flow.submit(tree.submission().withTags(KvTags.of(tx)), key);
      long receipt = System.nanoTime();
      while (true) {
        try {
          storage.upload(file, sub.txSeq());
          break;
        } catch (StorageClientException e) {
          Thread.sleep(5); // the storage nodes have not synced the submission yet
        }
      }
      long uploaded = System.nanoTime();
      long uploadBlock = eth.blockNumber();
      Optional<String> result;
      while ((result = kv.transactionResult(sub.txSeq())).isEmpty()) {
        Thread.sleep(5); // a remote node's progress: nothing to wait on but its answers
      }
      long visible = System.nanoTime();
      long visibleBlock = eth.blockNumber();
      if (!result.get().equals("Commit")) {
        throw new IllegalStateException("write " + i + " replayed as " + result.get());
      }
      Files.delete(file);
      if (i >= 0) {
        samples.add(
            new Sample(
                sub.blockNumber(),
                uploadBlock,
                visibleBlock,
                (visible - uploaded) / 1e6,
                (visible - receipt) / 1e6));
      }
    }
    return samples;
  }

  static void report(List<Sample> samples) {
    double[] ms = samples.stream().mapToDouble(Sample::visMs).sorted().toArray();
    long[] blocks =
        samples.stream().mapToLong(s -> s.visibleBlock() - s.uploadBlock()).sorted().toArray();
    double[] fromReceipt = samples.stream().mapToDouble(Sample::fromReceiptMs).sorted().toArray();
    long[] fromSub =
        samples.stream().mapToLong(s -> s.visibleBlock() - s.subBlock()).sorted().toArray();
    System.out.printf(
        "writes=%d upload done -> visible: p50=%.0f ms p99=%.0f ms max=%.0f ms; blocks p50=%d"
            + " p99=%d max=%d%n",
        ms.length,
        ms[pct(ms.length, 50)],
        ms[pct(ms.length, 99)],
        ms[ms.length - 1],
        blocks[pct(blocks.length, 50)],
        blocks[pct(blocks.length, 99)],
        blocks[blocks.length - 1]);
    System.out.printf(
        "submission receipt -> visible (upload included): p50=%.0f ms p99=%.0f ms max=%.0f ms%n",
        fromReceipt[pct(fromReceipt.length, 50)],
        fromReceipt[pct(fromReceipt.length, 99)],
        fromReceipt[fromReceipt.length - 1]);
    System.out.printf(
        "submission block -> visible: blocks p50=%d p99=%d max=%d (target: <= 2 blocks)%n",
        fromSub[pct(fromSub.length, 50)],
        fromSub[pct(fromSub.length, 99)],
        fromSub[fromSub.length - 1]);
  }

  private static int pct(int n, int p) {
    return Math.min(n - 1, (int) Math.ceil(n * p / 100.0) - 1);
  }
}
