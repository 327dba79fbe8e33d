package io.axivon.consensus.execution.trie;

import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.KeccakBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The root of Ethereum's ordered Merkle-Patricia trie (go-ethereum's DeriveSha: item i under the
 * key rlp(i)), the transactions and receipts roots of a block. libevm's TrieHasher computes the
 * same, but through its JSON-over-JNA glue every item crosses as base64 text (a receipt carries its
 * 256-byte bloom), once per block on every validator; here the trie is built in one pass over the
 * sorted keys. Pure; property-tested against TrieHasher.
 */
public final class OrderedTrie {
  private OrderedTrie() {}

  /**
   * The root of the trie of {@code items} keyed by rlp(index). Every item must be non-empty
   * (go-ethereum's trie treats an empty value as a deletion).
   *
   * @throws IllegalArgumentException if an item is empty
   */
  public static Bytes32 root(List<Bytes> items) {
    int n = items.size();
    if (n == 0) {
      return MerklePatriciaProof.EMPTY_TRIE;
    }
    byte[][] keys = new byte[n][];
    byte[][] values = new byte[n][];
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      values[i] = items.get(i).toArrayUnsafe();
      if (values[i].length == 0) {
        throw new IllegalArgumentException("item " + i + " is empty");
      }
      keys[i] = nibbles(rlpIndex(i));
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Arrays.compare(keys[a], keys[b]));
    byte[][] sortedKeys = new byte[n][];
    byte[][] sortedValues = new byte[n][];
    for (int i = 0; i < n; i++) {
      sortedKeys[i] = keys[order[i]];
      sortedValues[i] = values[order[i]];
    }
    if (n == 1) {
      // the root is always hashed, even a lone leaf below 32 bytes
      return Bytes32.wrap(Hashes.keccak256(leaf(sortedKeys[0], 0, sortedValues[0])));
    }
    Builder builder = new Builder(sortedKeys, sortedValues, new byte[n][]);
    builder.hashLeaves();
    return Bytes32.wrap(Hashes.keccak256(builder.node(0, n, 0))); // always hashed
  }

  /**
   * The RLP of the leaf of {@code key} below {@code depth} nibbles, written in one array: a block's
   * leaves are its receipts, each of a few hundred bytes, copied here once.
   */
  private static byte[] leaf(byte[] key, int depth, byte[] value) {
    byte[] path = string(hexPrefix(key, depth, key.length, true));
    boolean valueIsItsOwnString = value.length == 1 && (value[0] & 0xff) < 0x80;
    int valueLength = valueIsItsOwnString ? 1 : headerLength(value.length) + value.length;
    int payload = path.length + valueLength;
    byte[] out = new byte[headerLength(payload) + payload];
    int at = putHeader(out, 0, 0xc0, payload);
    System.arraycopy(path, 0, out, at, path.length);
    at += path.length;
    if (!valueIsItsOwnString) {
      at = putHeader(out, at, 0x80, value.length);
    }
    System.arraycopy(value, 0, out, at, value.length);
    return out;
  }

  /** rlp(i): 0x80 for 0, the byte itself below 0x80, else a length byte and big-endian bytes. */
  static byte[] rlpIndex(int i) {
    if (i == 0) {
      return new byte[] {(byte) 0x80};
    }
    if (i < 0x80) {
      return new byte[] {(byte) i};
    }
    int len = (32 - Integer.numberOfLeadingZeros(i) + 7) / 8;
    byte[] out = new byte[1 + len];
    out[0] = (byte) (0x80 + len);
    for (int k = 0; k < len; k++) {
      out[len - k] = (byte) (i >>> (8 * k));
    }
    return out;
  }

  private static byte[] nibbles(byte[] key) {
    byte[] out = new byte[key.length * 2];
    for (int i = 0; i < key.length; i++) {
      out[2 * i] = (byte) ((key[i] >> 4) & 0x0f);
      out[2 * i + 1] = (byte) (key[i] & 0x0f);
    }
    return out;
  }

  /**
   * Encodes the nodes of sorted, prefix-free nibble keys (n ≥ 2). The leaves, most of a block's
   * hashing (a receipt carries its 256-byte bloom), are found first and hashed together, several
   * per Keccak permutation, grouped by length; {@code leafRefs[i]} is then key i's leaf as its
   * parent branch holds it.
   */
  private record Builder(byte[][] keys, byte[][] values, byte[][] leafRefs) {
    /** Fills {@link #leafRefs}: where each key's leaf sits, then its hash or inline encoding. */
    void hashLeaves() {
      int n = keys.length;
      int[] depths = new int[n];
      Arrays.fill(depths, -1);
      leafDepths(0, n, 0, depths);
      byte[][] encoded = new byte[n][];
      Map<Integer, List<Integer>> byLength = new TreeMap<>();
      for (int i = 0; i < n; i++) {
        if (depths[i] < 0) {
          continue; // a key ending at a branch: that branch's value, not a leaf
        }
        encoded[i] = leaf(keys[i], depths[i], values[i]);
        if (encoded[i].length < 32) {
          leafRefs[i] = encoded[i];
        } else {
          byLength.computeIfAbsent(encoded[i].length, l -> new ArrayList<>()).add(i);
        }
      }
      KeccakBatch hasher = new KeccakBatch();
      for (var group : byLength.entrySet()) {
        int len = group.getKey();
        List<Integer> members = group.getValue();
        byte[] in = new byte[len * members.size()];
        for (int m = 0; m < members.size(); m++) {
          System.arraycopy(encoded[members.get(m)], 0, in, m * len, len);
        }
        byte[] out = new byte[32 * members.size()];
        hasher.hashAll(in, 0, len, members.size(), out, 0);
        for (int m = 0; m < members.size(); m++) {
          leafRefs[members.get(m)] = string(Arrays.copyOfRange(out, 32 * m, 32 * m + 32));
        }
      }
    }

    /** The depth of each leaf among keys [lo, hi), walking the trie as {@link #node} builds it. */
    private void leafDepths(int lo, int hi, int depth, int[] depths) {
      if (hi - lo == 1) {
        depths[lo] = depth;
        return;
      }
      int end = commonEnd(lo, hi, depth);
      int at = end > depth ? end : depth;
      int i = lo;
      if (keys[i].length == at) {
        i++;
      }
      while (i < hi) {
        int from = i;
        byte nibble = keys[i][at];
        while (i < hi && keys[i][at] == nibble) {
          i++;
        }
        leafDepths(from, i, at + 1, depths);
      }
    }

    /** Sorted: the prefix common to keys [lo, hi) is the one of the first and the last. */
    private int commonEnd(int lo, int hi, int depth) {
      byte[] first = keys[lo];
      byte[] last = keys[hi - 1];
      int end = depth;
      while (end < first.length && end < last.length && first[end] == last[end]) {
        end++;
      }
      return end;
    }

    /** The RLP of the node holding keys [lo, hi) below {@code depth} nibbles, hi - lo ≥ 2. */
    byte[] node(int lo, int hi, int depth) {
      int end = commonEnd(lo, hi, depth);
      if (end > depth) {
        return list(string(hexPrefix(keys[lo], depth, end, false)), ref(branch(lo, hi, end)));
      }
      return branch(lo, hi, depth);
    }

    private byte[] branch(int lo, int hi, int depth) {
      byte[][] slots = new byte[17][];
      int i = lo;
      if (keys[i].length == depth) { // a key ending here: the branch's value (sorted first)
        slots[16] = string(values[i]);
        i++;
      } else {
        slots[16] = EMPTY;
      }
      for (int nibble = 0; nibble < 16; nibble++) {
        int from = i;
        while (i < hi && keys[i][depth] == nibble) {
          i++;
        }
        if (i == from) {
          slots[nibble] = EMPTY;
        } else if (i - from == 1) {
          slots[nibble] = leafRefs[from];
        } else {
          slots[nibble] = ref(node(from, i, depth + 1));
        }
      }
      return list(slots);
    }
  }

  private static final byte[] EMPTY = {(byte) 0x80};

  /** A child as its parent holds it: inline below 32 bytes, else its hash. */
  private static byte[] ref(byte[] encoded) {
    return encoded.length < 32 ? encoded : string(Hashes.keccak256(encoded));
  }

  /** Nibbles [from, to) of {@code key} in hex-prefix form, flagged leaf or extension. */
  private static byte[] hexPrefix(byte[] key, int from, int to, boolean leaf) {
    int len = to - from;
    boolean odd = (len & 1) == 1;
    byte[] out = new byte[len / 2 + 1];
    int flag = (leaf ? 2 : 0) + (odd ? 1 : 0);
    int k = from;
    if (odd) {
      out[0] = (byte) ((flag << 4) | key[k++]);
    } else {
      out[0] = (byte) (flag << 4);
    }
    for (int o = 1; o < out.length; o++, k += 2) {
      out[o] = (byte) ((key[k] << 4) | key[k + 1]);
    }
    return out;
  }

  private static byte[] string(byte[] b) {
    if (b.length == 1 && (b[0] & 0xff) < 0x80) {
      return b;
    }
    return withLength(0x80, b.length, b);
  }

  private static byte[] list(byte[]... encodedItems) {
    int payload = 0;
    for (byte[] item : encodedItems) {
      payload += item.length;
    }
    byte[] out = new byte[headerLength(payload) + payload];
    int at = putHeader(out, 0, 0xc0, payload);
    for (byte[] item : encodedItems) {
      System.arraycopy(item, 0, out, at, item.length);
      at += item.length;
    }
    return out;
  }

  private static byte[] withLength(int base, int length, byte[] payload) {
    byte[] out = new byte[headerLength(length) + length];
    System.arraycopy(payload, 0, out, putHeader(out, 0, base, length), length);
    return out;
  }

  /** Bytes of the RLP header of a string or list of {@code length} payload bytes. */
  private static int headerLength(int length) {
    return length <= 55 ? 1 : 1 + (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
  }

  /** Writes that header at {@code at} ({@code base} 0x80 for a string, 0xc0 for a list). */
  private static int putHeader(byte[] out, int at, int base, int length) {
    if (length <= 55) {
      out[at] = (byte) (base + length);
      return at + 1;
    }
    int lenOfLen = headerLength(length) - 1;
    out[at] = (byte) (base + 55 + lenOfLen);
    for (int k = 0; k < lenOfLen; k++) {
      out[at + lenOfLen - k] = (byte) (length >>> (8 * k));
    }
    return at + 1 + lenOfLen;
  }
}
