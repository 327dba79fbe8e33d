package io.axivon.sdk.storage.manifest;

import io.axivon.common.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A stored folder: one entry per regular file (path, size, root), empty file and empty directory,
 * sorted by path; stored as one more log file whose root names the folder (specs/storage.md §9).
 *
 * <p>Binary form, big-endian: the 8-byte {@link #MAGIC} ({@code "AXVDIR"}, version 0x00 0x01), a
 * u32 entry count, then per entry: u16 path length, the path in UTF-8, u8 kind (0 file, 1 empty
 * file, 2 empty directory), and for a file u64 size and its 32-byte root. Nothing may follow.
 * Written by hand rather than with JSON so that one encoding exists (canonical bytes, hence a
 * stable root for the same folder).
 *
 * @param entries sorted by path (UTF-8 bytes, unsigned), unique, none inside another's path
 */
public record FolderManifest(List<Entry> entries) {
  /** The first bytes of every manifest: how a download recognises a folder. */
  public static final byte[] MAGIC = {'A', 'X', 'V', 'D', 'I', 'R', 0, 1};

  /** At most this many entries (about 100 MiB of manifest at the longest paths). */
  public static final int MAX_ENTRIES = 1_000_000;

  /** A path's longest UTF-8 form. */
  public static final int MAX_PATH_BYTES = 4096;

  /** What an entry is. */
  public enum Kind {
    /** A non-empty regular file, stored as its own log file. */
    FILE,
    /** An empty regular file: nothing stored (the log refuses empty files), no root. */
    EMPTY_FILE,
    /** A directory holding nothing, recreated so the folder comes back as it was. */
    DIRECTORY
  }

  /**
   * One entry.
   *
   * @param path relative, '/'-separated, no empty, "." or ".." component, no '\' or NUL
   * @param kind what it is
   * @param size the file's bytes (0 unless a {@link Kind#FILE})
   * @param root the file root for a {@link Kind#FILE}, else null
   */
  public record Entry(String path, Kind kind, long size, Bytes32 root) {
    public Entry {
      checkPath(path);
      Objects.requireNonNull(kind, "kind");
      if (kind == Kind.FILE) {
        Objects.requireNonNull(root, "a file entry needs its root");
        if (size <= 0) {
          throw new InvalidInputException(
              "file entry " + path + " must have a positive size, got " + size);
        }
      } else if (size != 0 || root != null) {
        throw new InvalidInputException(
            kind + " entry " + path + " has no size and no root, got " + size + " and " + root);
      }
    }

    public static Entry file(String path, long size, Bytes32 root) {
      return new Entry(path, Kind.FILE, size, root);
    }

    public static Entry emptyFile(String path) {
      return new Entry(path, Kind.EMPTY_FILE, 0, null);
    }

    public static Entry directory(String path) {
      return new Entry(path, Kind.DIRECTORY, 0, null);
    }
  }

  private static final Comparator<String> BY_UTF8 =
      (a, b) -> Arrays.compareUnsigned(utf8(a), utf8(b));

  public FolderManifest {
    entries = List.copyOf(entries);
    if (entries.size() > MAX_ENTRIES) {
      throw new InvalidInputException(
          "a manifest holds at most " + MAX_ENTRIES + " entries, got " + entries.size());
    }
    for (int i = 1; i < entries.size(); i++) {
      String prev = entries.get(i - 1).path();
      String cur = entries.get(i).path();
      int c = BY_UTF8.compare(prev, cur);
      if (c == 0) {
        throw new InvalidInputException("duplicate manifest path: " + cur);
      }
      if (c > 0) {
        throw new InvalidInputException(
            "manifest entries must be sorted by path: " + prev + " comes before " + cur);
      }
    }
    // an entry inside another entry's path ("a" and "a/b") cannot be recreated: "a" would have to
    // be a file (or an empty directory) and a non-empty directory at once
    Set<String> paths = new HashSet<>();
    entries.forEach(e -> paths.add(e.path()));
    for (Entry e : entries) {
      String p = e.path();
      for (int i = p.indexOf('/'); i >= 0; i = p.indexOf('/', i + 1)) {
        if (paths.contains(p.substring(0, i))) {
          throw new InvalidInputException(
              "manifest path " + p + " lies inside " + p.substring(0, i) + ", which is an entry");
        }
      }
    }
  }

  /** The entries sorted as a manifest wants them; still checked for duplicates and nesting. */
  public static FolderManifest sorted(List<Entry> entries) {
    List<Entry> copy = new ArrayList<>(entries);
    copy.sort(Comparator.comparing(Entry::path, BY_UTF8));
    return new FolderManifest(copy);
  }

  /** Whether {@code prefix} (a stored file's first bytes) starts with {@link #MAGIC}. */
  public static boolean hasMagic(byte[] prefix) {
    return prefix.length >= MAGIC.length
        && Arrays.equals(prefix, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
  }

  /** The canonical bytes. */
  public byte[] encode() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(buf)) {
      out.write(MAGIC);
      out.writeInt(entries.size());
      for (Entry e : entries) {
        byte[] path = utf8(e.path());
        out.writeShort(path.length);
        out.write(path);
        out.writeByte(e.kind().ordinal());
        if (e.kind() == Kind.FILE) {
          out.writeLong(e.size());
          out.write(e.root().toArrayUnsafe());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen in memory
    }
    return buf.toByteArray();
  }

  /**
   * Parses a manifest.
   *
   * @throws InvalidInputException on a wrong magic, a truncated or bad entry, unsorted, duplicate
   *     or unsafe paths, or bytes after the last entry
   */
  public static FolderManifest decode(byte[] bytes) {
    if (!hasMagic(bytes)) {
      throw new InvalidInputException("not a folder manifest: it does not start with AXVDIR 0 1");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).position(MAGIC.length);
    try {
      int count = b.getInt();
      if (count < 0 || count > MAX_ENTRIES) {
        throw new InvalidInputException(
            "manifest entry count " + Integer.toUnsignedString(count) + " is above " + MAX_ENTRIES);
      }
      List<Entry> entries = new ArrayList<>(Math.min(count, 1024));
      for (int i = 0; i < count; i++) {
        int len = Short.toUnsignedInt(b.getShort());
        byte[] path = new byte[len];
        b.get(path);
        String p = fromUtf8(path, i);
        int kind = Byte.toUnsignedInt(b.get());
        entries.add(
            switch (kind) {
              case 0 -> {
                long size = b.getLong();
                byte[] root = new byte[32];
                b.get(root);
                yield Entry.file(p, size, Bytes32.wrap(root));
              }
              case 1 -> Entry.emptyFile(p);
              case 2 -> Entry.directory(p);
              default ->
                  throw new InvalidInputException(
                      "manifest entry " + i + " has unknown kind " + kind);
            });
      }
      if (b.hasRemaining()) {
        throw new InvalidInputException(
            b.remaining() + " bytes follow the manifest's " + count + " entries");
      }
      return new FolderManifest(entries);
    } catch (BufferUnderflowException e) {
      throw new InvalidInputException("the manifest is truncated");
    }
  }

  /**
   * Throws unless {@code path} is a safe relative path: non-empty, '/'-separated, at most {@link
   * #MAX_PATH_BYTES} bytes, no empty, "." or ".." component (so no leading '/'), no '\', NUL or
   * other control character, no drive letter.
   */
  public static void checkPath(String path) {
    if (path == null || path.isEmpty()) {
      throw new InvalidInputException("a manifest path must not be empty");
    }
    if (utf8(path).length > MAX_PATH_BYTES) {
      throw new InvalidInputException(
          "manifest path is longer than " + MAX_PATH_BYTES + " bytes: " + path.substring(0, 64));
    }
    if (path.startsWith("/")) {
      throw new InvalidInputException("manifest path " + path + " is absolute");
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '\\' || c < 0x20 || c == 0x7f) {
        throw new InvalidInputException(
            "manifest path "
                + path.replaceAll("\\p{Cntrl}", "?")
                + " holds a '\\' or control character");
      }
    }
    if (path.length() >= 2 && path.charAt(1) == ':') {
      throw new InvalidInputException("manifest path " + path + " starts with a drive letter");
    }
    for (String part : path.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        throw new InvalidInputException(
            "manifest path " + path + " has an empty, '.' or '..' component");
      }
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String fromUtf8(byte[] bytes, int entry) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidInputException("manifest entry " + entry + " has a path that is not UTF-8");
    }
  }
}
