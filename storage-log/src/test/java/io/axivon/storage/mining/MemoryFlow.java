package io.axivon.storage.mining;

import io.axivon.common.merkle.MerkleTree;
import io.axivon.sdk.mining.MiningContext;
import io.axivon.sdk.mining.Pora;
import io.axivon.sdk.mining.UnitTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.LongPredicate;
import org.apache.tuweni.bytes.Bytes32;

/** A flow of random sectors in memory, of which the node holds the units {@code held} accepts. */
final class MemoryFlow implements FlowUnits {
  final byte[] data;
  final MerkleTree tree;
  final MiningContext ctx;
  volatile LongPredicate held = u -> true;

  MemoryFlow(long seed, long flowLength) {
    Random r = new Random(seed);
    int k = UnitTree.height(flowLength);
    data = new byte[(int) ((1L << k) * Pora.SECTOR)];
    byte[] used = new byte[(int) (flowLength * Pora.SECTOR)];
    r.nextBytes(used);
    System.arraycopy(used, 0, data, 0, used.length);
    List<Bytes32> roots = new ArrayList<>();
    for (int u = 0; u < data.length / Pora.UNIT_BYTES; u++) {
      roots.add(UnitTree.unitRoot(data, u * Pora.UNIT_BYTES));
    }
    tree = MerkleTree.ofLeafHashes(roots);
    ctx = new MiningContext(5, 100, tree.root(), flowLength, Bytes32.random(r));
  }

  @Override
  public boolean read(long unit, byte[] out) {
    if (!held.test(unit) || unit >= data.length / Pora.UNIT_BYTES) {
      return false;
    }
    System.arraycopy(data, (int) unit * Pora.UNIT_BYTES, out, 0, Pora.UNIT_BYTES);
    return true;
  }

  @Override
  public Optional<UnitProof> proof(long unit, MiningContext c) {
    if (!held.test(unit)) {
      return Optional.empty();
    }
    return Optional.of(
        new UnitProof(tree.leafHash((int) unit), tree.inclusionProof((int) unit).siblings()));
  }
}
