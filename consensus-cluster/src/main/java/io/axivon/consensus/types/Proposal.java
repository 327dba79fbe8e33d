package io.axivon.consensus.types;

import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import java.nio.charset.StandardCharsets;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A signed proposal of {@code block} for {@code (height, round)}; {@code polRound} is the round of
 * the proposer's proof-of-lock (its valid round), or -1.
 *
 * <p>Encoding: {@code [height, round, polRound + 1, block, proposerIndex, signature(96)]} (the +1
 * keeps the field unsigned). The signature covers {@link #signBytes(String, long, int, int,
 * Bytes32)}: {@code RLP([DOMAIN, chainId, height, round, polRound + 1, blockHash])}.
 */
public record Proposal(
    long height, int round, int polRound, Block block, int proposerIndex, Bytes signature)
    implements ConsensusMessage {
  public static final Bytes DOMAIN =
      Bytes.wrap("axivon/consensus/proposal/v1".getBytes(StandardCharsets.US_ASCII));

  public static final RlpCodec<Proposal> CODEC =
      RlpCodec.struct(
          (w, p) ->
              w.writeUInt64(p.height)
                  .writeUInt64(p.round)
                  .writeUInt64(p.polRound + 1L)
                  .write(Block.CODEC, p.block)
                  .writeUInt64(p.proposerIndex)
                  .writeBytes(p.signature),
          r ->
              new Proposal(
                  r.readUInt64(),
                  r.readInt(),
                  r.readInt() - 1,
                  r.read(Block.CODEC),
                  r.readInt(),
                  r.readFixedBytes(Vote.SIGNATURE_SIZE)));

  public Proposal {
    if (block == null || signature == null) {
      throw new IllegalArgumentException("proposal block and signature must not be null");
    }
    if (height < 1 || round < 0 || proposerIndex < 0) {
      throw new IllegalArgumentException("proposal height >= 1, round and proposer index >= 0");
    }
    if (polRound < -1 || polRound >= round) {
      throw new IllegalArgumentException(
          "proposal polRound must be in [-1, round), got " + polRound + " for round " + round);
    }
    if (block.height() != height) {
      throw new IllegalArgumentException(
          "proposal for height " + height + " carries a block of height " + block.height());
    }
    if (signature.size() != Vote.SIGNATURE_SIZE) {
      throw new IllegalArgumentException("proposal signature must be 96 bytes");
    }
  }

  public static Bytes signBytes(
      String chainId, long height, int round, int polRound, Bytes32 blockHash) {
    return Rlp.encode(
        RlpCodec.<Void>struct(
            (w, unused) ->
                w.writeBytes(DOMAIN)
                    .writeBytes(Bytes.wrap(chainId.getBytes(StandardCharsets.UTF_8)))
                    .writeUInt64(height)
                    .writeUInt64(round)
                    .writeUInt64(polRound + 1L)
                    .writeBytes(blockHash),
            r -> null),
        null);
  }

  public static Proposal sign(
      String chainId, Signer signer, int round, int polRound, Block block, int proposerIndex) {
    Bytes sig = signer.sign(signBytes(chainId, block.height(), round, polRound, block.hash()));
    return new Proposal(block.height(), round, polRound, block, proposerIndex, sig);
  }

  public Bytes signBytes(String chainId) {
    return signBytes(chainId, height, round, polRound, block.hash());
  }

  public boolean verify(String chainId, ValidatorSet validators, SignatureVerifier verifier) {
    return proposerIndex < validators.size()
        && verifier.verify(validators, proposerIndex, signBytes(chainId), signature);
  }
}
