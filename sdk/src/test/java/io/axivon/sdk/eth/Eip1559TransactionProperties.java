package io.axivon.sdk.eth;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.common.crypto.secp256k1.Secp256k1Signature;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Sign;
import org.web3j.rlp.RlpEncoder;
import org.web3j.rlp.RlpList;
import org.web3j.rlp.RlpString;
import org.web3j.rlp.RlpType;

/**
 * The type-2 encoding against an independent one built with web3j's RLP encoder and signer, and a
 * mainnet transaction. (web3j 5.0.0's TransactionEncoder predates EIP-2718: it writes its
 * EIP-1559-draft fields as a legacy transaction, so it cannot be the oracle here.)
 */
class Eip1559TransactionProperties {

  @Property(tries = 200)
  void encodingMatchesWeb3jRlpAndSigner(
      @ForAll("transactions") Eip1559Transaction tx, @ForAll("keys") Secp256k1PrivateKey key) {
    List<RlpType> fields = web3jFields(tx);
    byte[] payload = withType(RlpEncoder.encode(new RlpList(fields)));
    assertThat(tx.signingPayload()).isEqualTo(Bytes.wrap(payload));

    Sign.SignatureData sig =
        Sign.signMessage(
            payload,
            ECKeyPair.create(key.bytes().toUnsignedBigInteger()),
            true); // web3j hashes with Keccak-256 itself
    List<RlpType> signed = new ArrayList<>(fields);
    signed.add(RlpString.create(sig.getV()[0] - 27));
    signed.add(RlpString.create(new BigInteger(1, sig.getR())));
    signed.add(RlpString.create(new BigInteger(1, sig.getS())));
    byte[] raw = withType(RlpEncoder.encode(new RlpList(signed)));

    Eip1559Transaction.SignedTransaction ours = tx.sign(key);
    assertThat(ours.raw()).isEqualTo(Bytes.wrap(raw));
    assertThat(Secp256k1.recover(tx.signingHash(), ours.signature()).address())
        .isEqualTo(key.address());
  }

  /** Mainnet transaction 0x0ec0b6a2…2ee0 (chain 1), signed by 0xdd6b8b…4cea. */
  @Example
  void mainnetTransaction() {
    Eip1559Transaction tx =
        new Eip1559Transaction(
            1,
            0x42,
            BigInteger.valueOf(0x3b9aca00L),
            BigInteger.valueOf(0x4a817c800L),
            44386,
            Optional.of(Address.fromHex("0x6069a6c32cf691f5982febae4faf8a6f3ab2f0f6")),
            BigInteger.ZERO,
            Bytes.fromHexString(
                "0xa22cb4650000000000000000000000005eee75727d804a2b13038928d36f8b188945a57a"
                    + "0000000000000000000000000000000000000000000000000000000000000000"));
    Secp256k1Signature sig =
        new Secp256k1Signature(
            Bytes32.fromHexString(
                "0x840cfc572845f5786e702984c2a582528cad4b49b2a10b9db1be7fca90058565"),
            Bytes32.fromHexString(
                "0x25e7109ceb98168d95b09b18bbf6b685130e0562f233877d492b94eee0c5b6d1"),
            0);
    Eip1559Transaction.SignedTransaction signed = new Eip1559Transaction.SignedTransaction(tx, sig);
    assertThat(signed.hash())
        .isEqualTo(
            Bytes32.fromHexString(
                "0x0ec0b6a2df4d87424e5f6ad2a654e27aaeb7dac20ae9e8385cc09087ad532ee0"));
    assertThat(Secp256k1.recover(tx.signingHash(), sig).address())
        .isEqualTo(Address.fromHex("0xdd6b8b3dc6b7ad97db52f08a275ff4483e024cea"));
  }

  private static List<RlpType> web3jFields(Eip1559Transaction tx) {
    List<RlpType> f = new ArrayList<>();
    f.add(RlpString.create(BigInteger.valueOf(tx.chainId())));
    f.add(RlpString.create(BigInteger.valueOf(tx.nonce())));
    f.add(RlpString.create(tx.maxPriorityFeePerGas()));
    f.add(RlpString.create(tx.maxFeePerGas()));
    f.add(RlpString.create(BigInteger.valueOf(tx.gasLimit())));
    f.add(RlpString.create(tx.to().map(a -> a.bytes().toArray()).orElse(new byte[0])));
    f.add(RlpString.create(tx.value()));
    f.add(RlpString.create(tx.data().toArray()));
    f.add(new RlpList());
    return f;
  }

  private static byte[] withType(byte[] rlp) {
    byte[] out = new byte[rlp.length + 1];
    out[0] = 2;
    System.arraycopy(rlp, 0, out, 1, rlp.length);
    return out;
  }

  @Provide
  Arbitrary<Secp256k1PrivateKey> keys() {
    return Arbitraries.bytes()
        .array(byte[].class)
        .ofSize(32)
        .map(b -> new BigInteger(1, b).mod(Secp256k1.CURVE_ORDER.subtract(BigInteger.ONE)))
        .map(d -> d.add(BigInteger.ONE))
        .map(
            d ->
                Secp256k1PrivateKey.fromBytes(
                    Bytes32.leftPad(Bytes.wrap(d.toByteArray()).trimLeadingZeros())));
  }

  @Provide
  Arbitrary<Eip1559Transaction> transactions() {
    Arbitrary<BigInteger> u256 =
        Arbitraries.oneOf(
            Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.valueOf(1000)),
            Arbitraries.bigIntegers()
                .between(BigInteger.ZERO, BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE)));
    Arbitrary<Long> longs =
        Arbitraries.oneOf(
            Arbitraries.longs().between(0, 300), Arbitraries.longs().greaterOrEqual(0));
    Arbitrary<Optional<Address>> to =
        Arbitraries.bytes()
            .array(byte[].class)
            .ofSize(20)
            .map(b -> new Address(Bytes.wrap(b)))
            .optional(0.9);
    Arbitrary<Bytes> data = Arbitraries.bytes().array(byte[].class).ofMaxSize(300).map(Bytes::wrap);
    Arbitrary<BigInteger[]> fees =
        Combinators.combine(u256, u256)
            .as((a, b) -> a.compareTo(b) <= 0 ? new BigInteger[] {a, b} : new BigInteger[] {b, a});
    return Combinators.combine(longs.filter(c -> c > 0), longs, fees, longs, to, u256, data)
        .as(
            (chainId, nonce, f, gas, dest, value, input) ->
                new Eip1559Transaction(chainId, nonce, f[0], f[1], gas, dest, value, input));
  }
}
