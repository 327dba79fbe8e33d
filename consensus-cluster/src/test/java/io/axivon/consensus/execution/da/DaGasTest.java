package io.axivon.consensus.execution.da;

import static io.axivon.consensus.execution.da.DaHarness.PROVER;
import static io.axivon.consensus.execution.da.DaHarness.require;
import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.consensus.execution.system.ModuleCall;
import io.axivon.consensus.execution.system.ModuleResult;
import io.axivon.da.blob.Axis;
import io.axivon.da.blob.BadEncodingProof;
import io.axivon.da.blob.BlobSquare;
import io.axivon.da.blob.ExtendedSquare;
import io.axivon.da.blob.SquareEncoder;
import io.axivon.da.cert.Quorum;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;

/** Gas of the two heavy calls at the largest square (k = 128) with a quorum of 4. */
class DaGasTest {
  @Test
  void confirmBlobAtK128WithAQuorumOf4() {
    DaHarness h = DataAvailabilityModuleTest.ready();
    Quorum q = h.quorum(1, 0);
    ModuleResult r =
        require(
            h.confirm(
                h.certify(Bytes32.random(), 128, q, List.of(0, 1, 2, 3)),
                BlobSquare.MAX_BLOB_SIZE));
    System.out.println("DA gas: confirmBlob k=128 quorum of 4, 4 signers: " + r.gasUsed());
    // the BLS check dominates, the rest is a few slots and the quorum snapshot
    assertThat(r.gasUsed()).isBetween(ModuleCall.BLS_VERIFY_GAS, 250_000L);
  }

  @Test
  void fraudProofAtK128() {
    DaHarness h = DataAvailabilityModuleTest.ready();
    Quorum q = h.quorum(1, 0);
    try (SquareEncoder enc = SquareEncoder.create(1)) {
      ExtendedSquare honest = enc.encode(DaHarness.blob(64 * 64 * 2048, 3));
      assertThat(honest.k()).isEqualTo(128);
      ExtendedSquare bad = DaHarness.corrupt(enc, honest, 5, 200);
      require(h.confirm(h.certify(bad.dataRoot(), 128, q, List.of(0, 1, 2, 3)), 64 * 64 * 2048));
      Bytes proof = BadEncodingProof.build(bad, Axis.ROW, 5).encode();
      long t0 = System.nanoTime();
      ModuleResult r = require(h.call(PROVER, DaHarness.fraudCall(bad.dataRoot(), proof)));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      System.out.println(
          "DA gas: submitFraudProof k=128, proof "
              + proof.size()
              + " bytes: module gas "
              + r.gasUsed()
              + " (+ calldata ~"
              + 16L * proof.size()
              + "), verified in "
              + ms
              + " ms");
      assertThat(r.gasUsed()).isGreaterThan(DataAvailabilityModule.fraudProofGas(128));
    }
  }
}
