package io.axivon.node.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.node.cli.ExitCodes;
import io.axivon.node.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysCommandTest {
  @TempDir Path dir;
  private Path passphrase;

  record Result(int code, String out, String err) {
    JsonNode json() throws IOException {
      return new ObjectMapper().readTree(out);
    }
  }

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  @BeforeEach
  void writePassphrase() throws IOException {
    passphrase = Files.writeString(dir.resolve("pass"), "correct horse\n");
  }

  private String[] write(String... args) {
    String[] common = {"--light-kdf", "--json", "--passphrase-file", passphrase.toString()};
    String[] all = new String[args.length + common.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(common, 0, all, args.length, common.length);
    return all;
  }

  @Test
  void generatedAccountKeyShowsTheSameAddress() throws IOException {
    Path file = dir.resolve("a.json");
    Result gen = run(write("keys", "generate", "--out", file.toString()));
    assertThat(gen.code()).as(gen.err()).isZero();
    String address = gen.json().get("address").asText();
    assertThat(address).matches("0x[0-9a-fA-F]{40}");

    Result show =
        run("keys", "show", file.toString(), "--json", "--passphrase-file", passphrase.toString());
    assertThat(show.code()).as(show.err()).isZero();
    assertThat(show.json().get("address").asText()).isEqualTo(address);
    assertThat(show.json().get("type").asText()).isEqualTo("secp256k1");
  }

  @Test
  void generatedBlsKeyIsAnEip2335Keystore() throws IOException {
    Path file = dir.resolve("v.json");
    Result gen = run(write("keys", "generate", "--type", "bls", "--out", file.toString()));
    assertThat(gen.code()).as(gen.err()).isZero();
    assertThat(new ObjectMapper().readTree(file.toFile()).get("version").asInt()).isEqualTo(4);
    Result show = run("keys", "show", file.toString(), "--passphrase-file", passphrase.toString());
    assertThat(show.code()).isZero();
    assertThat(show.out()).contains(gen.json().get("publicKey").asText());
  }

  @Test
  void importsTheDevMnemonicsSecondAccount() throws IOException {
    Path mnemonic =
        Files.writeString(
            dir.resolve("mnemonic"), "test test test test test test test test test test test junk");
    Result r =
        run(
            write(
                "keys",
                "import",
                "--mnemonic-file",
                mnemonic.toString(),
                "--index",
                "1",
                "--out",
                dir.resolve("m.json").toString()));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.json().get("address").asText())
        .isEqualTo("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
  }

  @Test
  void importsAHexPrivateKey() throws IOException {
    Path hex =
        Files.writeString(
            dir.resolve("hex"),
            "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80\n");
    Result r =
        run(
            write(
                "keys",
                "import",
                "--private-key-file",
                hex.toString(),
                "--out",
                dir.resolve("h.json").toString()));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.json().get("address").asText())
        .isEqualTo("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
  }

  @Test
  void wrongPassphraseIsInputErrorAndLeavesTheFileAlone() throws IOException {
    Path file = dir.resolve("a.json");
    assertThat(run(write("keys", "generate", "--out", file.toString())).code()).isZero();
    byte[] before = Files.readAllBytes(file);
    Path wrong = Files.writeString(dir.resolve("wrong"), "incorrect");
    Result r = run("keys", "show", file.toString(), "--passphrase-file", wrong.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).startsWith("axivon: wrong passphrase").doesNotContain("\tat ");
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  @Test
  void neverOverwritesAKeyFile() throws IOException {
    Path file = Files.writeString(dir.resolve("taken.json"), "precious");
    Result r = run(write("keys", "generate", "--out", file.toString()));
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("exists");
    assertThat(Files.readString(file)).isEqualTo("precious");
  }

  @Test
  void badInputsGetOneLineErrorsWithExitCode2() throws IOException {
    Path notJson = Files.writeString(dir.resolve("x.json"), "hello");
    Path badHex = Files.writeString(dir.resolve("bad"), "0xzz");
    String pass = passphrase.toString();
    String[][] cases = {
      {"keys", "show", dir.resolve("missing.json").toString(), "--passphrase-file", pass},
      {"keys", "show", notJson.toString(), "--passphrase-file", pass},
      {"keys", "import", "--private-key-file", badHex.toString(), "--passphrase-file", pass},
      {"keys", "generate", "--type", "rsa", "--passphrase-file", pass},
      {"keys", "generate", "--passphrase-file", dir.resolve("nope").toString()},
      {"keys", "import", "--passphrase-file", pass},
    };
    for (String[] args : cases) {
      Result r = run(args);
      assertThat(r.code()).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err()).as(String.join(" ", args)).startsWith("axivon: ").doesNotContain("\tat ");
    }
  }

  @Test
  void everySubcommandHasHelp() {
    for (String sub : new String[] {"generate", "show", "import"}) {
      Result r = run("keys", sub, "--help");
      assertThat(r.code()).isZero();
      assertThat(r.out()).contains("Usage: axivon keys " + sub);
    }
  }
}
