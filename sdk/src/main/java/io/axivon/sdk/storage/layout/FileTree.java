package io.axivon.sdk.storage.layout;

import io.axivon.common.InvalidInputException;
import io.axivon.common.merkle.MerkleAccumulator;
import io.axivon.common.merkle.MerkleTree;
import io.axivon.common.merkle.Subtree;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A file's storage tree as 0G builds it (shared/reference/0g-file-root.md): the root of every
 * segment (padding segments included), the file root over them, and the flow submission. Built in
 * one streaming pass holding one segment (256 KiB) at a time plus 32 bytes per segment (128 KiB for
 * a 4 GiB file), so files of any size fit in bounded memory. Immutable.
 */
public final class FileTree {
  private final FileLayout layout;
  private final MerkleTree segmentTree; // leaves: the padded segments' roots
  private final Submission submission;

  private FileTree(FileLayout layout, MerkleTree segmentTree, Submission submission) {
    this.layout = layout;
    this.segmentTree = segmentTree;
    this.submission = submission;
  }

  /** The tree of the file at {@code path}. */
  public static FileTree of(Path path) throws IOException {
    long size = Files.size(path);
    if (size == 0) {
      throw new InvalidInputException(
          path + " is empty: an empty file has no storage root (0G refuses it too)");
    }
    try (InputStream in = Files.newInputStream(path)) {
      return of(in, size);
    }
  }

  /** The tree of {@code data}. */
  public static FileTree of(byte[] data) {
    try {
      return of(new java.io.ByteArrayInputStream(data), data.length);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen for an in-memory stream
    }
  }

  /** The tree of the first {@code size} bytes of {@code in} (not closed). */
  public static FileTree of(InputStream in, long size) throws IOException {
    Objects.requireNonNull(in, "in");
    FileLayout layout = new FileLayout(size);
    long padded = layout.paddedSegments();
    if (padded > Integer.MAX_VALUE) {
      throw new InvalidInputException("file of " + size + " bytes is too large");
    }
    List<Bytes32> roots = new ArrayList<>((int) padded);
    // the submission's nodes: full segments at segment level (height + 10), then the subtrees of a
    // partial last segment at sector level
    MerkleAccumulator fullSegments = MerkleAccumulator.ofLeafHashes();
    List<Subtree> partialNodes = List.of();
    byte[] buf = new byte[Layout.SEGMENT_SIZE];
    for (long i = 0; i < padded; i++) {
      int paddedSectors = layout.paddedSectors(i);
      Bytes32 root;
      MerkleAccumulator segment = null;
      if (i < layout.segments()) {
        int len = layout.segmentFileBytes(i);
        readFully(in, buf, len, size);
        segment = SegmentRoots.accumulate(layout, i, buf, 0, len);
        root = segment.root();
      } else {
        root = SegmentRoots.zeroRoot(paddedSectors);
      }
      roots.add(root);
      if (paddedSectors == Layout.SEGMENT_SECTORS) {
        fullSegments.addLeafHash(root);
      } else { // only the last segment can be partial, and it always holds data
        if (segment == null) {
          throw new IllegalStateException("a partial padding segment cannot occur");
        }
        partialNodes = segment.subtrees();
      }
    }
    List<Subtree> nodes = new ArrayList<>();
    if (fullSegments.leafCount() > 0) {
      for (Subtree s : fullSegments.subtrees()) {
        nodes.add(new Subtree(s.root(), s.height() + Layout.SEGMENT_HEIGHT));
      }
    }
    nodes.addAll(partialNodes);
    MerkleTree tree = MerkleTree.ofLeafHashes(roots);
    Submission submission = new Submission(size, Bytes.EMPTY, nodes);
    if (!submission.root().equals(tree.root())) {
      throw new IllegalStateException("submission nodes do not fold to the file root");
    }
    return new FileTree(layout, tree, submission);
  }

  private static void readFully(InputStream in, byte[] buf, int len, long size) throws IOException {
    int off = 0;
    while (off < len) {
      int n = in.read(buf, off, len - off);
      if (n < 0) {
        throw new EOFException("input ended before its declared size of " + size + " bytes");
      }
      off += n;
    }
  }

  public FileLayout layout() {
    return layout;
  }

  /** The file root (0G's {@code dataMerkleRoot}). */
  public Bytes32 root() {
    return segmentTree.root();
  }

  /** The flow submission, with empty tags. */
  public Submission submission() {
    return submission;
  }

  /** The root of segment {@code index} (padding segments included). */
  public Bytes32 segmentRoot(long index) {
    return segmentTree.leafHash(Math.toIntExact(index));
  }

  /** The proof of data segment {@code index} against the file root. */
  public ZgProof proof(long index) {
    layout.checkDataIndex(index);
    int i = (int) index;
    return ZgProof.of(segmentTree.inclusionProof(i), segmentTree.leafHash(i), root());
  }

  /**
   * Segment {@code index} ready to upload, from its file bytes {@code data[off..off+len)} (the last
   * sector is zero-filled here to the wire size).
   */
  public SegmentWithProof segment(long index, byte[] data, int off, int len) {
    int fileBytes = layout.segmentFileBytes(index);
    if (len != fileBytes) {
      throw new IllegalArgumentException(
          "segment " + index + " has " + fileBytes + " file bytes, got " + len);
    }
    byte[] wire = new byte[layout.segmentWireSize(index)];
    System.arraycopy(data, off, wire, 0, len);
    return new SegmentWithProof(root(), Bytes.wrap(wire), index, proof(index), layout.size());
  }
}
