package io.axivon.sdk.mining;

import io.axivon.common.crypto.Hashes;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The flow's mining context of an epoch (specs/flow.md section 5): what {@code getContext()} of the
 * flow module returns, and what an answer is checked against.
 */
public record MiningContext(
    long epoch, long mineStart, Bytes32 flowRoot, long flowLength, Bytes32 blockDigest) {
  public MiningContext {
    if (epoch < 0 || mineStart < 0 || flowLength < 0 || flowLength > Pora.MAX_POSITION) {
      throw new IllegalArgumentException("context fields out of range");
    }
  }

  /** {@code H(u256(epoch) ‖ u256(mineStart) ‖ flowRoot ‖ u256(flowLength) ‖ blockDigest)}. */
  public Bytes32 digest() {
    return Hashes.keccak256(
        Bytes.concatenate(u256(epoch), u256(mineStart), flowRoot, u256(flowLength), blockDigest));
  }

  static Bytes32 u256(long v) {
    return Bytes32.leftPad(Bytes.ofUnsignedLong(v));
  }
}
