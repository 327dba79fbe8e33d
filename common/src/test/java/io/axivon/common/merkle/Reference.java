package io.axivon.common.merkle;

import io.axivon.common.crypto.Hashes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/** The tree rule of specs/merkle.md written as plainly as possible, to check the real code. */
final class Reference {
  private Reference() {}

  static Bytes32 root(List<Bytes32> leaves) {
    List<Bytes32> level = leaves;
    while (level.size() > 1) {
      List<Bytes32> next = new ArrayList<>();
      for (int i = 0; i < level.size(); i += 2) {
        next.add(
            i + 1 < level.size()
                ? Hashes.keccak256(Bytes.concatenate(level.get(i), level.get(i + 1)))
                : level.get(i));
      }
      level = next;
    }
    return level.getFirst();
  }

  /** Leaf hashes of data cut into leafSize chunks, the last one zero-filled. */
  static List<Bytes32> leaves(byte[] data, int leafSize) {
    List<Bytes32> out = new ArrayList<>();
    for (int off = 0; off < data.length; off += leafSize) {
      byte[] chunk = Arrays.copyOfRange(data, off, off + leafSize); // pads with zeros past the end
      out.add(Hashes.keccak256(Bytes.wrap(chunk)));
    }
    return out;
  }

  /** Distinct leaf hashes derived from a seed. */
  static List<Bytes32> distinctLeaves(long seed, int count) {
    List<Bytes32> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(
          Hashes.keccak256(Bytes.concatenate(Bytes.ofUnsignedLong(seed), Bytes.ofUnsignedInt(i))));
    }
    return out;
  }
}
