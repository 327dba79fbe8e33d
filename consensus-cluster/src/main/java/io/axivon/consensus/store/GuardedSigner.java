package io.axivon.consensus.store;

import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import io.axivon.consensus.types.Proposal;
import io.axivon.consensus.types.Signer;
import io.axivon.consensus.types.Vote;
import io.axivon.consensus.types.VoteType;
import java.util.Objects;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;

/**
 * A {@link Signer} that never signs two different messages for one height, round and step, nor
 * anything behind the last message it signed, even across a crash: the last-sign record is made
 * durable in the {@link ConsensusWal} before a signature leaves this method. Signing the very same
 * bytes again (a restarted node re-sending) returns the same signature. Only vote and proposal
 * sign-bytes are signed; anything else is refused.
 */
public final class GuardedSigner implements Signer {
  /** (height, round, step) parsed from sign-bytes. */
  private record Position(long height, int round, int step) {}

  private static final RlpCodec<Position> PARSER =
      RlpCodec.struct(
          (w, p) -> {
            throw new UnsupportedOperationException("parse only");
          },
          r -> {
            Bytes domain = r.readBytes(64);
            r.readBytes(256); // chain id: compared as part of the whole bytes
            if (domain.equals(Vote.DOMAIN)) {
              VoteType type = VoteType.fromCode(r.readUInt64());
              long height = r.readUInt64();
              int round = r.readInt();
              r.readOptional(Rlp.BYTES32);
              return new Position(
                  height,
                  round,
                  type == VoteType.PREVOTE ? SignRecord.PREVOTE : SignRecord.PRECOMMIT);
            }
            if (domain.equals(Proposal.DOMAIN)) {
              long height = r.readUInt64();
              int round = r.readInt();
              r.readUInt64();
              r.readBytes32();
              return new Position(height, round, SignRecord.PROPOSAL);
            }
            throw new IllegalArgumentException("unknown sign-bytes domain " + domain.toHexString());
          });

  private final Signer inner;
  private final ConsensusWal wal;

  public GuardedSigner(Signer inner, ConsensusWal wal) {
    this.inner = Objects.requireNonNull(inner, "inner");
    this.wal = Objects.requireNonNull(wal, "wal");
  }

  /**
   * @throws DoubleSignException if {@code signBytes} conflict with the last signed message
   * @throws IllegalArgumentException if they are not vote or proposal sign-bytes
   */
  @Override
  public synchronized Bytes sign(Bytes signBytes) {
    Position p;
    try {
      p = Rlp.decode(PARSER, signBytes);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "refusing to sign: not vote or proposal sign-bytes (" + e.getMessage() + ")", e);
    }
    Optional<SignRecord> last = wal.lastSign();
    if (last.isPresent()) {
      SignRecord l = last.get();
      SignRecord probe = new SignRecord(p.height, p.round, p.step, signBytes, Bytes.EMPTY);
      int c = probe.compareTo(l);
      if (c == 0) {
        if (l.signBytes().equals(signBytes)) {
          return l.signature();
        }
        throw new DoubleSignException(
            "refusing to sign: already signed different bytes at " + l.position());
      }
      if (c < 0) {
        throw new DoubleSignException(
            "refusing to sign at "
                + probe.position()
                + ": behind the last signed message at "
                + l.position());
      }
    }
    Bytes signature = inner.sign(signBytes);
    wal.saveSign(new SignRecord(p.height, p.round, p.step, signBytes, signature));
    return signature;
  }
}
