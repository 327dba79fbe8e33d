package io.axivon.sdk.mining;

import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A PoRA answer (specs/pora.md section 8): the {@code PoraAnswer} tuple of {@code submitAnswer}.
 *
 * @param rangeStart first sector of the miner's recall range
 * @param rangeLength sectors in the range
 * @param shardId the miner's shard: it holds the segments {@code g} with {@code g mod numShard =
 *     shardId}
 * @param numShard the number of shards, a power of two; 1 for a miner of the whole range
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
    long shardId,
    long numShard,
    long recallPosition,
    Bytes32 sealContextDigest,
    Bytes32 unitRoot,
    Bytes sealedData,
    List<Bytes32> proof) {
  /** An unsharded answer ({@code shardId = 0}, {@code numShard = 1}). */
  public Answer(
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
    this(
        contextDigest,
        minerId,
        nonce,
        rangeStart,
        rangeLength,
        0,
        1,
        recallPosition,
        sealContextDigest,
        unitRoot,
        sealedData,
        proof);
  }

  public Answer {
    if (sealedData.size() != Pora.UNIT_BYTES) {
      throw new IllegalArgumentException(
          "sealed data is " + sealedData.size() + " bytes, not 4096");
    }
    proof = List.copyOf(proof);
    if (proof.size() > Pora.MAX_PROOF) {
      throw new IllegalArgumentException("proof has " + proof.size() + " siblings, at most 58");
    }
    // shard values are checked by the verifier (a bad one is a refusal, not a decode error)
    for (long v : new long[] {rangeStart, rangeLength, shardId, numShard, recallPosition}) {
      if (v < 0 || v >= Pora.MAX_POSITION) {
        throw new IllegalArgumentException("position " + v + " outside [0, 2^62)");
      }
    }
  }
}
