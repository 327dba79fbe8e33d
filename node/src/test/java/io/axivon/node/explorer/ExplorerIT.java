package io.axivon.node.explorer;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.node.devnet.Devnet;
import io.axivon.node.validator.ValidatorConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The explorer page in headless Chromium against a running devnet: the page's JavaScript reads both
 * chains over JSON-RPC and renders their heights, latest blocks and the development accounts.
 * `.ci/run` installs Debian's chromium; elsewhere set AXIVON_CHROMIUM or the test is skipped.
 */
class ExplorerIT {
  private static final ValidatorConfig.Consensus FAST =
      new ValidatorConfig.Consensus(800, 300, 300, 100, 100, 1 << 20, 100);

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

  private static String dumpDom(Path chromium, String url, Path profile) throws Exception {
    Process p =
        new ProcessBuilder(
                List.of(
                    chromium.toString(),
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--user-data-dir=" + profile,
                    "--virtual-time-budget=10000",
                    "--dump-dom",
                    url))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("chromium exited").isTrue();
    return new String(out, StandardCharsets.UTF_8);
  }

  @Test
  void pageShowsBothChainsBlocksAndAccounts() throws Exception {
    Path chromium = chromium();
    Assumptions.assumeTrue(
        chromium != null, "no chromium: install Debian's chromium or set AXIVON_CHROMIUM");
    try (Devnet devnet =
        Devnet.start(
            new Devnet.Options(dir.resolve("data"), 1, 2, "127.0.0.1", 0, 0, 0, 0, FAST))) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (devnet.validators().get(0).chains().stream().anyMatch(c -> c.node().height() < 3)) {
        assertThat(System.nanoTime()).as("both chains at height 3").isLessThan(deadline);
        Thread.sleep(50); // polling a condition
      }
      String dom = dumpDom(chromium, devnet.manifest().explorer(), dir.resolve("profile"));
      for (String chain : List.of("axivon-12700", "axivon-12701")) {
        Matcher m =
            Pattern.compile("class=\"height\" data-chain=\"" + chain + "\">([0-9]+)<").matcher(dom);
        assertThat(m.find()).as("height of " + chain + " in\n" + dom).isTrue();
        assertThat(Long.parseLong(m.group(1))).isGreaterThanOrEqualTo(3);
      }
      assertThat(dom)
          .contains("class=\"block\"")
          .contains("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
      assertThat(dom).contains("10,000 AXN").doesNotContain("class=\"error\"");
    }
  }
}
