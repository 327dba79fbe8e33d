package io.axivon.consensus.types;

import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import io.axivon.common.crypto.Hashes;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A block: header and opaque transactions, which consensus orders but never interprets. Encoding:
 * {@code [header, [tx...]]}. The tx root is Keccak-256 of the RLP list of transactions (a flat
 * hash: consensus needs no inclusion proofs of single transactions yet).
 */
public record Block(BlockHeader header, List<Bytes> transactions) {
  public static final RlpCodec<Block> CODEC =
      RlpCodec.struct(
          (w, b) -> w.write(BlockHeader.CODEC, b.header).writeListOf(b.transactions, Rlp.BYTES),
          r -> new Block(r.read(BlockHeader.CODEC), r.readListOf(Rlp.BYTES)));

  public Block {
    if (header == null || transactions == null) {
      throw new IllegalArgumentException("block header and transactions must not be null");
    }
    transactions = List.copyOf(transactions);
  }

  public static Bytes32 txRoot(List<Bytes> transactions) {
    return Hashes.keccak256(Rlp.encode(Rlp.listOf(Rlp.BYTES), transactions));
  }

  public Bytes32 hash() {
    return header.hash();
  }

  public long height() {
    return header.height();
  }

  /** Whether the header's tx root matches the transactions. */
  public boolean txRootMatches() {
    return header.txRoot().equals(txRoot(transactions));
  }
}
