package io.axivon.consensus.types;

import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A signed prevote or precommit for a block hash, or for nil (empty {@code blockHash}).
 *
 * <p>Encoding: {@code [type, height, round, [blockHash?], validatorIndex, signature(96)]}. The
 * signature covers {@link #signBytes(String, VoteType, long, int, Optional)}.
 */
public record Vote(
    VoteType type,
    long height,
    int round,
    Optional<Bytes32> blockHash,
    int validatorIndex,
    Bytes signature)
    implements ConsensusMessage {
  public static final int SIGNATURE_SIZE = 96;

  /** Domain tag: vote sign-bytes can never be read as another message's sign-bytes. */
  public static final Bytes DOMAIN =
      Bytes.wrap("axivon/consensus/vote/v1".getBytes(StandardCharsets.US_ASCII));

  public static final RlpCodec<Vote> CODEC =
      RlpCodec.struct(
          (w, v) ->
              w.writeUInt64(v.type.code())
                  .writeUInt64(v.height)
                  .writeUInt64(v.round)
                  .writeOptional(v.blockHash, Rlp.BYTES32)
                  .writeUInt64(v.validatorIndex)
                  .writeBytes(v.signature),
          r ->
              new Vote(
                  VoteType.fromCode(r.readUInt64()),
                  r.readUInt64(),
                  r.readInt(),
                  r.readOptional(Rlp.BYTES32),
                  r.readInt(),
                  r.readFixedBytes(SIGNATURE_SIZE)));

  public Vote {
    if (type == null || blockHash == null || signature == null) {
      throw new IllegalArgumentException("vote fields must not be null");
    }
    if (height < 1) {
      throw new IllegalArgumentException("vote height must be >= 1, got " + height);
    }
    if (round < 0 || validatorIndex < 0) {
      throw new IllegalArgumentException(
          "vote round and validator index must be >= 0, got " + round + ", " + validatorIndex);
    }
    if (signature.size() != SIGNATURE_SIZE) {
      throw new IllegalArgumentException(
          "vote signature must be " + SIGNATURE_SIZE + " bytes, got " + signature.size());
    }
  }

  /**
   * The bytes a validator signs: {@code RLP([DOMAIN, chainId, type, height, round, [blockHash?]])}.
   * The chain id keeps votes of one chain from counting on another.
   */
  public static Bytes signBytes(
      String chainId, VoteType type, long height, int round, Optional<Bytes32> blockHash) {
    return Rlp.encode(
        RlpCodec.<Void>struct(
            (w, unused) ->
                w.writeBytes(DOMAIN)
                    .writeBytes(Bytes.wrap(chainId.getBytes(StandardCharsets.UTF_8)))
                    .writeUInt64(type.code())
                    .writeUInt64(height)
                    .writeUInt64(round)
                    .writeOptional(blockHash, Rlp.BYTES32),
            r -> null),
        null);
  }

  /** Signs a new vote. */
  public static Vote sign(
      String chainId,
      Signer signer,
      VoteType type,
      long height,
      int round,
      Optional<Bytes32> blockHash,
      int validatorIndex) {
    Bytes sig = signer.sign(signBytes(chainId, type, height, round, blockHash));
    return new Vote(type, height, round, blockHash, validatorIndex, sig);
  }

  public Bytes signBytes(String chainId) {
    return signBytes(chainId, type, height, round, blockHash);
  }

  /** Whether the signature is the named validator's over this vote on {@code chainId}. */
  public boolean verify(String chainId, ValidatorSet validators, SignatureVerifier verifier) {
    return validatorIndex < validators.size()
        && verifier.verify(validators, validatorIndex, signBytes(chainId), signature);
  }

  public boolean isNil() {
    return blockHash.isEmpty();
  }
}
