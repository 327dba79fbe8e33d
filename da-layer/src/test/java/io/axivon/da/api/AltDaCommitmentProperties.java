package io.axivon.da.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;

class AltDaCommitmentProperties {
  @Property
  void commitmentsRoundTrip(@ForAll @Size(32) byte[] key, @ForAll boolean generic) {
    AltDaCommitment c =
        generic
            ? AltDaCommitment.generic(Bytes32.wrap(key))
            : AltDaCommitment.keccak(Bytes32.wrap(key));
    Bytes encoded = c.encode();
    assertThat(encoded.size()).isEqualTo(generic ? 34 : 33);
    assertThat(encoded.get(0)).isEqualTo(generic ? (byte) 1 : (byte) 0);
    assertThat(AltDaCommitment.decode(encoded)).isEqualTo(new AltDaCommitment.Decoded.Ours(c));
    assertThat(AltDaCommitment.decode(AltDaCommitment.decodeHex(encoded.toHexString())))
        .isEqualTo(new AltDaCommitment.Decoded.Ours(c));
  }

  @Property
  void anyBytesDecodeOrAreRefusedPrecisely(@ForAll @Size(max = 40) byte[] raw) {
    Bytes b = Bytes.wrap(raw);
    try {
      AltDaCommitment.Decoded d = AltDaCommitment.decode(b);
      if (d instanceof AltDaCommitment.Decoded.Ours ours) {
        assertThat(ours.commitment().encode()).isEqualTo(b);
      } else {
        assertThat(b.get(0)).isEqualTo((byte) 1);
        assertThat(b.get(1)).isNotEqualTo(AltDaCommitment.DA_LAYER);
      }
    } catch (InvalidInputException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @Property
  void hexRoundTrips(@ForAll @Size(max = 64) byte[] raw) {
    Bytes b = Bytes.wrap(raw);
    assertThat(AltDaCommitment.decodeHex(b.toHexString())).isEqualTo(b);
    assertThat(AltDaCommitment.decodeHex(b.toHexString().toUpperCase().replace("0X", "0x")))
        .isEqualTo(b);
  }

  @Test
  void malformedHexIsRefused() {
    for (String bad : new String[] {"", "00", "0x0", "0xzz", "0x0g", "0x١٢"}) {
      assertThatThrownBy(() -> AltDaCommitment.decodeHex(bad))
          .isInstanceOf(InvalidInputException.class);
    }
  }

  @Test
  void genericCommitmentOfAnotherLayerIsNotOurs() {
    Bytes other = Bytes.concatenate(Bytes.of(1, 0), Bytes32.ZERO);
    assertThat(AltDaCommitment.decode(other)).isEqualTo(new AltDaCommitment.Decoded.OtherLayer(0));
    // the type and layer bytes are all it takes to tell another layer's commitment
    assertThat(AltDaCommitment.decode(Bytes.of(1, 0x42)))
        .isEqualTo(new AltDaCommitment.Decoded.OtherLayer(0x42));
    assertThatThrownBy(() -> AltDaCommitment.decode(Bytes.of(1)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("DA layer byte");
    assertThatThrownBy(() -> AltDaCommitment.decode(Bytes.of(1, AltDaCommitment.DA_LAYER, 7)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("32-byte blob key");
    assertThatThrownBy(() -> AltDaCommitment.decode(Bytes.of(2, 0)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("type byte");
  }
}
