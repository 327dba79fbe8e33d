package io.axivon.da.blob;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.axivon.common.InvalidInputException;
import io.axivon.da.cert.DaCertificate;
import io.axivon.da.erasure.ErasureBackends;
import io.axivon.da.erasure.ReedSolomon;
import java.util.function.Function;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Fuzzes the DA decoders with the invariant of specs/encoding.md: any input either fails with
 * InvalidInputException or decodes to a value whose encoding is exactly the input; a decoded
 * bad-encoding proof verifies to true or false without throwing.
 *
 * <p>Without {@code JAZZER_FUZZ} (surefire) this replays the seed corpus in {@code
 * src/test/resources/io/axivon/da/blob/BlobProofFuzzTestInputs/decode}; failsafe fuzzes for {@code
 * jazzer.max_duration}.
 */
class BlobProofFuzzTest {
  private static final ReedSolomon CODER = new ReedSolomon(ErasureBackends.best(), 1);

  @FuzzTest
  void decode(byte[] input) {
    Bytes in = Bytes.wrap(input);
    roundTrips(in, b -> ShareProof.decode(b).encode());
    roundTrips(in, b -> RowColumnRoots.decode(b).encode());
    roundTrips(in, b -> DaCertificate.decode(b).encode());
    roundTrips(
        in,
        b -> {
          BadEncodingProof p = BadEncodingProof.decode(b);
          p.verify(Bytes32.ZERO, p.k(), CODER);
          return p.encode();
        });
  }

  private static void roundTrips(Bytes in, Function<Bytes, Bytes> decodeEncode) {
    try {
      assertThat(decodeEncode.apply(in)).isEqualTo(in);
    } catch (InvalidInputException expected) {
      // refused: fine
    }
  }
}
