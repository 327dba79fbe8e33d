package io.axivon.consensus.execution.tx;

import io.axivon.common.InvalidInputException;
import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import io.axivon.common.codec.RlpLimits;
import io.axivon.common.codec.StrictRlpReader;
import io.axivon.common.codec.StrictRlpWriter;
import io.axivon.common.crypto.secp256k1.Address;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.tuweni.bytes.Bytes;

/**
 * The wire formats of transactions: legacy RLP lists, and EIP-2718 typed envelopes ({@code type ||
 * rlp(payload)}) for types 1 and 2. Decoding is strict: canonical RLP only (no leading zeros in
 * integers, no long form where the short one fits), nothing after the item, addresses of exactly 20
 * bytes, so every transaction has exactly one encoding and one hash.
 */
public final class TxCodec {
  /** go-ethereum's txpool limit on a transaction's size (4 slots of 32 KiB). */
  public static final int MAX_TX_BYTES = 4 * 32 * 1024;

  private static final RlpLimits LIMITS = new RlpLimits(MAX_TX_BYTES, 4);
  private static final BigInteger V27 = BigInteger.valueOf(27);
  private static final BigInteger V28 = BigInteger.valueOf(28);
  private static final BigInteger V35 = BigInteger.valueOf(35);
  private static final BigInteger MAX_CHAIN_ID = BigInteger.valueOf(Long.MAX_VALUE);

  static final RlpCodec<AccessTuple> ACCESS_TUPLE =
      RlpCodec.struct(
          (w, a) -> w.writeBytes(a.address().bytes()).writeListOf(a.storageKeys(), Rlp.BYTES32),
          r ->
              new AccessTuple(
                  new Address(r.readFixedBytes(Address.SIZE)), r.readListOf(Rlp.BYTES32)));

  private static final RlpCodec<LegacyTransaction> LEGACY =
      RlpCodec.struct(
          (w, t) -> {
            legacyFields(w, t);
            w.writeUInt256(t.v()).writeUInt256(t.signature().r()).writeUInt256(t.signature().s());
          },
          TxCodec::readLegacy);

  private static final RlpCodec<AccessListTransaction> TYPE1 =
      RlpCodec.struct(
          (w, t) -> {
            type1Fields(w, t);
            signatureFields(w, t.signature());
          },
          r -> {
            long chainId = chainId(r);
            long nonce = r.readUInt64();
            BigInteger gasPrice = r.readUInt256();
            long gas = r.readUInt64();
            Optional<Address> to = readTo(r);
            BigInteger value = r.readUInt256();
            Bytes data = r.readBytes();
            List<AccessTuple> accessList = r.readListOf(ACCESS_TUPLE);
            TxSignature sig = readSignature(r);
            return new AccessListTransaction(
                chainId, nonce(nonce), gasPrice, gas(gas), to, value, data, accessList, sig);
          });

  private static final RlpCodec<DynamicFeeTransaction> TYPE2 =
      RlpCodec.struct(
          (w, t) -> {
            type2Fields(w, t);
            signatureFields(w, t.signature());
          },
          r -> {
            long chainId = chainId(r);
            long nonce = r.readUInt64();
            BigInteger tip = r.readUInt256();
            BigInteger feeCap = r.readUInt256();
            long gas = r.readUInt64();
            Optional<Address> to = readTo(r);
            BigInteger value = r.readUInt256();
            Bytes data = r.readBytes();
            List<AccessTuple> accessList = r.readListOf(ACCESS_TUPLE);
            TxSignature sig = readSignature(r);
            return new DynamicFeeTransaction(
                chainId, nonce(nonce), tip, feeCap, gas(gas), to, value, data, accessList, sig);
          });

  private TxCodec() {}

  /**
   * Decodes raw transaction bytes as eth_sendRawTransaction receives them.
   *
   * @throws InvalidInputException with go-ethereum's message where it has one ("oversized data",
   *     "transaction type not supported"), otherwise one naming the byte offset of the fault
   */
  public static Transaction decode(Bytes raw) {
    if (raw.size() > MAX_TX_BYTES) {
      throw new InvalidInputException(TxErrors.OVERSIZED_DATA);
    }
    if (raw.isEmpty()) {
      throw new InvalidInputException("typed transaction too short");
    }
    int first = raw.get(0) & 0xff;
    if (first >= 0xc0) {
      return Rlp.decode(LEGACY, raw, LIMITS);
    }
    return switch (first) {
      case 1 -> Rlp.decode(TYPE1, raw.slice(1), LIMITS);
      case 2 -> Rlp.decode(TYPE2, raw.slice(1), LIMITS);
      default -> throw new InvalidInputException(TxErrors.TX_TYPE_NOT_SUPPORTED);
    };
  }

  /** The raw bytes of a signed transaction. */
  public static Bytes encode(Transaction tx) {
    if (tx.signature() == null) {
      throw new IllegalStateException("transaction is not signed");
    }
    return switch (tx) {
      case LegacyTransaction t -> Rlp.encode(LEGACY, t);
      case AccessListTransaction t -> typed(1, Rlp.encode(TYPE1, t));
      case DynamicFeeTransaction t -> typed(2, Rlp.encode(TYPE2, t));
    };
  }

  /** What the sender signs (its Keccak-256 is the signing hash). */
  public static Bytes signingPayload(Transaction tx) {
    return switch (tx) {
      case LegacyTransaction t ->
          Rlp.encode(
              RlpCodec.<LegacyTransaction>struct(
                  (w, v) -> {
                    legacyFields(w, v);
                    if (v.chainId().isPresent()) { // EIP-155: chainId, 0, 0
                      w.writeUInt64(v.chainId().getAsLong()).writeUInt64(0).writeUInt64(0);
                    }
                  },
                  r -> {
                    throw new UnsupportedOperationException();
                  }),
              t);
      case AccessListTransaction t ->
          typed(1, Rlp.encode(RlpCodec.struct(TxCodec::type1Fields, r -> null), t));
      case DynamicFeeTransaction t ->
          typed(2, Rlp.encode(RlpCodec.struct(TxCodec::type2Fields, r -> null), t));
    };
  }

  private static Bytes typed(int type, Bytes payload) {
    return Bytes.concatenate(Bytes.of(type), payload);
  }

  private static void legacyFields(StrictRlpWriter w, LegacyTransaction t) {
    w.writeUInt64(t.nonce())
        .writeUInt256(t.gasPrice())
        .writeUInt64(t.gasLimit())
        .writeBytes(t.to().map(Address::bytes).orElse(Bytes.EMPTY))
        .writeUInt256(t.value())
        .writeBytes(t.data());
  }

  private static void type1Fields(StrictRlpWriter w, AccessListTransaction t) {
    w.writeUInt64(t.chainIdValue())
        .writeUInt64(t.nonce())
        .writeUInt256(t.gasPrice())
        .writeUInt64(t.gasLimit())
        .writeBytes(t.to().map(Address::bytes).orElse(Bytes.EMPTY))
        .writeUInt256(t.value())
        .writeBytes(t.data())
        .writeListOf(t.accessList(), ACCESS_TUPLE);
  }

  private static void type2Fields(StrictRlpWriter w, DynamicFeeTransaction t) {
    w.writeUInt64(t.chainIdValue())
        .writeUInt64(t.nonce())
        .writeUInt256(t.maxPriorityFeePerGas())
        .writeUInt256(t.maxFeePerGas())
        .writeUInt64(t.gasLimit())
        .writeBytes(t.to().map(Address::bytes).orElse(Bytes.EMPTY))
        .writeUInt256(t.value())
        .writeBytes(t.data())
        .writeListOf(t.accessList(), ACCESS_TUPLE);
  }

  private static void signatureFields(StrictRlpWriter w, TxSignature s) {
    w.writeUInt64(s.yParity()).writeUInt256(s.r()).writeUInt256(s.s());
  }

  private static LegacyTransaction readLegacy(StrictRlpReader r) {
    long nonce = r.readUInt64();
    BigInteger gasPrice = r.readUInt256();
    long gas = r.readUInt64();
    Optional<Address> to = readTo(r);
    BigInteger value = r.readUInt256();
    Bytes data = r.readBytes();
    BigInteger v = r.readUInt256();
    BigInteger sr = r.readUInt256();
    BigInteger ss = r.readUInt256();
    OptionalLong chainId;
    int parity;
    if (v.equals(V27) || v.equals(V28)) {
      chainId = OptionalLong.empty();
      parity = v.intValue() - 27;
    } else if (v.compareTo(V35) >= 0) {
      BigInteger c = v.subtract(V35).shiftRight(1);
      if (c.compareTo(MAX_CHAIN_ID) > 0) {
        throw new IllegalArgumentException("chain id above 2^63-1");
      }
      chainId = OptionalLong.of(c.longValueExact());
      parity = v.subtract(V35).testBit(0) ? 1 : 0;
    } else {
      throw new IllegalArgumentException(TxErrors.INVALID_SIG);
    }
    return new LegacyTransaction(
        chainId,
        nonce(nonce),
        gasPrice,
        gas(gas),
        to,
        value,
        data,
        new TxSignature(sr, ss, parity));
  }

  private static TxSignature readSignature(StrictRlpReader r) {
    long parity = r.readUInt64();
    BigInteger sr = r.readUInt256();
    BigInteger ss = r.readUInt256();
    if (parity != 0 && parity != 1) {
      throw new IllegalArgumentException(TxErrors.INVALID_SIG);
    }
    return new TxSignature(sr, ss, (int) parity);
  }

  private static long chainId(StrictRlpReader r) {
    long c = r.readUInt64();
    if (c < 0) {
      throw new IllegalArgumentException("chain id above 2^63-1");
    }
    return c;
  }

  private static long nonce(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("nonce above 2^63-1");
    }
    return n;
  }

  private static long gas(long g) {
    if (g < 0) {
      throw new IllegalArgumentException(TxErrors.GAS_UINT_OVERFLOW);
    }
    return g;
  }

  private static Optional<Address> readTo(StrictRlpReader r) {
    Bytes to = r.readBytes(Address.SIZE);
    if (to.isEmpty()) {
      return Optional.empty();
    }
    if (to.size() != Address.SIZE) {
      throw new IllegalArgumentException("recipient must be empty or 20 bytes, got " + to.size());
    }
    return Optional.of(new Address(to));
  }
}
