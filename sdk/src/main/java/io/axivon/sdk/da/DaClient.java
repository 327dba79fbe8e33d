package io.axivon.sdk.da;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.sdk.compute.ServingAbi;
import io.axivon.sdk.eth.CallRequest;
import io.axivon.sdk.eth.Eip1559Transaction;
import io.axivon.sdk.eth.EthClient;
import io.axivon.sdk.eth.ExecutionRevertedException;
import io.axivon.sdk.eth.Receipt;
import io.axivon.sdk.storage.FlowAbi;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeoutException;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The DA system module on chain 0 ({@code 0x…1004}, specs/contracts/IDataAvailability.sol) over
 * Ethereum JSON-RPC: its views by {@code eth_call}, and its transactions signed as EIP-1559 and
 * dry-run first, so that a refusal comes back as an {@link InvalidInputException} with the module's
 * reason before anything is sent. Thread-safe; {@link #send} takes the nonce from the caller, so
 * one process sending from one key concurrently must hand out nonces itself.
 */
public final class DaClient {
  /** The DA module's address, {@code 0x…1004}. */
  public static final Address DA_ADDRESS =
      Address.fromHex("0x0000000000000000000000000000000000001004");

  public static final String REGISTER_OPERATOR = "registerOperator(bytes,bytes,string)";
  public static final String UPDATE_OPERATOR = "updateOperator(string)";
  public static final String REGISTER_DISPERSER = "registerDisperser()";
  public static final String CONFIRM_BLOB = "confirmBlob(bytes,bytes32,uint32,uint64)";
  public static final String IS_AVAILABLE = "isAvailable(bytes32)";
  public static final String BLOB = "blob(bytes32)";
  public static final String QUORUM = "quorum(uint64,uint64,uint32)";
  public static final String OPERATOR = "operator(address)";
  public static final String OPERATORS = "operators()";
  public static final String DISPERSER = "disperser(address)";
  public static final String EPOCH_INFO = "epochInfo()";
  public static final String BLOB_FEE = "blobFee(uint64)";
  public static final String BLOB_CERTIFIED = "BlobCertified(bytes32,uint64,uint64,address,uint64)";

  private static final int WORD = 32;
  private static final int BLS_KEY = 48;

  /** {@code epochInfo()}: the current epoch, its seed, the operators its quorums are drawn from. */
  public record EpochInfo(long epoch, Bytes32 seed, long operatorCount) {}

  /** One quorum member as {@code quorum(epoch, id, k)} lists it. */
  public record Member(Address id, Bytes blsKey, long weight, int rows) {}

  /** A registered operator: its BLS key and the address its DA node listens on. */
  public record Operator(Bytes blsKey, String networkAddress) {}

  /** {@code disperser(account)}. */
  public record Disperser(BigInteger bond, long withdrawableAt, boolean active) {}

  /** {@code blob(dataRoot)}; status 0 unknown, 1 available, 2 invalidated. */
  public record Blob(
      int status,
      Address disperser,
      long epoch,
      long quorumId,
      int k,
      long size,
      long confirmedAt) {}

  private final EthClient eth;
  private final Address module;
  private final Duration receiptTimeout;
  private volatile long chainId = -1;

  public DaClient(EthClient eth, Address module, Duration receiptTimeout) {
    this.eth = Objects.requireNonNull(eth, "eth");
    this.module = Objects.requireNonNull(module, "module");
    this.receiptTimeout = Objects.requireNonNull(receiptTimeout, "receiptTimeout");
  }

  public EthClient eth() {
    return eth;
  }

  public Address moduleAddress() {
    return module;
  }

  // ------------------------------------------------------------------ views

  public EpochInfo epochInfo() {
    return decodeEpochInfo(view(ServingAbi.selector(EPOCH_INFO)));
  }

  /** {@code epochInfo()}'s return data. */
  public static EpochInfo decodeEpochInfo(Bytes data) {
    Reader r = new Reader(data, EPOCH_INFO);
    return new EpochInfo(
        r.u64(0, "epoch"), Bytes32.wrap(r.slice(WORD, WORD, "seed")), r.u64(64, "count"));
  }

  /**
   * The members of quorum {@code quorumId} in {@code epoch}, in sortition order, with the rows each
   * holds in a square of width {@code k}.
   *
   * @throws InvalidInputException with the module's reason if the epoch or quorum does not exist
   */
  public List<Member> quorum(long epoch, long quorumId, int k) {
    return decodeQuorum(view(quorumCall(epoch, quorumId, k)));
  }

  public static Bytes quorumCall(long epoch, long quorumId, int k) {
    return Bytes.concatenate(
        ServingAbi.selector(QUORUM),
        ServingAbi.uint(epoch),
        ServingAbi.uint(quorumId),
        ServingAbi.uint(k));
  }

  /** {@code quorum(…)}'s return data. */
  public static List<Member> decodeQuorum(Bytes data) {
    Reader r = new Reader(data, QUORUM);
    int membersAt = r.offset(0, 0, "members");
    int keysAt = r.offset(WORD, 0, "blsKeys");
    int weightsAt = r.offset(2 * WORD, 0, "weights");
    int rowsAt = r.offset(3 * WORD, 0, "rows");
    int n = r.length(membersAt, WORD, "members");
    Bytes keys = r.bytes(keysAt, "blsKeys");
    if (keys.size() != n * BLS_KEY
        || r.length(weightsAt, WORD, "weights") != n
        || r.length(rowsAt, WORD, "rows") != n) {
      throw new InvalidInputException(QUORUM + ": the member, key, weight and row lists differ");
    }
    List<Member> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(
          new Member(
              r.address(membersAt + WORD + i * WORD, "member"),
              keys.slice(i * BLS_KEY, BLS_KEY),
              r.u64(weightsAt + WORD + i * WORD, "weight"),
              (int) r.u64(rowsAt + WORD + i * WORD, "rows")));
    }
    return out;
  }

  /** A registered operator, empty if {@code account} is none. */
  public Optional<Operator> operator(Address account) {
    return decodeOperator(
        view(Bytes.concatenate(ServingAbi.selector(OPERATOR), ServingAbi.word(account))));
  }

  /** {@code operator(account)}'s return data. */
  public static Optional<Operator> decodeOperator(Bytes data) {
    Reader r = new Reader(data, OPERATOR);
    if (r.u64(0, "registered") == 0) {
      return Optional.empty();
    }
    return Optional.of(
        new Operator(
            r.bytes(r.offset(WORD, 0, "blsKey"), "blsKey"),
            r.string(r.offset(2 * WORD, 0, "networkAddress"), "networkAddress")));
  }

  /** The registered operators, in list order. */
  public List<Address> operators() {
    Reader r = new Reader(view(ServingAbi.selector(OPERATORS)), OPERATORS);
    int at = r.offset(0, 0, "operators");
    int n = r.length(at, WORD, "operators");
    List<Address> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(r.address(at + WORD + i * WORD, "operator"));
    }
    return out;
  }

  public Disperser disperser(Address account) {
    Reader r =
        new Reader(
            view(Bytes.concatenate(ServingAbi.selector(DISPERSER), ServingAbi.word(account))),
            DISPERSER);
    return new Disperser(
        r.slice(0, WORD, "bond").toUnsignedBigInteger(),
        r.u64(WORD, "withdrawableAt"),
        r.u64(2 * WORD, "active") != 0);
  }

  /** Whether {@code dataRoot} is certified and not invalidated. */
  public boolean isAvailable(Bytes32 dataRoot) {
    return new Reader(
                view(Bytes.concatenate(ServingAbi.selector(IS_AVAILABLE), dataRoot)), IS_AVAILABLE)
            .u64(0, "available")
        != 0;
  }

  public Blob blob(Bytes32 dataRoot) {
    return decodeBlob(view(Bytes.concatenate(ServingAbi.selector(BLOB), dataRoot)));
  }

  /** {@code blob(dataRoot)}'s return data. */
  public static Blob decodeBlob(Bytes data) {
    Reader r = new Reader(data, BLOB);
    return new Blob(
        (int) r.u64(0, "status"),
        r.address(WORD, "disperser"),
        r.u64(2 * WORD, "epoch"),
        r.u64(3 * WORD, "quorumId"),
        (int) r.u64(4 * WORD, "k"),
        r.u64(5 * WORD, "size"),
        r.u64(6 * WORD, "confirmedAt"));
  }

  /**
   * The {@code BlobCertified} event of an available blob: its transaction and block, empty if the
   * blob is not available.
   */
  public Optional<io.axivon.sdk.eth.Log> certifiedEvent(Bytes32 dataRoot) {
    Blob b = blob(dataRoot);
    if (b.status() != 1) {
      return Optional.empty();
    }
    return eth
        .getLogs(
            module,
            List.of(List.of(ServingAbi.topic(BLOB_CERTIFIED)), List.of(dataRoot)),
            b.confirmedAt(),
            b.confirmedAt())
        .stream()
        .findFirst();
  }

  /** The fee, burned at confirmation, of a blob of {@code size} bytes. */
  public BigInteger blobFee(long size) {
    return new Reader(
            view(Bytes.concatenate(ServingAbi.selector(BLOB_FEE), ServingAbi.uint(size))), BLOB_FEE)
        .slice(0, WORD, "fee")
        .toUnsignedBigInteger();
  }

  // ------------------------------------------------------------------ call data

  public static Bytes registerOperatorCall(Bytes blsKey, Bytes proofOfPossession, String address) {
    return Bytes.concatenate(
        ServingAbi.selector(REGISTER_OPERATOR),
        ServingAbi.tuple(
            List.of(
                ServingAbi.dynamic(blsKey),
                ServingAbi.dynamic(proofOfPossession),
                ServingAbi.dynamic(address))));
  }

  public static Bytes updateOperatorCall(String address) {
    return Bytes.concatenate(
        ServingAbi.selector(UPDATE_OPERATOR),
        ServingAbi.tuple(List.of(ServingAbi.dynamic(address))));
  }

  public static Bytes registerDisperserCall() {
    return ServingAbi.selector(REGISTER_DISPERSER);
  }

  public static Bytes confirmBlobCall(Bytes certificate, Bytes32 dataRoot, int k, long size) {
    return Bytes.concatenate(
        ServingAbi.selector(CONFIRM_BLOB),
        ServingAbi.tuple(
            List.of(
                ServingAbi.dynamic(certificate),
                dataRoot,
                ServingAbi.uint(k),
                ServingAbi.uint(size))));
  }

  // ------------------------------------------------------------------ transactions

  /**
   * Dry-runs {@code data} with {@code value} from {@code key}'s account, then sends it with {@code
   * nonce} and waits for the receipt.
   *
   * @param what the function, for messages
   * @throws InvalidInputException with the module's reason if the dry run or the transaction
   *     reverts
   * @throws IllegalStateException if no receipt comes within the receipt timeout
   */
  public Receipt send(
      Bytes data, BigInteger value, Secp256k1PrivateKey key, long nonce, String what)
      throws InterruptedException {
    Bytes32 hash = submit(data, value, key, nonce, what);
    return awaitReceipt(hash, data, value, key.address(), what);
  }

  /**
   * The first half of {@link #send}: the dry run, then the signed transaction sent; returns its
   * hash without waiting for it to be included.
   */
  public Bytes32 submit(
      Bytes data, BigInteger value, Secp256k1PrivateKey key, long nonce, String what) {
    return submit(prepare(data, value, key.address(), what), key, nonce);
  }

  /**
   * A transaction dry-run and priced, waiting only for its nonce: what {@link #submit(Prepared,
   * Secp256k1PrivateKey, long)} sends.
   */
  public record Prepared(
      Bytes data, BigInteger value, long gas, BigInteger tip, BigInteger maxFee) {}

  /**
   * The part of {@link #submit} that needs no nonce: the dry run, the gas estimate and the fees. A
   * sender that hands out nonces under a lock does this outside it, so only the send itself is
   * serialized.
   *
   * @throws InvalidInputException with the module's reason if the dry run reverts
   */
  public Prepared prepare(Bytes data, BigInteger value, Address from, String what) {
    return prepare(data, value, from, what, OptionalLong.empty());
  }

  /**
   * {@link #prepare} with a known gas limit: only the dry run ({@code eth_call}, one execution)
   * instead of the estimate's bisection (several); for a sender that sends the same call shape
   * often.
   */
  public Prepared prepare(
      Bytes data, BigInteger value, Address from, String what, OptionalLong gasLimit) {
    CallRequest call = new CallRequest(Optional.of(from), module, value, data);
    long gas;
    try {
      eth.call(call, "latest");
      gas = gasLimit.isPresent() ? gasLimit.getAsLong() : eth.estimateGas(call) * 5 / 4;
    } catch (ExecutionRevertedException e) {
      throw new InvalidInputException(what + " refused: " + reason(e));
    }
    BigInteger tip = eth.maxPriorityFeePerGas();
    return new Prepared(data, value, gas, tip, eth.gasPrice().shiftLeft(1).max(tip));
  }

  /** Signs {@code prepared} with {@code nonce} and sends it; returns the hash. */
  public Bytes32 submit(Prepared prepared, Secp256k1PrivateKey key, long nonce) {
    Eip1559Transaction tx =
        new Eip1559Transaction(
            chainId(),
            nonce,
            prepared.tip(),
            prepared.maxFee(),
            prepared.gas(),
            Optional.of(module),
            prepared.value(),
            prepared.data());
    return eth.sendRawTransaction(tx.sign(key).raw());
  }

  private long chainId() {
    long id = chainId;
    if (id < 0) {
      id = eth.chainId(); // a chain's id never changes: asked once
      chainId = id;
    }
    return id;
  }

  /** Waits for the receipt of a transaction {@link #submit} sent; a revert is refused input. */
  public Receipt awaitReceipt(Bytes32 hash, Bytes data, BigInteger value, Address from, String what)
      throws InterruptedException {
    Receipt r;
    try {
      r = eth.waitForReceipt(hash, receiptTimeout);
    } catch (TimeoutException e) {
      throw new IllegalStateException(what + " transaction " + hash + " got no receipt in time");
    }
    if (!r.success()) {
      String why;
      try {
        eth.call(
            new CallRequest(Optional.of(from), module, value, data),
            EthClient.block(Math.max(0, r.blockNumber() - 1)));
        why =
            "no reason given (its replay on the parent block succeeds: a transaction earlier in"
                + " the block changed the state)";
      } catch (ExecutionRevertedException e) {
        why = reason(e);
      }
      throw new InvalidInputException(
          what + " transaction " + hash + " reverted in block " + r.blockNumber() + ": " + why);
    }
    return r;
  }

  /** {@link #send} with the account's pending nonce: for one-off transactions. */
  public Receipt send(Bytes data, BigInteger value, Secp256k1PrivateKey key, String what)
      throws InterruptedException {
    return send(data, value, key, eth.getTransactionCount(key.address(), "pending"), what);
  }

  private static String reason(ExecutionRevertedException e) {
    return FlowAbi.describeRevert(e.revertData()).orElse(e.getMessage());
  }

  private Bytes view(Bytes data) {
    try {
      return eth.call(new CallRequest(Optional.empty(), module, BigInteger.ZERO, data), "latest");
    } catch (ExecutionRevertedException e) {
      throw new InvalidInputException("the DA module refuses: " + reason(e));
    }
  }

  /** Bounds-checked reads of ABI return data; any violation is an {@link InvalidInputException}. */
  private record Reader(Bytes data, String where) {
    Bytes slice(int at, int len, String field) {
      if (at < 0 || len < 0 || (long) at + len > data.size()) {
        throw new InvalidInputException(
            where + ": " + field + " at byte " + at + " is beyond the " + data.size() + " bytes");
      }
      return data.slice(at, len);
    }

    long u64(int at, String field) {
      Bytes w = slice(at, WORD, field);
      if (!w.slice(0, 24).isZero() || (w.get(24) & 0x80) != 0) {
        throw new InvalidInputException(where + ": " + field + " does not fit in 63 bits");
      }
      return w.slice(24, 8).toLong();
    }

    Address address(int at, String field) {
      Bytes w = slice(at, WORD, field);
      if (!w.slice(0, 12).isZero()) {
        throw new InvalidInputException(where + ": " + field + " has dirty high bytes");
      }
      return new Address(w.slice(12));
    }

    int offset(int at, int base, String field) {
      long off = u64(at, field);
      if (off % WORD != 0 || base + off > data.size()) {
        throw new InvalidInputException(where + ": " + field + " offset " + off + " is bad");
      }
      return (int) (base + off);
    }

    int length(int at, int itemSize, String field) {
      long len = u64(at, field);
      if (len * itemSize > data.size()) {
        throw new InvalidInputException(where + ": " + field + " length " + len + " is too long");
      }
      return (int) len;
    }

    Bytes bytes(int at, String field) {
      int len = length(at, 1, field);
      return slice(at + WORD, len, field);
    }

    String string(int at, String field) {
      try {
        return StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(java.nio.ByteBuffer.wrap(bytes(at, field).toArrayUnsafe()))
            .toString();
      } catch (CharacterCodingException e) {
        throw new InvalidInputException(where + ": " + field + " is not UTF-8");
      }
    }
  }
}
