package io.axivon.storage.node;

/**
 * Which part of the log a node keeps, as in 0G: global segment g belongs to the node when {@code g
 * mod numShard = shardId}. {@code numShard} is a power of two (the 0G SDK rejects anything else).
 */
public record ShardConfig(int shardId, int numShard) {
  /** The whole log. */
  public static final ShardConfig ALL = new ShardConfig(0, 1);

  public ShardConfig {
    if (numShard <= 0 || Integer.bitCount(numShard) != 1) {
      throw new IllegalArgumentException(
          "numShard must be a power of two greater than 0, got " + numShard);
    }
    if (shardId < 0 || shardId >= numShard) {
      throw new IllegalArgumentException(
          "shardId must be in [0, " + numShard + "), got " + shardId);
    }
  }

  /** Whether global segment {@code g} belongs to this shard. */
  public boolean holds(long g) {
    return Math.floorMod(g, numShard) == shardId;
  }

  /** How many of the segments with global numbers {@code [from, from + count)} this shard holds. */
  public long count(long from, long count) {
    // segments g ≡ shardId (mod n) in [from, from + count)
    long first = from + Math.floorMod(shardId - from, (long) numShard);
    long end = from + count;
    return first >= end ? 0 : (end - 1 - first) / numShard + 1;
  }
}
