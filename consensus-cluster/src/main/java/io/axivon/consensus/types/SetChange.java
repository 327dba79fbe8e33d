package io.axivon.consensus.types;

import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes;

/**
 * Proof that chain 0 changed its validator set: a chain-0 header whose {@code nextValidatorsHash}
 * differs from its {@code validatorsHash}, the commit certificate of that header (signed by the old
 * set), and the new set itself (which hashes to {@code nextValidatorsHash}). Proposers of chains i
 * &gt; 0 put it into their blocks ({@link Block#setChanges()}); their light client of chain 0
 * checks it. Encoding: {@code [header, certificate, nextValidators]}.
 */
public record SetChange(
    BlockHeader header, CommitCertificate certificate, ValidatorSet nextValidators) {
  public static final RlpCodec<SetChange> CODEC =
      RlpCodec.struct(
          (w, c) ->
              w.write(BlockHeader.CODEC, c.header)
                  .write(CommitCertificate.CODEC, c.certificate)
                  .write(ValidatorSet.CODEC, c.nextValidators),
          r ->
              new SetChange(
                  r.read(BlockHeader.CODEC),
                  r.read(CommitCertificate.CODEC),
                  r.read(ValidatorSet.CODEC)));

  public SetChange {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(nextValidators, "nextValidators");
  }

  /** The chain-0 height from which {@link #nextValidators} signs. */
  public long effectiveHeight() {
    return header.height() + 1;
  }

  public Bytes encode() {
    return Rlp.encode(CODEC, this);
  }

  /** Strict decoding; throws {@link io.axivon.common.InvalidInputException} on bad bytes. */
  public static SetChange decode(Bytes bytes) {
    return Rlp.decode(CODEC, bytes);
  }
}
