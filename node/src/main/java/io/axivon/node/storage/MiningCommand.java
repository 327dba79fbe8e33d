package io.axivon.node.storage;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.node.cli.ExitCodes;
import io.axivon.node.cli.JsonOutput;
import io.axivon.sdk.eth.CallRequest;
import io.axivon.sdk.eth.EthClient;
import io.axivon.sdk.mining.MiningClient;
import io.axivon.sdk.mining.MiningContext;
import io.axivon.sdk.rpc.JsonRpcClient;
import io.axivon.sdk.storage.FlowAbi;
import io.axivon.sdk.storage.FlowClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "mining",
    mixinStandardHelpOptions = true,
    description = "PoRA mining of the storage log (specs/pora.md).",
    subcommands = {MiningCommand.Status.class})
public final class MiningCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return ExitCodes.OK;
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description =
          "The mining context and target on chain 0, answers and rewards so far, and with --miner-id or --miner-key one miner's registration, answers and rewards (the mining module's minerStats); with --metrics a mining node's own counters.")
  public static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--chain-rpc",
        paramLabel = "URL",
        description = "Chain 0's Ethereum JSON-RPC (default http://127.0.0.1:8545/).")
    String chainRpc = "http://127.0.0.1:8545/";

    @Option(
        names = "--flow",
        paramLabel = "ADDR",
        description = "The flow module (default the devnet's 0x…1001).")
    String flow = FlowClient.DEVNET_FLOW_ADDRESS.toString();

    @Option(names = "--miner-id", paramLabel = "ID", description = "A miner id (64 hex digits).")
    String minerId;

    @Option(
        names = "--miner-key",
        paramLabel = "FILE",
        description = "A miner key file: its miner id with --salt (default zero).")
    Path minerKey;

    @Option(names = "--salt", paramLabel = "HEX", description = "The miner id's salt.")
    String salt = "0x" + "00".repeat(32);

    @Option(
        names = "--metrics",
        paramLabel = "URL",
        description = "A mining storage node's Prometheus /metrics URL.")
    String metrics;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Override
    public Integer call() {
      Optional<Bytes32> id = minerId(); // flags first: a bad one is refused before any network
      EthClient eth =
          new EthClient(
              new JsonRpcClient(StorageNodeConfig.parseUrl(chainRpc), Duration.ofSeconds(10)));
      Address flowAddr = StorageNodeConfig.parseFlow(flow);
      MiningClient client =
          new MiningClient(eth, flowAddr, MiningClient.MINING_ADDRESS, Duration.ofSeconds(10));
      Map<String, Object> doc = new LinkedHashMap<>();
      MiningContext ctx = client.context();
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("epoch", ctx.epoch());
      c.put("flowLength", ctx.flowLength());
      c.put("flowRoot", ctx.flowRoot().toHexString());
      c.put("digest", ctx.digest().toHexString());
      doc.put("context", c);
      doc.put("target", "0x" + client.target().toString(16));
      Bytes answers = view(eth, "answers()");
      doc.put("answersThisEpoch", FlowAbi.decodeUint256(answers.slice(32, 32), "count"));
      Bytes totals = view(eth, "totals()");
      doc.put("sweptWei", FlowAbi.decodeUint256(totals.slice(0, 32), "swept").toString());
      doc.put("paidWei", FlowAbi.decodeUint256(totals.slice(32, 32), "paid").toString());
      if (id.isPresent()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("minerId", id.get().toHexString());
        m.put("account", client.minerOf(id.get()).map(Address::toString).orElse(null));
        Bytes won =
            eth.call(
                new CallRequest(
                    Optional.empty(),
                    MiningClient.MINING_ADDRESS,
                    BigInteger.ZERO,
                    Bytes.concatenate(
                        FlowAbi.selector("rewarded(bytes32,bytes32)"), ctx.digest(), id.get())),
                "latest");
        m.put(
            "rewardedThisContext", !FlowAbi.decodeUint256(won, "rewarded").equals(BigInteger.ZERO));
        MiningClient.MinerStats st = client.minerStats(id.get()); // one view, no log scan
        m.put("answersAccepted", st.answersAccepted());
        m.put("rewardsWei", st.rewardsWei().toString());
        if (st.answersAccepted() > 0) {
          m.put("lastEpoch", st.lastEpoch());
          m.put("lastContext", st.lastContext().toHexString());
        }
        doc.put("miner", m);
      }
      if (metrics != null) {
        doc.put("node", scrape(StorageNodeConfig.parseUrl(metrics)));
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        JsonOutput.print(out, doc);
      } else {
        print(out, "", doc);
      }
      out.flush();
      return ExitCodes.OK;
    }

    private Optional<Bytes32> minerId() {
      if (minerId != null && minerKey != null) {
        throw new InvalidInputException("give --miner-id or --miner-key, not both");
      }
      if (minerId != null) {
        try {
          return Optional.of(Bytes32.fromHexString(minerId));
        } catch (IllegalArgumentException e) {
          throw new InvalidInputException("--miner-id must be 64 hex digits, got " + minerId);
        }
      }
      if (minerKey != null) {
        Bytes32 saltBytes;
        try {
          saltBytes = Bytes32.fromHexString(salt);
        } catch (IllegalArgumentException e) {
          throw new InvalidInputException("--salt must be 0x and up to 64 hex digits, got " + salt);
        }
        return Optional.of(MiningClient.minerId(MinerKeyFile.load(minerKey).address(), saltBytes));
      }
      return Optional.empty();
    }

    private static Bytes view(EthClient eth, String signature) {
      return eth.call(
          new CallRequest(
              Optional.empty(),
              MiningClient.MINING_ADDRESS,
              BigInteger.ZERO,
              FlowAbi.selector(signature)),
          "latest");
    }

    // The node's axivon_pora_* samples.
    private static Map<String, Object> scrape(URI uri) {
      String body;
      try {
        body =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
      } catch (IOException e) {
        // the node is down or unreachable: a run-time failure (exit 1), not bad input
        throw new IllegalStateException(
            "cannot read " + uri + " (" + e + "): is the storage node running?", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted reading " + uri, e);
      }
      Map<String, Object> out = new LinkedHashMap<>();
      for (String line : body.split("\n")) {
        if (line.startsWith("axivon_pora_") && !line.contains("_created")) {
          String[] kv = line.split(" ");
          out.put(kv[0], Double.parseDouble(kv[kv.length - 1]));
        }
      }
      return out;
    }

    @SuppressWarnings("unchecked")
    private static void print(PrintWriter out, String indent, Map<String, Object> doc) {
      doc.forEach(
          (k, v) -> {
            if (v instanceof Map<?, ?> m) {
              out.println(indent + k);
              print(out, indent + "  ", (Map<String, Object>) m);
            } else {
              out.println(indent + k + " " + v);
            }
          });
    }
  }
}
