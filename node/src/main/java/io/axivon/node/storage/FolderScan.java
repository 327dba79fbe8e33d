package io.axivon.node.storage;

import io.axivon.common.InvalidInputException;
import io.axivon.sdk.storage.manifest.FolderManifest;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What {@code storage upload DIR} stores of a folder: its non-empty regular files (to upload), and
 * the manifest entries that need no upload: empty files, and directories with nothing stored
 * beneath them (so an empty subfolder comes back). Symbolic links (never followed) and other
 * non-regular files are skipped and named. Every relative path is checked as the manifest checks
 * it, before anything is uploaded.
 *
 * @param files the non-empty regular files, sorted by path
 * @param entries the empty-file and empty-directory entries
 * @param skipped relative paths of what is not stored
 */
record FolderScan(
    List<FileToStore> files, List<FolderManifest.Entry> entries, List<String> skipped) {

  /** A file to upload: where it is, and its manifest path. */
  record FileToStore(Path file, String path) {}

  static FolderScan of(Path dir) throws IOException {
    List<FileToStore> files = new ArrayList<>();
    List<FolderManifest.Entry> entries = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<String> dirs = new ArrayList<>();
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
            if (!d.equals(dir)) {
              dirs.add(relative(dir, d));
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
            String path = relative(dir, f);
            if (!attrs.isRegularFile()) {
              skipped.add(path);
            } else if (attrs.size() == 0) {
              entries.add(FolderManifest.Entry.emptyFile(path));
            } else {
              files.add(new FileToStore(f, path));
            }
            return FileVisitResult.CONTINUE;
          }
        });
    // a directory with no entry beneath it is recorded itself; deepest first, so that an empty
    // "a/b" makes "a" non-empty
    Set<String> holding = new HashSet<>();
    files.forEach(f -> addParents(holding, f.path()));
    entries.forEach(e -> addParents(holding, e.path()));
    dirs.sort(Comparator.comparingInt((String d) -> d.split("/").length).reversed());
    for (String d : dirs) {
      if (!holding.contains(d)) {
        entries.add(FolderManifest.Entry.directory(d));
        addParents(holding, d);
      }
    }
    files.sort(Comparator.comparing(FileToStore::path));
    skipped.sort(Comparator.naturalOrder());
    if (files.size() + entries.size() > FolderManifest.MAX_ENTRIES) {
      throw new InvalidInputException(
          dir + " holds more than " + FolderManifest.MAX_ENTRIES + " files and directories");
    }
    return new FolderScan(List.copyOf(files), List.copyOf(entries), List.copyOf(skipped));
  }

  private static void addParents(Set<String> holding, String path) {
    for (int i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
      holding.add(path.substring(0, i));
    }
  }

  /** The manifest path of {@code p} under {@code dir}: its names joined by '/', checked. */
  private static String relative(Path dir, Path p) {
    List<String> names = new ArrayList<>();
    dir.relativize(p).forEach(n -> names.add(n.toString()));
    String path = String.join("/", names);
    try {
      FolderManifest.checkPath(path);
    } catch (InvalidInputException e) {
      throw new InvalidInputException("cannot store " + p + " in a folder: " + e.getMessage());
    }
    return path;
  }
}
