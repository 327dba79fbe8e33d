package io.axivon.consensus.rpc;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;

/** Decodes Solidity's {@code Error(string)} revert payload, as go-ethereum's abi.UnpackRevert. */
public final class RevertReason {
  /** keccak256("Error(string)")[0:4]. */
  static final Bytes ERROR_SELECTOR = Bytes.fromHexString("0x08c379a0");

  private RevertReason() {}

  /** The reason string, or empty when {@code data} is not a well-formed Error(string). */
  public static Optional<String> decode(Bytes data) {
    if (data.size() < 4 + 64 || !data.slice(0, 4).equals(ERROR_SELECTOR)) {
      return Optional.empty();
    }
    Bytes body = data.slice(4);
    Optional<Integer> offset = smallWord(body, 0);
    if (offset.isEmpty() || offset.get() + 32 > body.size()) {
      return Optional.empty();
    }
    Optional<Integer> length = smallWord(body, offset.get());
    int start = offset.get() + 32;
    if (length.isEmpty() || (long) start + length.get() > body.size()) {
      return Optional.empty();
    }
    return Optional.of(
        new String(body.slice(start, length.get()).toArrayUnsafe(), StandardCharsets.UTF_8));
  }

  /** A 32-byte big-endian word at {@code at} that fits in an int, else empty. */
  private static Optional<Integer> smallWord(Bytes b, int at) {
    Bytes word = b.slice(at, 32);
    if (!word.slice(0, 28).isZero() || (word.get(28) & 0x80) != 0) {
      return Optional.empty();
    }
    return Optional.of(word.slice(28).toInt());
  }
}
