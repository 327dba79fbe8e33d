package io.axivon.node.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.node.cli.CliResult;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compute CLI's usage and input checks (no chain needed). */
class ComputeCommandTest {
  @TempDir Path dir;

  @Test
  void helpListsEverySubcommand() {
    CliResult r = CliResult.run("compute", "--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .contains(
            "services",
            "fund",
            "transfer",
            "request",
            "refund",
            "withdraw",
            "balance",
            "bond",
            "dispute");
    for (String sub :
        new String[] {
          "services", "fund", "transfer", "request", "refund", "balance", "bond", "dispute"
        }) {
      assertThat(CliResult.run("compute", sub, "--help").exitCode()).as(sub).isZero();
    }
    CliResult gw = CliResult.run("compute-gateway", "--help");
    assertThat(gw.exitCode()).isZero();
    assertThat(gw.out()).contains("--config", "--upstream", "--provider-key");
  }

  @Test
  void amountsAreWeiOrAxn() {
    assertThat(ComputeCommand.amount("1000")).isEqualTo(BigInteger.valueOf(1000));
    assertThat(ComputeCommand.amount("1.5axn")).isEqualTo(new BigInteger("1500000000000000000"));
    assertThat(ComputeCommand.amount(" 2 AXN")).isEqualTo(new BigInteger("2000000000000000000"));
    for (String bad : new String[] {"0", "-1", "1.5", "1e-30axn", "x", ""}) {
      assertThatThrownBy(() -> ComputeCommand.amount(bad))
          .as(bad)
          .isInstanceOf(InvalidInputException.class);
    }
  }

  @Test
  void badInputExitsTwoWithOneLine() throws Exception {
    CliResult amount = CliResult.run("compute", "fund", "lots", "--dev-account", "1");
    assertThat(amount.exitCode()).isEqualTo(2);
    assertThat(amount.err()).contains("amount must be whole wei").hasLineCount(1);

    CliResult account = CliResult.run("compute", "fund", "1", "--dev-account", "10");
    assertThat(account.exitCode()).isEqualTo(2);
    assertThat(account.err()).contains("--dev-account must be 0..9");

    CliResult noSigner = CliResult.run("compute", "fund", "1");
    assertThat(noSigner.exitCode()).isEqualTo(2);

    CliResult provider = CliResult.run("compute", "transfer", "0x12", "1", "--dev-account", "1");
    assertThat(provider.exitCode()).isEqualTo(2);
    assertThat(provider.err()).contains("PROVIDER is not a 20-byte hex address");

    CliResult body =
        CliResult.run(
            "compute",
            "request",
            "--provider",
            "0x0000000000000000000000000000000000000001",
            "--service",
            "digest",
            "--dev-account",
            "1");
    assertThat(body.exitCode()).isEqualTo(2);
    assertThat(body.err()).contains("--data TEXT or --file FILE");

    CliResult refund =
        CliResult.run(
            "compute",
            "refund",
            "0x0000000000000000000000000000000000000001",
            "--dev-account",
            "1");
    assertThat(refund.exitCode()).isEqualTo(2);
    assertThat(refund.err()).contains("either AMOUNT");
  }

  @Test
  void gatewayConfigIsCheckedBeforeAnythingStarts() throws Exception {
    CliResult noKey = CliResult.run("compute-gateway", "--provider-key", "missing.key");
    assertThat(noKey.exitCode()).isEqualTo(2);
    assertThat(noKey.err()).contains("no such provider key file");

    Path cfg = dir.resolve("gateway.yaml");
    Files.writeString(
        cfg,
        """
        provider-key: p.key
        service:
          verifiability: sometimes
        """);
    CliResult bad = CliResult.run("compute-gateway", "--config", cfg.toString());
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("verifiability must be none, signed-response or tee-attested");

    Files.writeString(cfg, "provider-key: p.key\nupstream: ftp://x\n");
    CliResult upstream = CliResult.run("compute-gateway", "--config", cfg.toString());
    assertThat(upstream.exitCode()).isEqualTo(2);
    assertThat(upstream.err()).contains("not an http(s) URL");
  }

  @Test
  void disputeAndBondInputIsCheckedBeforeAnyChainCall() throws Exception {
    CliResult help = CliResult.run("compute", "dispute", "--help");
    assertThat(help.out()).contains("EVIDENCE_FILE", "OTHER_RECEIPT", "--json");
    // the chain RPC is unreachable: each refusal comes before any call to it
    String rpc = "http://127.0.0.1:1/";
    CliResult missing =
        CliResult.run(
            "compute",
            "dispute",
            dir.resolve("nope.json").toString(),
            "--dev-account",
            "1",
            "--chain-rpc",
            rpc);
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("no such evidence file").hasLineCount(1);
    Path notJson = Files.writeString(dir.resolve("bad.json"), "{");
    CliResult bad =
        CliResult.run(
            "compute", "dispute", notJson.toString(), "--dev-account", "1", "--chain-rpc", rpc);
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("is not JSON");
    Path noReceipt = Files.writeString(dir.resolve("empty.json"), "{\"chainId\": 12700}");
    CliResult field =
        CliResult.run(
            "compute", "dispute", noReceipt.toString(), "--dev-account", "1", "--chain-rpc", rpc);
    assertThat(field.exitCode()).isEqualTo(2);
    assertThat(field.err()).contains("missing field receipt");

    CliResult neither = CliResult.run("compute", "bond", "--dev-account", "1");
    assertThat(neither.exitCode()).isEqualTo(2);
    assertThat(neither.err())
        .contains("give either AMOUNT (with or without --unbond) or --withdraw");
    CliResult both = CliResult.run("compute", "bond", "1", "--withdraw", "--dev-account", "1");
    assertThat(both.exitCode()).isEqualTo(2);
  }
}
