package io.axivon.consensus.sim;

import io.axivon.consensus.engine.Event;
import io.axivon.consensus.types.Block;
import io.axivon.consensus.types.BlockHeader;
import io.axivon.consensus.types.ConsensusMessage;
import io.axivon.consensus.types.Proposal;
import io.axivon.consensus.types.Signer;
import io.axivon.consensus.types.Vote;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/** What the simulators' byzantine validators send: the forged twin of an honest message. */
final class ByzantineTwin {
  private ByzantineTwin() {}

  /**
   * What a byzantine validator of {@code kind} sends to half the network instead of {@code m} on
   * chain {@code chainId}, signed with its own key, or null when it sends {@code m} as is.
   */
  static ConsensusMessage forge(
      Byzantine kind, Signer signer, String chainId, SplittableRandom random, ConsensusMessage m) {
    switch (kind) {
      case DOUBLE_VOTER -> {
        if (m instanceof Vote v) {
          Optional<Bytes32> other = v.isNil() ? Optional.of(randomHash(random)) : Optional.empty();
          return Vote.sign(
              chainId, signer, v.type(), v.height(), v.round(), other, v.validatorIndex());
        }
        return null;
      }
      case EQUIVOCATING_PROPOSER, INVALID_PROPOSER -> {
        if (m instanceof Proposal p) {
          // A block with one more transaction, which the application refuses when invalid.
          String tx =
              kind == Byzantine.INVALID_PROPOSER
                  ? "no-equals-sign"
                  : "byz=" + Long.toHexString(random.nextLong());
          List<Bytes> txs = new ArrayList<>(p.block().transactions());
          txs.add(Bytes.wrap(tx.getBytes(StandardCharsets.UTF_8)));
          BlockHeader h = p.block().header();
          Block b =
              new Block(
                  new BlockHeader(
                      h.chainId(),
                      h.height(),
                      h.timeMillis(),
                      h.parentHash(),
                      Block.txRoot(txs),
                      h.appHash(),
                      h.validatorsHash(),
                      h.nextValidatorsHash(),
                      h.proposerIndex()),
                  txs);
          return Proposal.sign(chainId, signer, p.round(), -1, b, p.proposerIndex());
        }
        return null;
      }
      default -> {
        return null;
      }
    }
  }

  /** The engine event that delivers {@code m}. */
  static Event received(ConsensusMessage m) {
    return switch (m) {
      case Proposal p -> new Event.ProposalReceived(p);
      case Vote v -> new Event.VoteReceived(v);
    };
  }

  private static Bytes32 randomHash(SplittableRandom random) {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return Bytes32.wrap(b);
  }
}
