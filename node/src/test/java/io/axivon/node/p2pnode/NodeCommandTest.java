package io.axivon.node.p2pnode;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.node.cli.ExitCodes;
import io.axivon.node.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad configuration stops `axivon node` before it binds anything, with exit code 2. */
class NodeCommandTest {
  @TempDir Path dir;

  private String[] errorOf(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new String[] {Integer.toString(code), err.toString()};
  }

  @Test
  void unknownConfigKeyIsNamed() throws IOException {
    Path config = Files.writeString(dir.resolve("node.yaml"), "p2p:\n  prot: 1\n");
    String[] r = errorOf("node", "--config", config.toString());
    assertThat(r[0]).isEqualTo(Integer.toString(ExitCodes.USAGE));
    assertThat(r[1]).contains("prot").contains("node.yaml").doesNotContain("\tat ");
  }

  @Test
  void badFlagValueIsNamed() {
    String[] r = errorOf("node", "--data-dir", dir.toString(), "--p2p-port", "http");
    assertThat(r[0]).isEqualTo(Integer.toString(ExitCodes.USAGE));
    assertThat(r[1]).contains("p2p.port");
  }

  @Test
  void malformedPeerIsNamed() {
    String[] r = errorOf("node", "--data-dir", dir.toString(), "--peer", "nobody");
    assertThat(r[0]).isEqualTo(Integer.toString(ExitCodes.USAGE));
    assertThat(r[1]).contains("nobody");
  }

  @Test
  void corruptNodeKeyIsReportedAndKept() throws IOException {
    Path key = Files.writeString(dir.resolve("node.key"), "not a key");
    String[] r = errorOf("node", "--data-dir", dir.toString());
    assertThat(r[0]).isEqualTo(Integer.toString(ExitCodes.USAGE));
    assertThat(r[1]).contains("node.key");
    assertThat(Files.readString(key)).isEqualTo("not a key");
  }
}
