package io.axivon.consensus.types;

import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import io.axivon.common.crypto.Hashes;
import java.nio.charset.StandardCharsets;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A block header. {@code appHash} is the application state after the parent block (the result of
 * finalizing it), as in CometBFT; {@code timeMillis} is the proposer's Unix time in milliseconds.
 * {@code validatorsHash} is the hash of the set that signs this block, {@code nextValidatorsHash}
 * that of the set that signs the next one: validator changes produced by block h apply from h + 2,
 * so the header of h + 1, still certified by the old set, commits to the new one, which is what
 * lets a light client follow set changes from certified headers alone. Encoding: {@code [chainId,
 * height, timeMillis, parentHash, txRoot, appHash, validatorsHash, nextValidatorsHash,
 * proposerIndex]}; the block hash is Keccak-256 of that encoding.
 */
public record BlockHeader(
    String chainId,
    long height,
    long timeMillis,
    Bytes32 parentHash,
    Bytes32 txRoot,
    Bytes32 appHash,
    Bytes32 validatorsHash,
    Bytes32 nextValidatorsHash,
    int proposerIndex) {
  public static final int MAX_CHAIN_ID_BYTES = 64;

  public static final RlpCodec<BlockHeader> CODEC =
      RlpCodec.struct(
          (w, h) ->
              w.writeBytes(Bytes.wrap(h.chainId.getBytes(StandardCharsets.UTF_8)))
                  .writeUInt64(h.height)
                  .writeUInt64(h.timeMillis)
                  .writeBytes(h.parentHash)
                  .writeBytes(h.txRoot)
                  .writeBytes(h.appHash)
                  .writeBytes(h.validatorsHash)
                  .writeBytes(h.nextValidatorsHash)
                  .writeUInt64(h.proposerIndex),
          r ->
              new BlockHeader(
                  utf8(r.readBytes(MAX_CHAIN_ID_BYTES)),
                  r.readUInt64(),
                  r.readUInt64(),
                  r.readBytes32(),
                  r.readBytes32(),
                  r.readBytes32(),
                  r.readBytes32(),
                  r.readBytes32(),
                  r.readInt()));

  public BlockHeader {
    if (chainId == null || parentHash == null || txRoot == null || appHash == null) {
      throw new IllegalArgumentException("block header fields must not be null");
    }
    if (validatorsHash == null || nextValidatorsHash == null) {
      throw new IllegalArgumentException(
          "block header validatorsHash or nextValidatorsHash is null");
    }
    if (chainId.getBytes(StandardCharsets.UTF_8).length > MAX_CHAIN_ID_BYTES) {
      throw new IllegalArgumentException("chain id longer than " + MAX_CHAIN_ID_BYTES + " bytes");
    }
    if (height < 1 || timeMillis < 0 || proposerIndex < 0) {
      throw new IllegalArgumentException(
          "block height must be >= 1, time and proposer index >= 0, got "
              + height
              + ", "
              + timeMillis
              + ", "
              + proposerIndex);
    }
  }

  /** Strict UTF-8 (what re-encodes to the same bytes), for chain ids read off the wire. */
  static String utf8(Bytes b) {
    String s = new String(b.toArrayUnsafe(), StandardCharsets.UTF_8);
    if (!Bytes.wrap(s.getBytes(StandardCharsets.UTF_8)).equals(b)) {
      throw new IllegalArgumentException("chain id is not valid UTF-8");
    }
    return s;
  }

  public Bytes32 hash() {
    return Hashes.keccak256(Rlp.encode(CODEC, this));
  }
}
