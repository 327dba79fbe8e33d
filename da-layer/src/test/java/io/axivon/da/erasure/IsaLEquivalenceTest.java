package io.axivon.da.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Parity equals ISA-L's {@code ec_encode_data}: against the library itself when it loads, and
 * always against vectors ISA-L produced, committed in {@code isal-vectors.txt}.
 */
class IsaLEquivalenceTest {
  private static final Optional<IsaL> ISAL = IsaL.load();
  private static final HexFormat HEX = HexFormat.of();

  /** One line of isal-vectors.txt: "k m data-hex,... parity-hex,...". */
  record Vector(int k, int m, byte[][] data, byte[][] parity) {
    static Vector parse(String line) {
      String[] f = line.trim().split(" ");
      return new Vector(Integer.parseInt(f[0]), Integer.parseInt(f[1]), hex(f[2]), hex(f[3]));
    }

    private static byte[][] hex(String list) {
      return java.util.Arrays.stream(list.split(",", -1)).map(HEX::parseHex).toArray(byte[][]::new);
    }

    String format() {
      return k + " " + m + " " + join(data) + " " + join(parity);
    }

    private static String join(byte[][] shards) {
      return String.join(",", java.util.Arrays.stream(shards).map(HEX::formatHex).toList());
    }
  }

  static List<Vector> committedVectors() throws IOException {
    try (InputStream in = IsaLEquivalenceTest.class.getResourceAsStream("/isal-vectors.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(l -> !l.isBlank() && !l.startsWith("#"))
          .map(Vector::parse)
          .toList();
    }
  }

  @Test
  void committedIsaLVectorsMatch() throws IOException {
    List<Vector> vectors = committedVectors();
    assertThat(vectors).hasSizeGreaterThanOrEqualTo(5);
    for (ErasureBackend backend : ErasureBackends.available()) {
      try (ReedSolomon rs = new ReedSolomon(backend, 1)) {
        for (Vector v : vectors) {
          int len = v.data[0].length;
          byte[][] parity = new byte[v.m][len];
          rs.encode(v.k, v.m, v.data, parity, len);
          assertThat(parity).as("%s k=%d m=%d", backend.name(), v.k, v.m).isDeepEqualTo(v.parity);
        }
      }
    }
  }

  @Test
  void cauchyMatrixEqualsIsaLs() {
    assumeTrue(ISAL.isPresent(), "ISA-L not loaded, skipped: " + IsaL.unavailableReason());
    for (int[] km : new int[][] {{1, 1}, {10, 4}, {16, 16}, {128, 128}, {200, 56}, {255, 1}}) {
      assertThat(GfMatrix.cauchyEncodingMatrix(km[0], km[1]))
          .isEqualTo(ISAL.get().cauchyMatrix(km[0], km[1]));
    }
  }

  @Test
  void parityEqualsIsaLsForRandomShapes() {
    assumeTrue(ISAL.isPresent(), "ISA-L not loaded, skipped: " + IsaL.unavailableReason());
    Random rnd = new Random(7);
    try (ReedSolomon rs = ReedSolomon.create(2)) {
      for (int trial = 0; trial < 40; trial++) {
        int k = 1 + rnd.nextInt(trial < 30 ? 32 : 200);
        int m = 1 + rnd.nextInt(Math.min(32, 256 - k));
        int len = trial < 35 ? rnd.nextInt(3000) : 100_000 + rnd.nextInt(50_000);
        byte[][] data = ReedSolomonProperties.random(rnd, k, len);
        byte[][] parity = new byte[m][len];
        rs.encode(k, m, data, parity, len);
        assertThat(parity)
            .as("k=%d m=%d len=%d", k, m, len)
            .isDeepEqualTo(ISAL.get().encode(k, m, data, len));
      }
    }
  }

  /** Rewrites the committed vectors from ISA-L: run with -Disal.regenerate=PATH. */
  @Test
  void regenerateVectors() throws IOException {
    String target = System.getProperty("isal.regenerate");
    assumeTrue(target != null, "regenerating only with -Disal.regenerate=PATH");
    assumeTrue(ISAL.isPresent(), IsaL.unavailableReason());
    Random rnd = new Random(2026);
    List<String> lines = new ArrayList<>();
    lines.add("# k m data-shards parity-shards (hex), parity from ISA-L 2.30 ec_encode_data");
    for (int[] kml :
        new int[][] {
          {1, 1, 8}, {2, 1, 5}, {3, 2, 16}, {4, 4, 33}, {10, 4, 64}, {5, 3, 100}, {16, 16, 70}
        }) {
      byte[][] data = ReedSolomonProperties.random(rnd, kml[0], kml[2]);
      lines.add(
          new Vector(kml[0], kml[1], data, ISAL.get().encode(kml[0], kml[1], data, kml[2]))
              .format());
    }
    Files.write(Path.of(target), lines);
  }
}
