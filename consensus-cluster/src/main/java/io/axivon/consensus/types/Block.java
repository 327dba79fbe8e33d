package io.axivon.consensus.types;

import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import java.util.List;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A block: header, opaque transactions (which consensus orders but never interprets), evidence of
 * equivocation for the application to punish, and, on chains i &gt; 0 of a cluster, chain 0's
 * validator-set changes for the application's light client of chain 0. Encoding: {@code [header,
 * [tx...], [evidence...], [setChange...]]}. The header's tx root commits to all three: Keccak-256
 * of {@code RLP([[tx...], [evidence...], [setChange...]])} (a flat hash: consensus needs no
 * inclusion proofs of single transactions yet).
 *
 * <p>An immutable value like a record, but a class: a record cannot remember a derived value, and
 * the tx root of a block of thousands of transactions (a Keccak-256 pass over all of them) is
 * checked where the proposal arrives and again where the decided block is stored. It is computed
 * once per instance, as {@link String} keeps its hash.
 */
public final class Block {
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

  private static final RlpCodec<List<Evidence>> EVIDENCE_LIST = Rlp.listOf(Evidence.CODEC);
  private static final RlpCodec<List<SetChange>> SET_CHANGE_LIST = Rlp.listOf(SetChange.CODEC);

  private final BlockHeader header;
  private final List<Bytes> transactions;
  private final List<Evidence> evidence;
  private final List<SetChange> setChanges;
  // A pure function of the fields above, computed on first use; a race only computes it twice.
  private Bytes32 computedTxRoot;

  public Block(
      BlockHeader header,
      List<Bytes> transactions,
      List<Evidence> evidence,
      List<SetChange> setChanges) {
    if (header == null || transactions == null || evidence == null || setChanges == null) {
      throw new IllegalArgumentException(
          "block header, transactions, evidence and set changes must be set");
    }
    if (setChanges.size() > MAX_SET_CHANGES) {
      throw new IllegalArgumentException(
          "a block carries at most " + MAX_SET_CHANGES + " set changes, got " + setChanges.size());
    }
    this.header = header;
    this.transactions = List.copyOf(transactions);
    this.evidence = List.copyOf(evidence);
    this.setChanges = List.copyOf(setChanges);
  }

  /** A block without set changes. */
  public Block(BlockHeader header, List<Bytes> transactions, List<Evidence> evidence) {
    this(header, transactions, evidence, List.of());
  }

  /** A block without evidence or set changes. */
  public Block(BlockHeader header, List<Bytes> transactions) {
    this(header, transactions, List.of(), List.of());
  }

  public BlockHeader header() {
    return header;
  }

  public List<Bytes> transactions() {
    return transactions;
  }

  public List<Evidence> evidence() {
    return evidence;
  }

  public List<SetChange> setChanges() {
    return setChanges;
  }

  /** The root of a block with these transactions and nothing else. */
  public static Bytes32 txRoot(List<Bytes> transactions) {
    return txRoot(transactions, List.of(), List.of());
  }

  public static Bytes32 txRoot(List<Bytes> transactions, List<Evidence> evidence) {
    return txRoot(transactions, evidence, List.of());
  }

  /**
   * Keccak-256 of {@code RLP([[tx...], [evidence...], [setChange...]])}, hashed as it is written
   * (evidence and set changes are few and small: they are encoded first).
   */
  public static Bytes32 txRoot(
      List<Bytes> transactions, List<Evidence> evidence, List<SetChange> setChanges) {
    return Rlp.keccak256OfList(
        transactions,
        Bytes.concatenate(
            Rlp.encode(EVIDENCE_LIST, evidence), Rlp.encode(SET_CHANGE_LIST, setChanges)));
  }

  /** This block's tx root, computed once. */
  public Bytes32 txRoot() {
    Bytes32 root = computedTxRoot;
    if (root == null) {
      root = txRoot(transactions, evidence, setChanges);
      computedTxRoot = root;
    }
    return root;
  }

  public Bytes32 hash() {
    return header.hash();
  }

  public long height() {
    return header.height();
  }

  /** Whether the header's tx root matches the transactions, evidence and set changes. */
  public boolean txRootMatches() {
    return header.txRoot().equals(txRoot());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Block b
        && b.header.equals(header)
        && b.transactions.equals(transactions)
        && b.evidence.equals(evidence)
        && b.setChanges.equals(setChanges);
  }

  @Override
  public int hashCode() {
    return Objects.hash(header, transactions, evidence, setChanges);
  }

  @Override
  public String toString() {
    return "Block[header="
        + header
        + ", transactions="
        + transactions
        + ", evidence="
        + evidence
        + ", setChanges="
        + setChanges
        + "]";
  }
}
