package io.axivon.da.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.da.blob.BlobSquare;
import io.axivon.p2p.P2pLimits;
import org.junit.jupiter.api.Test;

/**
 * DA links must carry a whole dispersal of the largest blob to one member without the per-peer byte
 * budget dropping requests (a dropped request is only a timeout to the disperser).
 */
class DaWireLimitsTest {
  @Test
  void oneMemberTakesTheLargestBlobsLinesWithinTheByteBurst() {
    int k = 128; // the largest square (specs/da.md §1)
    long linesToOneMember = 2L * (2 * k) * (2L * k * BlobSquare.SHARE_SIZE); // rows and columns
    P2pLimits limits = DaWire.p2pLimits();
    assertThat(limits.byteBurst()).isGreaterThanOrEqualTo(linesToOneMember);
    assertThat(limits.bytesPerSecond()).isGreaterThan(P2pLimits.defaults().bytesPerSecond());
    assertThat(limits.maxFrameBytes()).isGreaterThanOrEqualTo(DaWire.MAX_REQUEST);
  }
}
