package io.axivon.p2p.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.axivon.common.InvalidInputException;

/**
 * Decodes arbitrary frame plaintexts: the only outcomes allowed are a message that re-encodes to an
 * equal message, or an {@link InvalidInputException}. Regression inputs live in
 * src/test/resources/io/axivon/p2p/wire/MessageFuzzTestInputs.
 */
class MessageFuzzTest {

  @FuzzTest
  void decode(byte[] input) {
    Message message;
    try {
      message = MessageCodec.decode(input);
    } catch (InvalidInputException expected) {
      return;
    }
    assertThat(MessageCodec.decode(MessageCodec.encode(message))).isEqualTo(message);
  }
}
