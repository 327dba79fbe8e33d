package io.axivon.consensus.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.apache.tuweni.bytes.Bytes;

class HexProperties {
  @Provide
  Arbitrary<BigInteger> uint256() {
    return Arbitraries.bigIntegers()
        .between(BigInteger.ZERO, BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE));
  }

  @Property
  void quantitiesRoundTripAndAreMinimal(@ForAll("uint256") BigInteger v) {
    String s = Hex.quantity(v);
    assertThat(s).startsWith("0x");
    assertThat(s.equals("0x0") || s.charAt(2) != '0').isTrue();
    assertThat(Hex.parseQuantity(s)).isEqualTo(v);
  }

  @Property
  void leadingZerosAreRejected(
      @ForAll("uint256") BigInteger v, @ForAll @IntRange(min = 1, max = 3) int zeros) {
    String s = "0x" + "0".repeat(zeros) + v.toString(16);
    assertThatThrownBy(() -> Hex.parseQuantity(s))
        .isInstanceOf(Hex.HexException.class)
        .hasMessage("hex number with leading zero digits");
  }

  @Property
  void quantitiesAbove256BitsAreRejected(@ForAll("uint256") BigInteger v) {
    String s = Hex.quantity(v.add(BigInteger.ONE.shiftLeft(256)));
    assertThatThrownBy(() -> Hex.parseQuantity(s)).hasMessage("hex number > 256 bits");
  }

  @Property
  void longsRoundTrip(@ForAll long v) {
    long u = v & Long.MAX_VALUE;
    assertThat(Hex.parseLong(Hex.quantity(u))).isEqualTo(u);
  }

  @Property
  void dataRoundTripsInBothCases(@ForAll byte[] raw, @ForAll boolean upper) {
    Bytes b = Bytes.wrap(raw);
    String s = Hex.data(b);
    assertThat(s).isEqualTo(b.toHexString());
    String text = upper ? "0x" + s.substring(2).toUpperCase(java.util.Locale.ROOT) : s;
    assertThat(Hex.parseData(text)).isEqualTo(b);
  }

  @Property
  void oddLengthDataIsRejected(
      @ForAll byte[] raw, @ForAll @IntRange(min = 0, max = 15) int nibble) {
    String s = Hex.data(Bytes.wrap(raw)) + Integer.toHexString(nibble);
    assertThatThrownBy(() -> Hex.parseData(s)).hasMessage("hex string of odd length");
  }

  @Property
  void textWithoutPrefixOrWithJunkIsRejected(@ForAll @StringLength(max = 20) String junk) {
    boolean hex = junk.chars().allMatch(c -> Character.digit(c, 16) >= 0);
    if (!hex) {
      assertThatThrownBy(() -> Hex.parseData("0x" + junk + junk))
          .isInstanceOf(Hex.HexException.class);
    }
    if (!junk.startsWith("0x") && !junk.startsWith("0X")) {
      assertThatThrownBy(() -> Hex.parseQuantity(junk)).isInstanceOf(Hex.HexException.class);
    }
  }

  @Example
  void emptyQuantityIsRejected() {
    assertThatThrownBy(() -> Hex.parseQuantity("0x")).hasMessage("hex string \"0x\"");
    assertThatThrownBy(() -> Hex.parseQuantity("")).hasMessage("empty hex string");
    assertThat(Hex.parseData("0x")).isEqualTo(Bytes.EMPTY);
  }
}
