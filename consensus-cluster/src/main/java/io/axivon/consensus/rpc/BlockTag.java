package io.axivon.consensus.rpc;

import org.apache.tuweni.bytes.Bytes32;

/**
 * A block parameter: a tag, a number, or (EIP-1898) a hash. Finality is instant (a decided block is
 * final), so {@code latest}, {@code safe} and {@code finalized} all name the head; {@code pending}
 * names it too for blocks and state (there is no pending block), except where a method says
 * otherwise (eth_getTransactionCount counts the mempool).
 */
public sealed interface BlockTag {
  record Latest() implements BlockTag {}

  record Pending() implements BlockTag {}

  record Earliest() implements BlockTag {}

  record Number(long number) implements BlockTag {}

  record Hash(Bytes32 hash) implements BlockTag {}

  BlockTag LATEST = new Latest();
  BlockTag PENDING = new Pending();
  BlockTag EARLIEST = new Earliest();

  /** A tag name or a quantity; throws {@link Hex.HexException} or IllegalArgumentException. */
  static BlockTag parse(String s) {
    return switch (s) {
      case "latest", "safe", "finalized" -> LATEST;
      case "pending" -> PENDING;
      case "earliest" -> EARLIEST;
      default -> new Number(Hex.parseLong(s));
    };
  }
}
