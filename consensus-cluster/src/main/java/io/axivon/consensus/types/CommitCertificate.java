package io.axivon.consensus.types;

import io.axivon.common.InvalidInputException;
import io.axivon.common.codec.RlpCodec;
import io.axivon.common.crypto.bls.Bls;
import io.axivon.common.crypto.bls.BlsPublicKey;
import io.axivon.common.crypto.bls.BlsSignature;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Proof that validators with more than 2/3 of the power precommitted {@code blockHash} at {@code
 * (height, round)}: the signer bitmap (bit i = validator i, byte i/8, least significant bit first)
 * and the aggregate of their BLS precommit signatures. Anyone with the validator set checks it with
 * one pairing check ({@link #verify}).
 *
 * <p>Encoding: {@code [height, round, blockHash, signers, aggregate(96)]}.
 */
public record CommitCertificate(
    long height, int round, Bytes32 blockHash, Bytes signers, BlsSignature aggregate) {
  public static final RlpCodec<CommitCertificate> CODEC =
      RlpCodec.struct(
          (w, c) ->
              w.writeUInt64(c.height)
                  .writeUInt64(c.round)
                  .writeBytes(c.blockHash)
                  .writeBytes(c.signers)
                  .writeBytes(c.aggregate.toBytes()),
          r ->
              new CommitCertificate(
                  r.readUInt64(),
                  r.readInt(),
                  r.readBytes32(),
                  r.readBytes(Validator.MAX_VALIDATORS / 8),
                  BlsSignature.fromBytes(r.readFixedBytes(BlsSignature.SIZE))));

  public CommitCertificate {
    if (blockHash == null || signers == null || aggregate == null) {
      throw new IllegalArgumentException("commit certificate fields must not be null");
    }
    if (height < 1 || round < 0) {
      throw new IllegalArgumentException("commit height must be >= 1 and round >= 0");
    }
  }

  /**
   * Aggregates BLS precommits for one block at one height and round.
   *
   * @throws IllegalArgumentException if the votes disagree, are not precommits for a block, or
   *     repeat a validator
   */
  public static CommitCertificate fromVotes(ValidatorSet validators, List<Vote> precommits) {
    if (precommits.isEmpty()) {
      throw new IllegalArgumentException("a commit needs at least one precommit");
    }
    Vote first = precommits.getFirst();
    if (first.type() != VoteType.PRECOMMIT || first.blockHash().isEmpty()) {
      throw new IllegalArgumentException("a commit is made of precommits for a block");
    }
    byte[] bitmap = new byte[bitmapSize(validators.size())];
    List<BlsSignature> sigs = new ArrayList<>();
    for (Vote v : precommits) {
      if (v.type() != first.type()
          || v.height() != first.height()
          || v.round() != first.round()
          || !v.blockHash().equals(first.blockHash())) {
        throw new IllegalArgumentException("precommits of a commit must agree: " + v);
      }
      int i = v.validatorIndex();
      if (i >= validators.size()) {
        throw new IllegalArgumentException("unknown validator index " + i);
      }
      if ((bitmap[i / 8] & (1 << (i % 8))) != 0) {
        throw new IllegalArgumentException("validator " + i + " appears twice");
      }
      bitmap[i / 8] |= (byte) (1 << (i % 8));
      sigs.add(BlsSignature.fromBytes(v.signature()));
    }
    return new CommitCertificate(
        first.height(),
        first.round(),
        first.blockHash().orElseThrow(),
        Bytes.wrap(bitmap),
        Bls.aggregate(sigs));
  }

  public static int bitmapSize(int validators) {
    return (validators + 7) / 8;
  }

  /** Whether validator {@code index} is marked as a signer. */
  public boolean signed(int index) {
    int b = index / 8;
    return b < signers.size() && (signers.get(b) & (1 << (index % 8))) != 0;
  }

  /** Validator indices marked as signers, ascending. */
  public List<Integer> signerIndices() {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < signers.size() * 8; i++) {
      if (signed(i)) {
        out.add(i);
      }
    }
    return out;
  }

  /**
   * Checks the certificate against {@code validators}: the bitmap fits the set exactly, the signers
   * hold more than 2/3 of the power, and the aggregate signature is theirs over the precommit
   * sign-bytes.
   *
   * @throws InvalidInputException saying what is wrong, if it does not verify
   */
  public void verify(String chainId, ValidatorSet validators) {
    if (signers.size() != bitmapSize(validators.size())) {
      throw new InvalidInputException(
          "commit signer bitmap has "
              + signers.size()
              + " bytes, expected "
              + bitmapSize(validators.size())
              + " for "
              + validators.size()
              + " validators");
    }
    List<BlsPublicKey> keys = new ArrayList<>();
    long power = 0;
    for (int i = 0; i < signers.size() * 8; i++) {
      if (signed(i)) {
        if (i >= validators.size()) {
          throw new InvalidInputException("commit signer bitmap marks unknown validator " + i);
        }
        keys.add(validators.get(i).publicKey());
        power += validators.power(i);
      }
    }
    if (!validators.isQuorum(power)) {
      throw new InvalidInputException(
          "commit signers hold power "
              + power
              + " of "
              + validators.totalPower()
              + ", need more than 2/3");
    }
    Bytes msg = Vote.signBytes(chainId, VoteType.PRECOMMIT, height, round, Optional.of(blockHash));
    if (!Bls.fastAggregateVerify(keys, msg, aggregate)) {
      throw new InvalidInputException(
          "commit aggregate signature does not verify for height " + height + " round " + round);
    }
  }

  /** {@link #verify} as a boolean. */
  public boolean isValid(String chainId, ValidatorSet validators) {
    try {
      verify(chainId, validators);
      return true;
    } catch (InvalidInputException e) {
      return false;
    }
  }
}
