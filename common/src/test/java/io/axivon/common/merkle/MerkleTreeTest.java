package io.axivon.common.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.common.codec.Rlp;
import io.axivon.common.crypto.Hashes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {
  private final MerkleHasher hasher = new MerkleHasher();

  private static Bytes32 h(String hex) {
    return Bytes32.fromHexString(hex);
  }

  @Test
  void zeroSubtreeRootsMatchZeroGravity() {
    assertThat(hasher.zeroSubtreeRoot(256, 0))
        .isEqualTo(h("0xd397b3b043d87fcd6fad1291ff0bfd16401c274896d8c63a923727f077b8e0b5"));
    assertThat(hasher.zeroSubtreeRoot(256, 1))
        .isEqualTo(h("0xf73e6947d7d1628b9976a6e40d7b278a8a16405e96324a68df45b12a51b7cfde"));
    assertThat(hasher.zeroSubtreeRoot(256, 4))
        .isEqualTo(h("0x09c7082879180d28c789c05fafe7030871c76cedbe82c948b165d6a1d66ac15b"));
    byte[] chunk = new byte[256];
    byte[] out = new byte[40];
    hasher.leaf(chunk, 0, chunk.length, out, 8);
    assertThat(Bytes.wrap(out, 8, 32)).isEqualTo(hasher.zeroSubtreeRoot(256, 0));
  }

  @Test
  void threeLeavesPromoteTheUnpairedOne() {
    // 0G worked example (c): level 1 is P(L0,L1) then L2 unchanged; root = P(P(L0,L1), L2).
    List<Bytes32> leaves =
        List.of(
            h("0x3e67b40d8cdf2e2f9b88de6263e56ceeb6a5a7b37e28b89bcd214ff6ab815594"),
            h("0x05e40ec22817bb5e443b1a2d37f384e2e93b01964c083392409df7ffcc62e7a1"),
            h("0x0f20b7021eaf693ad094c04c90e12c4ac1e5bbf7085b48817cda99b9ab6829d4"));
    MerkleTree tree = MerkleTree.ofLeafHashes(leaves);
    assertThat(tree.root())
        .isEqualTo(h("0xc53903add2edecfebe6ef31149ae1c2150505f2ce604b1f71d84667f2b9996bb"));
    assertThat(tree.height()).isEqualTo(2);
    assertThat(tree.inclusionProof(2).siblings())
        .containsExactly(h("0xdc531a031e6d50ae30efc7ee78056c9c49e1b121794a16e64e1de182e6a4abde"));
  }

  @Test
  void fiveLeavesFoldFromTheRight() {
    List<Bytes32> l = Reference.distinctLeaves(5, 5);
    Bytes32 ab = hasher.node(l.get(0), l.get(1));
    Bytes32 cd = hasher.node(l.get(2), l.get(3));
    Bytes32 expected = hasher.node(hasher.node(ab, cd), l.get(4));
    assertThat(MerkleTree.ofLeafHashes(l).root()).isEqualTo(expected);
    MerkleAccumulator acc = MerkleAccumulator.ofLeafHashes();
    l.forEach(acc::addLeafHash);
    assertThat(acc.root()).isEqualTo(expected);
    assertThat(acc.subtrees())
        .containsExactly(new Subtree(hasher.node(ab, cd), 2), new Subtree(l.get(4), 0));
  }

  @Test
  void specExample() {
    List<Bytes32> l = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      l.add(Hashes.keccak256(Bytes.of(i)));
    }
    MerkleTree tree = MerkleTree.ofLeafHashes(l);
    assertThat(tree.root())
        .isEqualTo(h("0xf4373a0c8ba18e0252bb42a7368238af84803172e38c6df2a9b7e431bc02a84b"));
    Bytes32 p01 = hasher.node(l.get(0), l.get(1));
    Bytes32 both = hasher.node(p01, hasher.node(l.get(2), l.get(3)));
    assertThat(tree.inclusionProof(2).siblings()).containsExactly(l.get(3), p01, l.get(4));
    assertThat(tree.inclusionProof(4).siblings()).containsExactly(both);
    assertThat(tree.rangeProof(1, 4).siblings()).containsExactly(l.get(0), l.get(4));
    assertThat(Rlp.encode(InclusionProof.CODEC, tree.inclusionProof(2)).slice(0, 6))
        .isEqualTo(Bytes.fromHexString("0xf8670205f863"));
  }

  @Test
  void singleLeafIsItsOwnRoot() {
    Bytes32 leaf = Reference.distinctLeaves(1, 1).getFirst();
    MerkleTree tree = MerkleTree.ofLeafHashes(List.of(leaf));
    assertThat(tree.root()).isEqualTo(leaf);
    InclusionProof proof = tree.inclusionProof(0);
    assertThat(proof.siblings()).isEmpty();
    assertThat(proof.verify(leaf, leaf)).isTrue();
  }

  @Test
  void emptyInputHasNoRoot() {
    assertThatThrownBy(() -> MerkleAccumulator.ofData(256).root())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no leaves");
    assertThatThrownBy(() -> MerkleTree.ofLeafHashes(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MerkleTree.ofData(new byte[0], 256))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void allInputFormsGiveOneRoot() throws IOException {
    byte[] data = new byte[100_000];
    new SplittableRandom(7).nextBytes(data);
    Bytes32 expected = Reference.root(Reference.leaves(data, 4096));
    assertThat(MerkleTree.ofData(data, 4096).root()).isEqualTo(expected);
    MerkleAccumulator fromStream = MerkleAccumulator.ofData(4096);
    assertThat(fromStream.update(new ByteArrayInputStream(data))).isEqualTo(data.length);
    assertThat(fromStream.root()).isEqualTo(expected);
    ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).flip();
    assertThat(MerkleAccumulator.ofData(4096).update(direct).root()).isEqualTo(expected);
    assertThat(direct.hasRemaining()).isFalse();
    ByteBuffer heapSlice =
        ByteBuffer.wrap(new byte[data.length + 10], 5, data.length).slice().put(data).flip();
    assertThat(MerkleAccumulator.ofData(4096).update(heapSlice).root()).isEqualTo(expected);
  }

  @Test
  void rootDoesNotDisturbTheStream() {
    byte[] data = new byte[1000];
    new SplittableRandom(3).nextBytes(data);
    MerkleAccumulator acc = MerkleAccumulator.ofData(64);
    acc.update(data, 0, 500);
    assertThat(acc.root())
        .isEqualTo(Reference.root(Reference.leaves(java.util.Arrays.copyOf(data, 500), 64)));
    acc.update(data, 500, 500);
    assertThat(acc.root()).isEqualTo(Reference.root(Reference.leaves(data, 64)));
    assertThatThrownBy(acc::subtrees).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> acc.addLeafHash(Bytes32.ZERO))
        .isInstanceOf(IllegalStateException.class);
    acc.completeLeaf();
    assertThat(acc.leafCount()).isEqualTo(16);
    assertThat(acc.root()).isEqualTo(Reference.root(Reference.leaves(data, 64)));
  }

  @Test
  void proofsRoundTripThroughRlp() {
    MerkleTree tree = MerkleTree.ofLeafHashes(Reference.distinctLeaves(9, 13));
    InclusionProof inclusion = tree.inclusionProof(6);
    Bytes enc = Rlp.encode(InclusionProof.CODEC, inclusion);
    assertThat(Rlp.decode(InclusionProof.CODEC, enc)).isEqualTo(inclusion);
    RangeProof range = tree.rangeProof(3, 11);
    assertThat(Rlp.decode(RangeProof.CODEC, Rlp.encode(RangeProof.CODEC, range))).isEqualTo(range);
    // [index 13, count 13, []]: the record refuses it, decoding reports where
    assertThatThrownBy(() -> Rlp.decode(InclusionProof.CODEC, Bytes.fromHexString("0xc30d0dc0")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("invalid RLP at byte 0")
        .hasMessageContaining("leafIndex 13 outside [0, 13)");
  }

  @Test
  void rangeProofIsCompact() {
    MerkleTree tree = MerkleTree.ofLeafHashes(Reference.distinctLeaves(1, 1024));
    // a range aligned to a 256-leaf subtree needs only the siblings above it
    assertThat(tree.rangeProof(256, 512).siblings()).hasSize(2);
    // an unaligned range needs at most two siblings per level
    assertThat(tree.rangeProof(3, 1000).siblings().size()).isLessThanOrEqualTo(2 * tree.height());
    assertThat(tree.rangeProof(0, 1024).siblings()).isEmpty();
  }

  @Test
  void wrongShapesFailVerification() {
    List<Bytes32> leaves = Reference.distinctLeaves(2, 6);
    MerkleTree tree = MerkleTree.ofLeafHashes(leaves);
    RangeProof p = tree.rangeProof(1, 4);
    assertThat(p.verify(tree.root(), leaves.subList(1, 4))).isTrue();
    assertThat(p.verify(tree.root(), leaves.subList(1, 3))).isFalse();
    assertThat(p.verify(tree.root(), leaves.subList(1, 5))).isFalse();
    assertThat(p.verify(tree.root(), List.of())).isFalse();
    // a leaf count that changes the shape along the path fails...
    assertThat(new RangeProof(1, 4, p.siblings()).verify(tree.root(), leaves.subList(1, 4)))
        .isFalse();
    // ...but one that does not (7 pairs leaf 6 off the path) cannot be told apart: the root does
    // not commit to the count, so verifiers must know it (specs/merkle.md)
    assertThat(new RangeProof(1, 7, p.siblings()).verify(tree.root(), leaves.subList(1, 4)))
        .isTrue();
    InclusionProof q = tree.inclusionProof(4);
    List<Bytes32> more = new java.util.ArrayList<>(q.siblings());
    more.add(Bytes32.ZERO);
    assertThat(new InclusionProof(4, 6, more).verify(tree.root(), leaves.get(4))).isFalse();
    assertThat(
            new InclusionProof(4, 6, q.siblings().subList(1, q.siblings().size()))
                .verify(tree.root(), leaves.get(4)))
        .isFalse();
  }
}
