package io.axivon.bench;

import io.axivon.node.cli.Main;
import io.axivon.node.demo.McpTour;
import io.axivon.node.devnet.Devnet;
import io.axivon.node.devnet.DevnetManifest;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.commons.io.file.PathUtils;

/**
 * MCP tool calls end to end on a devnet (issue 12's target: avg ≤ 100 ms): the official MCP Java
 * SDK's client over Streamable HTTP to the compute gateway's {@code /mcp}, timing {@code
 * call_service} (a paid request: signed with the gateway's configured user key, forwarded to the
 * demo service, its signed answer verified) and, as the reference in the same run, {@code
 * tools/list} (one bare MCP round trip). Calls run one after another after a warm-up.
 *
 * <p>Run: {@code bench/load McpLoad [--calls 200] [--warmup 50]}.
 */
public final class McpLoad {
  private McpLoad() {}

  public static void main(String[] args) throws Exception {
    int calls = 200;
    int warmup = 50;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--calls" -> calls = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path dir = Files.createTempDirectory("axivon-mcp-load");
    try (Devnet devnet =
        Devnet.start(Devnet.Options.onFreePorts(dir, 1, 1, Devnet.Options.defaultConsensus()))) {
      URI mcp =
          URI.create(
              devnet.manifest().compute().stream()
                  .findFirst()
                  .map(DevnetManifest.ComputeEndpoint::mcp)
                  .orElseThrow(() -> new IllegalStateException("the devnet runs no gateway")));
      // the gateway pays MCP calls with its configured user: fund its sub-account, as a user would
      DevnetManifest.ComputeEndpoint gw = devnet.manifest().compute().getFirst();
      String rpc = devnet.manifest().chains().getFirst().rpc();
      String payer = Integer.toString(Devnet.MCP_DEV_ACCOUNT);
      cli("compute", "fund", "2axn", "--chain-rpc", rpc, "--dev-account", payer);
      cli("compute", "transfer", gw.provider(), "1axn", "--chain-rpc", rpc, "--dev-account", payer);
      try (McpSyncClient client = McpTour.connect(mcp, "axivon-mcp-load")) {
        client.initialize();
        Supplier<Object> list = client::listTools;
        int[] n = {0};
        Supplier<Object> paid =
            () -> {
              McpSchema.CallToolResult r =
                  client.callTool(
                      new McpSchema.CallToolRequest(
                          "call_service", Map.of("input", "mcp load " + n[0]++)));
              if (Boolean.TRUE.equals(r.isError())) {
                throw new IllegalStateException("call_service failed: " + r.content());
              }
              return r;
            };
        time(list, warmup);
        time(paid, warmup);
        long[] listNanos = time(list, calls);
        long[] paidNanos = time(paid, calls);
        System.out.printf("McpLoad: %d calls each, one at a time, via %s%n", calls, mcp);
        report("call_service (paid, verified)", paidNanos);
        report("tools/list (reference)", listNanos);
        System.out.printf(
            "  ratio call_service / tools/list (mean): %.2f%n", mean(paidNanos) / mean(listNanos));
      }
    } finally {
      PathUtils.deleteDirectory(dir);
    }
  }

  private static void cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
    if (code != 0) {
      throw new IllegalStateException("axivon " + String.join(" ", args) + " failed: " + err);
    }
  }

  private static long[] time(Supplier<Object> call, int count) {
    long[] out = new long[count];
    for (int i = 0; i < count; i++) {
      long t0 = System.nanoTime();
      call.get();
      out[i] = System.nanoTime() - t0;
    }
    return out;
  }

  private static double mean(long[] nanos) {
    return Arrays.stream(nanos).average().orElse(0);
  }

  private static void report(String what, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    System.out.printf(
        "  %-30s mean %.2f ms, p50 %.2f ms, p99 %.2f ms%n",
        what,
        mean(nanos) / 1e6,
        sorted[sorted.length / 2] / 1e6,
        sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)] / 1e6);
  }
}
