package io.axivon.storage.flow;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.merkle.Subtree;
import io.axivon.sdk.storage.FlowSubmission;
import io.axivon.sdk.storage.layout.Submission;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The on-disk form of a synced submission: tx seq, start, block (8 bytes each), sender (20), file
 * length (8), tags length (4) and tags, node count (1), then per node root (32) and height (1).
 */
final class FlowRecords {
  private FlowRecords() {}

  static byte[] encode(FlowSubmission s) {
    Submission sub = s.submission();
    int size = 8 * 3 + 20 + 8 + 4 + sub.tags().size() + 1 + 33 * sub.nodes().size();
    ByteBuffer b = ByteBuffer.allocate(size);
    b.putLong(s.txSeq()).putLong(s.startEntryIndex()).putLong(s.blockNumber());
    b.put(s.sender().bytes().toArrayUnsafe());
    b.putLong(sub.length()).putInt(sub.tags().size()).put(sub.tags().toArrayUnsafe());
    b.put((byte) sub.nodes().size());
    for (Subtree n : sub.nodes()) {
      b.put(n.root().toArrayUnsafe()).put((byte) n.height());
    }
    return b.array();
  }

  static FlowSubmission decode(byte[] bytes) {
    try {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      long txSeq = b.getLong();
      long start = b.getLong();
      long block = b.getLong();
      byte[] sender = new byte[20];
      b.get(sender);
      long length = b.getLong();
      byte[] tags = new byte[b.getInt()];
      b.get(tags);
      int count = b.get() & 0xff;
      List<Subtree> nodes = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        byte[] root = new byte[32];
        b.get(root);
        nodes.add(new Subtree(Bytes32.wrap(root), b.get()));
      }
      if (b.hasRemaining()) {
        throw new IllegalStateException("trailing bytes");
      }
      return new FlowSubmission(
          txSeq,
          start,
          new Submission(length, Bytes.wrap(tags), nodes),
          new Address(Bytes.wrap(sender)),
          block);
    } catch (RuntimeException e) {
      throw new IllegalStateException("corrupt flow submission record: " + e.getMessage(), e);
    }
  }
}
