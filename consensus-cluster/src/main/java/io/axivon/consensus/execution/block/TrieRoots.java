package io.axivon.consensus.execution.block;

import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import io.axivon.consensus.execution.evm.Log;
import io.axivon.consensus.execution.trie.OrderedTrie;
import io.horizen.evm.TrieHasher;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Ethereum's transactions and receipts roots: ordered Merkle-Patricia tries keyed by rlp(index),
 * built in Java ({@link OrderedTrie}: libevm's TrieHasher, go-ethereum's own DeriveSha, gives the
 * same roots but takes every item as base64 text over JNA, on every validator for every block).
 */
public final class TrieRoots {
  static final RlpCodec<Log> LOG =
      RlpCodec.struct(
          (w, l) ->
              w.writeBytes(l.address().bytes())
                  .writeListOf(l.topics(), Rlp.BYTES32)
                  .writeBytes(l.data()),
          r -> {
            throw new UnsupportedOperationException("consensus logs are write-only");
          });

  private static final RlpCodec<Receipt> CONSENSUS_RECEIPT =
      RlpCodec.struct(
          (w, rc) ->
              w.writeUInt64(rc.success() ? 1 : 0)
                  .writeUInt64(rc.cumulativeGasUsed())
                  .writeBytes(rc.logsBloom())
                  .writeListOf(rc.logs(), LOG),
          r -> {
            throw new UnsupportedOperationException("consensus receipts are write-only");
          });

  private TrieRoots() {}

  /** The root of the ordered trie of {@code items} (already encoded values). */
  public static Bytes32 orderedRoot(List<Bytes> items) {
    if (items.stream().noneMatch(Bytes::isEmpty)) {
      return OrderedTrie.root(items);
    }
    // an empty value is a deletion to go-ethereum's trie: left to it (no transaction or receipt
    // encodes to nothing)
    byte[][] raw = new byte[items.size()][];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = items.get(i).toArrayUnsafe();
    }
    return Bytes32.wrap(TrieHasher.Root(raw).toBytes());
  }

  /** transactionsRoot: the trie of the raw (typed-envelope) transactions. */
  public static Bytes32 transactionsRoot(List<Bytes> rawTxs) {
    return orderedRoot(rawTxs);
  }

  /** receiptsRoot: the trie of the consensus encodings of the receipts. */
  public static Bytes32 receiptsRoot(List<Receipt> receipts) {
    return orderedRoot(receipts.stream().map(TrieRoots::consensusEncoding).toList());
  }

  /** A receipt as Ethereum commits to it: {@code [type ||] rlp([status, cumGas, bloom, logs])}. */
  public static Bytes consensusEncoding(Receipt receipt) {
    Bytes body = Rlp.encode(CONSENSUS_RECEIPT, receipt);
    return receipt.type() == 0 ? body : Bytes.concatenate(Bytes.of(receipt.type()), body);
  }
}
