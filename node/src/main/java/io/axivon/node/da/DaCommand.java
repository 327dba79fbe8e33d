package io.axivon.node.da;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axivon.common.InvalidInputException;
import io.axivon.node.cli.ExitCodes;
import io.axivon.node.cli.JsonOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code axivon da put|get|status|sample}: blobs through a DA blob API (specs/da-api.md). */
@Command(
    name = "da",
    mixinStandardHelpOptions = true,
    description =
        "Put and get blobs through a DA blob API (specs/da-api.md; the devnet's is http://127.0.0.1:3100): a put returns the blob key (keccak256 of the blob) and its OP Alt-DA commitment, then waits until the DA nodes' certificate is confirmed on chain 0.",
    subcommands = {
      DaCommand.Put.class,
      DaCommand.Get.class,
      DaCommand.Status.class,
      DaCommand.Sample.class
    })
public final class DaCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return ExitCodes.USAGE;
  }

  /** Which API, and how to print. */
  static final class Api {
    @Option(
        names = "--api",
        paramLabel = "URL",
        defaultValue = DaApiClient.DEVNET_API,
        description = "The DA blob API (default ${DEFAULT-VALUE}, the devnet's).")
    String api;

    @Option(names = "--json", description = "Print the result as one JSON document.")
    boolean json;

    DaApiClient client(Duration timeout) {
      return new DaApiClient(DaApiClient.parseUrl(api), timeout);
    }
  }

  /** The generic OP Alt-DA commitment of a key: {@code 0x01 ‖ 0x41 ‖ key}. */
  static String commitment(Bytes32 key) {
    return Bytes.concatenate(Bytes.of(0x01, 0x41), key).toHexString();
  }

  static int unknown(PrintWriter err, Bytes32 key) {
    err.println("axivon: unknown blob " + key + " (the API has no record of it, or it failed)");
    return ExitCodes.FAILURE;
  }

  @Command(
      name = "put",
      mixinStandardHelpOptions = true,
      description =
          "Submit FILE (or - for stdin) as a blob, print its key and OP Alt-DA commitment, and wait until it is certified on chain 0 (unless --no-wait).")
  static final class Put implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Api api;

    @Parameters(paramLabel = "FILE|-", description = "The blob: a file, or - for stdin.")
    String file;

    @Option(names = "--no-wait", description = "Return once the API has the blob.")
    boolean noWait;

    @Option(
        names = "--timeout",
        paramLabel = "SECONDS",
        defaultValue = "300",
        description = "How long to wait for the certificate (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      byte[] blob = read(file);
      DaApiClient client = api.client(Duration.ofSeconds(60));
      Bytes32 key = client.put(blob);
      if (noWait) {
        if (api.json) {
          ObjectNode doc = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
          doc.put("key", key.toHexString());
          doc.put("commitment", commitment(key));
          doc.put("size", blob.length);
          doc.put("status", "queued");
          JsonOutput.print(out, doc);
        } else {
          out.println("key         " + key);
          out.println("commitment  " + commitment(key) + "  (OP Alt-DA, generic)");
          out.println("status      queued: check with 'axivon da status " + key + "'");
        }
        return ExitCodes.OK;
      }
      if (!api.json) {
        out.println("key         " + key);
        out.println("commitment  " + commitment(key) + "  (OP Alt-DA, generic)");
        out.flush();
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
      String shown = "";
      while (true) {
        Optional<JsonNode> s = client.status(key);
        if (s.isEmpty()) {
          return unknown(err, key);
        }
        String state = s.get().get("status").asText();
        if (!api.json && !state.equals(shown)) {
          // one line per state change: scripts and logs see no control characters
          err.println("  " + state + progressDetail(s.get()));
          err.flush();
          shown = state;
        }
        if (state.equals("certified")) {
          if (api.json) {
            ObjectNode doc = ((ObjectNode) s.get()).deepCopy();
            doc.put("commitment", commitment(key));
            JsonOutput.print(out, doc);
          } else {
            out.println("dataRoot    " + s.get().get("dataRoot").asText());
            out.println(
                "confirmed   tx "
                    + s.get().get("tx").asText()
                    + " in block "
                    + s.get().get("block").asLong()
                    + " of chain 0");
          }
          return ExitCodes.OK;
        }
        if (state.equals("failed")) {
          err.println(
              "axivon: blob "
                  + key
                  + " was not certified: "
                  + Optional.ofNullable(s.get().get("reason"))
                      .map(JsonNode::asText)
                      .orElse("no reason given"));
          return ExitCodes.FAILURE;
        }
        if (System.nanoTime() > deadline) {
          err.println(
              "axivon: blob "
                  + key
                  + " is still "
                  + state
                  + " after "
                  + timeoutSeconds
                  + " s: check later with 'axivon da status "
                  + key
                  + "'");
          return ExitCodes.FAILURE;
        }
        Thread.sleep(200); // polling the API's status, with a deadline
      }
    }

    private static String progressDetail(JsonNode s) {
      if (s.has("dataRoot")) {
        return " (k = " + s.get("k").asInt() + ", epoch " + s.get("epoch").asLong() + ")";
      }
      return "";
    }

    private static byte[] read(String file) {
      try {
        if (file.equals("-")) {
          return System.in.readAllBytes();
        }
        return Files.readAllBytes(Path.of(file));
      } catch (NoSuchFileException e) {
        throw new InvalidInputException("no such file: " + file);
      } catch (IOException e) {
        throw new InvalidInputException("cannot read " + file + ": " + e.getMessage());
      }
    }
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description =
          "Fetch the blob of KEY (or of an OP Alt-DA commitment) and write it to --out (- for stdout); a certified blob is rebuilt from the DA nodes.")
  static final class Get implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Api api;

    @Parameters(paramLabel = "KEY", description = "0x + 64 hex digits, or an Alt-DA commitment.")
    String key;

    @Option(
        names = "--out",
        paramLabel = "FILE",
        required = true,
        description = "Where to write the blob; - for stdout.")
    String outFile;

    @Override
    public Integer call() throws IOException {
      Bytes32 k = DaApiClient.parseKey(key);
      Optional<byte[]> blob = api.client(Duration.ofSeconds(120)).get(k);
      if (blob.isEmpty()) {
        return unknown(spec.commandLine().getErr(), k);
      }
      if (outFile.equals("-")) {
        OutputStream o = System.out;
        o.write(blob.get());
        o.flush();
        return ExitCodes.OK;
      }
      Files.write(Path.of(outFile), blob.get());
      PrintWriter out = spec.commandLine().getOut();
      if (api.json) {
        ObjectNode doc = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        doc.put("key", k.toHexString());
        doc.put("size", blob.get().length);
        doc.put("out", outFile);
        JsonOutput.print(out, doc);
      } else {
        out.println("wrote " + blob.get().length + " bytes of blob " + k + " to " + outFile);
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description =
          "Show a blob's dispersal status: queued, dispersing, certified (with its certificate and chain 0 transaction) or failed (with the reason).")
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Api api;

    @Parameters(paramLabel = "KEY", description = "0x + 64 hex digits, or an Alt-DA commitment.")
    String key;

    @Override
    public Integer call() {
      Bytes32 k = DaApiClient.parseKey(key);
      Optional<JsonNode> s = api.client(Duration.ofSeconds(30)).status(k);
      if (s.isEmpty()) {
        return unknown(spec.commandLine().getErr(), k);
      }
      PrintWriter out = spec.commandLine().getOut();
      if (api.json) {
        JsonOutput.print(out, s.get());
      } else {
        s.get()
            .fields()
            .forEachRemaining(
                e -> out.println(String.format("%-11s %s", e.getKey(), e.getValue().asText())));
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "sample",
      mixinStandardHelpOptions = true,
      description =
          "Data-availability sampling of a certified blob, run by the API's disperser as a light client would: random cells of the extended square fetched from the DA nodes and checked against the data root.")
  static final class Sample implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Api api;

    @Parameters(paramLabel = "KEY", description = "0x + 64 hex digits, or an Alt-DA commitment.")
    String key;

    @Override
    public Integer call() {
      Bytes32 k = DaApiClient.parseKey(key);
      Optional<JsonNode> s = api.client(Duration.ofSeconds(120)).sample(k);
      if (s.isEmpty()) {
        return unknown(spec.commandLine().getErr(), k);
      }
      JsonNode r = s.get();
      PrintWriter out = spec.commandLine().getOut();
      if (api.json) {
        JsonOutput.print(out, r);
      } else {
        out.println(
            r.get("verified").asInt()
                + " of "
                + r.get("asked").asInt()
                + " samples verified against data root "
                + r.get("dataRoot").asText()
                + ": available with confidence "
                + r.get("confidence").asDouble());
      }
      return r.get("verified").asInt() == r.get("asked").asInt() ? ExitCodes.OK : ExitCodes.FAILURE;
    }
  }
}
