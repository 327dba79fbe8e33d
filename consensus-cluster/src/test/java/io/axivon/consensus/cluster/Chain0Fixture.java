package io.axivon.consensus.cluster;

import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.consensus.types.Block;
import io.axivon.consensus.types.BlockHeader;
import io.axivon.consensus.types.BlsSigner;
import io.axivon.consensus.types.CommitCertificate;
import io.axivon.consensus.types.SetChange;
import io.axivon.consensus.types.Validator;
import io.axivon.consensus.types.ValidatorSet;
import io.axivon.consensus.types.Vote;
import io.axivon.consensus.types.VoteType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/** Real chain-0 headers and BLS commit certificates for the cluster tests. */
public final class Chain0Fixture {
  private Chain0Fixture() {}

  public static final String CHAIN0 = "axivon-12700";
  public static final List<BlsSecretKey> KEYS = keys(6);

  public static List<BlsSecretKey> keys(int n) {
    List<BlsSecretKey> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] ikm = new byte[32];
      ikm[0] = (byte) (i + 1);
      ikm[1] = 0x5c;
      out.add(BlsSecretKey.keyGen(Bytes.wrap(ikm)));
    }
    return out;
  }

  /** Validators 0..n-1 of {@link #KEYS}, with these powers. */
  public static ValidatorSet set(long... powers) {
    List<Validator> vs = new ArrayList<>();
    for (int i = 0; i < powers.length; i++) {
      vs.add(new Validator(KEYS.get(i).publicKey(), powers[i]));
    }
    return ValidatorSet.of(vs);
  }

  public static BlockHeader header(long height, ValidatorSet signers, ValidatorSet next) {
    return new BlockHeader(
        CHAIN0,
        height,
        height * 1000,
        Hashes.keccak256(Bytes.ofUnsignedLong(height - 1)),
        Block.txRoot(List.of()),
        Bytes32.ZERO,
        signers.hash(),
        next.hash(),
        0);
  }

  /** A certificate of {@code header} by the members of {@code set} listed in {@code who}. */
  public static CommitCertificate certify(
      String chainId, BlockHeader header, ValidatorSet set, int... who) {
    List<Vote> votes = new ArrayList<>();
    for (int i : who) {
      BlsSecretKey key = KEYS.get(i);
      votes.add(
          Vote.sign(
              chainId,
              new BlsSigner(key),
              VoteType.PRECOMMIT,
              header.height(),
              0,
              Optional.of(header.hash()),
              set.indexOf(key.publicKey())));
    }
    return CommitCertificate.fromVotes(set, votes);
  }

  /** A change at chain-0 height {@code height} from {@code from} to {@code to}, signed by all. */
  public static SetChange change(long height, ValidatorSet from, ValidatorSet to) {
    BlockHeader h = header(height, from, to);
    int[] all = java.util.stream.IntStream.range(0, from.size()).toArray();
    return new SetChange(h, certify(CHAIN0, h, from, all), to);
  }
}
