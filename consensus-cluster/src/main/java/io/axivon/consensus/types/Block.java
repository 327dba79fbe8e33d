package io.axivon.consensus.types;

import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import io.axivon.common.crypto.Hashes;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A block: header, opaque transactions (which consensus orders but never interprets) and evidence
 * of equivocation for the application to punish. Encoding: {@code [header, [tx...],
 * [evidence...]]}. The header's tx root commits to both: Keccak-256 of {@code RLP([[tx...],
 * [evidence...]])} (a flat hash: consensus needs no inclusion proofs of single transactions yet).
 */
public record Block(BlockHeader header, List<Bytes> transactions, List<Evidence> evidence) {
  public static final RlpCodec<Block> CODEC =
      RlpCodec.struct(
          (w, b) ->
              w.write(BlockHeader.CODEC, b.header)
                  .writeListOf(b.transactions, Rlp.BYTES)
                  .writeListOf(b.evidence, Evidence.CODEC),
          r ->
              new Block(
                  r.read(BlockHeader.CODEC),
                  r.readListOf(Rlp.BYTES),
                  r.readListOf(Evidence.CODEC)));

  public Block {
    if (header == null || transactions == null || evidence == null) {
      throw new IllegalArgumentException("block header, transactions and evidence must be set");
    }
    transactions = List.copyOf(transactions);
    evidence = List.copyOf(evidence);
  }

  /** A block without evidence. */
  public Block(BlockHeader header, List<Bytes> transactions) {
    this(header, transactions, List.of());
  }

  /** The root of a block with these transactions and no evidence. */
  public static Bytes32 txRoot(List<Bytes> transactions) {
    return txRoot(transactions, List.of());
  }

  public static Bytes32 txRoot(List<Bytes> transactions, List<Evidence> evidence) {
    return Hashes.keccak256(
        Rlp.encode(
            RlpCodec.<Payload>struct(
                (w, p) ->
                    w.writeListOf(p.transactions(), Rlp.BYTES)
                        .writeListOf(p.evidence(), Evidence.CODEC),
                r -> {
                  throw new UnsupportedOperationException("encode only");
                }),
            new Payload(transactions, evidence)));
  }

  private record Payload(List<Bytes> transactions, List<Evidence> evidence) {}

  public Bytes32 hash() {
    return header.hash();
  }

  public long height() {
    return header.height();
  }

  /** Whether the header's tx root matches the transactions and evidence. */
  public boolean txRootMatches() {
    return header.txRoot().equals(txRoot(transactions, evidence));
  }
}
