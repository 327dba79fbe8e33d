package io.axivon.p2p.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class FrameCipherProperties {

  @Property(tries = 200)
  void framesOpenInSendingOrder(
      @ForAll @Size(32) byte[] key, @ForAll @Size(max = 10) List<@Size(max = 2000) byte[]> frames) {
    FrameCipher sender = FrameCipher.sender(key);
    FrameCipher receiver = FrameCipher.receiver(key);
    for (byte[] frame : frames) {
      assertThat(receiver.open(sender.seal(frame))).isEqualTo(frame);
    }
  }

  @Property(tries = 300)
  void anyFlippedBitIsRefused(
      @ForAll @Size(32) byte[] key,
      @ForAll @Size(max = 300) byte[] plain,
      @ForAll @IntRange(min = 0, max = 10_000) int position,
      @ForAll @IntRange(min = 0, max = 7) int bit) {
    byte[] sealed = FrameCipher.sender(key).seal(plain);
    sealed[position % sealed.length] ^= (byte) (1 << bit);
    assertThatThrownBy(() -> FrameCipher.receiver(key).open(sealed))
        .isInstanceOf(InvalidInputException.class);
  }

  @Property(tries = 500)
  void arbitraryBytesNeverOpen(
      @ForAll @Size(32) byte[] key, @ForAll @Size(max = 300) byte[] frame) {
    assertThatThrownBy(() -> FrameCipher.receiver(key).open(frame))
        .isInstanceOf(InvalidInputException.class);
  }

  @Property
  void lengthCheckAcceptsExactlyTheRange(
      @ForAll int declared, @ForAll @IntRange(min = 1, max = 1 << 24) int max) {
    try {
      assertThat(FrameLimits.check(declared, max)).isEqualTo(declared).isBetween(1, max);
    } catch (InvalidInputException e) {
      assertThat(declared < 1 || declared > max).isTrue();
    }
  }
}
