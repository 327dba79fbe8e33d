package io.axivon.consensus.execution.tx;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.SignedRawTransaction;
import org.web3j.crypto.TransactionDecoder;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

class TxCodecProperties {
  private static final BigInteger TWO_256 = BigInteger.ONE.shiftLeft(256);

  @Provide
  Arbitrary<Secp256k1PrivateKey> keys() {
    return Arbitraries.bigIntegers()
        .between(BigInteger.ONE, Secp256k1.CURVE_ORDER.subtract(BigInteger.ONE))
        .map(k -> Secp256k1PrivateKey.fromBytes(Bytes32.leftPad(Bytes.wrap(unsigned(k)))));
  }

  private static byte[] unsigned(BigInteger v) {
    byte[] b = v.toByteArray();
    return b.length > 32 ? java.util.Arrays.copyOfRange(b, b.length - 32, b.length) : b;
  }

  private static Arbitrary<BigInteger> uint256() {
    return Arbitraries.oneOf(
        Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.valueOf(1_000_000)),
        Arbitraries.bigIntegers().between(BigInteger.ZERO, TWO_256.subtract(BigInteger.ONE)));
  }

  private static Arbitrary<Optional<Address>> to() {
    return Arbitraries.bytes()
        .array(byte[].class)
        .ofSize(20)
        .map(b -> new Address(Bytes.wrap(b)))
        .optional(0.8);
  }

  private static Arbitrary<Bytes> data() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(200).map(Bytes::wrap);
  }

  private static Arbitrary<List<AccessTuple>> accessList() {
    Arbitrary<AccessTuple> tuple =
        Combinators.combine(
                Arbitraries.bytes().array(byte[].class).ofSize(20),
                Arbitraries.bytes().array(byte[].class).ofSize(32).list().ofMaxSize(3))
            .as(
                (a, ks) ->
                    new AccessTuple(
                        new Address(Bytes.wrap(a)),
                        ks.stream().map(k -> Bytes32.wrap(k)).toList()));
    return tuple.list().ofMaxSize(3);
  }

  private static Arbitrary<Long> u63() {
    return Arbitraries.oneOf(
        Arbitraries.longs().between(0, 1000), Arbitraries.longs().between(0, Long.MAX_VALUE));
  }

  @Provide
  Arbitrary<Transaction> unsigned() {
    Arbitrary<Transaction> legacy =
        Combinators.combine(
                Arbitraries.longs().between(1, 1L << 40).optional(0.8),
                u63(),
                uint256(),
                u63(),
                to(),
                uint256(),
                data())
            .as(
                (c, n, gp, g, t, v, d) ->
                    new LegacyTransaction(
                        c.map(OptionalLong::of).orElse(OptionalLong.empty()),
                        n,
                        gp,
                        g,
                        t,
                        v,
                        d,
                        null));
    Arbitrary<Transaction> type1 =
        Combinators.combine(
                Arbitraries.longs().between(1, 1L << 40),
                u63(),
                uint256(),
                u63(),
                to(),
                uint256(),
                data(),
                accessList())
            .as(
                (c, n, gp, g, t, v, d, al) ->
                    new AccessListTransaction(c, n, gp, g, t, v, d, al, null));
    Arbitrary<Transaction> type2 =
        Combinators.combine(
                Arbitraries.longs().between(1, 1L << 40),
                u63(),
                uint256(),
                uint256(),
                u63(),
                to(),
                Combinators.combine(uint256(), data(), accessList()).as(List::of))
            .as(
                (c, n, tip, cap, g, t, rest) ->
                    new DynamicFeeTransaction(
                        c,
                        n,
                        tip,
                        cap,
                        g,
                        t,
                        (BigInteger) rest.get(0),
                        (Bytes) rest.get(1),
                        castList(rest.get(2)),
                        null));
    return Arbitraries.oneOf(legacy, type1, type2);
  }

  @SuppressWarnings("unchecked")
  private static List<AccessTuple> castList(Object o) {
    return (List<AccessTuple>) o;
  }

  @Property(tries = 200)
  void signedTransactionsRoundTripAndRecoverTheirSender(
      @ForAll("unsigned") Transaction unsigned, @ForAll("keys") Secp256k1PrivateKey key) {
    Transaction tx = TxSigner.sign(unsigned, key);
    Bytes raw = tx.encode();
    Transaction back = TxCodec.decode(raw);
    assertThat(back).isEqualTo(tx);
    assertThat(back.hash()).isEqualTo(tx.hash());
    assertThat(TxSigner.recoverSender(back, tx.chainId().orElse(7))).isEqualTo(key.address());
  }

  /** web3j 5.0.0 predates typed transactions: it checks our legacy encoding both ways. */
  @Property(tries = 100)
  void legacyEncodingMatchesWeb3j(
      @ForAll("unsigned") Transaction any, @ForAll("keys") Secp256k1PrivateKey key) {
    if (!(any instanceof LegacyTransaction t)) {
      return;
    }
    RawTransaction raw =
        RawTransaction.createTransaction(
            BigInteger.valueOf(t.nonce()),
            t.gasPrice(),
            BigInteger.valueOf(t.gasLimit()),
            t.to().map(Address::toLowerHex).orElse(""),
            t.value(),
            t.data().toHexString());
    Credentials creds = Credentials.create(key.bytes().toHexString());
    byte[] web3j =
        t.chainId().isPresent()
            ? TransactionEncoder.signMessage(raw, t.chainId().getAsLong(), creds)
            : TransactionEncoder.signMessage(raw, creds);
    Transaction ours = TxSigner.sign(t, key);
    assertThat(ours.encode()).isEqualTo(Bytes.wrap(web3j));

    SignedRawTransaction decoded =
        (SignedRawTransaction) TransactionDecoder.decode(ours.encode().toHexString());
    assertThat(decoded.getNonce()).isEqualTo(BigInteger.valueOf(t.nonce()));
    assertThat(decoded.getValue()).isEqualTo(t.value());
    assertThat(Numeric.hexStringToByteArray(decoded.getData())).isEqualTo(t.data().toArray());
    try {
      assertThat(decoded.getFrom()).isEqualTo(key.address().toLowerHex());
    } catch (java.security.SignatureException e) {
      throw new AssertionError(e);
    }
  }

  /** One encoding per transaction: a corrupted byte fails or decodes to exactly those bytes. */
  @Property(tries = 200)
  void anyDecodableMutationIsCanonical(
      @ForAll("unsigned") Transaction unsigned,
      @ForAll("keys") Secp256k1PrivateKey key,
      @ForAll int position,
      @ForAll byte replacement) {
    Bytes raw = TxSigner.sign(unsigned, key).encode();
    byte[] mutated = raw.toArray();
    mutated[Math.floorMod(position, mutated.length)] = replacement;
    try {
      Transaction tx = TxCodec.decode(Bytes.wrap(mutated));
      assertThat(tx.encode()).isEqualTo(Bytes.wrap(mutated));
    } catch (InvalidInputException expected) {
      // refused: fine
    }
  }
}
