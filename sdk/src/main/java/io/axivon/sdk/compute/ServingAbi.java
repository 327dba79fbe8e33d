package io.axivon.sdk.compute;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1Signature;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The serving module's ABI (specs/contracts/IServing.sol): signatures, and the codecs of its tuple
 * shapes ({@code SettledRequest[]}, {@code Service}, {@code Service[]}, {@code Account}).
 *
 * <p>Hand-written because the managed web3j abi (5.0.0) has no tuple types. Decoding is strict:
 * bounds-checked, and the input must re-encode to itself, so one call has one encoding.
 */
public final class ServingAbi {
  public static final String SETTLED_REQUEST = "(address,string,uint256,uint256,bytes32,bytes)";
  public static final String SERVICE =
      "(address,string,string,string,string,uint256,uint256,uint8,uint256)";

  public static final String ADD_OR_UPDATE_SERVICE =
      "addOrUpdateService(string,string,string,string,uint256,uint256,uint8)";
  public static final String REMOVE_SERVICE = "removeService(string)";
  public static final String GET_SERVICE = "getService(address,string)";
  public static final String LIST_SERVICES = "listServices()";
  public static final String DEPOSIT = "deposit()";
  public static final String TRANSFER_FUND = "transferFund(address,uint256)";
  public static final String REQUEST_REFUND = "requestRefund(address,uint256)";
  public static final String PROCESS_REFUND = "processRefund(address)";
  public static final String WITHDRAW = "withdraw(uint256)";
  public static final String GET_ACCOUNT = "getAccount(address,address)";
  public static final String GET_BALANCE = "getBalance(address)";
  public static final String SETTLE_FEES = "settleFees(" + SETTLED_REQUEST + "[])";
  public static final String LOCK_BLOCKS = "lockBlocks()";

  /** {@code Receipt}: a {@link ResponseReceipt}'s fields in order. */
  public static final String RECEIPT =
      "(address,address,string,uint256,uint256,bytes32,bytes32,uint256)";

  public static final String DEPOSIT_BOND = "depositBond()";
  public static final String REQUEST_UNBOND = "requestUnbond(uint256)";
  public static final String WITHDRAW_BOND = "withdrawBond()";
  public static final String GET_BOND = "getBond(address)";
  public static final String DISPUTE_EQUIVOCATION =
      "disputeEquivocation(" + RECEIPT + ",bytes," + RECEIPT + ",bytes)";
  public static final String DISPUTE_METERING = "disputeMetering(" + RECEIPT + ",bytes,bytes)";
  public static final String IS_DISPUTED = "isDisputed(address,address,uint256)";

  public static final String SERVICE_UPDATED =
      "ServiceUpdated(address,string,string,string,string,uint256,uint256,uint8)";
  public static final String SERVICE_REMOVED = "ServiceRemoved(address,string)";
  public static final String DEPOSITED = "Deposited(address,uint256,uint256)";
  public static final String TRANSFERRED = "Transferred(address,address,uint256)";
  public static final String REFUND_REQUESTED = "RefundRequested(address,address,uint256,uint256)";
  public static final String REFUND_PROCESSED = "RefundProcessed(address,address,uint256)";
  public static final String WITHDRAWN = "Withdrawn(address,uint256)";
  public static final String FEES_SETTLED = "FeesSettled(address,address,uint256,uint256,uint256)";
  public static final String BOND_DEPOSITED = "BondDeposited(address,uint256,uint256)";
  public static final String UNBOND_REQUESTED = "UnbondRequested(address,uint256,uint256)";
  public static final String BOND_WITHDRAWN = "BondWithdrawn(address,uint256)";
  public static final String DISPUTED = "Disputed(address,address,uint256,uint8,uint256)";

  private ServingAbi() {}

  public static Bytes selector(String signature) {
    return topic(signature).slice(0, 4);
  }

  public static Bytes32 topic(String signature) {
    return Hashes.keccak256(Bytes.wrap(signature.getBytes(StandardCharsets.US_ASCII)));
  }

  // ------------------------------------------------------------------ words

  public static Bytes32 uint(BigInteger v) {
    return Eip712.uint(v);
  }

  public static Bytes32 uint(long v) {
    return Bytes32.leftPad(Bytes.ofUnsignedLong(v));
  }

  public static Bytes32 word(Address a) {
    return Bytes32.leftPad(a.bytes());
  }

  /** A dynamic value's encoding, placed in a tuple's tail behind an offset. */
  public record Dynamic(Bytes encoded) {}

  /** A dynamic {@code bytes}/{@code string} value: length word, data right-padded to words. */
  public static Dynamic dynamic(Bytes data) {
    int padded = (data.size() + 31) / 32 * 32;
    return new Dynamic(
        Bytes.concatenate(uint(data.size()), data, Bytes.wrap(new byte[padded - data.size()])));
  }

  public static Dynamic dynamic(String s) {
    return dynamic(Bytes.wrap(s.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * A tuple's encoding: each part is either a static word ({@link Bytes32}) kept in the head, or a
   * {@link Dynamic} value placed in the tail behind an offset.
   */
  public static Bytes tuple(List<?> parts) {
    List<Bytes> head = new ArrayList<>();
    List<Bytes> tail = new ArrayList<>();
    long offset = 32L * parts.size();
    for (Object p : parts) {
      switch (p) {
        case Bytes32 w -> head.add(w);
        case Dynamic d -> {
          head.add(uint(offset));
          tail.add(d.encoded());
          offset += d.encoded().size();
        }
        default -> throw new IllegalArgumentException("not a tuple part: " + p);
      }
    }
    head.addAll(tail);
    return Bytes.concatenate(head.toArray(new Bytes[0]));
  }

  /** An array of dynamic tuples: count, one offset each (from after the count), the tuples. */
  public static Bytes dynamicArray(List<Bytes> tuples) {
    List<Bytes> parts = new ArrayList<>();
    parts.add(uint(tuples.size()));
    long offset = 32L * tuples.size();
    for (Bytes t : tuples) {
      parts.add(uint(offset));
      offset += t.size();
    }
    parts.addAll(tuples);
    return Bytes.concatenate(parts.toArray(new Bytes[0]));
  }

  // ------------------------------------------------------------------ settleFees

  /** The {@code SettledRequest} tuple of one signed request (the provider is the caller). */
  public static Bytes encodeSettledRequest(SignedRequest s) {
    ServingRequest r = s.request();
    return tuple(
        List.of(
            word(r.user()),
            dynamic(r.service()),
            uint(r.nonce()),
            uint(r.fee()),
            r.requestHash(),
            dynamic(s.signature().encode())));
  }

  /** {@code settleFees}'s arguments (after the selector). */
  public static Bytes encodeSettleFeesArgs(List<SignedRequest> batch) {
    List<Bytes> tuples = new ArrayList<>();
    for (SignedRequest s : batch) {
      tuples.add(encodeSettledRequest(s));
    }
    return Bytes.concatenate(uint(32), dynamicArray(tuples));
  }

  public static Bytes settleFeesCall(List<SignedRequest> batch) {
    return Bytes.concatenate(selector(SETTLE_FEES), encodeSettleFeesArgs(batch));
  }

  /**
   * Decodes {@code settleFees}'s arguments, the caller being {@code provider}.
   *
   * @throws InvalidInputException naming what is malformed (request index, field)
   */
  public static List<SignedRequest> decodeSettleFeesArgs(Bytes args, Address provider, int max) {
    Reader rd = new Reader(args);
    int base = rd.offset(0, 0);
    int n = rd.count(base, 32);
    if (n > max) {
      throw new InvalidInputException("batch of " + n + " requests, at most " + max);
    }
    List<SignedRequest> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int t = rd.offset(base + 32L + 32L * i, base + 32);
      try {
        Address user = rd.address(t);
        String service = rd.string(rd.offset(t + 32L, t));
        BigInteger nonce = rd.word(t + 64L);
        BigInteger fee = rd.word(t + 96L);
        Bytes32 requestHash = Bytes32.wrap(rd.data.slice(t + 128, 32));
        Secp256k1Signature sig = rd.signature(rd.offset(t + 160L, t));
        out.add(
            new SignedRequest(
                new ServingRequest(user, provider, service, nonce, fee, requestHash), sig));
      } catch (InvalidInputException e) {
        throw new InvalidInputException("request " + i + ": " + e.getMessage());
      }
    }
    if (!rd.isCanonical(encodeSettleFeesArgs(out))) {
      throw new InvalidInputException("malformed call data");
    }
    return out;
  }

  // ------------------------------------------------------------------ disputes

  /** The {@code Receipt} tuple of a receipt. */
  public static Bytes encodeReceipt(ResponseReceipt r) {
    return tuple(
        List.of(
            word(r.user()),
            word(r.provider()),
            dynamic(r.service()),
            uint(r.nonce()),
            uint(r.fee()),
            r.requestHash(),
            r.responseHash(),
            uint(r.outputUnits())));
  }

  /**
   * {@code disputeEquivocation}'s arguments: two receipts of one request, each with its signature.
   */
  public static Bytes encodeDisputeEquivocationArgs(SignedReceipt a, SignedReceipt b) {
    return tuple(
        List.of(
            new Dynamic(encodeReceipt(a.receipt())),
            dynamic(a.signature().encode()),
            new Dynamic(encodeReceipt(b.receipt())),
            dynamic(b.signature().encode())));
  }

  public static Bytes disputeEquivocationCall(SignedReceipt a, SignedReceipt b) {
    return Bytes.concatenate(selector(DISPUTE_EQUIVOCATION), encodeDisputeEquivocationArgs(a, b));
  }

  /** {@code disputeMetering}'s arguments: a receipt, its signature, the response body. */
  public static Bytes encodeDisputeMeteringArgs(SignedReceipt r, Bytes body) {
    return tuple(
        List.of(
            new Dynamic(encodeReceipt(r.receipt())),
            dynamic(r.signature().encode()),
            dynamic(body)));
  }

  public static Bytes disputeMeteringCall(SignedReceipt r, Bytes body) {
    return Bytes.concatenate(selector(DISPUTE_METERING), encodeDisputeMeteringArgs(r, body));
  }

  /**
   * Decodes {@code disputeEquivocation}'s arguments.
   *
   * @throws InvalidInputException naming what is malformed
   */
  public static List<SignedReceipt> decodeDisputeEquivocationArgs(Bytes args) {
    Reader rd = new Reader(args);
    List<SignedReceipt> out =
        List.of(rd.signedReceipt(0, "receipt A"), rd.signedReceipt(64, "receipt B"));
    if (!rd.isCanonical(encodeDisputeEquivocationArgs(out.get(0), out.get(1)))) {
      throw new InvalidInputException("malformed call data");
    }
    return out;
  }

  /** A metering dispute's evidence: the signed receipt and the response body. */
  public record MeteringEvidence(SignedReceipt receipt, Bytes body) {}

  /**
   * Decodes {@code disputeMetering}'s arguments; {@code maxBody} bounds the body.
   *
   * @throws InvalidInputException naming what is malformed
   */
  public static MeteringEvidence decodeDisputeMeteringArgs(Bytes args, int maxBody) {
    Reader rd = new Reader(args);
    SignedReceipt r = rd.signedReceipt(0, "receipt");
    int at = rd.offset(64, 0);
    BigInteger len = rd.word(at);
    if (len.compareTo(BigInteger.valueOf(maxBody)) > 0) {
      throw new InvalidInputException(
          "response body of " + len + " bytes exceeds the limit of " + maxBody);
    }
    Bytes body = rd.bytes(at);
    if (!rd.isCanonical(encodeDisputeMeteringArgs(r, body))) {
      throw new InvalidInputException("malformed call data");
    }
    return new MeteringEvidence(r, body);
  }

  /** {@code getBond}'s return data: bond, pending unbond, unlock block. */
  public static Bytes encodeBond(Bond b) {
    return Bytes.concatenate(uint(b.amount()), uint(b.pendingUnbond()), uint(b.unlockBlock()));
  }

  public static Bond decodeBond(Bytes data) {
    if (data.size() != 96) {
      throw new InvalidInputException("bond must be 96 bytes, got " + data.size());
    }
    Reader rd = new Reader(data);
    return new Bond(rd.word(0), rd.word(32), rd.word(64).longValueExact());
  }

  // ------------------------------------------------------------------ views

  public static Bytes encodeService(ServiceInfo s) {
    return tuple(
        List.of(
            word(s.provider()),
            dynamic(s.name()),
            dynamic(s.serviceType()),
            dynamic(s.url()),
            dynamic(s.model()),
            uint(s.inputPrice()),
            uint(s.outputPrice()),
            uint(s.verifiability().code()),
            uint(s.updatedAt())));
  }

  /** {@code getService}'s return data: an offset, then the tuple. */
  public static Bytes encodeServiceReturn(ServiceInfo s) {
    return Bytes.concatenate(uint(32), encodeService(s));
  }

  /** {@code listServices}'s return data. */
  public static Bytes encodeServicesReturn(List<ServiceInfo> all) {
    List<Bytes> tuples = new ArrayList<>();
    for (ServiceInfo s : all) {
      tuples.add(encodeService(s));
    }
    return Bytes.concatenate(uint(32), dynamicArray(tuples));
  }

  public static ServiceInfo decodeServiceReturn(Bytes data) {
    Reader rd = new Reader(data);
    return rd.service(rd.offset(0, 0));
  }

  public static List<ServiceInfo> decodeServicesReturn(Bytes data) {
    Reader rd = new Reader(data);
    int base = rd.offset(0, 0);
    int n = rd.count(base, 32);
    List<ServiceInfo> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(rd.service(rd.offset(base + 32L + 32L * i, base + 32)));
    }
    return out;
  }

  public static Bytes encodeAccount(SubAccount a) {
    return Bytes.concatenate(
        uint(a.balance()), uint(a.nonce()), uint(a.pendingRefund()), uint(a.refundUnlockBlock()));
  }

  public static SubAccount decodeAccount(Bytes data) {
    Reader rd = new Reader(data);
    if (data.size() != 128) {
      throw new InvalidInputException("account must be 128 bytes, got " + data.size());
    }
    return new SubAccount(rd.word(0), rd.word(32), rd.word(64), rd.word(96).longValueExact());
  }

  /**
   * Bounds-checked reads; any violation is an {@link InvalidInputException}. {@code lowV} collects
   * where signatures carry v as 0/1 (specs/compute.md allows it besides 27/28), which {@link
   * #isCanonical} takes as the 27/28 our encoder writes.
   */
  private record Reader(Bytes data, List<Integer> lowV) {
    Reader(Bytes data) {
      this(data, new ArrayList<>());
    }

    Secp256k1Signature signature(int at) {
      Bytes sig = bytes(at);
      if (sig.size() == 65 && (sig.get(64) & 0xff) < 2) {
        lowV.add(at + 32 + 64);
      }
      return Secp256k1Signature.decode(sig);
    }

    /** Whether {@code encoded}, the decoded value encoded again, is these bytes. */
    boolean isCanonical(Bytes encoded) {
      if (lowV.isEmpty()) {
        return encoded.equals(data);
      }
      byte[] normalized = data.toArray();
      for (int at : lowV) {
        normalized[at] += 27;
      }
      return encoded.equals(Bytes.wrap(normalized));
    }

    BigInteger word(long at) {
      if (at < 0 || at + 32 > data.size()) {
        throw new InvalidInputException("malformed call data: word at " + at + " out of range");
      }
      return data.slice((int) at, 32).toUnsignedBigInteger();
    }

    Address address(long at) {
      BigInteger w = word(at);
      if (w.bitLength() > 160) {
        throw new InvalidInputException("malformed call data: address with dirty high bytes");
      }
      return new Address(data.slice((int) at + 12, 20));
    }

    int offset(long at, int base) {
      BigInteger o = word(at).add(BigInteger.valueOf(base));
      if (o.compareTo(BigInteger.valueOf(data.size())) >= 0) {
        throw new InvalidInputException("malformed call data: offset out of range");
      }
      return o.intValueExact();
    }

    int count(int at, int itemSize) {
      BigInteger n = word(at);
      long room = (data.size() - at - 32L) / itemSize;
      if (n.compareTo(BigInteger.valueOf(room)) > 0) {
        throw new InvalidInputException("malformed call data: length exceeds the data");
      }
      return n.intValueExact();
    }

    Bytes bytes(int at) {
      int len = count(at, 1);
      return data.slice(at + 32, len);
    }

    String string(int at) {
      try {
        return StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(java.nio.ByteBuffer.wrap(bytes(at).toArrayUnsafe()))
            .toString();
      } catch (CharacterCodingException e) {
        throw new InvalidInputException("malformed call data: string is not UTF-8");
      }
    }

    SignedReceipt signedReceipt(long headAt, String what) {
      try {
        int t = offset(headAt, 0);
        ResponseReceipt r =
            new ResponseReceipt(
                address(t),
                address(t + 32L),
                string(offset(t + 64L, t)),
                word(t + 96L),
                word(t + 128L),
                Bytes32.wrap(data.slice(t + 160, 32)),
                Bytes32.wrap(data.slice(t + 192, 32)),
                word(t + 224L));
        return new SignedReceipt(r, signature(offset(headAt + 32, 0)));
      } catch (InvalidInputException | IndexOutOfBoundsException e) {
        throw new InvalidInputException(what + ": " + e.getMessage());
      }
    }

    ServiceInfo service(int t) {
      BigInteger v = word(t + 224L);
      if (v.bitLength() > 8) {
        throw new InvalidInputException("malformed data: verifiability is not a uint8");
      }
      return new ServiceInfo(
          address(t),
          string(offset(t + 32L, t)),
          string(offset(t + 64L, t)),
          string(offset(t + 96L, t)),
          string(offset(t + 128L, t)),
          word(t + 160L),
          word(t + 192L),
          Verifiability.of(v.intValue()),
          word(t + 256L).longValueExact());
    }
  }
}
