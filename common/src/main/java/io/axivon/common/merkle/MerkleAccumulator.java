package io.axivon.common.merkle;

import io.axivon.common.crypto.Keccak256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Computes a Merkle root while the input streams past, keeping O(log n) state: one pending
 * perfect-subtree root per 1-bit of the leaf count (at most 64 hashes).
 *
 * <p>Leaves come either as 32-byte hashes ({@link #addLeafHash}) or as data cut into leaves of
 * {@code leafSize} bytes ({@link #update}); a last partial leaf is zero-filled to {@code leafSize}
 * before hashing. The tree rule is {@link MerkleTree}'s (an unpaired last node moves up unchanged),
 * so for every input the root equals {@code MerkleTree}'s.
 *
 * <p>Hashing is allocation-free per leaf and per node. Not thread-safe.
 */
public final class MerkleAccumulator {
  private static final int H = MerkleHasher.HASH_SIZE;

  /** Leaves hashed together as one perfect subtree when whole ones arrive aligned (2^6). */
  private static final int CHUNK_HEIGHT = 6;

  private static final int CHUNK = 1 << CHUNK_HEIGHT;

  /**
   * Subtrees grow up to 2^10 leaves (a whole 0G segment of sectors) where the input and the
   * alignment allow: the levels narrower than a vector's lanes and the merges of the subtrees are
   * hashed one node per permutation, a fifth of a segment's Keccak time with 2^6-leaf subtrees.
   */
  private static final int MAX_CHUNK_HEIGHT = 10;

  private final MerkleHasher hasher = new MerkleHasher();
  private final int leafSize; // 0: leaf hashes only
  private final Keccak256 leafDigest;
  private int leafFill; // bytes of the current leaf fed to leafDigest so far

  // pending[i] is the root of a perfect subtree; heights strictly decrease with i and are the
  // 1-bits of leafCount, so they need not be stored.
  private final byte[] pending = new byte[64 * H];
  private int pendingCount;
  private long leafCount;

  private byte[] scratch; // for ByteBuffer and InputStream input, allocated on first use
  private byte[] chunk; // a subtree's leaf hashes, allocated on first use
  private byte[] retained; // leaf hashes kept for toTree(), or null
  private int retainedCount;

  private MerkleAccumulator(int leafSize, boolean retainLeaves) {
    this.leafSize = leafSize;
    this.leafDigest = leafSize > 0 ? new Keccak256() : null;
    this.retained = retainLeaves ? new byte[64 * H] : null;
  }

  /** An accumulator fed with leaf hashes. */
  public static MerkleAccumulator ofLeafHashes() {
    return ofLeafHashes(false);
  }

  /**
   * Like {@link #ofLeafHashes()}; with {@code retainLeaves} it keeps them for {@link #toTree()}.
   */
  public static MerkleAccumulator ofLeafHashes(boolean retainLeaves) {
    return new MerkleAccumulator(0, retainLeaves);
  }

  /** An accumulator fed with data cut into leaves of {@code leafSize} bytes (256 for 0G). */
  public static MerkleAccumulator ofData(int leafSize) {
    return ofData(leafSize, false);
  }

  /**
   * Like {@link #ofData(int)}; with {@code retainLeaves} it also keeps every leaf hash (32 bytes
   * per leaf) so that {@link #toTree()} can build a tree for proofs.
   */
  public static MerkleAccumulator ofData(int leafSize, boolean retainLeaves) {
    if (leafSize <= 0) {
      throw new IllegalArgumentException("leafSize must be > 0, got " + leafSize);
    }
    return new MerkleAccumulator(leafSize, retainLeaves);
  }

  /** Leaves completed so far (a pending partial leaf is not counted). */
  public long leafCount() {
    return leafCount;
  }

  /** Whether part of a leaf has been fed and not yet completed. */
  public boolean hasPartialLeaf() {
    return leafFill > 0;
  }

  /** Appends one leaf given by its hash {@code h[off..off+32)}. */
  public MerkleAccumulator addLeafHash(byte[] h, int off) {
    if (leafFill > 0) {
      throw new IllegalStateException(
          "a partial leaf of " + leafFill + " bytes is pending; call completeLeaf() first");
    }
    push(h, off);
    return this;
  }

  /** Appends one leaf given by its hash. */
  public MerkleAccumulator addLeafHash(Bytes32 h) {
    return addLeafHash(h.toArrayUnsafe(), 0);
  }

  /** Feeds data bytes; every {@code leafSize} bytes complete one leaf. */
  public MerkleAccumulator update(byte[] data, int off, int len) {
    requireDataMode();
    Objects.checkFromIndexSize(off, len, data.length);
    while (len > 0) {
      if (leafFill == 0
          && retained == null
          && (leafCount & (CHUNK - 1)) == 0
          && len / leafSize >= CHUNK
          && leafCount <= Long.MAX_VALUE - CHUNK) {
        // CHUNK whole leaves at a CHUNK boundary make one perfect subtree: hash its leaves and
        // levels several per permutation, then carry it in like that many single leaves
        int height = CHUNK_HEIGHT;
        while (height < MAX_CHUNK_HEIGHT) {
          long twice = 1L << (height + 1);
          if ((leafCount & (twice - 1)) != 0
              || len / leafSize < twice
              || leafCount > Long.MAX_VALUE - twice) {
            break;
          }
          height++;
        }
        int n = 1 << height;
        if (chunk == null || chunk.length < n * H) {
          chunk = new byte[n * H];
        }
        hasher.leaves(data, off, leafSize, n, chunk, 0);
        hasher.reducePerfect(chunk, n);
        pushSubtree(chunk, height);
        off += n * leafSize;
        len -= n * leafSize;
        continue;
      }
      int take = Math.min(len, leafSize - leafFill);
      leafDigest.update(data, off, take);
      leafFill += take;
      off += take;
      len -= take;
      if (leafFill == leafSize) {
        finishLeaf(0);
      }
    }
    return this;
  }

  /** Feeds all of {@code data}. */
  public MerkleAccumulator update(byte[] data) {
    return update(data, 0, data.length);
  }

  /** Feeds the remaining bytes of {@code buf}, leaving its position at its limit. */
  public MerkleAccumulator update(ByteBuffer buf) {
    requireDataMode();
    if (buf.hasArray()) {
      update(buf.array(), buf.arrayOffset() + buf.position(), buf.remaining());
      buf.position(buf.limit());
      return this;
    }
    byte[] s = scratch();
    while (buf.hasRemaining()) {
      int n = Math.min(s.length, buf.remaining());
      buf.get(s, 0, n);
      update(s, 0, n);
    }
    return this;
  }

  /** Feeds everything {@code in} yields until its end; does not close it. Returns bytes read. */
  public long update(InputStream in) throws IOException {
    requireDataMode();
    byte[] s = scratch();
    long total = 0;
    for (int n; (n = in.read(s)) >= 0; ) {
      update(s, 0, n);
      total += n;
    }
    return total;
  }

  /** Zero-fills and completes a pending partial leaf, if any. */
  public MerkleAccumulator completeLeaf() {
    if (leafFill > 0) {
      finishLeaf(leafSize - leafFill);
    }
    return this;
  }

  /**
   * The root of all leaves so far, counting a pending partial leaf as zero-filled. Leaves the state
   * unchanged, so more input may follow.
   *
   * @throws IllegalStateException if there is no leaf at all (0G gives an empty file no root)
   */
  public Bytes32 root() {
    byte[] acc = new byte[H];
    int i = pendingCount - 1;
    if (leafFill > 0) {
      Keccak256 copy = leafDigest.copy();
      MerkleHasher.finishZeroFilled(copy, leafSize - leafFill, acc, 0);
    } else if (i >= 0) {
      System.arraycopy(pending, i * H, acc, 0, H);
      i--;
    } else {
      throw new IllegalStateException("no leaves: an empty input has no Merkle root");
    }
    // Fold from the right: root = P(s1, P(s2, ... P(s_{k-1}, s_k))). This is what pairing level by
    // level with promotion gives (specs/merkle.md).
    for (; i >= 0; i--) {
      hasher.node(pending, i * H, acc, 0, acc, 0);
    }
    return Bytes32.wrap(acc);
  }

  /**
   * The perfect subtrees that make up the tree, largest first: one per 1-bit of {@link
   * #leafCount()} (0G's submission nodes).
   *
   * @throws IllegalStateException if a partial leaf is pending
   */
  public List<Subtree> subtrees() {
    if (leafFill > 0) {
      throw new IllegalStateException("a partial leaf is pending; call completeLeaf() first");
    }
    List<Subtree> out = new ArrayList<>(pendingCount);
    int i = 0;
    for (int height = 63; height >= 0; height--) {
      if ((leafCount & (1L << height)) != 0) {
        out.add(new Subtree(Bytes32.wrap(Arrays.copyOfRange(pending, i * H, (i + 1) * H)), height));
        i++;
      }
    }
    return out;
  }

  /**
   * A tree over all leaves so far, for proofs; a pending partial leaf is completed first.
   *
   * @throws IllegalStateException if leaf hashes were not retained, or there are none
   */
  public MerkleTree toTree() {
    if (retained == null) {
      throw new IllegalStateException("leaf hashes were not retained; create with retainLeaves");
    }
    completeLeaf();
    return MerkleTree.ofLeafHashes(Arrays.copyOf(retained, retainedCount * H), retainedCount);
  }

  private void finishLeaf(int zeros) {
    requireRoom();
    // hash straight into the next pending slot, then merge it in
    MerkleHasher.finishZeroFilled(leafDigest, zeros, pending, pendingCount * H);
    leafFill = 0;
    retain(pending, pendingCount * H);
    pendingCount++;
    merge();
  }

  private void push(byte[] h, int off) {
    Objects.checkFromIndexSize(off, H, h.length);
    requireRoom();
    System.arraycopy(h, off, pending, pendingCount * H, H);
    retain(h, off);
    pendingCount++;
    merge();
  }

  /** Appends the root {@code h[0..32)} of 2^height leaves; leafCount is a multiple of 2^height. */
  private void pushSubtree(byte[] h, int height) {
    System.arraycopy(h, 0, pending, pendingCount * H, H);
    pendingCount++;
    // binary addition of 2^height: one merge per 1-bit of leafCount from bit `height` upwards
    int carries = Long.numberOfTrailingZeros(~(leafCount >>> height));
    for (int c = 0; c < carries; c++) {
      int left = (pendingCount - 2) * H;
      hasher.node(pending, left, pending, left + H, pending, left);
      pendingCount--;
    }
    leafCount += 1L << height;
  }

  // The new leaf makes leafCount+1; merge once per trailing 1-bit of the old count, exactly as
  // binary addition carries.
  private void merge() {
    int carries = Long.numberOfTrailingZeros(~leafCount);
    for (int c = 0; c < carries; c++) {
      int left = (pendingCount - 2) * H;
      hasher.node(pending, left, pending, left + H, pending, left);
      pendingCount--;
    }
    leafCount++;
  }

  private void requireRoom() {
    if (leafCount == Long.MAX_VALUE) {
      throw new IllegalStateException("more than 2^63-1 leaves");
    }
  }

  private void retain(byte[] h, int off) {
    if (retained == null) {
      return;
    }
    if ((retainedCount + 1) * H > retained.length) {
      if (retained.length > Integer.MAX_VALUE / 2) {
        throw new IllegalStateException("too many leaves to retain in memory");
      }
      retained = Arrays.copyOf(retained, retained.length * 2);
    }
    System.arraycopy(h, off, retained, retainedCount * H, H);
    retainedCount++;
  }

  private void requireDataMode() {
    if (leafSize == 0) {
      throw new IllegalStateException("this accumulator takes leaf hashes; use ofData for data");
    }
  }

  private byte[] scratch() {
    if (scratch == null) {
      scratch = new byte[64 * 1024];
    }
    return scratch;
  }
}
