package io.axivon.storage.sync;

import io.axivon.common.InvalidInputException;
import io.axivon.p2p.NodeId;
import io.axivon.storage.node.ShardConfig;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Gossip on {@value #TOPIC}: {@code holder} holds its shard of submission {@code txSeq} (root
 * {@code root}) completely. Gossip is relayed and not signed, so the holder is a hint of whom to
 * ask first, never trusted: what it sends is verified like anyone's.
 */
public record FinalizedAnnouncement(NodeId holder, long txSeq, Bytes32 root, ShardConfig shard) {
  public static final String TOPIC = "/axivon/storage/finalized/1";

  /** holder · tx seq · root · shard id · shard count. */
  public static final int SIZE = 32 + 8 + 32 + 4 + 4;

  public FinalizedAnnouncement {
    Objects.requireNonNull(holder, "holder");
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(shard, "shard");
    if (txSeq < 0) {
      throw new InvalidInputException("tx seq must not be negative, got " + txSeq);
    }
  }

  public Bytes encode() {
    return Bytes.wrap(
        ByteBuffer.allocate(SIZE)
            .put(holder.bytes().toArrayUnsafe())
            .putLong(txSeq)
            .put(root.toArrayUnsafe())
            .putInt(shard.shardId())
            .putInt(shard.numShard())
            .array());
  }

  public static FinalizedAnnouncement decode(Bytes bytes) {
    if (bytes.size() != SIZE) {
      throw new InvalidInputException(
          "a finalized-file announcement is " + SIZE + " bytes, got " + bytes.size());
    }
    ByteBuffer b = ByteBuffer.wrap(bytes.toArrayUnsafe());
    byte[] holder = new byte[32];
    b.get(holder);
    long txSeq = b.getLong();
    byte[] root = new byte[32];
    b.get(root);
    int shardId = b.getInt();
    int numShard = b.getInt();
    ShardConfig shard;
    try {
      shard = new ShardConfig(shardId, numShard);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("announced shard: " + e.getMessage());
    }
    return new FinalizedAnnouncement(NodeId.wrap(holder), txSeq, Bytes32.wrap(root), shard);
  }

  /** Whether a holder of {@code shard} has some segment a node of {@code ours} keeps. */
  public static boolean overlaps(ShardConfig shard, ShardConfig ours) {
    int n = Math.min(shard.numShard(), ours.numShard()); // both powers of two: the gcd
    return Math.floorMod(shard.shardId(), n) == Math.floorMod(ours.shardId(), n);
  }
}
