package io.axivon.sdk.mining;

import io.axivon.common.merkle.MerkleTree;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A flow of random sectors in memory with its root, one miner's sealed copy, and an answer found by
 * searching: deterministic for a seed.
 */
final class FlowFixture {
  final long flowLength;
  final byte[] data; // 2^k sectors, zero past flowLength
  final MerkleTree unitTree;
  final MiningContext ctx;
  final Bytes32 digest;
  final Bytes32 minerId;
  final Bytes32 sealContext;
  final byte[] sealed;

  FlowFixture(long seed, long flowLength) {
    Random r = new Random(seed);
    this.flowLength = flowLength;
    int k = UnitTree.height(flowLength);
    data = new byte[(int) ((1L << k) * Pora.SECTOR)];
    byte[] used = new byte[(int) (flowLength * Pora.SECTOR)];
    r.nextBytes(used);
    System.arraycopy(used, 0, data, 0, used.length);
    List<Bytes32> roots = new ArrayList<>();
    for (int u = 0; u < data.length / Pora.UNIT_BYTES; u++) {
      roots.add(UnitTree.unitRoot(data, u * Pora.UNIT_BYTES));
    }
    unitTree = MerkleTree.ofLeafHashes(roots);
    ctx = new MiningContext(3, 60, unitTree.root(), flowLength, Bytes32.random(r));
    digest = ctx.digest();
    minerId = Bytes32.random(r);
    sealContext = Bytes32.random(r);
    sealed = data.clone();
    Seal s = new Seal();
    for (int u = 0; u < sealed.length / Pora.UNIT_BYTES; u++) {
      s.seal(minerId.toArrayUnsafe(), sealContext.toArrayUnsafe(), u, sealed, u * Pora.UNIT_BYTES);
    }
  }

  AnswerVerifier.Ledger ledger() {
    return ledger(Set.of(minerId), Set.of());
  }

  AnswerVerifier.Ledger ledger(Set<Bytes32> miners, Set<Bytes32> rewardedMiners) {
    Map<Bytes32, Long> seals = Map.of(sealContext, flowLength);
    return new AnswerVerifier.Ledger() {
      @Override
      public boolean registered(Bytes32 id) {
        return miners.contains(id);
      }

      @Override
      public boolean rewarded(Bytes32 contextDigest, Bytes32 id) {
        return rewardedMiners.contains(id);
      }

      @Override
      public OptionalLong sealContextLength(Bytes32 d) {
        Long v = seals.get(d);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
      }
    };
  }

  long maxRange() {
    return Pora.maxRange(flowLength);
  }

  /** Searches from nonce 0 over the whole range for the first hit and builds its answer. */
  Answer answer(BigInteger target) {
    return answer(target, 0, maxRange());
  }

  Answer answer(BigInteger target, long start, long length) {
    return answer(target, start, length, 0, 1);
  }

  /** The first hit of a miner that holds only shard {@code shardId} of {@code numShard}. */
  Answer answer(BigInteger target, long start, long length, long shardId, long numShard) {
    PoraSearch search =
        new PoraSearch(minerId, digest, flowLength, start, length, shardId, numShard, target);
    PoraSearch.Hit hit =
        search
            .search(
                Bytes32.ZERO,
                0,
                1 << 24,
                (u, out) -> {
                  if (!Pora.inShard(u * Pora.UNIT_SECTORS, shardId, numShard)) {
                    throw new AssertionError(
                        "the search asked for unit " + u + " of another shard");
                  }
                  System.arraycopy(sealed, (int) u * Pora.UNIT_BYTES, out, 0, Pora.UNIT_BYTES);
                  return true;
                })
            .orElseThrow();
    int unit = (int) (hit.recallPosition() / Pora.UNIT_SECTORS);
    return new Answer(
        digest,
        minerId,
        hit.nonce(),
        start,
        length,
        shardId,
        numShard,
        hit.recallPosition(),
        sealContext,
        unitTree.leafHash(unit),
        Bytes.wrap(sealed, unit * Pora.UNIT_BYTES, Pora.UNIT_BYTES).copy(),
        unitTree.inclusionProof(unit).siblings());
  }

  static BigInteger oneIn(long n) {
    return BigInteger.ONE.shiftLeft(256).divide(BigInteger.valueOf(n));
  }
}
