package io.axivon.common.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

class SerializersProperties {

  @Property
  void longKeysSortNumericallyAsUnsignedBytes(@ForAll long a, @ForAll long b) {
    byte[] x = Serializers.LONG.toBytes(a);
    byte[] y = Serializers.LONG.toBytes(b);
    assertThat(Integer.signum(Arrays.compareUnsigned(x, y)))
        .isEqualTo(Integer.signum(Long.compare(a, b)));
    assertThat(x).hasSize(8);
  }

  @Property
  void longRoundTrips(@ForAll long a) {
    assertThat(Serializers.LONG.fromBytes(Serializers.LONG.toBytes(a))).isEqualTo(a);
  }

  @Property
  void stringRoundTrips(@ForAll String s) {
    // lone surrogates have no UTF-8 form; everything else must survive
    StringBuilder wellFormed = new StringBuilder();
    s.chars()
        .filter(c -> !Character.isSurrogate((char) c))
        .forEach(c -> wellFormed.append((char) c));
    assertThat(Serializers.STRING.fromBytes(Serializers.STRING.toBytes(wellFormed.toString())))
        .isEqualTo(wellFormed.toString());
  }

  @Property
  void bytesRoundTrip(@ForAll byte[] raw) {
    Bytes value = Bytes.wrap(raw);
    assertThat(Serializers.BYTES.fromBytes(Serializers.BYTES.toBytes(value))).isEqualTo(value);
  }

  @Example
  void fixedWidthSerializersRejectWrongLengths() {
    assertThatThrownBy(() -> Serializers.BYTES32.fromBytes(new byte[31]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("32-byte");
    assertThatThrownBy(() -> Serializers.LONG.fromBytes(new byte[7]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("8-byte");
    Bytes32 hash = Bytes32.fromHexString("0x" + "01".repeat(32));
    assertThat(Serializers.BYTES32.fromBytes(Serializers.BYTES32.toBytes(hash))).isEqualTo(hash);
    assertThat(Serializers.LONG.toBytes(0L)).containsExactly(0x80, 0, 0, 0, 0, 0, 0, 0);
  }

  record Point(int x, int y) {
    Bytes encode() {
      return Bytes.concatenate(
          Bytes.ofUnsignedInt(x & 0xFFFFFFFFL), Bytes.ofUnsignedInt(y & 0xFFFFFFFFL));
    }

    static Point decode(Bytes b) {
      return new Point(b.slice(0, 4).toInt(), b.slice(4, 4).toInt());
    }
  }

  @Property
  void bytesCodecHookRoundTrips(@ForAll int x, @ForAll int y) {
    Serializer<Point> codec = Serializer.ofBytes(Point::encode, Point::decode);
    Point p = new Point(x, y);
    assertThat(codec.fromBytes(codec.toBytes(p))).isEqualTo(p);
  }
}
