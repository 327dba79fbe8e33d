package io.axivon.consensus.node;

import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import io.axivon.common.codec.RlpLimits;
import io.axivon.consensus.types.Block;
import io.axivon.consensus.types.CommitCertificate;
import io.axivon.consensus.types.ConsensusMessage;
import io.axivon.consensus.types.Proposal;
import io.axivon.consensus.types.Vote;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;

/**
 * What validators of one chain send each other over P2P besides the engine's own types: the names
 * of the topics and request protocols, and the payload codecs (all strict RLP, see
 * specs/consensus.md, "Validator network").
 */
final class Wire {
  private Wire() {}

  /** The gossip topics and request protocols of one chain. */
  record Names(
      String consensus,
      String transactions,
      String evidence,
      String status,
      String blocks,
      String roundState) {
    static Names of(String chainId) {
      String p = "chain/" + chainId + "/";
      return new Names(
          p + "consensus",
          p + "txs",
          p + "evidence",
          p + "status",
          p + "blocks",
          p + "round-state");
    }
  }

  /** A proposal or a vote: {@code [0, proposal]} or {@code [1, vote]}. */
  static final RlpCodec<ConsensusMessage> MESSAGE =
      RlpCodec.struct(
          (w, m) -> {
            switch (m) {
              case Proposal p -> w.writeUInt64(0).write(Proposal.CODEC, p);
              case Vote v -> w.writeUInt64(1).write(Vote.CODEC, v);
            }
          },
          r -> {
            long tag = r.readUInt64();
            if (tag == 0) {
              return r.read(Proposal.CODEC);
            }
            if (tag == 1) {
              return r.read(Vote.CODEC);
            }
            throw new IllegalArgumentException("unknown consensus message tag " + tag);
          });

  static final RlpCodec<List<Bytes>> TX_BATCH = Rlp.listOf(Rlp.OWN_BYTES); // held in mempools

  /** Status answer: {@code [height of the last stored block]}. */
  static final RlpCodec<Long> STATUS = Rlp.UINT64;

  /** Block request: {@code [first height, count]}. */
  record BlockRequest(long from, int count) {
    static final RlpCodec<BlockRequest> CODEC =
        RlpCodec.struct(
            (w, q) -> w.writeUInt64(q.from).writeUInt64(q.count),
            r -> new BlockRequest(r.readUInt64(), r.readInt()));

    BlockRequest {
      if (from < 1 || count < 1) {
        throw new IllegalArgumentException("block request needs from >= 1 and count >= 1");
      }
    }
  }

  /** One synced height: the block and its commit certificate. */
  record CertifiedBlock(Block block, CommitCertificate commit) {
    static final RlpCodec<CertifiedBlock> CODEC =
        RlpCodec.struct(
            (w, c) -> w.write(Block.CODEC, c.block).write(CommitCertificate.CODEC, c.commit),
            r -> new CertifiedBlock(r.read(Block.CODEC), r.read(CommitCertificate.CODEC)));
  }

  static final RlpCodec<List<CertifiedBlock>> BLOCKS = Rlp.listOf(CertifiedBlock.CODEC);

  /** Round-state request {@code [height]}; the answer is every message the peer holds for it. */
  static final RlpCodec<Long> ROUND_STATE_REQUEST = Rlp.UINT64;

  static final RlpCodec<List<ConsensusMessage>> MESSAGES = Rlp.listOf(MESSAGE);

  /** Limits for anything a peer sends: one block of {@code maxBytes} and change. */
  static RlpLimits limits(long maxPayloadBytes) {
    return new RlpLimits((int) Math.min(RlpLimits.DEFAULT.maxLength(), maxPayloadBytes), 32);
  }
}
