package io.axivon.sdk.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import java.util.BitSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SegmentBitmapProperties {
  private static BitSet bits(Set<@IntRange(max = 4999) Integer> set, int segments) {
    BitSet b = new BitSet();
    set.stream().filter(i -> i < segments).forEach(b::set);
    return b;
  }

  @Property
  void roundtrips(
      @ForAll @IntRange(max = 5000) int segments,
      @ForAll @Size(max = 200) Set<@IntRange(max = 4999) Integer> set) {
    SegmentBitmap m = new SegmentBitmap(segments, bits(set, segments));
    String hex = m.toHex();
    assertThat(hex).hasSize(2 + 2 * ((segments + 7) / 8)).matches("0x[0-9a-f]*");
    SegmentBitmap back = SegmentBitmap.fromHex(segments, hex);
    assertThat(back).isEqualTo(m);
    for (int i = 0; i < segments; i++) {
      assertThat(back.has(i)).isEqualTo(set.contains(i));
    }
    assertThat(back.count()).isEqualTo(set.stream().filter(i -> i < segments).count());
  }

  @Property
  void rejectsAnyOtherLength(
      @ForAll @IntRange(min = 1, max = 5000) int segments, @ForAll @IntRange(max = 700) int bytes) {
    int expected = (segments + 7) / 8;
    String hex = "0x" + "00".repeat(bytes);
    if (bytes == expected) {
      assertThat(SegmentBitmap.fromHex(segments, hex).count()).isZero();
    } else {
      assertThatThrownBy(() -> SegmentBitmap.fromHex(segments, hex))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining(2 * expected + " hex digits");
    }
  }

  @Property
  void rejectsBitsPastTheLastSegment(@ForAll @IntRange(min = 1, max = 5000) int segments) {
    int len = (segments + 7) / 8;
    if (segments % 8 == 0) {
      return; // no spare bits in the last byte
    }
    byte[] bytes = new byte[len];
    bytes[len - 1] = (byte) (1 << (segments % 8)); // the first bit past the end
    String hex = "0x" + java.util.HexFormat.of().formatHex(bytes);
    assertThatThrownBy(() -> SegmentBitmap.fromHex(segments, hex))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("sets segment " + segments);
  }

  @Test
  void wireOrderIsLeastSignificantBitFirst() {
    BitSet b = new BitSet();
    b.set(0);
    b.set(9);
    assertThat(new SegmentBitmap(10, b).toHex()).isEqualTo("0x0102");
    assertThat(new SegmentBitmap(0, new BitSet()).toHex()).isEqualTo("0x");
    assertThatThrownBy(() -> SegmentBitmap.fromHex(10, "0x01zz"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not hex");
    assertThatThrownBy(() -> SegmentBitmap.fromHex(10, "0102"))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void refusesABitSetPastTheEnd() {
    BitSet b = new BitSet();
    b.set(10);
    assertThatThrownBy(() -> new SegmentBitmap(10, b)).isInstanceOf(IllegalArgumentException.class);
  }
}
