package io.axivon.common.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.apache.tuweni.bytes.Bytes;

/**
 * Fuzzes every decoder in {@link Canonical#CODECS} with the invariant of {@code specs/encoding.md}:
 * any input either fails with InvalidInputException or decodes to a value whose encoding is exactly
 * the input. Any other exception or an accepted non-canonical input is a finding.
 *
 * <p>Without {@code JAZZER_FUZZ} (surefire) this replays the seed corpus in {@code
 * src/test/resources/io/axivon/common/codec/RlpDecoderFuzzTestInputs/decode}; failsafe sets {@code
 * JAZZER_FUZZ=1} and fuzzes for {@code jazzer.max_duration}.
 */
class RlpDecoderFuzzTest {
  @FuzzTest
  void decode(byte[] input) {
    Canonical.checkAll(Bytes.wrap(input));
  }
}
