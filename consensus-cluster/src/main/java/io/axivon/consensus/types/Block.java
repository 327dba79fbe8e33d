package io.axivon.consensus.types;

import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import io.axivon.common.crypto.Hashes;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A block: header, opaque transactions (which consensus orders but never interprets), evidence of
 * equivocation for the application to punish, and, on chains i &gt; 0 of a cluster, chain 0's
 * validator-set changes for the application's light client of chain 0. Encoding: {@code [header,
 * [tx...], [evidence...], [setChange...]]}. The header's tx root commits to all three: Keccak-256
 * of {@code RLP([[tx...], [evidence...], [setChange...]])} (a flat hash: consensus needs no
 * inclusion proofs of single transactions yet).
 */
public record Block(
    BlockHeader header,
    List<Bytes> transactions,
    List<Evidence> evidence,
    List<SetChange> setChanges) {
  /** Set changes one block may carry: chain 0 changes its set at most once per epoch. */
  public static final int MAX_SET_CHANGES = 8;

  public static final RlpCodec<Block> CODEC =
      RlpCodec.struct(
          (w, b) ->
              w.write(BlockHeader.CODEC, b.header)
                  .writeListOf(b.transactions, Rlp.BYTES)
                  .writeListOf(b.evidence, Evidence.CODEC)
                  .writeListOf(b.setChanges, SetChange.CODEC),
          r ->
              new Block(
                  r.read(BlockHeader.CODEC),
                  r.readListOf(Rlp.OWN_BYTES), // looked up, hashed and executed many times
                  r.readListOf(Evidence.CODEC),
                  r.readListOf(SetChange.CODEC)));

  public Block {
    if (header == null || transactions == null || evidence == null || setChanges == null) {
      throw new IllegalArgumentException(
          "block header, transactions, evidence and set changes must be set");
    }
    if (setChanges.size() > MAX_SET_CHANGES) {
      throw new IllegalArgumentException(
          "a block carries at most " + MAX_SET_CHANGES + " set changes, got " + setChanges.size());
    }
    transactions = List.copyOf(transactions);
    evidence = List.copyOf(evidence);
    setChanges = List.copyOf(setChanges);
  }

  /** A block without set changes. */
  public Block(BlockHeader header, List<Bytes> transactions, List<Evidence> evidence) {
    this(header, transactions, evidence, List.of());
  }

  /** A block without evidence or set changes. */
  public Block(BlockHeader header, List<Bytes> transactions) {
    this(header, transactions, List.of(), List.of());
  }

  /** The root of a block with these transactions and nothing else. */
  public static Bytes32 txRoot(List<Bytes> transactions) {
    return txRoot(transactions, List.of(), List.of());
  }

  public static Bytes32 txRoot(List<Bytes> transactions, List<Evidence> evidence) {
    return txRoot(transactions, evidence, List.of());
  }

  public static Bytes32 txRoot(
      List<Bytes> transactions, List<Evidence> evidence, List<SetChange> setChanges) {
    return Hashes.keccak256(
        Rlp.encode(
            RlpCodec.<Payload>struct(
                (w, p) ->
                    w.writeListOf(p.transactions(), Rlp.BYTES)
                        .writeListOf(p.evidence(), Evidence.CODEC)
                        .writeListOf(p.setChanges(), SetChange.CODEC),
                r -> {
                  throw new UnsupportedOperationException("encode only");
                }),
            new Payload(transactions, evidence, setChanges)));
  }

  private record Payload(
      List<Bytes> transactions, List<Evidence> evidence, List<SetChange> setChanges) {}

  public Bytes32 hash() {
    return header.hash();
  }

  public long height() {
    return header.height();
  }

  /** Whether the header's tx root matches the transactions, evidence and set changes. */
  public boolean txRootMatches() {
    return header.txRoot().equals(txRoot(transactions, evidence, setChanges));
  }
}
