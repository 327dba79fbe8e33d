package io.axivon.sdk.storage;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.merkle.Subtree;
import io.axivon.sdk.eth.Log;
import io.axivon.sdk.storage.layout.Submission;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * 0G's Flow ABI (shared/reference/0g-rpc.md §5): the {@code submit} call, the {@code Submit} event
 * and the revert payloads, for the one tuple shape {@code (uint256,bytes,(bytes32,uint256)[])}.
 *
 * <p>Written by hand rather than with web3j's ABI codec: the managed web3j (5.0.0, a 2020 build)
 * has no tuple types, so it cannot express this signature; a dedicated decoder also names the exact
 * field that is wrong in a malformed log. The tests check every encoding against web3j's encoder of
 * the equivalent flat types and against a hand-written fixture.
 */
public final class FlowAbi {
  private FlowAbi() {}

  public static final String SUBMIT_SIGNATURE = "submit((uint256,bytes,(bytes32,uint256)[]))";
  public static final String SUBMIT_EVENT_SIGNATURE =
      "Submit(address,bytes32,uint256,uint256,uint256,(uint256,bytes,(bytes32,uint256)[]))";
  public static final String NOT_ENOUGH_FEE_SIGNATURE = "NotEnoughFee(uint256,uint256,uint256)";

  /** {@code submit((uint256,bytes,(bytes32,uint256)[]))}: 0xef3e12dc. */
  public static final Bytes SUBMIT_SELECTOR = selector(SUBMIT_SIGNATURE);

  /** {@code market()}: 0x80f55605. */
  public static final Bytes MARKET_SELECTOR = selector("market()");

  /** {@code pricePerSector()}: 0x61ec5082. */
  public static final Bytes PRICE_PER_SECTOR_SELECTOR = selector("pricePerSector()");

  /** Topic 0 of Submit: 0x167ce04d…5555. */
  public static final Bytes32 SUBMIT_TOPIC =
      Hashes.keccak256(Bytes.wrap(SUBMIT_EVENT_SIGNATURE.getBytes(StandardCharsets.US_ASCII)));

  /** {@code Error(string)}: 0x08c379a0. */
  public static final Bytes ERROR_SELECTOR = selector("Error(string)");

  /** {@code Panic(uint256)}: 0x4e487b71. */
  public static final Bytes PANIC_SELECTOR = selector("Panic(uint256)");

  /** {@code NotEnoughFee(uint256,uint256,uint256)}. */
  public static final Bytes NOT_ENOUGH_FEE_SELECTOR = selector(NOT_ENOUGH_FEE_SIGNATURE);

  private static final int WORD = 32;

  public static Bytes selector(String signature) {
    return Hashes.keccak256(Bytes.wrap(signature.getBytes(StandardCharsets.US_ASCII))).slice(0, 4);
  }

  // ---- encoding ----

  /** Calldata of {@code submit(submission)}. */
  public static Bytes encodeSubmit(Submission submission) {
    return Bytes.concatenate(SUBMIT_SELECTOR, word(WORD), encodeSubmission(submission));
  }

  /** The data of a Submit log (the non-indexed fields), as the flow emits it. */
  public static Bytes encodeSubmitData(
      long submissionIndex, long startPos, long length, Submission submission) {
    return Bytes.concatenate(
        word(submissionIndex),
        word(startPos),
        word(length),
        word(4 * WORD),
        encodeSubmission(submission));
  }

  /** The tuple {@code (uint256 length, bytes tags, (bytes32 root, uint256 height)[] nodes)}. */
  static Bytes encodeSubmission(Submission s) {
    Bytes tags = s.tags();
    int paddedTags = (tags.size() + WORD - 1) / WORD * WORD;
    List<Bytes> parts = new ArrayList<>();
    parts.add(word(s.length()));
    parts.add(word(3 * WORD));
    parts.add(word(3 * WORD + WORD + paddedTags));
    parts.add(word(tags.size()));
    parts.add(Bytes.concatenate(tags, Bytes.wrap(new byte[paddedTags - tags.size()])));
    parts.add(word(s.nodes().size()));
    for (Subtree node : s.nodes()) {
      parts.add(node.root());
      parts.add(word(node.height()));
    }
    return Bytes.concatenate(parts.toArray(Bytes[]::new));
  }

  /** The event's {@code identity}: keccak256 of the node roots concatenated, in order. */
  public static Bytes32 identity(Submission s) {
    return Hashes.keccak256(
        Bytes.concatenate(s.nodes().stream().map(n -> (Bytes) n.root()).toArray(Bytes[]::new)));
  }

  /** An address as a 32-byte indexed topic. */
  public static Bytes32 addressTopic(Address a) {
    return Bytes32.leftPad(a.bytes());
  }

  static Bytes32 word(long v) {
    if (v < 0) {
      throw new IllegalArgumentException("negative uint256: " + v);
    }
    return Bytes32.leftPad(Bytes.ofUnsignedLong(v));
  }

  static Bytes32 word(BigInteger v) {
    return Bytes32.leftPad(Bytes.wrap(v.toByteArray()).trimLeadingZeros());
  }

  // ---- decoding ----

  /**
   * Decodes a Submit log: topics {@code [SUBMIT_TOPIC, sender, identity]} and the data. Checks that
   * the event is self-consistent: {@code length} is the nodes' sector count and {@code identity}
   * the hash of their roots.
   *
   * @throws InvalidInputException naming what is wrong
   */
  public static SubmitEvent decodeSubmit(Log log) {
    String where = "Submit log (block " + log.blockNumber() + ", index " + log.logIndex() + ")";
    if (log.topics().size() != 3 || !log.topics().getFirst().equals(SUBMIT_TOPIC)) {
      throw new InvalidInputException(
          where + ": expected 3 topics starting with " + SUBMIT_TOPIC + ", got " + log.topics());
    }
    Bytes32 senderTopic = log.topics().get(1);
    if (!senderTopic.slice(0, 12).isZero()) {
      throw new InvalidInputException(where + ": sender topic is not an address: " + senderTopic);
    }
    Address sender = new Address(senderTopic.slice(12, 20));
    Bytes32 identity = log.topics().get(2);
    Reader r = new Reader(log.data(), where);
    long index = r.uint64(0, "submissionIndex");
    long startPos = r.uint64(WORD, "startPos");
    long length = r.uint64(2 * WORD, "length");
    int tuple = r.offset(3 * WORD, 0, "submission offset");
    Submission submission = readSubmission(r, tuple);
    if (submission.sectors() != length) {
      throw new InvalidInputException(
          where + ": length " + length + " is not the nodes' sector count " + submission.sectors());
    }
    Bytes32 expected = identity(submission);
    if (!expected.equals(identity)) {
      throw new InvalidInputException(
          where + ": identity " + identity + " is not keccak256 of the node roots " + expected);
    }
    return new SubmitEvent(
        sender,
        identity,
        index,
        startPos,
        length,
        submission,
        log.blockNumber(),
        log.transactionHash(),
        log.logIndex());
  }

  private static Submission readSubmission(Reader r, int base) {
    long fileLength = r.uint64(base, "submission.length");
    int tagsAt = r.offset(base + WORD, base, "submission.tags offset");
    int nodesAt = r.offset(base + 2 * WORD, base, "submission.nodes offset");
    int tagsLen = r.length(tagsAt, 1, "submission.tags length");
    Bytes tags = r.slice(tagsAt + WORD, tagsLen, "submission.tags");
    int count = r.length(nodesAt, 2 * WORD, "submission.nodes length");
    if (count == 0 || count > 64) {
      throw new InvalidInputException(r.where + ": a submission has 1 to 64 nodes, got " + count);
    }
    List<Subtree> nodes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int at = nodesAt + WORD + i * 2 * WORD;
      Bytes32 root = Bytes32.wrap(r.slice(at, WORD, "submission.nodes[" + i + "].root"));
      long height = r.uint64(at + WORD, "submission.nodes[" + i + "].height");
      if (height > 63) {
        throw new InvalidInputException(
            r.where + ": submission.nodes[" + i + "].height " + height + " is above 63");
      }
      nodes.add(new Subtree(root, (int) height));
    }
    try {
      return new Submission(fileLength, tags, nodes);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(r.where + ": invalid submission: " + e.getMessage(), e);
    }
  }

  /** The return value of {@code submit}: {@code (index, digest, startIndex, length)}. */
  public record SubmitResult(long index, Bytes32 digest, long startIndex, long length) {}

  public static SubmitResult decodeSubmitResult(Bytes data) {
    Reader r = new Reader(data, "submit() result");
    return new SubmitResult(
        r.uint64(0, "index"),
        Bytes32.wrap(r.slice(WORD, WORD, "digest")),
        r.uint64(2 * WORD, "startIndex"),
        r.uint64(3 * WORD, "length"));
  }

  /** A uint256 return value ({@code pricePerSector()}). */
  public static BigInteger decodeUint256(Bytes data, String what) {
    return new Reader(data, what).slice(0, WORD, what).toUnsignedBigInteger();
  }

  /** An address return value ({@code market()}). */
  public static Address decodeAddress(Bytes data, String what) {
    Bytes w = new Reader(data, what).slice(0, WORD, what);
    if (!w.slice(0, 12).isZero()) {
      throw new InvalidInputException(what + " is not an address: " + w);
    }
    return new Address(w.slice(12, 20));
  }

  /**
   * A readable account of revert data: {@code Error(string)}'s message, {@code NotEnoughFee(price,
   * amount, paid)}, {@code Panic(code)}, or the raw hex; empty for none.
   */
  public static Optional<String> describeRevert(Bytes data) {
    if (data.isEmpty()) {
      return Optional.empty();
    }
    try {
      if (data.size() >= 4) {
        Bytes sel = data.slice(0, 4);
        Reader r = new Reader(data.slice(4), "revert data");
        if (sel.equals(ERROR_SELECTOR)) {
          int at = r.offset(0, 0, "Error offset");
          int len = r.length(at, 1, "Error length");
          return Optional.of(
              new String(
                  r.slice(at + WORD, len, "Error message").toArrayUnsafe(),
                  StandardCharsets.UTF_8));
        }
        if (sel.equals(NOT_ENOUGH_FEE_SELECTOR)) {
          return Optional.of(
              "NotEnoughFee(price="
                  + r.slice(0, WORD, "price").toUnsignedBigInteger()
                  + ", amount="
                  + r.slice(WORD, WORD, "amount").toUnsignedBigInteger()
                  + ", paid="
                  + r.slice(2 * WORD, WORD, "paid").toUnsignedBigInteger()
                  + ")");
        }
        if (sel.equals(PANIC_SELECTOR)) {
          return Optional.of(
              "Panic(0x" + r.slice(0, WORD, "code").toUnsignedBigInteger().toString(16) + ")");
        }
      }
    } catch (InvalidInputException e) {
      // fall through to the raw bytes: a garbled payload is still worth showing
    }
    return Optional.of("revert data " + data.toHexString());
  }

  /** Bounds-checked reads of ABI words, with messages that name the field. */
  private static final class Reader {
    private final Bytes data;
    private final String where;

    Reader(Bytes data, String where) {
      this.data = data;
      this.where = where;
    }

    Bytes slice(int at, int len, String field) {
      if (at < 0 || len < 0 || (long) at + len > data.size()) {
        throw new InvalidInputException(
            where
                + ": "
                + field
                + " at byte "
                + at
                + " (+"
                + len
                + ") is beyond the data's "
                + data.size()
                + " bytes");
      }
      return data.slice(at, len);
    }

    /** A uint256 word that must fit in a non-negative long. */
    long uint64(int at, String field) {
      Bytes w = slice(at, WORD, field);
      if (!w.slice(0, 24).isZero() || (w.get(24) & 0x80) != 0) {
        throw new InvalidInputException(where + ": " + field + " does not fit in 63 bits: " + w);
      }
      return w.slice(24, 8).toLong();
    }

    /** An offset word, relative to {@code base}; returns the absolute position. */
    int offset(int at, int base, String field) {
      long off = uint64(at, field);
      if (off % WORD != 0 || base + off > data.size()) {
        throw new InvalidInputException(
            where + ": " + field + " " + off + " is not a word-aligned position inside the data");
      }
      return (int) (base + off);
    }

    /** A length word of an array of items of {@code itemSize} bytes that must fit the data. */
    int length(int at, int itemSize, String field) {
      long len = uint64(at, field);
      if (len * itemSize > data.size()) {
        throw new InvalidInputException(where + ": " + field + " " + len + " exceeds the data");
      }
      return (int) len;
    }
  }
}
