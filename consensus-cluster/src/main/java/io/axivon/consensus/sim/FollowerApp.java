package io.axivon.consensus.sim;

import io.axivon.common.InvalidInputException;
import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import io.axivon.common.crypto.Hashes;
import io.axivon.consensus.app.Application;
import io.axivon.consensus.app.FinalizeResult;
import io.axivon.consensus.app.ProposalBody;
import io.axivon.consensus.app.TxCheck;
import io.axivon.consensus.app.ValidatorUpdate;
import io.axivon.consensus.types.Block;
import io.axivon.consensus.types.BlockHeader;
import io.axivon.consensus.types.Validator;
import io.axivon.consensus.types.ValidatorSet;
import io.axivon.consensus.types.Vote;
import io.axivon.consensus.types.VoteType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongFunction;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The application of a chain i &gt; 0 in a multi-chain simulation: nothing but the light client of
 * chain 0, as the product's {@code Chain0LightClientModule} runs it. The proposer puts the chain-0
 * set changes its own chain-0 replica decided and this chain does not follow yet into its block;
 * after the block each change is checked by the rules of {@link
 * io.axivon.consensus.cluster.Chain0LightClient} (skipped if it fails one), and when the trusted
 * set moved the block returns the updates from the followed set to it, which consensus applies two
 * heights on.
 *
 * <p>One deviation, forced by the simulator's stand-in signatures: the product's change carries an
 * aggregate BLS commit certificate; here it carries the precommits themselves, each checked with
 * {@link SimKeys#VERIFIER}, and their power must be a quorum of the trusted set.
 */
final class FollowerApp implements Application {
  static final int MAX_CHANGES_PER_BLOCK = Block.MAX_SET_CHANGES;

  /** A chain-0 header naming a new set, the precommits that decided it, and the new set. */
  record Change(BlockHeader header, List<Vote> precommits, ValidatorSet next) {
    static final RlpCodec<Change> CODEC =
        RlpCodec.struct(
            (w, c) ->
                w.write(BlockHeader.CODEC, c.header)
                    .writeListOf(c.precommits, Vote.CODEC)
                    .write(ValidatorSet.CODEC, c.next),
            r ->
                new Change(
                    r.read(BlockHeader.CODEC),
                    r.readListOf(Vote.CODEC),
                    r.read(ValidatorSet.CODEC)));

    Change {
      precommits = List.copyOf(precommits);
    }

    Bytes toTx() {
      return Bytes.concatenate(Bytes.of('S'), Rlp.encode(CODEC, this));
    }
  }

  private final String chain0Id;
  private final LongFunction<List<Bytes>> source;
  private final Map<Bytes, Change> decodeCache;
  private final boolean broken;
  private long trustedFrom = 1;
  private ValidatorSet trusted;
  private ValidatorSet followed;
  // Chain-i height -> the chain-0 height from which the set signing from it signs chain 0.
  private final TreeMap<Long, Long> signFrom = new TreeMap<>();
  private final List<String> refusals = new ArrayList<>();
  private long applied;
  private Bytes32 appHash = Bytes32.ZERO;
  private long lastTimeMillis;

  /**
   * @param source the changes this node's chain-0 replica decided at chain-0 heights at or above
   *     the argument, oldest first
   * @param decodeCache decoded changes by transaction bytes, shared by one run's replicas: decoding
   *     a set checks every key's subgroup, which would dominate the run (pure, so sharing is safe)
   * @param broken only to show the simulator catches it: the light client follows chain 0 but the
   *     block returns no validator updates, so consensus keeps signing with the old set
   */
  FollowerApp(
      String chain0Id,
      ValidatorSet genesis,
      LongFunction<List<Bytes>> source,
      Map<Bytes, Change> decodeCache,
      boolean broken) {
    this.chain0Id = chain0Id;
    this.broken = broken;
    this.trusted = genesis;
    this.followed = genesis;
    this.source = source;
    this.decodeCache = decodeCache;
    signFrom.put(1L, 1L);
  }

  /** The chain-0 height from which the set that signs this chain's {@code height} signs chain 0. */
  long chain0FromHeightSigning(long height) {
    return signFrom.floorEntry(height).getValue();
  }

  long trustedFrom() {
    return trustedFrom;
  }

  long appliedChanges() {
    return applied;
  }

  List<String> refusals() {
    return List.copyOf(refusals);
  }

  @Override
  public TxCheck checkTx(Bytes tx) {
    return decode(tx).isPresent()
        ? new TxCheck.Accepted(Hashes.keccak256(tx), 0, 0, 0)
        : new TxCheck.Rejected("not a chain-0 set change");
  }

  private Optional<Change> decode(Bytes tx) {
    if (tx.isEmpty() || tx.get(0) != 'S') {
      return Optional.empty();
    }
    Change c = decodeCache.get(tx);
    if (c == null) {
      try {
        c = Rlp.decode(Change.CODEC, tx.slice(1));
      } catch (InvalidInputException | IllegalArgumentException e) {
        return Optional.empty();
      }
      decodeCache.put(tx, c);
    }
    return Optional.of(c);
  }

  @Override
  public ProposalBody prepareProposal(long height, long maxBytes) {
    List<Bytes> txs = new ArrayList<>();
    long bytes = 0;
    for (Bytes tx : source.apply(trustedFrom)) {
      if (txs.size() == MAX_CHANGES_PER_BLOCK || bytes + tx.size() > maxBytes) {
        break;
      }
      txs.add(tx);
      bytes += tx.size();
    }
    return new ProposalBody(txs, lastTimeMillis + 1);
  }

  @Override
  public boolean processProposal(Block block) {
    if (block.header().timeMillis() <= lastTimeMillis
        || block.transactions().size() > MAX_CHANGES_PER_BLOCK) {
      return false;
    }
    for (Bytes tx : block.transactions()) {
      if (decode(tx).isEmpty()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public FinalizeResult finalizeBlock(Block block) {
    long h = block.height();
    Bytes acc = Bytes.concatenate(appHash, Bytes.ofUnsignedLong(h));
    for (Bytes tx : block.transactions()) {
      Change c = decode(tx).orElseThrow();
      String refused = check(c);
      if (refused == null) {
        trusted = c.next();
        trustedFrom = c.header().height() + 1;
        applied++;
      } else {
        refusals.add(refused);
      }
      acc = Hashes.keccak256(Bytes.concatenate(acc, tx, Bytes.of(refused == null ? 1 : 0)));
    }
    List<ValidatorUpdate> updates = List.of();
    if (!trusted.equals(followed)) {
      updates = broken ? List.of() : diff(followed, trusted);
      followed = trusted;
      signFrom.put(h + 2, trustedFrom);
    }
    appHash = Hashes.keccak256(Bytes.concatenate(acc, trusted.hash()));
    lastTimeMillis = block.header().timeMillis();
    return new FinalizeResult(appHash, updates);
  }

  /** Why the light client refuses {@code c}, or null: the checks of Chain0LightClient, in order. */
  private String check(Change c) {
    BlockHeader h = c.header();
    if (!h.chainId().equals(chain0Id)) {
      return "set change is for chain '" + h.chainId() + "'";
    }
    if (h.height() < trustedFrom) {
      return "set change at chain-0 height " + h.height() + " is older than the trusted set";
    }
    if (!h.validatorsHash().equals(trusted.hash())) {
      return "chain-0 header " + h.height() + " is not signed by the trusted set";
    }
    if (h.nextValidatorsHash().equals(h.validatorsHash())) {
      return "chain-0 header " + h.height() + " names no new validator set";
    }
    if (!c.next().hash().equals(h.nextValidatorsHash())) {
      return "the new validator set does not hash to the header's";
    }
    Set<Integer> seen = new HashSet<>();
    long power = 0;
    int round = c.precommits().isEmpty() ? -1 : c.precommits().get(0).round();
    for (Vote v : c.precommits()) {
      if (v.type() != VoteType.PRECOMMIT
          || v.height() != h.height()
          || v.round() != round
          || !v.blockHash().equals(Optional.of(h.hash()))
          || !seen.add(v.validatorIndex())
          || !v.verify(chain0Id, trusted, SimKeys.VERIFIER)) {
        return "a precommit of chain-0 header " + h.height() + " does not verify";
      }
      power += trusted.power(v.validatorIndex());
    }
    if (!trusted.isQuorum(power)) {
      return "the precommits of chain-0 header " + h.height() + " are not a quorum";
    }
    return null;
  }

  /** New powers first, then 0 for the keys that left: what Chain0LightClientModule returns. */
  static List<ValidatorUpdate> diff(ValidatorSet from, ValidatorSet to) {
    List<ValidatorUpdate> out = new ArrayList<>();
    for (Validator v : to.validators()) {
      int i = from.indexOf(v.publicKey());
      if (i < 0 || from.power(i) != v.power()) {
        out.add(new ValidatorUpdate(v.publicKey(), v.power()));
      }
    }
    for (Validator v : from.validators()) {
      if (to.indexOf(v.publicKey()) < 0) {
        out.add(new ValidatorUpdate(v.publicKey(), 0));
      }
    }
    return out;
  }

  @Override
  public void commit() {
    // In memory: a restarted node replays its decided blocks.
  }
}
