package io.axivon.consensus.execution.trie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.horizen.evm.TrieHasher;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;

/** The Java ordered-trie root is go-ethereum's DeriveSha, as libevm's TrieHasher computes it. */
class OrderedTrieProperties {
  private static Bytes32 reference(List<Bytes> items) {
    byte[][] raw = items.stream().map(Bytes::toArrayUnsafe).toArray(byte[][]::new);
    return Bytes32.wrap(TrieHasher.Root(raw).toBytes());
  }

  private static List<Bytes> items(long seed, int n, int maxLength) {
    Random r = new Random(seed);
    List<Bytes> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      // short items make nodes under 32 bytes, which their parents hold inline
      byte[] b = new byte[1 + r.nextInt(maxLength)];
      r.nextBytes(b);
      if (r.nextInt(4) == 0) {
        b[0] = (byte) r.nextInt(0x80); // a one-byte RLP string is the byte itself
      }
      out.add(Bytes.wrap(b));
    }
    return out;
  }

  @Property(tries = 60)
  void rootIsTrieHashersRoot(
      @ForAll long seed,
      @ForAll @IntRange(max = 300) int n,
      @ForAll @IntRange(min = 1, max = 120) int maxLength) {
    List<Bytes> items = items(seed, n, maxLength);
    assertThat(OrderedTrie.root(items)).isEqualTo(reference(items));
  }

  @Test
  void equalLengthItemsHashedManyPerPermutationMatch() {
    // a block of transfers: every receipt (and transaction) the same length, so its leaves share
    // the batched permutations; lengths around 32 bytes, where a leaf goes inline or is hashed
    for (int length : new int[] {1, 27, 28, 29, 30, 31, 32, 120, 280}) {
      for (int n : new int[] {2, 9, 300, 5000}) {
        Random r = new Random(31L * length + n);
        List<Bytes> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          byte[] b = new byte[length];
          r.nextBytes(b);
          b[0] = (byte) (0x80 | b[0]); // never the one-byte RLP form: every item this length
          items.add(Bytes.wrap(b));
        }
        assertThat(OrderedTrie.root(items))
            .as("n=%d length=%d", n, length)
            .isEqualTo(reference(items));
      }
    }
  }

  @Test
  void keyLengthBoundariesAndLargeBlocksMatch() {
    for (int n : new int[] {0, 1, 2, 16, 17, 127, 128, 129, 255, 256, 257, 4097, 9000}) {
      List<Bytes> items = items(n, n, 200);
      assertThat(OrderedTrie.root(items)).as("n=%d", n).isEqualTo(reference(items));
    }
  }

  @Test
  void rlpOfIndexIsEthereums() {
    assertThat(Bytes.wrap(OrderedTrie.rlpIndex(0))).isEqualTo(Bytes.fromHexString("0x80"));
    assertThat(Bytes.wrap(OrderedTrie.rlpIndex(0x7f))).isEqualTo(Bytes.fromHexString("0x7f"));
    assertThat(Bytes.wrap(OrderedTrie.rlpIndex(0x80))).isEqualTo(Bytes.fromHexString("0x8180"));
    assertThat(Bytes.wrap(OrderedTrie.rlpIndex(0x1234))).isEqualTo(Bytes.fromHexString("0x821234"));
    assertThat(Bytes.wrap(OrderedTrie.rlpIndex(0x10000)))
        .isEqualTo(Bytes.fromHexString("0x83010000"));
  }

  @Test
  void anEmptyItemIsRefused() {
    assertThatThrownBy(() -> OrderedTrie.root(List.of(Bytes.of(1), Bytes.EMPTY)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("item 1 is empty");
  }
}
