package io.axivon.sdk.storage.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/** Every valid segment proof verifies; every tampered byte (data, lemma) or flag fails. */
class SegmentProofProperties {

  @Provide
  Arbitrary<Integer> sizes() {
    // up to 5 segments: several tree shapes, partial and full last segments, padding
    return Arbitraries.oneOf(
        Arbitraries.integers().between(1, 5000),
        Arbitraries.integers().between(1, 5 * Layout.SEGMENT_SIZE + 1000));
  }

  private static byte[] random(long seed, int size) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  private static List<SegmentWithProof> segments(FileTree tree, byte[] data) {
    List<SegmentWithProof> out = new ArrayList<>();
    FileLayout layout = tree.layout();
    for (long i = 0; i < layout.segments(); i++) {
      out.add(tree.segment(i, data, (int) layout.segmentOffset(i), layout.segmentFileBytes(i)));
    }
    return out;
  }

  @Property(tries = 40)
  void everyValidProofVerifies(@ForAll("sizes") int size, @ForAll long seed) {
    byte[] data = random(seed, size);
    FileTree tree = FileTree.of(data);
    for (SegmentWithProof s : segments(tree, data)) {
      assertThat(s.verify()).isEqualTo(tree.segmentRoot(s.index()));
    }
  }

  @Property(tries = 60)
  void everyTamperedDataByteFails(
      @ForAll("sizes") int size, @ForAll long seed, @ForAll @IntRange(min = 0) int where) {
    byte[] data = random(seed, size);
    FileTree tree = FileTree.of(data);
    List<SegmentWithProof> segs = segments(tree, data);
    SegmentWithProof s = segs.get(where % segs.size());
    byte[] bytes = s.data().toArray();
    int at = (where / segs.size()) % bytes.length;
    bytes[at] ^= (byte) (1 << (where % 8));
    SegmentWithProof bad =
        new SegmentWithProof(s.root(), Bytes.wrap(bytes), s.index(), s.proof(), s.fileSize());
    assertThatThrownBy(bad::verify)
        .isInstanceOf(SegmentWithProof.InvalidSegmentException.class)
        .extracting(e -> ((SegmentWithProof.InvalidSegmentException) e).field())
        .isEqualTo(SegmentWithProof.Field.PROOF);
  }

  @Property(tries = 60)
  void everyTamperedProofByteFails(
      @ForAll("sizes") int size, @ForAll long seed, @ForAll @IntRange(min = 0) int where) {
    byte[] data = random(seed, size);
    FileTree tree = FileTree.of(data);
    List<SegmentWithProof> segs = segments(tree, data);
    SegmentWithProof s = segs.get(where % segs.size());
    List<Bytes32> lemma = new ArrayList<>(s.proof().lemma());
    int h = (where / segs.size()) % lemma.size();
    byte[] hash = lemma.get(h).toArray();
    hash[(where / 7) % 32] ^= (byte) (1 << (where % 8));
    lemma.set(h, Bytes32.wrap(hash));
    ZgProof tampered = new ZgProof(lemma, s.proof().path());
    SegmentWithProof bad =
        new SegmentWithProof(s.root(), s.data(), s.index(), tampered, s.fileSize());
    assertThatThrownBy(bad::verify).isInstanceOf(InvalidInputException.class);
  }

  @Property(tries = 40)
  void flippedPathOrWrongIndexFails(
      @ForAll @IntRange(min = Layout.SEGMENT_SIZE + 1, max = 5 * Layout.SEGMENT_SIZE) int size,
      @ForAll long seed,
      @ForAll @IntRange(min = 0) int where) {
    byte[] data = random(seed, size);
    FileTree tree = FileTree.of(data);
    List<SegmentWithProof> segs = segments(tree, data);
    SegmentWithProof s = segs.get(where % segs.size());
    List<Boolean> path = new ArrayList<>(s.proof().path());
    int at = (where / segs.size()) % path.size();
    path.set(at, !path.get(at));
    SegmentWithProof flipped =
        new SegmentWithProof(
            s.root(), s.data(), s.index(), new ZgProof(s.proof().lemma(), path), s.fileSize());
    assertThatThrownBy(flipped::verify).isInstanceOf(InvalidInputException.class);
    // another segment's data and proof claimed at this index
    SegmentWithProof other = segs.get((where % segs.size() + 1) % segs.size());
    if (other.index() != s.index()) {
      SegmentWithProof moved =
          new SegmentWithProof(s.root(), other.data(), s.index(), other.proof(), s.fileSize());
      assertThatThrownBy(moved::verify).isInstanceOf(InvalidInputException.class);
    }
  }

  @Property(tries = 30)
  void oversizeAndOutOfRangeSegmentsAreNamed(@ForAll("sizes") int size, @ForAll long seed) {
    byte[] data = random(seed, size);
    FileTree tree = FileTree.of(data);
    SegmentWithProof last = segments(tree, data).getLast();
    SegmentWithProof oversize =
        new SegmentWithProof(
            last.root(),
            Bytes.concatenate(last.data(), Bytes.of(0)),
            last.index(),
            last.proof(),
            last.fileSize());
    assertThatThrownBy(oversize::verify)
        .extracting(e -> ((SegmentWithProof.InvalidSegmentException) e).field())
        .isEqualTo(SegmentWithProof.Field.DATA);
    SegmentWithProof beyond =
        new SegmentWithProof(
            last.root(), last.data(), last.index() + 1, last.proof(), last.fileSize());
    assertThatThrownBy(beyond::verify)
        .extracting(e -> ((SegmentWithProof.InvalidSegmentException) e).field())
        .isEqualTo(SegmentWithProof.Field.INDEX);
  }

  @Property(tries = 200)
  void pathLengthMatchesTreeShape(
      @ForAll @IntRange(min = 1, max = 5000) int count, @ForAll @IntRange(min = 0) int i) {
    long index = i % count;
    List<Boolean> path = ZgProof.path(index, count);
    // walking the flags from the top reproduces the index (0g-rpc.md §2.4)
    long n = count;
    long pos = 0;
    for (int level = path.size() - 1; level >= 0; level--) {
      long left = Long.highestOneBit(n - 1);
      if (path.get(level)) {
        n = left;
      } else {
        pos += left;
        n -= left;
      }
    }
    assertThat(n).isEqualTo(1);
    assertThat(pos).isEqualTo(index);
  }
}
