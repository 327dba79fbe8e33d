package io.axivon.sdk.mining;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.Hashes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The strict ABI codec of {@code submitAnswer(PoraAnswer)} (specs/pora.md section 8). Written by
 * hand rather than with web3j's decoder: the layout is fixed (one dynamic array at a known offset),
 * so an exact-size check and two offset checks make the encoding canonical, and the chain decodes 4
 * KiB answers without building web3j type objects.
 */
public final class AnswerCodec {
  public static final String SIGNATURE =
      "submitAnswer((bytes32,bytes32,bytes32,uint256,uint256,uint256,uint256,uint256,bytes32,bytes32,bytes32[128],bytes32[]))";

  public static final Bytes SELECTOR =
      Hashes.keccak256(Bytes.wrap(SIGNATURE.getBytes(StandardCharsets.US_ASCII))).slice(0, 4);

  /** Head words of the tuple: 10 fields, 128 sealed words, the proof's offset. */
  private static final int HEAD_WORDS = 10 + Pora.UNIT_WORDS + 1;

  /** The proof's offset inside the tuple, {@code 0x1160}. */
  public static final int PROOF_OFFSET = 32 * HEAD_WORDS;

  private AnswerCodec() {}

  /** The argument bytes for a proof of {@code m} siblings: {@code 4,512 + 32m}. */
  public static int argsSize(int m) {
    return 32 + PROOF_OFFSET + 32 + 32 * m;
  }

  /** Selector and arguments. */
  public static Bytes encodeCall(Answer a) {
    return Bytes.concatenate(SELECTOR, encodeArgs(a));
  }

  /** The arguments after the selector. */
  public static Bytes encodeArgs(Answer a) {
    List<Bytes> parts = new ArrayList<>();
    parts.add(u256(32));
    parts.add(a.contextDigest());
    parts.add(a.minerId());
    parts.add(a.nonce());
    parts.add(u256(a.rangeStart()));
    parts.add(u256(a.rangeLength()));
    parts.add(u256(a.shardId()));
    parts.add(u256(a.numShard()));
    parts.add(u256(a.recallPosition()));
    parts.add(a.sealContextDigest());
    parts.add(a.unitRoot());
    parts.add(a.sealedData());
    parts.add(u256(PROOF_OFFSET));
    parts.add(u256(a.proof().size()));
    parts.addAll(a.proof());
    return Bytes.concatenate(parts.toArray(Bytes[]::new));
  }

  /**
   * Decodes the arguments after the selector, refusing anything but the canonical encoding.
   *
   * @throws InvalidInputException saying what is wrong
   */
  public static Answer decodeArgs(Bytes args) {
    int n = args.size();
    if (n < argsSize(0)) {
      throw new InvalidInputException(
          "call data is " + (n + 4) + " bytes, at least " + (argsSize(0) + 4) + " needed");
    }
    if (!word(args, 0).equals(u256(32))) {
      throw new InvalidInputException("the answer's offset is not 0x20");
    }
    int base = 32; // the tuple's start
    if (!word(args, base + PROOF_OFFSET - 32).equals(u256(PROOF_OFFSET))) {
      throw new InvalidInputException("the proof's offset is not 0x1160");
    }
    long m = smallUint(args, base + PROOF_OFFSET, "proof length");
    if (m > Pora.MAX_PROOF) {
      throw new InvalidInputException("proof has " + m + " siblings, at most 58");
    }
    if (n != argsSize((int) m)) {
      throw new InvalidInputException(
          "call data is "
              + (n + 4)
              + " bytes, expected "
              + (argsSize((int) m) + 4)
              + " for "
              + m
              + " proof nodes");
    }
    List<Bytes32> proof = new ArrayList<>((int) m);
    for (int i = 0; i < m; i++) {
      proof.add(word(args, base + PROOF_OFFSET + 32 + 32 * i));
    }
    return new Answer(
        word(args, base),
        word(args, base + 32),
        word(args, base + 64),
        smallUint(args, base + 96, "rangeStart"),
        smallUint(args, base + 128, "rangeLength"),
        smallUint(args, base + 160, "shardId"),
        smallUint(args, base + 192, "numShard"),
        smallUint(args, base + 224, "recallPosition"),
        word(args, base + 256),
        word(args, base + 288),
        args.slice(base + 320, Pora.UNIT_BYTES).copy(),
        proof);
  }

  private static Bytes32 word(Bytes b, int off) {
    return Bytes32.wrap(b.slice(off, 32).toArray());
  }

  // A uint256 word that must hold a value below 2^62.
  private static long smallUint(Bytes b, int off, String field) {
    Bytes32 w = word(b, off);
    for (int i = 0; i < 24; i++) {
      if (w.get(i) != 0) {
        throw new InvalidInputException(field + " is not below 2^62");
      }
    }
    long v = w.slice(24).toLong();
    if (v < 0 || v >= Pora.MAX_POSITION) {
      throw new InvalidInputException(field + " is not below 2^62");
    }
    return v;
  }

  static Bytes32 u256(long v) {
    return Bytes32.leftPad(Bytes.ofUnsignedLong(v));
  }
}
