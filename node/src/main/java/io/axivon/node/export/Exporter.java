package io.axivon.node.export;

import io.axivon.sdk.rpc.JsonRpcClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongConsumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * Exports blocks {@code from..to} of a chain into the five table files of {@link Tables},
 * streaming: a run of blocks is fetched, turned into rows and appended, then dropped, so memory
 * holds one run of JSON and one record batch per table whatever the range. The files appear under
 * their final names only once all are complete.
 */
public final class Exporter {
  /** What one export wrote: rows and bytes per file name, in {@link Tables#ALL} order. */
  public record Result(long from, long to, Map<String, Long> rows, Map<String, Long> bytes) {
    public Result {
      rows = Collections.unmodifiableMap(new LinkedHashMap<>(rows));
      bytes = Collections.unmodifiableMap(new LinkedHashMap<>(bytes));
    }
  }

  /**
   * Settings.
   *
   * @param batchRows rows per Arrow record batch
   * @param blocksPerRequest blocks fetched per batched JSON-RPC request
   * @param metadata stored in every file's schema
   */
  public record Options(int batchRows, int blocksPerRequest, Map<String, String> metadata) {
    public Options {
      if (batchRows < 1 || blocksPerRequest < 1 || blocksPerRequest > RpcBlockSource.MAX_BATCH) {
        throw new IllegalArgumentException(
            "batchRows >= 1 and blocksPerRequest in 1.." + RpcBlockSource.MAX_BATCH);
      }
      metadata = Map.copyOf(metadata);
    }

    public static Options defaults() {
      return new Options(1000, 100, Map.of());
    }
  }

  /**
   * Transactions per run of blocks the export aims at: full blocks (~1,400 transfers each) would
   * otherwise put 100 blocks' JSON, some 140,000 transactions and receipts, in memory at once.
   */
  static final long TARGET_TXS_PER_RUN = 2_000;

  private Exporter() {}

  /** The next run's length: as many blocks as held about the target, going by the last run. */
  static long nextRun(int maxBlocks, long lastBlocks, long lastTxs) {
    if (lastTxs == 0) {
      return maxBlocks;
    }
    long perBlock = Math.max(1, lastTxs / lastBlocks);
    return Math.clamp(TARGET_TXS_PER_RUN / perBlock, 1, maxBlocks);
  }

  /**
   * Runs the export.
   *
   * @param blocksDone told how many more blocks are done after each run of blocks
   * @throws io.axivon.sdk.rpc.JsonRpcException when the node fails or cannot be reached
   * @throws io.axivon.common.InvalidInputException when its answers are malformed
   */
  public static Result export(
      JsonRpcClient rpc, long from, long to, Path dir, Options options, LongConsumer blocksDone)
      throws IOException {
    return export(new RpcBlockSource(rpc), from, to, dir, options, blocksDone);
  }

  /** Runs the export from any source of blocks (the JSON-RPC, or memory in a bench). */
  public static Result export(
      BlockSource source, long from, long to, Path dir, Options options, LongConsumer blocksDone)
      throws IOException {
    Objects.requireNonNull(dir, "dir");
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("bad block range [" + from + ", " + to + "]");
    }
    Files.createDirectories(dir);
    List<ExportFile> files = new ArrayList<>();
    try (BufferAllocator allocator = new RootAllocator()) {
      try {
        Map<TableSchema, ArrowTableWriter> writers = new HashMap<>();
        for (TableSchema t : Tables.ALL) {
          ExportFile f =
              ExportFile.open(dir, t, options.metadata(), allocator, options.batchRows());
          files.add(f);
          writers.put(t, f.writer());
        }
        Rows.Sink sink = (table, values) -> writers.get(table).append(values);
        long run = options.blocksPerRequest();
        for (long start = from; start <= to; ) {
          long end = Math.min(to, start + run - 1);
          long txs = 0;
          for (BlockSource.BlockData b : source.fetch(start, end)) {
            Rows.block(b.block(), b.receipts(), sink);
            txs += b.receipts().size();
          }
          blocksDone.accept(end - start + 1);
          run = nextRun(options.blocksPerRequest(), end - start + 1, txs);
          if (end == to) {
            break;
          }
          start = end + 1;
        }
        Map<String, Long> rows = new LinkedHashMap<>();
        Map<String, Long> bytes = new LinkedHashMap<>();
        for (ExportFile f : files) {
          rows.put(f.target().getFileName().toString(), f.writer().rows());
        }
        for (ExportFile f : files) {
          f.commit();
          bytes.put(f.target().getFileName().toString(), Files.size(f.target()));
        }
        return new Result(from, to, rows, bytes);
      } finally {
        for (ExportFile f : files) {
          f.close();
        }
      }
    }
  }
}
