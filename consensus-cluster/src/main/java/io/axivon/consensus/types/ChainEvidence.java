package io.axivon.consensus.types;

import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import io.axivon.common.crypto.Hashes;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Equivocation seen on any chain of a cluster, as it travels to chain 0's staking module: the
 * consensus chain id the votes were signed for, the hash of the validator set that signed that
 * height there (one of the sets chain 0 defined, which every chain follows), and the two votes.
 * Encoding: {@code [chainId, validatorsHash, Evidence]}.
 */
public record ChainEvidence(String chainId, Bytes32 validatorsHash, Evidence evidence) {
  public static final RlpCodec<ChainEvidence> CODEC =
      RlpCodec.struct(
          (w, e) ->
              w.writeBytes(Bytes.wrap(e.chainId.getBytes(StandardCharsets.UTF_8)))
                  .writeBytes(e.validatorsHash)
                  .write(Evidence.CODEC, e.evidence),
          r ->
              new ChainEvidence(
                  BlockHeader.utf8(r.readBytes(BlockHeader.MAX_CHAIN_ID_BYTES)),
                  r.readBytes32(),
                  r.read(Evidence.CODEC)));

  public ChainEvidence {
    Objects.requireNonNull(chainId, "chainId");
    Objects.requireNonNull(validatorsHash, "validatorsHash");
    Objects.requireNonNull(evidence, "evidence");
    if (chainId.isEmpty()
        || chainId.getBytes(StandardCharsets.UTF_8).length > BlockHeader.MAX_CHAIN_ID_BYTES) {
      throw new IllegalArgumentException(
          "chain id must be 1.." + BlockHeader.MAX_CHAIN_ID_BYTES + " bytes");
    }
  }

  /**
   * What makes a piece of evidence used once: the chain and the two votes, not the set hash (the
   * same votes named with another set cannot slash twice).
   */
  public Bytes32 replayKey() {
    return Hashes.keccak256(
        Bytes.concatenate(
            Rlp.encode(Rlp.BYTES, Bytes.wrap(chainId.getBytes(StandardCharsets.UTF_8))),
            Rlp.encode(Evidence.CODEC, evidence)));
  }

  public Bytes encode() {
    return Rlp.encode(CODEC, this);
  }

  /** Strict decoding; throws {@link io.axivon.common.InvalidInputException} on bad bytes. */
  public static ChainEvidence decode(Bytes bytes) {
    return Rlp.decode(CODEC, bytes);
  }
}
