package io.axivon.storage.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.sdk.storage.FlowSubmission;
import io.axivon.sdk.storage.layout.FileTree;
import io.axivon.sdk.storage.layout.Layout;
import io.axivon.sdk.storage.layout.SegmentWithProof;
import io.axivon.storage.store.SegmentStore.VerifiedSegment;
import io.axivon.storage.sync.SegmentSyncProtocol.ProvenSegment;
import io.axivon.storage.sync.SegmentSyncProtocol.Response;
import java.util.List;
import java.util.Random;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.Test;

/** The checks a received response must pass before anything of it is stored. */
class SegmentSyncVerifyTest {
  private static final byte[] DATA = new byte[3 * Layout.SEGMENT_SIZE + 500];

  static {
    new Random(5).nextBytes(DATA);
  }

  private static final FileTree TREE = FileTree.of(DATA);
  private static final FlowSubmission SUB = new FlowSubmission(0, 0, TREE.submission());

  private static ProvenSegment proven(long i) {
    var l = TREE.layout();
    SegmentWithProof s = TREE.segment(i, DATA, (int) l.segmentOffset(i), l.segmentFileBytes(i));
    return new ProvenSegment(i, s.data(), s.proof());
  }

  @Test
  void honestSegmentsPass() {
    List<VerifiedSegment> out =
        SegmentSync.verify(SUB, List.of(1L, 3L), new Response(List.of(proven(3), proven(1))));
    assertThat(out).extracting(VerifiedSegment::index).containsExactly(3L, 1L);
    assertThat(SegmentSync.verify(SUB, List.of(0L), new Response(List.of()))).isEmpty();
  }

  @Test
  void oneFlippedBitRejectsTheWholeResponse() {
    ProvenSegment good = proven(2);
    byte[] bad = good.data().toArray();
    bad[bad.length - 300] ^= (byte) 0x80;
    Response r =
        new Response(List.of(proven(0), new ProvenSegment(2, Bytes.wrap(bad), good.proof())));
    assertThatThrownBy(() -> SegmentSync.verify(SUB, List.of(0L, 2L), r))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("proof");
  }

  @Test
  void aSegmentOfAnotherIndexOrAnotherFileIsRejected() {
    // segment 1's data and proof offered as segment 0
    ProvenSegment one = proven(1);
    assertThatThrownBy(
            () ->
                SegmentSync.verify(
                    SUB,
                    List.of(0L),
                    new Response(List.of(new ProvenSegment(0, one.data(), one.proof())))))
        .isInstanceOf(InvalidInputException.class);
    // the root comes from the flow: a valid segment of another file does not pass
    byte[] other = DATA.clone();
    other[0] ^= 1;
    FlowSubmission otherSub = new FlowSubmission(1, 0, FileTree.of(other).submission());
    assertThatThrownBy(() -> SegmentSync.verify(otherSub, List.of(1L), new Response(List.of(one))))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void unaskedAndRepeatedSegmentsAreRejected() {
    assertThatThrownBy(() -> SegmentSync.verify(SUB, List.of(0L), new Response(List.of(proven(1)))))
        .hasMessageContaining("not asked for");
    assertThatThrownBy(
            () ->
                SegmentSync.verify(
                    SUB, List.of(0L, 1L), new Response(List.of(proven(0), proven(0)))))
        .hasMessageContaining("came twice");
  }
}
