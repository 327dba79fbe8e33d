package io.axivon.node.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.common.crypto.keystore.KdfParams;
import io.axivon.common.crypto.keystore.KeyFiles;
import io.axivon.common.crypto.secp256k1.HdKeys;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.node.cli.ExitCodes;
import io.axivon.node.cli.JsonOutput;
import io.axivon.node.cli.PassphraseOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description =
        "Create, inspect and import passphrase-encrypted key files. secp256k1 account keys are Web3 Secret Storage v3 files (geth, MetaMask and ethers import them); BLS validator keys are EIP-2335 keystores.",
    subcommands = {KeysCommand.Generate.class, KeysCommand.Show.class, KeysCommand.Import.class})
public final class KeysCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The two kinds of key Axivon uses. */
  public enum KeyType {
    secp256k1,
    bls
  }

  /** Options every subcommand that writes a key file shares. */
  static final class WriteOptions {
    @Option(
        names = "--out",
        paramLabel = "FILE",
        description =
            "Key file to write (default: keys/<address or public key>.json); never overwritten.")
    Path out;

    @Option(
        names = "--light-kdf",
        description =
            "Faster, weaker scrypt (N=2^12) for throwaway test keys, like geth's --lightkdf.")
    boolean lightKdf;

    @Option(names = "--json", description = "Print the result as one JSON document.")
    boolean json;

    KeyFiles keyFiles() {
      KdfParams kdf =
          lightKdf ? new KdfParams.Scrypt(1 << 12, 8, 1, 32) : KdfParams.STANDARD_SCRYPT;
      return new KeyFiles(kdf, new SecureRandom());
    }
  }

  /** Writes {@code key} and reports what was written. */
  static Map<String, Object> write(
      WriteOptions options, Object key, String passphrase, PrintWriter out) {
    KeyFiles files = options.keyFiles();
    Map<String, Object> report = new LinkedHashMap<>();
    Path file;
    switch (key) {
      case Secp256k1PrivateKey k -> {
        file = target(options, k.address().toLowerHex());
        files.writeSecp256k1(file, k, passphrase);
        report.put("type", KeyType.secp256k1.name());
        report.put("address", k.address().toString());
      }
      case BlsSecretKey k -> {
        String publicKey = k.publicKey().toBytes().toHexString();
        file = target(options, "bls-" + publicKey.substring(2, 18));
        files.writeBls(file, k, passphrase, "");
        report.put("type", KeyType.bls.name());
        report.put("publicKey", publicKey);
      }
      default -> throw new IllegalArgumentException("not a key: " + key.getClass());
    }
    report.put("file", file.toAbsolutePath().normalize().toString());
    print(options.json, report, out);
    return report;
  }

  /**
   * The file to write; its directory is created by {@link KeyFiles}, which also never overwrites.
   */
  private static Path target(WriteOptions options, String name) {
    Path file = options.out != null ? options.out : Path.of("keys", name + ".json");
    if (Files.exists(file)) {
      throw new InvalidInputException(
          file + " exists: pass another --out (key files are never overwritten)");
    }
    return file;
  }

  static void print(boolean json, Map<String, Object> report, PrintWriter out) {
    if (json) {
      JsonOutput.print(out, report);
    } else {
      report.forEach((k, v) -> out.printf("%-10s %s%n", k, v));
      out.flush();
    }
  }

  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description = "Generate a new key and write it encrypted with a passphrase.")
  static final class Generate implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--type",
        defaultValue = "secp256k1",
        description = "secp256k1 (account) or bls (validator) (default: ${DEFAULT-VALUE}).")
    KeyType type;

    @Mixin WriteOptions writeOptions;
    @Mixin PassphraseOptions passphrase;

    @Override
    public Integer call() {
      SecureRandom random = new SecureRandom();
      Object key =
          switch (type) {
            case secp256k1 -> Secp256k1PrivateKey.generate(random);
            case bls -> BlsSecretKey.generate(random);
          };
      write(writeOptions, key, passphrase.read(true), spec.commandLine().getOut());
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Decrypt a key file with its passphrase and show its address or public key.")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "A v3 (secp256k1) or EIP-2335 (BLS) key file.")
    Path file;

    @Mixin PassphraseOptions passphrase;

    @Option(names = "--json", description = "Print the result as one JSON document.")
    boolean json;

    @Override
    public Integer call() {
      KeyType type = detect(file);
      String pass = passphrase.read(false);
      KeyFiles files = KeyFiles.standard(new SecureRandom());
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("type", type.name());
      switch (type) {
        case secp256k1 ->
            report.put("address", files.readSecp256k1(file, pass).address().toString());
        case bls ->
            report.put("publicKey", files.readBls(file, pass).publicKey().toBytes().toHexString());
      }
      report.put("file", file.toAbsolutePath().normalize().toString());
      print(json, report, spec.commandLine().getOut());
      return ExitCodes.OK;
    }

    /** v3 files are secp256k1 keys, version 4 (EIP-2335) files are BLS keys. */
    private static KeyType detect(Path file) {
      JsonNode root;
      try {
        root = new ObjectMapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
      } catch (NoSuchFileException e) {
        throw new InvalidInputException("key file not found: " + file);
      } catch (IOException e) {
        throw new InvalidInputException("not a key file: " + file + " is not JSON");
      }
      return switch (root == null ? -1 : root.path("version").asInt(-1)) {
        case 3 -> KeyType.secp256k1;
        case 4 -> KeyType.bls;
        default ->
            throw new InvalidInputException(
                "not a key file: " + file + " has no \"version\" 3 (v3) or 4 (EIP-2335)");
      };
    }
  }

  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description =
          "Import a private key from a file holding its hex, or an account of a BIP-39 mnemonic (path m/44'/60'/0'/0/INDEX), and write it encrypted with a passphrase.")
  static final class Import implements Callable<Integer> {
    @Spec CommandSpec spec;

    static final class Source {
      @Option(
          names = "--private-key-file",
          paramLabel = "FILE",
          description = "File whose first line is the private key in hex.")
      Path privateKeyFile;

      @Option(
          names = "--mnemonic-file",
          paramLabel = "FILE",
          description = "File whose first line is a BIP-39 mnemonic (secp256k1 only).")
      Path mnemonicFile;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(
        names = "--index",
        defaultValue = "0",
        description = "Account index for --mnemonic-file (default: ${DEFAULT-VALUE}).")
    int index;

    @Option(
        names = "--type",
        defaultValue = "secp256k1",
        description =
            "Type of the key in --private-key-file: secp256k1 or bls (default: ${DEFAULT-VALUE}).")
    KeyType type;

    @Mixin WriteOptions writeOptions;
    @Mixin PassphraseOptions passphrase;

    @Override
    public Integer call() {
      Object key;
      if (source.mnemonicFile != null) {
        if (type != KeyType.secp256k1) {
          throw new InvalidInputException("--mnemonic-file derives secp256k1 accounts only");
        }
        if (index < 0) {
          throw new InvalidInputException("--index must be ≥ 0, got " + index);
        }
        key = HdKeys.ethereumAccount(firstLine(source.mnemonicFile), "", index);
      } else {
        String hex = firstLine(source.privateKeyFile);
        key =
            switch (type) {
              case secp256k1 -> Secp256k1PrivateKey.fromHex(hex);
              case bls -> BlsSecretKey.fromHex(hex);
            };
      }
      write(writeOptions, key, passphrase.read(true), spec.commandLine().getOut());
      return ExitCodes.OK;
    }

    private static String firstLine(Path file) {
      try {
        return Files.readString(file, StandardCharsets.UTF_8)
            .lines()
            .findFirst()
            .orElse("")
            .strip();
      } catch (NoSuchFileException e) {
        throw new InvalidInputException("file not found: " + file);
      } catch (IOException e) {
        throw new InvalidInputException("cannot read " + file + ": " + e.getMessage());
      }
    }
  }
}
