package io.axivon.consensus.execution.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1;
import io.axivon.consensus.execution.ExecFixtures;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;

class TxCodecTest {
  private static final Address BOB = Address.fromHex("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");

  /** Transactions signed by ethers.js 6.13.4 (src/test/resources/evm/ethers-vectors.js). */
  @Test
  void decodesAndReproducesEthersVectors() throws IOException {
    JsonNode vectors;
    try (InputStream in = getClass().getResourceAsStream("/evm/ethers-vectors.json")) {
      vectors = new ObjectMapper().readTree(in);
    }
    assertThat(vectors.size()).isEqualTo(7);
    for (JsonNode v : vectors) {
      Bytes raw = Bytes.fromHexString(v.get("raw").asText());
      Transaction tx = TxCodec.decode(raw);
      assertThat(tx.type()).isEqualTo(v.get("type").asInt());
      assertThat(tx.encode()).isEqualTo(raw);
      assertThat(tx.hash()).isEqualTo(Bytes32.fromHexString(v.get("hash").asText()));
      assertThat(tx.signingHash()).isEqualTo(Bytes32.fromHexString(v.get("signingHash").asText()));
      long chainId = tx.chainId().orElse(1);
      assertThat(TxSigner.recoverSender(tx, chainId))
          .isEqualTo(Address.fromHex(v.get("from").asText()));
      // our signer reproduces ethers' bytes exactly (both RFC 6979)
      assertThat(TxSigner.sign(tx.withSignature(null), ExecFixtures.key(0)).encode())
          .isEqualTo(raw);
    }
  }

  /** ethereum/tests BlockchainTests stBugs/evmBytecode (Berlin): a pre-EIP-155 transaction. */
  @Test
  void recoversTheSenderOfAnEthereumTestsTransaction() {
    Bytes raw = Bytes.fromHexString(ETHEREUM_TESTS_TX);
    Transaction tx = TxCodec.decode(raw);
    assertThat(tx.chainId()).isEmpty();
    assertThat(tx.gasLimit()).isEqualTo(120_000);
    assertThat(TxSigner.recoverSender(tx, 1))
        .isEqualTo(Address.fromHex("0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b"));
  }

  static final String ETHEREUM_TESTS_TX =
      "0xf860800a8301d4c094b94f5374fce5edbc8e2a8697c15331677e6ebf0b80801ca0f3b41c283c02ed98318dc9"
          + "cac3f0ddc3de2f2f7853a03299a46f22a7c6726c3aa0396ccb5968a532ea070924408625d3e36d4db21bfbd0cb"
          + "070ba9e1fe9dba58ab";

  private static Transaction signedTransfer() {
    return TxSigner.sign(
        new DynamicFeeTransaction(
            1337,
            0,
            BigInteger.ONE,
            BigInteger.TEN,
            21_000,
            Optional.of(BOB),
            BigInteger.ONE,
            Bytes.EMPTY,
            List.of(),
            null),
        ExecFixtures.key(0));
  }

  @Test
  void rejectsTrailingBytesAndNonCanonicalIntegers() {
    Bytes raw = signedTransfer().encode();
    assertThatThrownBy(() -> TxCodec.decode(Bytes.concatenate(raw, Bytes.of(0))))
        .isInstanceOf(InvalidInputException.class);
    // legacy with nonce written as 0x00 (a leading zero) instead of 0x80
    Bytes legacy =
        TxSigner.sign(
                new LegacyTransaction(
                    OptionalLong.of(1),
                    0,
                    BigInteger.ONE,
                    21_000,
                    Optional.of(BOB),
                    BigInteger.ZERO,
                    Bytes.EMPTY,
                    null),
                ExecFixtures.key(0))
            .encode();
    int nonceAt = legacy.get(0) == (byte) 0xf8 ? 2 : 1;
    assertThat(legacy.get(nonceAt)).isEqualTo((byte) 0x80);
    Bytes bad = Bytes.concatenate(legacy.slice(0, nonceAt), Bytes.of(0), legacy.slice(nonceAt + 1));
    assertThatThrownBy(() -> TxCodec.decode(bad)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void refusesUnsupportedTypesAndOversizedData() {
    assertThatThrownBy(() -> TxCodec.decode(Bytes.fromHexString("0x03c0")))
        .hasMessage(TxErrors.TX_TYPE_NOT_SUPPORTED);
    assertThatThrownBy(() -> TxCodec.decode(Bytes.wrap(new byte[TxCodec.MAX_TX_BYTES + 1])))
        .hasMessage(TxErrors.OVERSIZED_DATA);
    assertThatThrownBy(() -> TxCodec.decode(Bytes.EMPTY)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void wrongChainIdAndHighSAreInvalidSenders() {
    Transaction tx = signedTransfer();
    assertThatThrownBy(() -> TxSigner.recoverSender(tx, 1))
        .hasMessage("invalid sender: invalid chain id for signer");
    TxSignature s = tx.signature();
    Transaction highS =
        tx.withSignature(
            new TxSignature(s.r(), Secp256k1.CURVE_ORDER.subtract(s.s()), 1 - s.yParity()));
    assertThat(TxCodec.decode(highS.encode())).isEqualTo(highS); // it decodes...
    assertThatThrownBy(() -> TxSigner.recoverSender(highS, 1337)) // ...but EIP-2 refuses it
        .hasMessage("invalid sender: invalid transaction v, r, s values");
    Transaction zeroR = tx.withSignature(new TxSignature(BigInteger.ZERO, s.s(), s.yParity()));
    assertThatThrownBy(() -> TxSigner.recoverSender(zeroR, 1337))
        .hasMessageStartingWith(TxErrors.INVALID_SENDER);
  }

  @Test
  void legacyVCarriesTheChainId() {
    Transaction tx =
        TxSigner.sign(
            new LegacyTransaction(
                OptionalLong.of(1337),
                3,
                BigInteger.TWO,
                21_000,
                Optional.of(BOB),
                BigInteger.ZERO,
                Bytes.EMPTY,
                null),
            ExecFixtures.key(0));
    assertThat(((LegacyTransaction) tx).v().intValue()).isIn(1337 * 2 + 35, 1337 * 2 + 36);
    assertThat(tx.hash()).isEqualTo(Hashes.keccak256(tx.encode()));
    assertThat(TxSigner.recoverSender(TxCodec.decode(tx.encode()), 1337))
        .isEqualTo(ExecFixtures.key(0).address());
  }
}
