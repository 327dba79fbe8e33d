package io.axivon.storage.mining;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.merkle.MerkleAccumulator;
import io.axivon.common.merkle.MerkleTree;
import io.axivon.sdk.mining.Pora;
import io.axivon.sdk.mining.UnitTree;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.tuweni.bytes.Bytes32;

/** Against a naive tree over every sector of a random flow (nodes appended as the flow does). */
class FlowProofsProperties {
  @Property(tries = 40)
  void proofsAndRootMatchTheNaiveTree(@ForAll long seed) {
    Random r = new Random(seed);
    List<FlowProofs.Node> nodes = new ArrayList<>();
    byte[] flat = new byte[1 << 20]; // room for 4096 sectors
    long length = 0;
    int files = 1 + r.nextInt(6);
    for (int f = 0; f < files; f++) {
      int top = r.nextInt(8);
      for (int h = top; h >= 0; h--) { // strictly decreasing heights, like a submission
        if (h != top && r.nextBoolean()) {
          continue;
        }
        long size = 1L << h;
        long start = (length + size - 1) & -size;
        if (start + size > 4096) {
          break;
        }
        byte[] data = new byte[(int) size * Pora.SECTOR];
        r.nextBytes(data);
        System.arraycopy(data, 0, flat, (int) start * Pora.SECTOR, data.length);
        Bytes32 root = MerkleAccumulator.ofData(Pora.SECTOR).update(data).root();
        nodes.add(new FlowProofs.Node(start, h, root));
        length = start + size;
      }
    }
    if (length < 16) {
      return;
    }
    long flowLength = length;
    FlowProofs.Inner inner =
        (node, start, height) ->
            MerkleAccumulator.ofData(Pora.SECTOR)
                .update(flat, (int) start * Pora.SECTOR, (int) (Pora.SECTOR << height))
                .root();
    FlowProofs proofs = new FlowProofs(nodes, flowLength, inner);
    int k = UnitTree.height(flowLength);
    byte[] tree = Arrays.copyOf(flat, (int) ((1L << k) * Pora.SECTOR));
    List<Bytes32> unitRoots = new ArrayList<>();
    for (int u = 0; u < tree.length / Pora.UNIT_BYTES; u++) {
      unitRoots.add(UnitTree.unitRoot(tree, u * Pora.UNIT_BYTES));
    }
    MerkleTree naive = MerkleTree.ofLeafHashes(unitRoots);
    assertThat(proofs.root()).isEqualTo(naive.root());
    for (int u = 0; u < unitRoots.size(); u++) {
      assertThat(proofs.unitProof(u)).isEqualTo(naive.inclusionProof(u).siblings());
      assertThat(
              UnitTree.verify(naive.root(), flowLength, u, unitRoots.get(u), proofs.unitProof(u)))
          .isTrue();
    }
  }
}
