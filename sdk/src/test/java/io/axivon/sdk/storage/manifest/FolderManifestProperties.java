package io.axivon.sdk.storage.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.sdk.storage.manifest.FolderManifest.Entry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;

class FolderManifestProperties {
  private static final Bytes32 R = Bytes32.fromHexString("0x" + "ab".repeat(32));

  @Provide
  Arbitrary<List<Entry>> entries() {
    Arbitrary<String> part =
        Arbitraries.strings()
            .withChars("ab-_.é中 ")
            .ofMinLength(1)
            .ofMaxLength(6)
            .filter(s -> !s.equals(".") && !s.equals(".."));
    // leaf names are prefixed per kind so no entry can lie inside another's path
    Arbitrary<String> dir = part.list().ofMaxSize(3).map(l -> String.join("/", l));
    Arbitrary<Entry> entry =
        Combinators.combine(dir, part, Arbitraries.integers().between(0, 2), Arbitraries.longs())
            .as(
                (d, name, kind, n) -> {
                  String prefix = d.isEmpty() ? "" : "d" + d.replace("/", "/d") + "/";
                  return switch (kind) {
                    case 0 ->
                        Entry.file(
                            prefix + "f" + name,
                            1 + Math.floorMod(n, 1L << 40),
                            Bytes32.random(new java.util.Random(n)));
                    case 1 -> Entry.emptyFile(prefix + "e" + name);
                    default -> Entry.directory(prefix + "x" + name);
                  };
                });
    return entry
        .list()
        .ofMaxSize(30)
        .map(
            l -> {
              Map<String, Entry> unique = new LinkedHashMap<>();
              l.forEach(e -> unique.putIfAbsent(e.path(), e));
              return new ArrayList<>(unique.values());
            });
  }

  @Property(tries = 300)
  void roundtripsAndStartsWithTheMagic(@ForAll("entries") List<Entry> entries) {
    FolderManifest m = FolderManifest.sorted(entries);
    byte[] bytes = m.encode();
    assertThat(FolderManifest.hasMagic(bytes)).isTrue();
    assertThat(FolderManifest.decode(bytes)).isEqualTo(m);
    // canonical: the same entries in any order give the same bytes
    List<Entry> reversed = new ArrayList<>(entries);
    java.util.Collections.reverse(reversed);
    assertThat(FolderManifest.sorted(reversed).encode()).isEqualTo(bytes);
  }

  @Property(tries = 200)
  void rejectsTrailingBytesAndTruncation(
      @ForAll("entries") List<Entry> entries, @ForAll @IntRange(min = 1, max = 40) int cut) {
    byte[] bytes = FolderManifest.sorted(entries).encode();
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
    assertThatThrownBy(() -> FolderManifest.decode(longer))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("follow the manifest");
    if (cut < bytes.length) {
      byte[] shorter = Arrays.copyOf(bytes, bytes.length - cut);
      assertThatThrownBy(() -> FolderManifest.decode(shorter))
          .isInstanceOf(InvalidInputException.class);
    }
  }

  @Property(tries = 200)
  void anyFlippedByteIsRejectedOrDecodesToAValidManifest(
      @ForAll("entries") List<Entry> entries, @ForAll @IntRange(min = 0, max = 10_000) int at) {
    byte[] bytes = FolderManifest.sorted(entries).encode();
    bytes[at % bytes.length] ^= (byte) 0x41;
    try {
      FolderManifest m = FolderManifest.decode(bytes);
      m.entries().forEach(e -> FolderManifest.checkPath(e.path())); // whatever decodes is safe
    } catch (InvalidInputException expected) {
      // a precise refusal is fine
    }
  }

  @Test
  void rejectsUnsafePaths() {
    for (String bad :
        List.of(
            "",
            "/etc/passwd",
            "..",
            "../x",
            "a/../../x",
            "a/./b",
            "a//b",
            "a/",
            "a\\..\\b",
            "C:/x",
            "a\u0000b",
            "x/..")) {
      assertThatThrownBy(() -> Entry.emptyFile(bad))
          .as(bad)
          .isInstanceOf(InvalidInputException.class);
    }
    Entry.file("a/b c/é.txt", 5, R); // fine
  }

  @Test
  void rejectsDuplicatesUnsortedAndNestedEntries() {
    assertThatThrownBy(
            () -> new FolderManifest(List.of(Entry.emptyFile("a"), Entry.directory("a"))))
        .hasMessageContaining("duplicate");
    assertThatThrownBy(
            () -> new FolderManifest(List.of(Entry.emptyFile("b"), Entry.emptyFile("a"))))
        .hasMessageContaining("sorted");
    assertThatThrownBy(
            () ->
                FolderManifest.sorted(
                    List.of(Entry.directory("a"), Entry.emptyFile("a-b"), Entry.file("a/b", 1, R))))
        .hasMessageContaining("lies inside a");
    assertThatThrownBy(() -> Entry.file("a", 0, R)).hasMessageContaining("positive size");
    assertThatThrownBy(() -> new Entry("a", FolderManifest.Kind.EMPTY_FILE, 3, null))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void decodeRefusesBadMagicKindAndPathsInTheBytes() {
    assertThatThrownBy(() -> FolderManifest.decode(new byte[] {'A', 'X'}))
        .hasMessageContaining("not a folder manifest");
    byte[] one = new FolderManifest(List.of(Entry.emptyFile("ab"))).encode();
    byte[] kind = one.clone();
    kind[kind.length - 1] = 7;
    assertThatThrownBy(() -> FolderManifest.decode(kind)).hasMessageContaining("unknown kind 7");
    byte[] dots = one.clone();
    dots[14] = '.';
    dots[15] = '.';
    assertThatThrownBy(() -> FolderManifest.decode(dots)).hasMessageContaining("'..'");
    assertThat(FolderManifest.decode(new FolderManifest(List.of()).encode()).entries()).isEmpty();
  }
}
