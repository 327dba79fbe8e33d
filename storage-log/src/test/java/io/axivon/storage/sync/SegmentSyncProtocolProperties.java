package io.axivon.storage.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.sdk.storage.layout.ZgProof;
import io.axivon.storage.sync.SegmentSyncProtocol.ProvenSegment;
import io.axivon.storage.sync.SegmentSyncProtocol.Request;
import io.axivon.storage.sync.SegmentSyncProtocol.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

class SegmentSyncProtocolProperties {

  @Property
  void requestsRoundTrip(
      @ForAll @Size(32) byte[] root,
      @ForAll @IntRange(min = 0) int txSeq,
      @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 1 << 20) Integer> raw) {
    List<Long> indices = new ArrayList<>();
    new TreeSet<>(raw).forEach(i -> indices.add((long) i));
    Request r = new Request(Bytes32.wrap(root), txSeq, indices);
    Bytes encoded = r.encode();
    assertThat(encoded.size()).isLessThanOrEqualTo(SegmentSyncProtocol.MAX_REQUEST_BYTES);
    assertThat(Request.decode(encoded)).isEqualTo(r);
  }

  @Property
  void responsesRoundTrip(@ForAll("responses") Response r) {
    Bytes encoded = r.encode();
    assertThat(encoded.size()).isLessThanOrEqualTo(SegmentSyncProtocol.MAX_RESPONSE_BYTES);
    assertThat(Response.decode(encoded)).isEqualTo(r);
  }

  @Property
  void truncatedOrExtendedResponsesAreRejected(
      @ForAll("responses") Response r, @ForAll @IntRange(min = 1, max = 40) int cut) {
    Bytes encoded = r.encode();
    assertThatThrownBy(() -> Response.decode(Bytes.concatenate(encoded, Bytes.of(0))))
        .isInstanceOf(InvalidInputException.class);
    if (cut <= encoded.size()) {
      assertThatThrownBy(() -> Response.decode(encoded.slice(0, encoded.size() - cut)))
          .isInstanceOf(InvalidInputException.class);
    }
  }

  @Property
  void anyBytesDecodeOrFailCleanly(@ForAll @Size(max = 200) byte[] junk) {
    for (Runnable decode :
        List.<Runnable>of(
            () -> Request.decode(Bytes.wrap(junk)), () -> Response.decode(Bytes.wrap(junk)))) {
      try {
        decode.run();
      } catch (InvalidInputException expected) {
        // the only failure allowed for bad input
      }
    }
  }

  @Property(tries = 20)
  void requestsRejectUnorderedAndOversizeIndexLists(@ForAll @IntRange(min = 0, max = 100) int i) {
    assertThatThrownBy(() -> new Request(Bytes32.ZERO, 0, List.of((long) i, (long) i)))
        .isInstanceOf(InvalidInputException.class);
    List<Long> nine = new ArrayList<>();
    for (long k = 0; k < 9; k++) {
      nine.add(i + k);
    }
    assertThatThrownBy(() -> new Request(Bytes32.ZERO, 0, nine))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> new Request(Bytes32.ZERO, 0, List.of()))
        .isInstanceOf(InvalidInputException.class);
  }

  @Provide
  Arbitrary<Response> responses() {
    Arbitrary<ProvenSegment> segment =
        Combinators.combine(
                Arbitraries.longs().greaterOrEqual(0),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(600),
                Arbitraries.bytes().array(byte[].class).ofSize(32).list().ofMaxSize(5),
                Arbitraries.of(true, false).list().ofMaxSize(5))
            .as(
                (index, data, lemma, path) ->
                    new ProvenSegment(
                        index,
                        Bytes.wrap(data),
                        new ZgProof(lemma.stream().map(Bytes32::wrap).toList(), path)));
    return segment.list().ofMaxSize(SegmentSyncProtocol.MAX_SEGMENTS).map(Response::new);
  }
}
