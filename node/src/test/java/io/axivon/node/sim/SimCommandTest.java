package io.axivon.node.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.node.cli.ExitCodes;
import io.axivon.node.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class SimCommandTest {
  record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void oneSeedReplaysExactly() throws Exception {
    Result a = run("sim", "--seed", "42", "--json");
    Result b = run("sim", "--seed", "42", "--json");
    assertThat(a.code()).as(a.err()).isEqualTo(ExitCodes.OK);
    assertThat(a.out()).isEqualTo(b.out());
    JsonNode doc = new ObjectMapper().readTree(a.out());
    assertThat(doc.get("seed").asLong()).isEqualTo(42);
    assertThat(doc.get("ok").asBoolean()).isTrue();
    assertThat(doc.get("heights").asLong()).isGreaterThanOrEqualTo(5);
  }

  @Test
  void campaignPrintsSummary() throws Exception {
    Result r = run("sim", "--runs", "20", "--nodes", "5", "--heights", "3", "--json");
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
    JsonNode doc = new ObjectMapper().readTree(r.out());
    assertThat(doc.get("runs").asLong()).isEqualTo(20);
    assertThat(doc.get("violations").asLong()).isZero();
    assertThat(doc.get("heights").asLong()).isEqualTo(60);
    Result text = run("sim", "--runs", "3");
    assertThat(text.out()).contains("runs=3").contains("violations=0");
  }

  @Test
  void severalChainsReplayExactly() throws Exception {
    Result a = run("sim", "--seed", "9", "--chains", "3", "--json");
    Result b = run("sim", "--seed", "9", "--chains", "3", "--json");
    assertThat(a.code()).as(a.err() + a.out()).isEqualTo(ExitCodes.OK);
    assertThat(a.out()).isEqualTo(b.out());
    JsonNode doc = new ObjectMapper().readTree(a.out());
    assertThat(doc.get("chains").asInt()).isEqualTo(3);
    assertThat(doc.get("chainHeights")).hasSize(3);
    assertThat(doc.get("stakeChanges").asLong()).isEqualTo(3);
    assertThat(doc.get("setChanges").asLong()).isEqualTo(2 * doc.get("chain0SetChanges").asLong());
    assertThat(doc.get("replay").asText()).isEqualTo("axivon sim --seed 9 --nodes 4 --chains 3");
    Result campaign = run("sim", "--runs", "3", "--chains", "2", "--heights", "3");
    assertThat(campaign.code()).as(campaign.out()).isEqualTo(ExitCodes.OK);
    assertThat(campaign.out()).contains("runs=3").contains("violations=0");
  }

  @Test
  void badOptionsAreUsageErrors() {
    assertThat(run("sim", "--nodes", "0").code()).isEqualTo(ExitCodes.USAGE);
    assertThat(run("sim", "--runs", "0").code()).isEqualTo(ExitCodes.USAGE);
    assertThat(run("sim", "--chains", "0").code()).isEqualTo(ExitCodes.USAGE);
    assertThat(run("sim", "--chains", "5").code()).isEqualTo(ExitCodes.USAGE);
    assertThat(run("sim", "--chains", "2", "--nodes", "32").code()).isEqualTo(ExitCodes.USAGE);
  }
}
