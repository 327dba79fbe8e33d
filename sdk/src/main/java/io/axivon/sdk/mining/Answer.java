package io.axivon.sdk.mining;

import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A PoRA answer (specs/pora.md section 8): the {@code PoraAnswer} tuple of {@code submitAnswer}.
 *
 * @param rangeStart first sector of the miner's recall range
 * @param rangeLength sectors in the range
 * @param recallPosition the recalled unit's first sector
 * @param sealContextDigest the context the unit was sealed with
 * @param unitRoot the Merkle root of the 16 unsealed sectors
 * @param sealedData the sealed unit, 4,096 bytes
 * @param proof the siblings of {@code unitRoot} up to the flow root, bottom up
 */
public record Answer(
    Bytes32 contextDigest,
    Bytes32 minerId,
    Bytes32 nonce,
    long rangeStart,
    long rangeLength,
    long recallPosition,
    Bytes32 sealContextDigest,
    Bytes32 unitRoot,
    Bytes sealedData,
    List<Bytes32> proof) {
  public Answer {
    if (sealedData.size() != Pora.UNIT_BYTES) {
      throw new IllegalArgumentException(
          "sealed data is " + sealedData.size() + " bytes, not 4096");
    }
    proof = List.copyOf(proof);
    if (proof.size() > Pora.MAX_PROOF) {
      throw new IllegalArgumentException("proof has " + proof.size() + " siblings, at most 58");
    }
    for (long v : new long[] {rangeStart, rangeLength, recallPosition}) {
      if (v < 0 || v >= Pora.MAX_POSITION) {
        throw new IllegalArgumentException("position " + v + " outside [0, 2^62)");
      }
    }
  }
}
