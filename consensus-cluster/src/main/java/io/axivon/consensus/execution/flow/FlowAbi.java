package io.axivon.consensus.execution.flow;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.execution.system.Abi;
import io.axivon.consensus.execution.system.ModuleRevert;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.apache.tuweni.bytes.MutableBytes;

/**
 * The ABI of 0G's Flow contract as far as Axivon speaks it (specs/contracts/IFlow.sol), and the
 * codec of its {@code Submission} tuple. Hand-written because the web3j abi release the build uses
 * (5.0.0) has no tuple types; it is strict like {@link Abi#decodeArgs}: input must be exactly the
 * canonical encoding of what it decodes to.
 */
public final class FlowAbi {
  public static final String SUBMISSION = "(uint256,bytes,(bytes32,uint256)[])";
  public static final String SUBMIT = "submit(" + SUBMISSION + ")";
  public static final String BATCH_SUBMIT = "batchSubmit(" + SUBMISSION + "[])";

  /**
   * 0G's later Flow ABI (what the 0G TypeScript SDK 1.x sends): the submission wrapped with a
   * {@code submitter} address, {@code ((uint256,bytes,(bytes32,uint256)[]),address)}.
   */
  public static final String SUBMISSION_WITH_SUBMITTER = "(" + SUBMISSION + ",address)";

  public static final String SUBMIT_WITH_SUBMITTER = "submit(" + SUBMISSION_WITH_SUBMITTER + ")";
  public static final String BATCH_SUBMIT_WITH_SUBMITTER =
      "batchSubmit(" + SUBMISSION_WITH_SUBMITTER + "[])";
  public static final String MARKET = "market()";
  public static final String PRICE_PER_SECTOR = "pricePerSector()";
  public static final String NUM_SUBMISSIONS = "numSubmissions()";
  public static final String EPOCH = "epoch()";
  public static final String ROOT = "root()";
  public static final String FLOW_LENGTH = "flowLength()";
  public static final String GET_CONTEXT = "getContext()";
  public static final String REWARD_POOL = "rewardPool()";
  public static final String SUBMIT_EVENT =
      "Submit(address,bytes32,uint256,uint256,uint256," + SUBMISSION + ")";
  public static final String NOT_ENOUGH_FEE = "NotEnoughFee(uint256,uint256,uint256)";

  public static final Bytes32 SUBMIT_TOPIC = Abi.eventTopic(SUBMIT_EVENT);

  private FlowAbi() {}

  /** A submission as the later ABI carries it, with the submitter the caller named. */
  public record Submitted(Submission submission, Address submitter) {}

  // ------------------------------------------------------------------ encoding

  /** The tuple's ABI encoding (it is dynamic: callers place it behind an offset). */
  public static Bytes encode(Submission s) {
    int tagWords = (s.tags().size() + 31) / 32;
    int nodesAt = 96 + 32 + 32 * tagWords;
    MutableBytes out = MutableBytes.create(nodesAt + 32 + 64 * s.nodes().size());
    word(out, 0, s.length());
    word(out, 32, BigInteger.valueOf(96));
    word(out, 64, BigInteger.valueOf(nodesAt));
    word(out, 96, BigInteger.valueOf(s.tags().size()));
    out.set(128, s.tags());
    word(out, nodesAt, BigInteger.valueOf(s.nodes().size()));
    int at = nodesAt + 32;
    for (Submission.Node n : s.nodes()) {
      out.set(at, n.root());
      word(out, at + 32, n.height());
      at += 64;
    }
    return out;
  }

  /** {@code submit}'s arguments: one offset, then the tuple. */
  public static Bytes encodeSubmitArgs(Submission s) {
    return Bytes.concatenate(uint(BigInteger.valueOf(32)), encode(s));
  }

  /** {@code submit}'s call data. */
  public static Bytes submitCall(Submission s) {
    return Bytes.concatenate(Abi.selector(SUBMIT), encodeSubmitArgs(s));
  }

  /** {@code batchSubmit}'s arguments: offset, count, one offset per tuple, the tuples. */
  public static Bytes encodeBatchArgs(List<Submission> all) {
    return encodeArray(all.stream().map(FlowAbi::encode).toList());
  }

  public static Bytes batchSubmitCall(List<Submission> all) {
    return Bytes.concatenate(Abi.selector(BATCH_SUBMIT), encodeBatchArgs(all));
  }

  /** The {@code (submission, submitter)} tuple: offset of the submission, the address, it. */
  public static Bytes encode(Submitted s) {
    return Bytes.concatenate(
        uint(BigInteger.valueOf(64)),
        Bytes32.leftPad(s.submitter().bytes()),
        encode(s.submission()));
  }

  /** {@code submit((submission, submitter))}'s arguments: one offset, then the tuple. */
  public static Bytes encodeSubmitWithSubmitterArgs(Submitted s) {
    return Bytes.concatenate(uint(BigInteger.valueOf(32)), encode(s));
  }

  public static Bytes submitWithSubmitterCall(Submitted s) {
    return Bytes.concatenate(Abi.selector(SUBMIT_WITH_SUBMITTER), encodeSubmitWithSubmitterArgs(s));
  }

  /** {@code batchSubmit((submission, submitter)[])}'s arguments. */
  public static Bytes encodeBatchWithSubmitterArgs(List<Submitted> all) {
    return encodeArray(all.stream().map(FlowAbi::encode).toList());
  }

  public static Bytes batchSubmitWithSubmitterCall(List<Submitted> all) {
    return Bytes.concatenate(
        Abi.selector(BATCH_SUBMIT_WITH_SUBMITTER), encodeBatchWithSubmitterArgs(all));
  }

  /** One dynamic array argument of dynamic tuples: offset, count, one offset per tuple, tuples. */
  private static Bytes encodeArray(List<Bytes> tuples) {
    List<Bytes> parts = new ArrayList<>();
    parts.add(uint(BigInteger.valueOf(32)));
    parts.add(uint(BigInteger.valueOf(tuples.size())));
    long offset = 32L * tuples.size();
    for (Bytes t : tuples) {
      parts.add(uint(BigInteger.valueOf(offset)));
      offset += t.size();
    }
    parts.addAll(tuples);
    return Bytes.concatenate(parts);
  }

  /** The Submit event's data: {@code submissionIndex, startPos, length, submission}. */
  public static Bytes encodeSubmitEventData(
      long submissionIndex, long startPos, long sectors, Submission s) {
    return Bytes.concatenate(
        uint(BigInteger.valueOf(submissionIndex)),
        uint(BigInteger.valueOf(startPos)),
        uint(BigInteger.valueOf(sectors)),
        uint(BigInteger.valueOf(128)),
        encode(s));
  }

  /** {@code NotEnoughFee(price, amount, paid)}: the custom error's revert data. */
  public static Bytes notEnoughFee(BigInteger price, BigInteger amount, BigInteger paid) {
    return Bytes.concatenate(Abi.selector(NOT_ENOUGH_FEE), uint(price), uint(amount), uint(paid));
  }

  /** A 32-byte big-endian unsigned word. */
  public static Bytes32 uint(BigInteger v) {
    if (v.signum() < 0 || v.bitLength() > 256) {
      throw new IllegalArgumentException("not a uint256: " + v);
    }
    byte[] b = v.toByteArray();
    int skip = b.length > 32 ? 1 : 0;
    return Bytes32.leftPad(Bytes.wrap(b, skip, b.length - skip));
  }

  private static void word(MutableBytes out, int at, BigInteger v) {
    out.set(at, uint(v));
  }

  // ------------------------------------------------------------------ decoding

  /**
   * Decodes {@code submit}'s arguments (after the selector).
   *
   * @throws ModuleRevert if they are not the canonical encoding of one submission
   */
  public static Submission decodeSubmitArgs(Bytes args) {
    Reader r = new Reader(args);
    Submission s = r.tuple(r.offset(0, 0));
    if (!encodeSubmitArgs(s).equals(args)) {
      throw new ModuleRevert("malformed call data");
    }
    return s;
  }

  /**
   * Decodes {@code batchSubmit}'s arguments (after the selector).
   *
   * @throws ModuleRevert if they are not the canonical encoding of a submission array
   */
  public static List<Submission> decodeBatchArgs(Bytes args, int max) {
    Reader r = new Reader(args);
    int base = r.offset(0, 0);
    int n = r.count(base, 32);
    if (n > max) {
      throw new ModuleRevert("batch of " + n + " submissions, at most " + max);
    }
    List<Submission> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(r.tuple(r.offset(base + 32 + 32 * i, base + 32)));
    }
    if (!encodeBatchArgs(out).equals(args)) {
      throw new ModuleRevert("malformed call data");
    }
    return out;
  }

  /**
   * Decodes {@code submit((submission, submitter))}'s arguments (after the selector).
   *
   * @throws ModuleRevert if they are not the canonical encoding of one such tuple
   */
  public static Submitted decodeSubmitWithSubmitterArgs(Bytes args) {
    Reader r = new Reader(args);
    Submitted s = r.submitted(r.offset(0, 0));
    if (!encodeSubmitWithSubmitterArgs(s).equals(args)) {
      throw new ModuleRevert("malformed call data");
    }
    return s;
  }

  /**
   * Decodes {@code batchSubmit((submission, submitter)[])}'s arguments (after the selector).
   *
   * @throws ModuleRevert if they are not the canonical encoding of such an array
   */
  public static List<Submitted> decodeBatchWithSubmitterArgs(Bytes args, int max) {
    Reader r = new Reader(args);
    int base = r.offset(0, 0);
    int n = r.count(base, 32);
    if (n > max) {
      throw new ModuleRevert("batch of " + n + " submissions, at most " + max);
    }
    List<Submitted> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(r.submitted(r.offset(base + 32 + 32 * i, base + 32)));
    }
    if (!encodeBatchWithSubmitterArgs(out).equals(args)) {
      throw new ModuleRevert("malformed call data");
    }
    return out;
  }

  /** Bounds-checked reads; any violation is "malformed call data". */
  private record Reader(Bytes data) {
    BigInteger word(long at) {
      if (at < 0 || at + 32 > data.size()) {
        throw new ModuleRevert("malformed call data");
      }
      return data.slice((int) at, 32).toUnsignedBigInteger();
    }

    /** The offset stored at {@code at}, relative to {@code base}, as an absolute position. */
    int offset(long at, int base) {
      BigInteger o = word(at).add(BigInteger.valueOf(base));
      if (o.compareTo(BigInteger.valueOf(data.size())) >= 0) {
        throw new ModuleRevert("malformed call data");
      }
      return o.intValueExact();
    }

    /** A count at {@code at} whose items take {@code itemSize} bytes each after it. */
    int count(int at, int itemSize) {
      BigInteger n = word(at);
      long room = (data.size() - at - 32L) / itemSize;
      if (n.compareTo(BigInteger.valueOf(room)) > 0) {
        throw new ModuleRevert("malformed call data");
      }
      return n.intValueExact();
    }

    /** A {@code (submission, submitter)} tuple; a dirty address word fails the re-encoding. */
    Submitted submitted(int base) {
      int dataAt = offset(base, base);
      word(base + 32L);
      Address submitter = new Address(data.slice(base + 32 + 12, 20));
      return new Submitted(tuple(dataAt), submitter);
    }

    Submission tuple(int base) {
      BigInteger length = word(base);
      int tagsAt = offset(base + 32L, base);
      int nodesAt = offset(base + 64L, base);
      int tagLen = count(tagsAt, 1);
      Bytes tags = data.slice(tagsAt + 32, tagLen);
      int k = count(nodesAt, 64);
      if (k > Submission.MAX_NODES) {
        throw new ModuleRevert("submission has " + k + " nodes, at most " + Submission.MAX_NODES);
      }
      List<Submission.Node> nodes = new ArrayList<>(k);
      for (int i = 0; i < k; i++) {
        int at = nodesAt + 32 + 64 * i;
        nodes.add(new Submission.Node(Bytes32.wrap(data.slice(at, 32)), word(at + 32L)));
      }
      return new Submission(length, tags, nodes);
    }
  }
}
