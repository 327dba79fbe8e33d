package io.axivon.node.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.node.cli.Main;
import io.axivon.node.devnet.Devnet;
import io.axivon.node.devnet.DevnetManifest;
import io.axivon.sdk.eth.EthClient;
import io.axivon.sdk.rpc.JsonRpcClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The devnet tour that {@code axivon demo} plays: the four kinds of users in turn, each step one
 * {@code axivon} command a user would type (run in this process, its {@code --json} answer checked)
 * or one protocol call a tool would make, with its result and time. It stops at the first step that
 * fails, so a broken layer fails loudly.
 */
public final class Walkthrough {
  /** The development account that writes files and the devnet's KV stream (its admin). */
  static final int DAPP_ACCOUNT = 0;

  /** The development account that pays the compute service through the CLI. */
  static final int COMPUTE_ACCOUNT = 2;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One step as it ran.
   *
   * @param user who plays it: {@code cluster}, {@code rollup}, {@code dapp}, {@code miner}, {@code
   *     compute}
   * @param command what a user would type, or the protocol call made
   * @param result one line saying what came back, or why the step failed
   */
  public record Step(
      String user, String title, String command, boolean ok, String result, long millis) {}

  /** Sees each step start and finish, to print them as they happen. */
  public interface Listener {
    void started(String user, String title, String command);

    void finished(Step step);
  }

  /** A step's failure, with a message for a person. */
  static final class StepFailed extends RuntimeException {
    StepFailed(String message) {
      super(message);
    }
  }

  private final DevnetManifest devnet;
  private final Path work;
  private final Duration waitLimit;
  private final Listener listener;
  private final List<Step> steps = new ArrayList<>();
  private final java.util.Map<String, String> created = new java.util.LinkedHashMap<>();
  private final String runId;

  /**
   * @param devnet the devnet's manifest (its data dir holds the miner's key)
   * @param work a directory for the files the tour uploads and downloads
   * @param waitLimit how long a step may wait for the chain (settlement, a mining reward)
   */
  public Walkthrough(DevnetManifest devnet, Path work, Duration waitLimit, Listener listener) {
    this.devnet = devnet;
    this.work = work;
    this.waitLimit = waitLimit;
    this.listener = listener;
    this.runId = Long.toString(System.currentTimeMillis(), 36);
  }

  /** Plays every step until one fails; returns the steps played, the failed one last. */
  public List<Step> run() {
    try {
      cluster();
      rollup();
      dapp();
      miner();
      compute();
    } catch (StepFailed e) {
      // recorded by step(); the tour stops here
    }
    return List.copyOf(steps);
  }

  /**
   * What the tour left on the devnet, to look at afterwards: {@code blobKey}, {@code fileRoot},
   * {@code kvKey}, {@code kvValue}, {@code computeRequest} (the request hash).
   */
  public java.util.Map<String, String> created() {
    return java.util.Collections.unmodifiableMap(created);
  }

  /** Whether every step played and passed. */
  public static boolean passed(List<Step> steps) {
    return !steps.isEmpty() && steps.stream().allMatch(Step::ok);
  }

  // ---- the cluster: every chain finalizes, signed by the one validator set

  private void cluster() {
    step(
        "cluster",
        "every chain finalizes new blocks",
        "eth_blockNumber on each chain's JSON-RPC",
        () -> {
          List<String> heights = new ArrayList<>();
          for (DevnetManifest.ChainEndpoint c : devnet.chains()) {
            EthClient eth = eth(c.rpc());
            long start = eth.blockNumber();
            long now = await("a new block on chain " + c.index(), () -> next(eth, start));
            heights.add("chain " + c.index() + " at " + now);
          }
          return String.join(", ", heights);
        });
    step(
        "cluster",
        "one validator set signs every chain",
        "axivon_getCertifiedHeader on each chain's JSON-RPC",
        () -> {
          Set<String> sets = new HashSet<>();
          for (DevnetManifest.ChainEndpoint c : devnet.chains()) {
            JsonRpcClient rpc = new JsonRpcClient(URI.create(c.rpc()), Duration.ofSeconds(10));
            long height = eth(c.rpc()).blockNumber();
            JsonNode h = rpc.callRaw("axivon_getCertifiedHeader", EthClient.block(height));
            if (h == null || h.isNull()) {
              throw new StepFailed("chain " + c.index() + " has no certified header at " + height);
            }
            sets.add(h.path("validatorsHash").asText());
          }
          if (sets.size() != 1) {
            throw new StepFailed("the chains are signed by different sets: " + sets);
          }
          return devnet.chains().size()
              + " chains, "
              + devnet.p2p().size()
              + " validators, one set "
              + abbreviate(sets.iterator().next());
        });
  }

  // ---- a rollup: blobs in data availability

  private void rollup() {
    DevnetManifest.DaEndpoint da = devnet.da();
    if (da == null) {
      throw fail(
          "rollup", "post a blob to data availability", "", "this devnet runs no DA network");
    }
    byte[] data = new byte[100_000];
    new Random().nextBytes(data);
    Path blob = work.resolve("rollup-" + runId + ".blob");
    write(blob, data);
    List<String> api = List.of("--api", da.api());
    List<String> putArgs =
        concat(
            List.of("da", "put", blob.toString()),
            api,
            List.of("--timeout", Long.toString(waitLimit.toSeconds())));
    JsonNode put =
        step(
            "rollup",
            "post a 100 kB batch: erasure-coded, dispersed to the epoch's quorum, certified on chain 0",
            putArgs,
            // a new devnet's DA operators serve from its first DA epoch on (about 10 blocks)
            () -> await("a DA quorum (a new devnet's first DA epoch)", () -> firstQuorum(putArgs)),
            r -> {
              if (!"certified".equals(r.path("status").asText())) {
                throw new StepFailed("status " + r.path("status").asText());
              }
              return "key "
                  + abbreviate(r.path("key").asText())
                  + ", k = "
                  + r.path("k").asInt()
                  + ", epoch "
                  + r.path("epoch").asLong()
                  + ", certified in chain 0 block "
                  + r.path("block").asLong()
                  + "; OP Alt-DA commitment "
                  + abbreviate(r.path("commitment").asText());
            });
    String key = put.path("key").asText();
    created.put("blobKey", key);
    Path back = work.resolve("rollup-" + runId + ".back");
    cliStep(
        "rollup",
        "read it back, rebuilt from the DA nodes' rows",
        concat(List.of("da", "get", key, "--out", back.toString()), api, List.of()),
        r -> {
          if (mismatch(blob, back)) {
            throw new StepFailed("the blob read back differs from the one posted");
          }
          return r.path("size").asLong() + " bytes, identical";
        });
    cliStep(
        "rollup",
        "sample it as a light client (random cells with proofs)",
        concat(List.of("da", "sample", key), api, List.of()),
        r -> {
          if (r.path("verified").asInt() != r.path("asked").asInt()) {
            throw new StepFailed(
                r.path("verified").asInt()
                    + " of "
                    + r.path("asked").asInt()
                    + " samples verified");
          }
          return r.path("verified").asInt()
              + " of "
              + r.path("asked").asInt()
              + " samples verified, confidence "
              + r.path("confidence").asText();
        });
  }

  // ---- a dApp: a file in the log, keys in KV

  private void dapp() {
    List<String> nodes = new ArrayList<>();
    for (DevnetManifest.StorageEndpoint s : devnet.storage()) {
      nodes.add("--node");
      nodes.add(s.rpc());
    }
    String chainRpc = devnet.chains().get(0).rpc();
    byte[] data = new byte[300_000];
    new Random().nextBytes(data);
    Path file = work.resolve("dapp-" + runId + ".bin");
    write(file, data);
    JsonNode upload =
        cliStep(
            "dapp",
            "upload a 300 kB file to the storage log",
            concat(
                List.of("storage", "upload", file.toString(), "--chain-rpc", chainRpc),
                nodes,
                List.of("--dev-account", Integer.toString(DAPP_ACCOUNT))),
            r ->
                "root "
                    + abbreviate(r.path("root").asText())
                    + ", tx seq "
                    + r.path("txSeq").asLong()
                    + ", "
                    + r.path("segments").asLong()
                    + " segment(s) on "
                    + r.path("nodes").size()
                    + " storage nodes");
    String root = upload.path("root").asText();
    created.put("fileRoot", root);
    Path back = work.resolve("dapp-" + runId + ".out");
    List<String> lastNode = nodes.subList(nodes.size() - 2, nodes.size());
    cliStep(
        "dapp",
        "download it from another node, every segment proven",
        concat(List.of("storage", "download", root, back.toString()), lastNode, List.of()),
        r -> {
          if (mismatch(file, back)) {
            throw new StepFailed("the downloaded file differs from the uploaded one");
          }
          return r.path("size").asLong() + " bytes, identical";
        });
    String kv = devnet.services().get("kv");
    if (kv == null) {
      throw fail("dapp", "write a key to KV", "", "this devnet runs no KV node");
    }
    String key = "demo/" + runId;
    String value = "hello from the demo at " + java.time.Instant.now();
    cliStep(
        "dapp",
        "write a key to the KV stream (a KV transaction in the log)",
        concat(
            List.of("kv", "put", key, value, "--chain-rpc", chainRpc),
            nodes.subList(0, 2),
            List.of("--kv-node", kv, "--dev-account", Integer.toString(DAPP_ACCOUNT))),
        r -> {
          if (!"Commit".equals(r.path("result").asText())) {
            throw new StepFailed("the KV node did not commit it: " + r.path("result").asText());
          }
          created.put("kvKey", key);
          created.put("kvValue", value);
          return "committed at version " + r.path("txSeq").asLong();
        });
    cliStep(
        "dapp",
        "read it back from the KV node",
        List.of("kv", "get", key, "--kv-node", kv),
        r -> {
          if (!value.equals(r.path("value").asText())) {
            throw new StepFailed("read '" + r.path("value").asText() + "', wrote '" + value + "'");
          }
          return "'" + key + "' = '" + value + "' (version " + r.path("version").asLong() + ")";
        });
  }

  // ---- a storage miner: storage node 0 proves it keeps the data and is paid

  private void miner() {
    Path key = Path.of(devnet.dataDir()).resolve("storage-0").resolve("miner.key");
    if (!Files.exists(key)) {
      throw fail("miner", "earn a PoRA reward", "", "no miner key at " + key);
    }
    List<String> status =
        List.of(
            "storage",
            "mining",
            "status",
            "--chain-rpc",
            devnet.chains().get(0).rpc(),
            "--miner-key",
            key.toString());
    BigInteger before = new BigInteger(cli(status).at("/miner/rewardsWei").asText("0"));
    cliStep(
        "miner",
        "storage node 0 answers a PoRA challenge and is paid",
        status,
        first -> {
          JsonNode r =
              await(
                  "a new mining reward (a flow epoch is 20 blocks)",
                  () -> {
                    JsonNode s = cli(status);
                    BigInteger now = new BigInteger(s.at("/miner/rewardsWei").asText("0"));
                    return now.compareTo(before) > 0 ? Optional.of(s) : Optional.empty();
                  });
          BigInteger rewards = new BigInteger(r.at("/miner/rewardsWei").asText());
          return r.at("/miner/answersAccepted").asLong()
              + " answer(s) accepted, "
              + axn(rewards)
              + " AXN earned (+"
              + axn(rewards.subtract(before))
              + " during this demo)";
        });
  }

  // ---- a GPU provider's service, paid by a user and by an MCP client

  private void compute() {
    if (devnet.compute().isEmpty()) {
      throw fail("compute", "pay a compute service", "", "this devnet runs no compute gateway");
    }
    DevnetManifest.ComputeEndpoint gw = devnet.compute().get(0);
    List<String> chain = List.of("--chain-rpc", devnet.chains().get(0).rpc());
    cliStep(
        "compute",
        "find the provider's service and its prices on chain 0",
        concat(List.of("compute", "services"), chain, List.of()),
        r -> {
          for (JsonNode s : r.path("services")) {
            if (s.path("provider").asText().equalsIgnoreCase(gw.provider())
                && s.path("name").asText().equals(gw.service())) {
              return "'"
                  + gw.service()
                  + "' by "
                  + abbreviate(gw.provider())
                  + " at "
                  + s.path("url").asText()
                  + ", "
                  + s.path("inputPrice").asText()
                  + " + "
                  + s.path("outputPrice").asText()
                  + " wei per byte in + out";
            }
          }
          throw new StepFailed("the gateway's service is not registered on chain 0");
        });
    List<String> user = concat(chain, List.of("--dev-account", Integer.toString(COMPUTE_ACCOUNT)));
    fundProvider(user, gw);
    String text = "what does the demo cost? " + runId;
    JsonNode answer =
        cliStep(
            "compute",
            "send a signed request through the gateway",
            concat(
                List.of(
                    "compute",
                    "request",
                    "--provider",
                    gw.provider(),
                    "--service",
                    gw.service(),
                    "--data",
                    text),
                user,
                List.of()),
            r -> {
              if (r.path("status").asInt() != 200 || !r.path("verified").asBoolean()) {
                throw new StepFailed(
                    "status " + r.path("status").asInt() + ", verified " + r.path("verified"));
              }
              return "answer '"
                  + abbreviate(r.path("body").asText())
                  + "', response signature verified, fee "
                  + r.path("fee").asText()
                  + " wei";
            });
    long nonce = answer.path("nonce").asLong();
    created.put("computeRequest", answer.path("requestHash").asText());
    String address =
        io.axivon.common.crypto.secp256k1.HdKeys.ethereumAccount(
                Genesis.DEV_MNEMONIC, "", COMPUTE_ACCOUNT)
            .address()
            .toString();
    List<String> balance =
        concat(
            List.of("compute", "balance", address, "--provider", gw.provider()), chain, List.of());
    cliStep(
        "compute",
        "the provider settles the request on chain 0",
        balance,
        first -> {
          JsonNode settled =
              await(
                  "settlement by the gateway (it settles every second)",
                  () -> {
                    JsonNode b = cli(balance);
                    return b.at("/account/nonce").asLong() >= nonce
                        ? Optional.of(b)
                        : Optional.empty();
                  });
          return "settled: the sub-account's nonce reached the request's, its balance is "
              + axn(new BigInteger(settled.at("/account/balance").asText()))
              + " AXN";
        });
    List<String> mcpPayer =
        concat(chain, List.of("--dev-account", Integer.toString(Devnet.MCP_DEV_ACCOUNT)));
    fundProvider(mcpPayer, gw);
    step(
        "compute",
        "an MCP client lists the tools and calls the service",
        "MCP initialize, tools/list, tools/call call_service at " + gw.mcp(),
        () -> McpTour.callService(URI.create(gw.mcp()), "hello from an MCP client " + runId));
  }

  /** Deposits 1 AXN into the payer's ledger and moves half of it to the provider. */
  private void fundProvider(List<String> payer, DevnetManifest.ComputeEndpoint gw) {
    cliStep(
        "compute",
        "fund the ledger with 1 AXN",
        concat(List.of("compute", "fund", "1axn"), payer, List.of()),
        r -> "ledger balance " + axn(new BigInteger(r.path("balance").asText())) + " AXN");
    cliStep(
        "compute",
        "set 0.5 AXN aside for the provider",
        concat(List.of("compute", "transfer", gw.provider(), "0.5axn"), payer, List.of()),
        r ->
            "sub-account balance "
                + axn(new BigInteger(r.at("/account/balance").asText()))
                + " AXN");
  }

  // ---- plumbing

  private interface Body<T> {
    T get() throws Exception;
  }

  private interface Check {
    String describe(JsonNode result) throws Exception;
  }

  /** Runs one step, records it, and stops the tour when it fails. */
  private void step(String user, String title, String command, Body<String> body) {
    listener.started(user, title, command);
    long start = System.nanoTime();
    try {
      String result = body.get();
      record(new Step(user, title, command, true, result, millisSince(start)));
    } catch (StepFailed e) {
      record(new Step(user, title, command, false, e.getMessage(), millisSince(start)));
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      record(new Step(user, title, command, false, "interrupted", millisSince(start)));
      throw new StepFailed("interrupted");
    } catch (Exception e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      record(new Step(user, title, command, false, message, millisSince(start)));
      throw new StepFailed(message);
    }
  }

  /** Runs {@code axivon ARGS --json} as a step; returns its answer. */
  private JsonNode cliStep(String user, String title, List<String> args, Check check) {
    return step(user, title, args, () -> cli(args), check);
  }

  /** A step shown as {@code axivon ARGS} whose answer comes from {@code run}. */
  private JsonNode step(
      String user, String title, List<String> args, Body<JsonNode> run, Check check) {
    JsonNode[] answer = new JsonNode[1];
    step(
        user,
        title,
        "axivon " + String.join(" ", quoted(args)),
        () -> {
          answer[0] = run.get();
          return check.describe(answer[0]);
        });
    return answer[0];
  }

  /** {@code da put}'s answer, or empty while the DA module has no quorum yet (a new devnet). */
  private static Optional<JsonNode> firstQuorum(List<String> putArgs) {
    try {
      return Optional.of(cli(putArgs));
    } catch (StepFailed e) {
      if (e.getMessage().contains("no DA operators")) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Records a step that cannot run at all, shown like any other, and stops the tour. */
  private StepFailed fail(String user, String title, String command, String why) {
    listener.started(user, title, command);
    record(new Step(user, title, command, false, why, 0));
    return new StepFailed(why);
  }

  private void record(Step s) {
    steps.add(s);
    listener.finished(s);
  }

  /** {@code axivon ARGS --json} in this process; its JSON answer, or its error as a failure. */
  static JsonNode cli(List<String> args) {
    List<String> all = new ArrayList<>(args);
    all.add("--json");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
    if (code != 0) {
      throw new StepFailed("exit code " + code + ": " + err.toString().strip());
    }
    try {
      return JSON.readTree(out.toString());
    } catch (IOException e) {
      throw new StepFailed("not JSON: " + out.toString().strip());
    }
  }

  /** Polls {@code probe} every half second until it answers, or fails after the wait limit. */
  private <T> T await(String what, Supplier<Optional<T>> probe) throws InterruptedException {
    long deadline = System.nanoTime() + waitLimit.toNanos();
    while (true) {
      Optional<T> v = probe.get();
      if (v.isPresent()) {
        return v.get();
      }
      if (System.nanoTime() > deadline) {
        throw new StepFailed("no " + what + " within " + waitLimit.toSeconds() + " s");
      }
      Thread.sleep(500); // the chain is polled: there is nothing to wait on but the next block
    }
  }

  private static Optional<Long> next(EthClient eth, long start) {
    long now = eth.blockNumber();
    return now > start ? Optional.of(now) : Optional.empty();
  }

  private static EthClient eth(String url) {
    return new EthClient(new JsonRpcClient(URI.create(url), Duration.ofSeconds(10)));
  }

  private static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  static String axn(BigInteger wei) {
    return new BigDecimal(wei, 18).stripTrailingZeros().toPlainString();
  }

  static String abbreviate(String s) {
    return s.length() <= 22 ? s : s.substring(0, 10) + "…" + s.substring(s.length() - 8);
  }

  private static List<String> quoted(List<String> args) {
    return args.stream().map(a -> a.contains(" ") ? "'" + a + "'" : a).toList();
  }

  @SafeVarargs
  private static List<String> concat(List<String>... parts) {
    List<String> out = new ArrayList<>();
    for (List<String> p : parts) {
      out.addAll(p);
    }
    return out;
  }

  private static void write(Path file, byte[] data) {
    try {
      Files.write(file, data);
    } catch (IOException e) {
      throw new StepFailed("cannot write " + file + ": " + e.getMessage());
    }
  }

  private static boolean mismatch(Path a, Path b) throws IOException {
    return Files.mismatch(a, b) != -1;
  }
}
