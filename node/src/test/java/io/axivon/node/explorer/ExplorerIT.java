package io.axivon.node.explorer;

import static io.axivon.node.devnet.DevnetFixture.FAST;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.node.cli.CliResult;
import io.axivon.node.devnet.Devnet;
import io.axivon.node.devnet.DevnetManifest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The explorer page in headless Chromium against one running devnet: every section renders from the
 * relay, a later load shows newer blocks, search finds a transaction and a file and answers garbage
 * readably, and a screenshot is kept as {@code node/target/explorer.png}. `.ci/run` installs
 * Debian's chromium; elsewhere set AXIVON_CHROMIUM or the test is skipped.
 */
class ExplorerIT {
  private static final List<String> SECTIONS =
      List.of("validators", "da", "storage", "mining", "kv", "compute", "accounts");

  @TempDir Path dir;

  private static Path chromium() {
    String env = System.getenv("AXIVON_CHROMIUM");
    for (String candidate : new String[] {env, "/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
      if (candidate != null && Files.isExecutable(Path.of(candidate))) {
        return Path.of(candidate);
      }
    }
    return null;
  }

  /** Chromium headless with a fresh profile; virtual time lets the page's refreshes run. */
  private String chromium(Path chromium, String url, String... flags) throws Exception {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            chromium.toString(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--user-data-dir=" + Files.createTempDirectory(dir, "profile"),
            "--virtual-time-budget=10000"));
    args.addAll(List.of(flags));
    args.add(url);
    Process p = new ProcessBuilder(args).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("chromium exited").isTrue();
    return new String(out, StandardCharsets.UTF_8);
  }

  private String dumpDom(Path chromium, String url) throws Exception {
    return chromium(chromium, url, "--dump-dom");
  }

  private static long height(String dom, String chain) {
    Matcher m =
        Pattern.compile("class=\"height\" data-chain=\"" + chain + "\"[^>]*>([0-9]+)<")
            .matcher(dom);
    assertThat(m.find()).as("height of " + chain + " in\n" + dom).isTrue();
    return Long.parseLong(m.group(1));
  }

  private static void await(BooleanSupplier condition, Duration timeout, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(50); // polling a condition
    }
  }

  private static String text(DevTools page, String expression) {
    try {
      return page.evaluate(expression).asText();
    } catch (Exception e) {
      throw new AssertionError("evaluating " + expression, e);
    }
  }

  private static JsonNode relay(String url, String method, String params) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      String body =
          http.send(
                  HttpRequest.newBuilder(URI.create(url))
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\""
                                  + method
                                  + "\",\"params\":"
                                  + params
                                  + "}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      return new ObjectMapper().readTree(body).path("result");
    }
  }

  private static JsonNode json(CliResult r) throws Exception {
    assertThat(r.exitCode()).as(r.err()).isZero();
    return new ObjectMapper().readTree(r.out());
  }

  @Test
  void pageShowsTheWholeStackRefreshesAndSearches() throws Exception {
    Path chromium = chromium();
    Assumptions.assumeTrue(
        chromium != null, "no chromium: install Debian's chromium or set AXIVON_CHROMIUM");
    try (Devnet devnet =
        Devnet.start(Devnet.Options.onFreePorts(dir.resolve("data"), 1, 2, FAST))) {
      await(
          () -> devnet.validators().get(0).chains().stream().allMatch(c -> c.node().height() >= 3),
          Duration.ofSeconds(60),
          "both chains at height 3");
      DevnetManifest m = devnet.manifest();
      String rpc0 = m.chains().get(0).rpc();

      // a file on both storage nodes (a row of the files table) and a deposit into the compute
      // ledger (a transaction to search for)
      Path file = dir.resolve("file.bin");
      byte[] data = new byte[300_000];
      new Random(7).nextBytes(data);
      Files.write(file, data);
      String root =
          json(CliResult.run(
                  "storage",
                  "upload",
                  file.toString(),
                  "--chain-rpc",
                  rpc0,
                  "--node",
                  m.storage().get(0).rpc(),
                  "--node",
                  m.storage().get(1).rpc(),
                  "--dev-account",
                  "0",
                  "--json"))
              .path("root")
              .asText();
      String tx =
          json(CliResult.run(
                  "compute", "fund", "1axn", "--dev-account", "1", "--chain-rpc", rpc0, "--json"))
              .path("transaction")
              .asText();
      assertThat(tx).matches("0x[0-9a-f]{64}");

      String dom = dumpDom(chromium, m.explorer() + "?q=" + tx);
      for (String section : SECTIONS) {
        assertThat(dom).as(section).contains("id=\"" + section + "\" data-rendered=\"ok\"");
      }
      for (int i = 0; i < 2; i++) {
        assertThat(dom).containsPattern("id=\"chain-" + i + "\"[^>]*data-rendered=\"ok\"");
        assertThat(height(dom, m.chains().get(i).chainId())).isGreaterThanOrEqualTo(3);
      }
      assertThat(dom)
          .contains("class=\"block\"")
          .contains("signed: v0")
          .contains("class=\"validator\"")
          .contains("class=\"service\"")
          .contains("digest")
          .contains("class=\"storage-node\"")
          .contains("class=\"file\"")
          .contains("#q=" + root)
          .contains("storage-0: 2/2 segments ✓")
          .contains("storage-1: 2/2 segments ✓")
          .contains("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")
          .contains("10,000 AXN");
      assertThat(dom).contains("data-kind=\"transaction\"").contains(">" + tx + "<");
      assertThat(dom).doesNotContain("class=\"error\"").doesNotContain("class=\"invalid\"");

      // the open page shows a new block within 5 s (it refreshes the chains every second)
      String chain0 = m.chains().get(0).chainId();
      String shown =
          "document.querySelector('.height[data-chain=\"" + chain0 + "\"]')?.textContent || ''";
      try (DevTools page = DevTools.open(chromium, dir.resolve("live"), m.explorer())) {
        await(
            () -> !text(page, shown).isEmpty(), Duration.ofSeconds(30), "the page's first render");
        long first = Long.parseLong(text(page, shown));
        await(
            () -> devnet.validators().get(0).chains().get(0).node().height() > first + 1,
            Duration.ofSeconds(30),
            "chain 0 past the height the page first showed");
        await(
            () -> Long.parseLong(text(page, shown)) > first,
            Duration.ofSeconds(5),
            "the open page showing a block after " + first);
      }

      // a later load shows the blocks decided meanwhile
      long seen = height(dom, m.chains().get(0).chainId());
      await(
          () -> devnet.validators().get(0).chains().get(0).node().height() > seen + 1,
          Duration.ofSeconds(30),
          "chain 0 past the height the page showed");
      String later = dumpDom(chromium, m.explorer() + "#q=" + root);
      assertThat(height(later, m.chains().get(0).chainId())).isGreaterThan(seen);
      assertThat(later).contains("data-kind=\"file\"").contains(">" + root + "<");

      // a block hash of chain 1, read through the explorer's own relay
      String blockHash =
          relay(m.explorer() + "rpc/chain/1", "eth_getBlockByNumber", "[\"0x2\", false]")
              .path("hash")
              .asText();
      String block = dumpDom(chromium, m.explorer() + "#q=" + blockHash);
      assertThat(block)
          .contains("data-kind=\"block\">Block 2 of " + m.chains().get(1).chainId())
          .contains(">" + blockHash + "<");

      String garbage = dumpDom(chromium, m.explorer() + "#q=hello%20world");
      assertThat(garbage).contains("class=\"invalid\"").contains("not a valid query");
      String unknown = dumpDom(chromium, m.explorer() + "#q=0x" + "ab".repeat(32));
      assertThat(unknown).contains("class=\"not-found\"").contains("not found: no block");

      Path shot = Path.of("target", "explorer.png").toAbsolutePath();
      Files.createDirectories(shot.getParent());
      Files.deleteIfExists(shot);
      chromium(chromium, m.explorer(), "--screenshot=" + shot, "--window-size=1400,2000");
      assertThat(shot).exists();
      assertThat(Files.size(shot)).isPositive();
    }
  }
}
