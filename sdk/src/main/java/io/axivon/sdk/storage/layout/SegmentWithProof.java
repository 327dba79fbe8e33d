package io.axivon.sdk.storage.layout;

import io.axivon.common.InvalidInputException;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * One segment of a file with the proof that it belongs to the file root (0G's {@code
 * SegmentWithProof}).
 *
 * @param root the file root
 * @param data the segment's wire bytes: 256 × its data sectors, the last sector zero-filled
 * @param index the segment number within the file
 * @param proof proof of the segment root against the file's segment-level tree
 * @param fileSize the file length in bytes
 */
public record SegmentWithProof(Bytes32 root, Bytes data, long index, ZgProof proof, long fileSize) {
  public SegmentWithProof {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(proof, "proof");
  }

  /** What part of a segment failed a check, so servers can name the parameter. */
  public enum Field {
    FILE_SIZE,
    INDEX,
    DATA,
    PROOF
  }

  /** A segment that fails {@link #verify()}: {@link #field()} names what is wrong. */
  public static final class InvalidSegmentException extends InvalidInputException {
    private static final long serialVersionUID = 1L;
    private final Field field;

    public InvalidSegmentException(Field field, String message) {
      super(message);
      this.field = field;
    }

    public Field field() {
      return field;
    }
  }

  /**
   * Checks the segment on its own: index in range, exact wire size, and the proof of its computed
   * root against {@link #root()}. Returns the segment root.
   *
   * @throws InvalidSegmentException naming the first check that fails
   */
  public Bytes32 verify() {
    if (fileSize <= 0) {
      throw new InvalidSegmentException(
          Field.FILE_SIZE, "fileSize must be positive, got " + fileSize);
    }
    FileLayout layout = new FileLayout(fileSize);
    if (index < 0 || index >= layout.segments()) {
      throw new InvalidSegmentException(
          Field.INDEX,
          "segment index "
              + index
              + " is out of range: the file has "
              + layout.segments()
              + " segments");
    }
    int expected = layout.segmentWireSize(index);
    if (data.size() != expected) {
      throw new InvalidSegmentException(
          Field.DATA, "segment " + index + " must hold " + expected + " bytes, got " + data.size());
    }
    byte[] bytes = data.toArrayUnsafe();
    Bytes32 segmentRoot = SegmentRoots.root(layout, index, bytes, 0, bytes.length);
    try {
      proof.verify(segmentRoot, root, index, layout.paddedSegments());
    } catch (InvalidInputException e) {
      throw new InvalidSegmentException(
          Field.PROOF, "invalid proof for segment " + index + ": " + e.getMessage());
    }
    return segmentRoot;
  }
}
