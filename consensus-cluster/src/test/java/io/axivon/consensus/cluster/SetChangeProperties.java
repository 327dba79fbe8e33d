package io.axivon.consensus.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.InvalidInputException;
import io.axivon.consensus.types.BlockHeader;
import io.axivon.consensus.types.SetChange;
import io.axivon.consensus.types.ValidatorSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.MutableBytes;

class SetChangeProperties {
  static final ValidatorSet FOUR = Chain0Fixture.set(10, 10, 10, 10);

  static SetChange change(long height, long power) {
    ValidatorSet next = Chain0Fixture.set(10, 10, 10, 10, power);
    BlockHeader h = Chain0Fixture.header(height, FOUR, next);
    return new SetChange(h, Chain0Fixture.certify(Chain0Fixture.CHAIN0, h, FOUR, 0, 1, 2), next);
  }

  @Property(tries = 30)
  void roundTrips(
      @ForAll @LongRange(min = 1, max = 1L << 40) long height,
      @ForAll @LongRange(min = 1, max = 1000) long power) {
    SetChange c = change(height, power);
    assertThat(SetChange.decode(c.encode())).isEqualTo(c);
  }

  /** A flipped byte never yields a change the light client accepts in place of the real one. */
  @Property(tries = 60)
  void aTamperedEncodingIsRefusedOrRejectedByTheLightClient(
      @ForAll @IntRange(min = 0, max = 10_000) int at,
      @ForAll @IntRange(min = 1, max = 255) int x) {
    SetChange c = change(8, 25);
    Bytes enc = c.encode();
    MutableBytes m = enc.mutableCopy();
    int i = at % enc.size();
    m.set(i, (byte) (m.get(i) ^ x));
    SetChange tampered;
    try {
      tampered = SetChange.decode(m);
    } catch (InvalidInputException | IllegalArgumentException e) {
      return; // refused by the codec
    }
    TrustedSet genesis = new TrustedSet(Chain0Fixture.CHAIN0, 1, FOUR);
    boolean accepted;
    try {
      accepted = Chain0LightClient.apply(genesis, tampered) != null;
    } catch (InvalidInputException e) {
      accepted = false;
    }
    // only a byte outside what anyone verifies could pass (the certificate's round is signed too)
    assertThat(accepted).as("tampered byte %d accepted", i).isFalse();
  }
}
