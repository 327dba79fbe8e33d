package io.axivon.node.export;

import io.axivon.common.InvalidInputException;
import io.axivon.consensus.rpc.RpcConfig;
import io.axivon.node.cli.ExitCodes;
import io.axivon.node.cli.JsonOutput;
import io.axivon.node.cli.Progress;
import io.axivon.node.storage.StorageNodeConfig;
import io.axivon.sdk.eth.EthClient;
import io.axivon.sdk.rpc.JsonRpcClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code axivon export}: a chain's blocks, transactions, logs and module events as Arrow files. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Write a chain's blocks, transactions, logs, DA blob certificates and storage submissions as Apache Arrow IPC files (blocks.arrow, transactions.arrow, logs.arrow, da_blobs.arrow, storage_submissions.arrow) for pandas (read_feather), Polars (read_ipc) or DuckDB. Streams: memory stays bounded however long the range. Reads everything over the chain's JSON-RPC. Files are written as NAME.arrow.tmp and renamed once all are complete. Schemas: specs/cli.md."
    },
    footer = {
      "",
      "Exit codes: 0 exported, 1 the node failed or the directory is not writable, 2 bad usage or a range the chain does not have."
    })
public final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--chain",
      paramLabel = "I",
      defaultValue = "0",
      description = "The chain index; picks the default --rpc (default ${DEFAULT-VALUE}).")
  int chain;

  @Option(
      names = "--from",
      paramLabel = "N",
      defaultValue = "0",
      description = "First block (default ${DEFAULT-VALUE}).")
  long from;

  @Option(
      names = "--to",
      paramLabel = "M",
      description = "Last block, inclusive (default the chain's head when the export starts).")
  Long to;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      required = true,
      description = "Directory for the files (created if missing; files there are replaced).")
  Path out;

  @Option(
      names = "--rpc",
      paramLabel = "URL",
      description =
          "The chain's Ethereum JSON-RPC (default http://127.0.0.1:8545/ plus the chain index, as the devnet serves it).")
  String rpc;

  @Option(
      names = "--batch-rows",
      paramLabel = "N",
      defaultValue = "1000",
      description = "Rows per Arrow record batch (default ${DEFAULT-VALUE}).")
  int batchRows;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description = "Per JSON-RPC request (default ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Option(
      names = "--json",
      description = "Print one JSON document: the range, and rows and bytes per file.")
  boolean json;

  /** The default JSON-RPC of chain {@code chain}: the devnet's port 8545 + chain. */
  static String defaultRpc(int chain) {
    return "http://127.0.0.1:" + (RpcConfig.DEFAULT_PORT + chain) + "/";
  }

  @Override
  public Integer call() throws IOException {
    if (chain < 0 || RpcConfig.DEFAULT_PORT + chain > 65535) {
      throw new InvalidInputException("--chain must be in 0.." + (65535 - RpcConfig.DEFAULT_PORT));
    }
    if (from < 0) {
      throw new InvalidInputException("--from must be >= 0, got " + from);
    }
    if (to != null && to < from) {
      throw new InvalidInputException("--from " + from + " is after --to " + to);
    }
    if (batchRows < 1 || batchRows > 1_000_000) {
      throw new InvalidInputException("--batch-rows must be in 1..1000000, got " + batchRows);
    }
    if (timeoutSeconds < 1) {
      throw new InvalidInputException("--timeout must be >= 1 second, got " + timeoutSeconds);
    }
    URI endpoint = StorageNodeConfig.parseUrl(rpc == null ? defaultRpc(chain) : rpc);
    Path dir = writableDir(out);

    JsonRpcClient client = new JsonRpcClient(endpoint, Duration.ofSeconds(timeoutSeconds));
    EthClient eth = new EthClient(client);
    long head = eth.blockNumber();
    long chainId = eth.chainId();
    if (from > head) {
      throw new InvalidInputException(
          "--from " + from + " is beyond the chain head " + head + " at " + endpoint);
    }
    if (to != null && to > head) {
      throw new InvalidInputException(
          "--to " + to + " is beyond the chain head " + head + " at " + endpoint);
    }
    long last = to == null ? head : to;

    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("axivon.chain", Integer.toString(chain));
    metadata.put("axivon.chain_id", Long.toString(chainId));
    metadata.put("axivon.from_block", Long.toString(from));
    metadata.put("axivon.to_block", Long.toString(last));
    long started = System.nanoTime();
    Exporter.Result result;
    try (Progress progress = Progress.counting("export", "blocks", !json)) {
      long blocks = last - from + 1;
      progress.planned(blocks, blocks);
      result =
          Exporter.export(
              client,
              from,
              last,
              dir,
              new Exporter.Options(batchRows, 100, metadata),
              n -> progress.done(n, n));
    } catch (InvalidInputException e) {
      // the flags were checked above: this is the node's answer, a run-time failure (exit 1)
      throw new IllegalStateException("malformed answer from the node: " + e.getMessage(), e);
    }
    double seconds = (System.nanoTime() - started) / 1e9;

    PrintWriter o = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("chain", chain);
      doc.put("chainId", chainId);
      doc.put("rpc", endpoint.toString());
      doc.put("from", from);
      doc.put("to", last);
      doc.put("dir", dir.toString());
      Map<String, Object> files = new LinkedHashMap<>();
      result
          .rows()
          .forEach(
              (name, rows) -> {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("rows", rows);
                f.put("bytes", result.bytes().get(name));
                files.put(name, f);
              });
      doc.put("files", files);
      doc.put("seconds", Math.round(seconds * 1000) / 1000.0);
      JsonOutput.print(o, doc);
    } else {
      o.printf(
          "exported blocks %d..%d of chain %d (chain id %d) to %s in %.1f s%n",
          from, last, chain, chainId, dir, seconds);
      result
          .rows()
          .forEach(
              (name, rows) ->
                  o.printf("  %-26s %10d rows %12d bytes%n", name, rows, result.bytes().get(name)));
      o.flush();
    }
    return ExitCodes.OK;
  }

  /** Creates {@code dir} if needed; fails (exit 1) if it cannot hold the files. */
  private static Path writableDir(Path dir) {
    Path d = dir.toAbsolutePath().normalize();
    if (Files.exists(d) && !Files.isDirectory(d)) {
      throw new IllegalStateException("--out " + d + " is not a directory");
    }
    try {
      Files.createDirectories(d);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create directory " + d + ": " + reason(e), e);
    }
    if (!Files.isWritable(d)) {
      throw new IllegalStateException("directory " + d + " is not writable");
    }
    return d;
  }

  private static String reason(IOException e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
  }
}
