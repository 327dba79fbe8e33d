package io.axivon.consensus.node;

import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import io.axivon.common.crypto.Hashes;
import io.axivon.consensus.types.BlockHeader;
import io.axivon.consensus.types.ValidatorSet;
import java.nio.charset.StandardCharsets;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * What every node of one chain starts from: the chain id, the genesis time, the first validator set
 * and the application hash before block 1. Its hash names the chain in each node's block store, so
 * a node never mixes up two chains that share an id.
 */
public record ConsensusGenesis(
    String chainId, long genesisTimeMillis, ValidatorSet validators, Bytes32 appHash) {
  public static final RlpCodec<ConsensusGenesis> CODEC =
      RlpCodec.struct(
          (w, g) ->
              w.writeBytes(Bytes.wrap(g.chainId.getBytes(StandardCharsets.UTF_8)))
                  .writeUInt64(g.genesisTimeMillis)
                  .write(ValidatorSet.CODEC, g.validators)
                  .writeBytes(g.appHash),
          r ->
              new ConsensusGenesis(
                  new String(
                      r.readBytes(BlockHeader.MAX_CHAIN_ID_BYTES).toArrayUnsafe(),
                      StandardCharsets.UTF_8),
                  r.readUInt64(),
                  r.read(ValidatorSet.CODEC),
                  r.readBytes32()));

  public ConsensusGenesis {
    if (chainId == null || chainId.isEmpty() || validators == null || appHash == null) {
      throw new IllegalArgumentException("genesis needs a chain id, validators and an app hash");
    }
    if (!chainId.matches("[A-Za-z0-9._-]{1,40}")) {
      throw new IllegalArgumentException(
          "chain id must be 1-40 characters of [A-Za-z0-9._-], got '" + chainId + "'");
    }
    if (genesisTimeMillis < 0) {
      throw new IllegalArgumentException("genesis time must be >= 0");
    }
  }

  public Bytes32 hash() {
    return Hashes.keccak256(Rlp.encode(CODEC, this));
  }
}
