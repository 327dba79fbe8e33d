package io.axivon.node.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.node.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ErasureCommandTest {
  @TempDir Path tmp;

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  private Path randomFile(String name, int size) throws IOException {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return Files.write(tmp.resolve(name), bytes);
  }

  private String[] list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
    }
  }

  private void assertBadInput(Result r, String message) {
    assertThat(r.code).isEqualTo(2);
    assertThat(r.err.strip()).contains(message).doesNotContain("\n").startsWith("axivon: ");
    assertThat(r.out).isEmpty();
  }

  @Test
  void encodeThenDecodeFromAnyKShards() throws IOException {
    Path file = randomFile("blob", 1_000_003);
    Path dir = tmp.resolve("shards");
    Result enc =
        run("erasure", "encode", "-k", "5", "-m", "3", file.toString(), dir.toString(), "--json");
    assertThat(enc.code).as(enc.err).isZero();
    JsonNode report = new ObjectMapper().readTree(enc.out);
    assertThat(report.path("shardSize").asLong()).isEqualTo(200_001);
    assertThat(list(dir)).hasSize(9).contains("manifest.json", "shard-00", "shard-07");
    JsonNode manifest = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
    assertThat(manifest.path("originalSize").asLong()).isEqualTo(1_000_003);
    assertThat(manifest.path("shards").get(7).path("sha256").asText()).hasSize(64);
    assertThat(Files.size(dir.resolve("shard-04"))).isEqualTo(200_001);

    // lose three shards, data and parity
    Files.delete(dir.resolve("shard-00"));
    Files.delete(dir.resolve("shard-03"));
    Files.delete(dir.resolve("shard-06"));
    Path out = tmp.resolve("restored");
    Result dec = run("erasure", "decode", dir.toString(), out.toString(), "--threads", "2");
    assertThat(dec.code).as(dec.err).isZero();
    assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(file));
    assertThat(list(tmp)).containsExactly("blob", "restored", "shards");
  }

  @Test
  void emptyAndTinyFilesRoundTrip() throws IOException {
    for (int size : new int[] {0, 1, 7}) {
      Path file = randomFile("f" + size, size);
      Path dir = tmp.resolve("d" + size);
      assertThat(
              run("erasure", "encode", "-k", "4", "-m", "2", file.toString(), dir.toString()).code)
          .isZero();
      Files.delete(dir.resolve("shard-01"));
      Path out = tmp.resolve("o" + size);
      assertThat(run("erasure", "decode", dir.toString(), out.toString()).code).isZero();
      assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(file));
    }
  }

  @Test
  void corruptShardIsSkippedWhenKIntactRemain() throws IOException {
    Path file = randomFile("blob", 10_000);
    Path dir = tmp.resolve("s");
    run("erasure", "encode", "-k", "3", "-m", "2", file.toString(), dir.toString());
    byte[] shard = Files.readAllBytes(dir.resolve("shard-01"));
    shard[5] ^= 1;
    Files.write(dir.resolve("shard-01"), shard);
    Path out = tmp.resolve("out");
    Result r = run("erasure", "decode", dir.toString(), out.toString());
    assertThat(r.code).isZero();
    assertThat(r.err).contains("skipped shards whose SHA-256 does not match: [shard-01]");
    assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(file));
  }

  @Test
  void badShapesAreRejectedBeforeAnythingIsWritten() throws IOException {
    Path file = randomFile("blob", 100);
    Path dir = tmp.resolve("never");
    assertBadInput(
        run("erasure", "encode", "-k", "0", "-m", "2", file.toString(), dir.toString()),
        "k must be at least 1");
    assertBadInput(
        run("erasure", "encode", "-k", "2", "-m", "0", file.toString(), dir.toString()),
        "m must be at least 1");
    assertBadInput(
        run("erasure", "encode", "-k", "200", "-m", "57", file.toString(), dir.toString()),
        "k + m must be at most 256");
    assertBadInput(
        run(
            "erasure",
            "encode",
            "-k",
            "2",
            "-m",
            "1",
            tmp.resolve("nope").toString(),
            dir.toString()),
        "not a file");
    assertThat(dir).doesNotExist();
    assertThat(list(tmp)).containsExactly("blob");
  }

  @Test
  void decodeRejectsTooFewTruncatedAndManifestProblemsWithoutLeavingFiles() throws IOException {
    Path file = randomFile("blob", 5_000);
    Path dir = tmp.resolve("s");
    run("erasure", "encode", "-k", "3", "-m", "2", file.toString(), dir.toString());
    Path out = tmp.resolve("out");

    Files.write(dir.resolve("shard-04"), new byte[10]);
    assertBadInput(run("erasure", "decode", dir.toString(), out.toString()), "has 10 bytes");
    Files.delete(dir.resolve("shard-04"));
    Files.delete(dir.resolve("shard-00"));
    Files.delete(dir.resolve("shard-02"));
    assertBadInput(
        run("erasure", "decode", dir.toString(), out.toString()), "need k = 3 intact shards");

    String manifest = Files.readString(dir.resolve("manifest.json"));
    Files.writeString(dir.resolve("manifest.json"), manifest.substring(0, 40));
    assertBadInput(run("erasure", "decode", dir.toString(), out.toString()), "corrupt manifest");
    Files.writeString(dir.resolve("manifest.json"), manifest.replace("\"k\" : 3", "\"k\" : 4"));
    assertBadInput(run("erasure", "decode", dir.toString(), out.toString()), "corrupt manifest");
    Files.delete(dir.resolve("manifest.json"));
    assertBadInput(run("erasure", "decode", dir.toString(), out.toString()), "missing manifest");

    assertThat(list(tmp)).containsExactly("blob", "s");
  }

  @Test
  void existingOutputAndShardsAreNeverOverwritten() throws IOException {
    Path file = randomFile("blob", 1_000);
    Path dir = tmp.resolve("s");
    run("erasure", "encode", "-k", "2", "-m", "2", file.toString(), dir.toString());
    assertBadInput(
        run("erasure", "encode", "-k", "2", "-m", "2", file.toString(), dir.toString()),
        "already holds shards");
    assertBadInput(
        run("erasure", "decode", dir.toString(), file.toString()), "exists: not overwritten");
  }

  @Test
  void benchReportsThroughputAndBackend() throws IOException {
    Result r =
        run(
            "erasure",
            "bench",
            "-k",
            "4",
            "-m",
            "2",
            "--shard-size",
            "4096",
            "--seconds",
            "0.05",
            "--json");
    assertThat(r.code).as(r.err).isZero();
    JsonNode report = new ObjectMapper().readTree(r.out);
    assertThat(report.path("encodeMBps").asDouble()).isPositive();
    assertThat(report.path("decodeMBps").asDouble()).isPositive();
    assertThat(report.path("backend").asText()).startsWith("vector-");
    assertThat(report.has("isaL")).isTrue();
    assertBadInput(run("erasure", "bench", "-k", "0"), "k must be at least 1");
  }
}
