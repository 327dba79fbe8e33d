package io.axivon.p2p.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FrameCipherTest {
  private final byte[] key = new byte[32];

  {
    Arrays.fill(key, (byte) 7);
  }

  @Test
  void sealThenOpenInOrder() {
    FrameCipher sender = FrameCipher.sender(key);
    FrameCipher receiver = FrameCipher.receiver(key);
    for (int i = 0; i < 5; i++) {
      byte[] plain = ("frame " + i).getBytes();
      byte[] sealed = sender.seal(plain);
      assertThat(sealed).hasSize(plain.length + FrameCipher.TAG_BYTES);
      assertThat(receiver.open(sealed)).isEqualTo(plain);
    }
    assertThat(sender.counter()).isEqualTo(5);
    assertThat(receiver.counter()).isEqualTo(5);
  }

  @Test
  void sameplaintextNeverGivesTheSameCiphertext() {
    FrameCipher sender = FrameCipher.sender(key);
    byte[] plain = new byte[40];
    assertThat(sender.seal(plain)).isNotEqualTo(sender.seal(plain));
  }

  @Test
  void replayedReorderedOrTamperedFramesFail() {
    FrameCipher sender = FrameCipher.sender(key);
    byte[] first = sender.seal(new byte[] {1});
    byte[] second = sender.seal(new byte[] {2});

    FrameCipher receiver = FrameCipher.receiver(key);
    assertThatThrownBy(() -> receiver.open(second)).isInstanceOf(InvalidInputException.class);
    assertThat(receiver.open(first)).containsExactly(1); // the failure did not advance the counter

    FrameCipher replay = FrameCipher.receiver(key);
    replay.open(first);
    assertThatThrownBy(() -> replay.open(first)).isInstanceOf(InvalidInputException.class);

    FrameCipher tamper = FrameCipher.receiver(key);
    byte[] bad = first.clone();
    bad[0] ^= 0x40;
    assertThatThrownBy(() -> tamper.open(bad)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void truncatedFrameIsATypedError() {
    FrameCipher receiver = FrameCipher.receiver(key);
    assertThatThrownBy(() -> receiver.open(new byte[15]))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("16-byte tag");
  }

  @Test
  void wrongDirectionIsAProgrammingError() {
    assertThatThrownBy(() -> FrameCipher.receiver(key).seal(new byte[1]))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> FrameCipher.sender(key).open(new byte[20]))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void lengthHeaderChecks() {
    assertThat(FrameLimits.checkedLength(new byte[] {0, 0, 1, 0}, 0, 256)).isEqualTo(256);
    assertThatThrownBy(() -> FrameLimits.checkedLength(new byte[] {0, 0, 1, 1}, 0, 256))
        .isInstanceOf(FrameTooLargeException.class);
    assertThatThrownBy(() -> FrameLimits.checkedLength(new byte[] {(byte) 0x80, 0, 0, 0}, 0, 256))
        .isInstanceOf(FrameTooLargeException.class)
        .hasMessageContaining("2147483648");
    assertThatThrownBy(() -> FrameLimits.checkedLength(new byte[4], 0, 256))
        .isInstanceOf(InvalidInputException.class);
  }
}
