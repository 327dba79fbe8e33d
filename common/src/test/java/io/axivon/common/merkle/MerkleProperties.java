package io.axivon.common.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.tuweni.bytes.Bytes32;
import org.apache.tuweni.bytes.MutableBytes32;

class MerkleProperties {
  private static Bytes32 flip(Bytes32 h, int bit) {
    MutableBytes32 m = h.mutableCopy();
    m.set(bit / 8, (byte) (m.get(bit / 8) ^ (1 << (bit % 8))));
    return m.copy();
  }

  @Property(tries = 200)
  void streamingRootEqualsTreeRoot(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 2000) int count) {
    List<Bytes32> leaves = Reference.distinctLeaves(seed, count);
    MerkleAccumulator acc = MerkleAccumulator.ofLeafHashes(true);
    leaves.forEach(acc::addLeafHash);
    Bytes32 expected = Reference.root(leaves);
    assertThat(acc.root()).isEqualTo(expected);
    assertThat(MerkleTree.ofLeafHashes(leaves).root()).isEqualTo(expected);
    assertThat(acc.toTree().root()).isEqualTo(expected);
    // the subtrees are the 1-bits of the count, and fold from the right to the root
    List<Subtree> subtrees = acc.subtrees();
    assertThat(subtrees.stream().mapToLong(Subtree::leafCount).sum()).isEqualTo(count);
    MerkleHasher hasher = new MerkleHasher();
    Bytes32 folded = subtrees.getLast().root();
    for (int i = subtrees.size() - 2; i >= 0; i--) {
      folded = hasher.node(subtrees.get(i).root(), folded);
    }
    assertThat(folded).isEqualTo(expected);
  }

  @Property(tries = 150)
  void chunkingDoesNotChangeTheRoot(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 2000) int leafCount,
      @ForAll("leafSizes") int leafSize,
      @ForAll @IntRange(min = 1, max = 256) int tail,
      @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 5000) Integer> chunks) {
    int length = (leafCount - 1) * leafSize + Math.min(tail, leafSize);
    byte[] data = new byte[length];
    new SplittableRandom(seed).nextBytes(data);
    MerkleAccumulator acc = MerkleAccumulator.ofData(leafSize);
    for (int off = 0, c = 0; off < length; c++) {
      int n = Math.min(chunks.get(c % chunks.size()), length - off);
      acc.update(data, off, n);
      off += n;
    }
    Bytes32 expected = Reference.root(Reference.leaves(data, leafSize));
    assertThat(acc.root()).isEqualTo(expected);
    assertThat(MerkleTree.ofData(data, leafSize).root()).isEqualTo(expected);
    assertThat(acc.completeLeaf().leafCount()).isEqualTo(leafCount);
  }

  /**
   * Large updates take the batched path (64 aligned whole leaves hashed as one subtree); feeding
   * the same bytes one leaf at a time never does. Roots, subtrees and counts must agree.
   */
  @Property(tries = 80)
  void batchedSubtreesMatchLeafByLeaf(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 700) int leafCount,
      @ForAll("leafSizes") int leafSize,
      @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 1, max = 200_000) Integer> chunks) {
    byte[] data = new byte[leafCount * leafSize];
    new SplittableRandom(seed).nextBytes(data);
    MerkleAccumulator batched = MerkleAccumulator.ofData(leafSize);
    for (int off = 0, c = 0; off < data.length; c++) {
      int n = Math.min(chunks.get(c % chunks.size()), data.length - off);
      batched.update(data, off, n);
      off += n;
    }
    MerkleAccumulator single = MerkleAccumulator.ofData(leafSize);
    for (int off = 0; off < data.length; off += leafSize) {
      single.update(data, off, leafSize);
    }
    assertThat(batched.leafCount()).isEqualTo(leafCount);
    assertThat(batched.root()).isEqualTo(single.root());
    assertThat(batched.subtrees()).isEqualTo(single.subtrees());
    assertThat(batched.root()).isEqualTo(Reference.root(Reference.leaves(data, leafSize)));
  }

  /** Around Keccak's 136-byte block and the protocol's leaf sizes. */
  @Provide
  Arbitrary<Integer> leafSizes() {
    return Arbitraries.of(1, 7, 32, 64, 135, 136, 137, 256);
  }

  @Property(tries = 60)
  void everyInclusionProofVerifies(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 2000) int count) {
    List<Bytes32> leaves = Reference.distinctLeaves(seed, count);
    MerkleTree tree = MerkleTree.ofLeafHashes(leaves);
    Bytes32 root = tree.root();
    for (int i = 0; i < count; i++) {
      InclusionProof proof = tree.inclusionProof(i);
      assertThat(proof.verify(root, leaves.get(i))).as("leaf %d of %d", i, count).isTrue();
      assertThat(proof.siblings().size()).isLessThanOrEqualTo(tree.height());
    }
  }

  @Property(tries = 300)
  void everyRangeProofVerifies(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 2000) int count,
      @ForAll @IntRange(min = 0, max = 1999) int a,
      @ForAll @IntRange(min = 0, max = 1999) int b) {
    List<Bytes32> leaves = Reference.distinctLeaves(seed, count);
    MerkleTree tree = MerkleTree.ofLeafHashes(leaves);
    int from = Math.min(a, b) % count;
    int to = from + 1 + Math.abs(a - b) % (count - from);
    RangeProof proof = tree.rangeProof(from, to);
    assertThat(proof.verify(tree.root(), leaves.subList(from, to))).isTrue();
    assertThat(proof.siblings().size()).isLessThanOrEqualTo(2 * tree.height());
  }

  @Property(tries = 300)
  void flippingAnyBitFailsAnInclusionProof(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 2000) int count,
      @ForAll @IntRange(min = 0, max = 1999) int index,
      @ForAll @IntRange(min = 0, max = 255) int bit,
      @ForAll @IntRange(min = 0, max = 63) int indexBit) {
    List<Bytes32> leaves = Reference.distinctLeaves(seed, count);
    MerkleTree tree = MerkleTree.ofLeafHashes(leaves);
    Bytes32 root = tree.root();
    int i = index % count;
    InclusionProof proof = tree.inclusionProof(i);
    Bytes32 leaf = leaves.get(i);

    assertThat(proof.verify(root, flip(leaf, bit))).isFalse();
    assertThat(proof.verify(flip(root, bit), leaf)).isFalse();
    for (int s = 0; s < proof.siblings().size(); s++) {
      List<Bytes32> siblings = new ArrayList<>(proof.siblings());
      siblings.set(s, flip(siblings.get(s), bit));
      assertThat(new InclusionProof(i, count, siblings).verify(root, leaf)).isFalse();
    }
    long otherIndex = i ^ (1L << indexBit);
    assertThat(
            otherIndex >= 0
                && otherIndex < count
                && new InclusionProof(otherIndex, count, proof.siblings()).verify(root, leaf))
        .as("index %d flipped to %d", i, otherIndex)
        .isFalse();
  }

  @Property(tries = 300)
  void flippingAnyBitFailsARangeProof(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 2000) int count,
      @ForAll @IntRange(min = 0, max = 1999) int a,
      @ForAll @IntRange(min = 1, max = 64) int width,
      @ForAll @IntRange(min = 0, max = 255) int bit,
      @ForAll @IntRange(min = 0, max = 63) int indexBit,
      @ForAll @IntRange(min = 0, max = 63) int which) {
    List<Bytes32> leaves = Reference.distinctLeaves(seed, count);
    MerkleTree tree = MerkleTree.ofLeafHashes(leaves);
    Bytes32 root = tree.root();
    int from = a % count;
    int to = Math.min(count, from + width);
    RangeProof proof = tree.rangeProof(from, to);
    List<Bytes32> range = leaves.subList(from, to);

    List<Bytes32> badLeaves = new ArrayList<>(range);
    int k = which % range.size();
    badLeaves.set(k, flip(badLeaves.get(k), bit));
    assertThat(proof.verify(root, badLeaves)).isFalse();
    if (!proof.siblings().isEmpty()) {
      List<Bytes32> siblings = new ArrayList<>(proof.siblings());
      int s = which % siblings.size();
      siblings.set(s, flip(siblings.get(s), bit));
      assertThat(new RangeProof(from, count, siblings).verify(root, range)).isFalse();
    }
    long otherFrom = from ^ (1L << indexBit);
    assertThat(
            otherFrom >= 0
                && otherFrom < count
                && new RangeProof(otherFrom, count, proof.siblings()).verify(root, range))
        .as("first index %d flipped to %d", from, otherFrom)
        .isFalse();
  }
}
