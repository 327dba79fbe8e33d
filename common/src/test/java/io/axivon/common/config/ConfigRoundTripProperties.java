package io.axivon.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Any config value written to YAML (or JSON) and loaded back is equal to the original. */
class ConfigRoundTripProperties {
  enum Role {
    VALIDATOR,
    OBSERVER,
    ARCHIVE
  }

  record Limits(int maxPeers, long maxBytes, short backlog, double ratio, boolean strict) {}

  record Endpoint(String host, int port, List<String> tags) {}

  record Sample(
      String name,
      Path dataDir,
      Role role,
      BigInteger stake,
      Limits limits,
      Endpoint endpoint,
      List<Long> ids,
      Set<Role> roles,
      Map<String, Integer> weights,
      Map<String, Endpoint> peers) {}

  private static Path dir;

  @BeforeContainer
  static void createDir() throws IOException {
    dir = Files.createTempDirectory("axivon-config-props");
  }

  @AfterContainer
  static void deleteDir() throws IOException {
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
  }

  @Property(tries = 200)
  void yamlRoundTrips(@ForAll("samples") Sample sample) {
    assertThat(reload(sample, "sample.yaml", ConfigLoader.toYaml(sample))).isEqualTo(sample);
  }

  @Property(tries = 50)
  void jsonRoundTrips(@ForAll("samples") Sample sample) {
    assertThat(reload(sample, "sample.json", ConfigLoader.toJson(sample))).isEqualTo(sample);
  }

  private static Sample reload(Sample sample, String name, String text) {
    Path file = dir.resolve(name);
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ConfigLoader.load(Sample.class, Optional.of(file), Map.of());
  }

  /**
   * Text with the characters configs attract and YAML finds tricky: quotes, colons, hashes, leading
   * dashes, numbers and booleans in disguise, non-ASCII, tabs and newlines. Lone UTF-16 surrogates
   * are left out: they cannot be written as UTF-8 at all.
   */
  static Arbitrary<String> text() {
    Arbitrary<String> tricky =
        Arbitraries.of(
            "",
            "null",
            "~",
            "true",
            "no",
            "yes",
            "0x1F",
            "1e3",
            "007",
            ".inf",
            "-",
            "- a",
            "a: b",
            "#x",
            "'q'",
            "\"dq\"",
            " pad ",
            "multi\nline",
            "tab\there",
            "\u00e9\u4e2d\ud83d\ude00",
            "{a}",
            "[1]",
            "&anchor",
            "*ref",
            "!tag",
            "%",
            "@",
            "`",
            "|",
            ">");
    Arbitrary<String> random =
        Arbitraries.strings()
            .withCharRange(' ', '~')
            .withChars('\t', '\n', '\u00e9', '\u00ff', '\u4e2d', '\u2028', '\u0085', '\u00a0')
            .ofMaxLength(24);
    return Arbitraries.oneOf(tricky, random);
  }

  @Provide
  Arbitrary<Sample> samples() {
    Arbitrary<Limits> limits =
        Builders.withBuilder(() -> new Limits(0, 0, (short) 0, 0, false))
            .use(Arbitraries.integers())
            .in((l, v) -> new Limits(v, l.maxBytes(), l.backlog(), l.ratio(), l.strict()))
            .use(Arbitraries.longs())
            .in((l, v) -> new Limits(l.maxPeers(), v, l.backlog(), l.ratio(), l.strict()))
            .use(Arbitraries.shorts())
            .in((l, v) -> new Limits(l.maxPeers(), l.maxBytes(), v, l.ratio(), l.strict()))
            .use(Arbitraries.doubles().ofScale(6).between(-1e12, 1e12))
            .in((l, v) -> new Limits(l.maxPeers(), l.maxBytes(), l.backlog(), v, l.strict()))
            .use(Arbitraries.of(true, false))
            .in((l, v) -> new Limits(l.maxPeers(), l.maxBytes(), l.backlog(), l.ratio(), v))
            .build();
    Arbitrary<Endpoint> endpoints =
        Combinators.combine(
                text(), Arbitraries.integers().between(0, 65535), text().list().ofMaxSize(3))
            .as(Endpoint::new);
    Arbitrary<Path> paths =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .withChars('-', '_', '.', ' ', ':', '\u00e9')
            .ofMinLength(1)
            .ofMaxLength(8)
            .filter(s -> !s.equals(".") && !s.equals(".."))
            .list()
            .ofMinSize(1)
            .ofMaxSize(3)
            .flatMap(
                parts ->
                    Arbitraries.of(true, false)
                        .map(abs -> Path.of((abs ? "/" : "") + String.join("/", parts))));
    Arbitrary<String> mapKeys = text().filter(s -> !s.isEmpty());
    return Builders.withBuilder(SampleBuilder::new)
        .use(text())
        .inSetter((b, v) -> b.name = v)
        .use(paths)
        .inSetter((b, v) -> b.dataDir = v)
        .use(Arbitraries.of(Role.class))
        .inSetter((b, v) -> b.role = v)
        .use(Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.TEN.pow(40)))
        .inSetter((b, v) -> b.stake = v)
        .use(limits)
        .inSetter((b, v) -> b.limits = v)
        .use(endpoints)
        .inSetter((b, v) -> b.endpoint = v)
        .use(Arbitraries.longs().list().ofMaxSize(4))
        .inSetter((b, v) -> b.ids = v)
        .use(Arbitraries.of(Role.class).set().ofMaxSize(3))
        .inSetter((b, v) -> b.roles = v)
        .use(Arbitraries.maps(mapKeys, Arbitraries.integers()).ofMaxSize(3))
        .inSetter((b, v) -> b.weights = v)
        .use(Arbitraries.maps(mapKeys, endpoints).ofMaxSize(2))
        .inSetter((b, v) -> b.peers = v)
        .build(SampleBuilder::build);
  }

  static final class SampleBuilder {
    String name;
    Path dataDir;
    Role role;
    BigInteger stake;
    Limits limits;
    Endpoint endpoint;
    List<Long> ids;
    Set<Role> roles;
    Map<String, Integer> weights;
    Map<String, Endpoint> peers;

    Sample build() {
      return new Sample(name, dataDir, role, stake, limits, endpoint, ids, roles, weights, peers);
    }
  }
}
