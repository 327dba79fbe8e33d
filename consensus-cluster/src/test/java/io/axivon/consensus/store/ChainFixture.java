package io.axivon.consensus.store;

import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.consensus.types.Block;
import io.axivon.consensus.types.BlockHeader;
import io.axivon.consensus.types.BlsSigner;
import io.axivon.consensus.types.CommitCertificate;
import io.axivon.consensus.types.Validator;
import io.axivon.consensus.types.ValidatorSet;
import io.axivon.consensus.types.Vote;
import io.axivon.consensus.types.VoteType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/** Builds real chains (BLS-signed commits) for the block store tests. */
final class ChainFixture {
  static final String CHAIN = "test-chain";
  static final Bytes32 GENESIS = Hashes.keccak256(Bytes.wrap("genesis".getBytes()));
  static final List<BlsSecretKey> KEYS = keys(4);
  static final ValidatorSet SET = set(KEYS);

  private ChainFixture() {}

  static List<BlsSecretKey> keys(int n) {
    List<BlsSecretKey> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] ikm = new byte[32];
      ikm[0] = (byte) (i + 1);
      ikm[1] = 0x33;
      out.add(BlsSecretKey.keyGen(Bytes.wrap(ikm)));
    }
    return out;
  }

  static ValidatorSet set(List<BlsSecretKey> keys) {
    List<Validator> vs = new ArrayList<>();
    for (BlsSecretKey k : keys) {
      vs.add(new Validator(k.publicKey(), 10));
    }
    return ValidatorSet.of(vs);
  }

  static Bytes32 appHash(long height) {
    return Hashes.keccak256(Bytes.ofUnsignedLong(height * 7919));
  }

  /** A block on top of {@code parent} (null for height 1), app hashes from {@link #appHash}. */
  static Block block(long height, Bytes32 parentHash, List<Bytes> txs) {
    BlockHeader h =
        new BlockHeader(
            CHAIN,
            height,
            1000 * height,
            parentHash,
            Block.txRoot(txs),
            height == 1 ? Bytes32.ZERO : appHash(height - 1),
            SET.hash(),
            SET.hash(),
            (int) (height % SET.size()));
    return new Block(h, txs);
  }

  /** A commit of {@code block} signed by validators 0..signers-1 of {@link #SET}. */
  static CommitCertificate commit(Block block, int signers) {
    List<Vote> votes = new ArrayList<>();
    for (int i = 0; i < signers; i++) {
      BlsSecretKey key = keyOf(i);
      votes.add(
          Vote.sign(
              CHAIN,
              new BlsSigner(key),
              VoteType.PRECOMMIT,
              block.height(),
              0,
              Optional.of(block.hash()),
              i));
    }
    return CommitCertificate.fromVotes(SET, votes);
  }

  static BlsSecretKey keyOf(int index) {
    for (BlsSecretKey k : KEYS) {
      if (SET.indexOf(k.publicKey()) == index) {
        return k;
      }
    }
    throw new IllegalArgumentException("no key " + index);
  }

  static StoredBlock stored(Block block) {
    return new StoredBlock(block, commit(block, 3), SET, appHash(block.height()));
  }

  /** {@code n} blocks from height 1, each with a couple of transactions. */
  static List<StoredBlock> chain(int n) {
    List<StoredBlock> out = new ArrayList<>();
    Bytes32 parent = GENESIS;
    for (long h = 1; h <= n; h++) {
      Block b = block(h, parent, List.of(Bytes.of((byte) h, 1), Bytes.of((byte) h, 2, 3)));
      out.add(stored(b));
      parent = b.hash();
    }
    return out;
  }
}
