package io.axivon.consensus.execution;

import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.HdKeys;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.consensus.execution.evm.BlockEnv;
import io.axivon.consensus.execution.evm.Message;
import io.axivon.consensus.execution.evm.MessageResult;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.consensus.execution.tx.DynamicFeeTransaction;
import io.axivon.consensus.execution.tx.TxSigner;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/** Keys, contract bytecode and transaction builders shared by the execution tests. */
public final class ExecFixtures {
  public static final long CHAIN_ID = 1337;
  public static final BigInteger GWEI = BigInteger.TEN.pow(9);
  public static final Address COINBASE =
      Address.fromHex("0x00000000000000000000000000000000000000cb");
  private static final Secp256k1PrivateKey[] KEYS = new Secp256k1PrivateKey[3];

  private ExecFixtures() {}

  /**
   * Runs a call on the chain's head state and throws the changes away, as eth_call does: in the
   * next block's environment (gas limit 30M, no base fee), with no value and no access list.
   */
  public static MessageResult view(
      EvmChain chain,
      long chainId,
      Address coinbase,
      Address from,
      Address to,
      Bytes data,
      long gas) {
    BlockEnv env =
        new BlockEnv(
            chainId,
            chain.head().number() + 1,
            chain.head().number() + 1,
            coinbase,
            30_000_000,
            BigInteger.ZERO,
            Bytes32.ZERO);
    return chain
        .state()
        .speculate(
            ex ->
                ex.run(
                    new Message(
                        from,
                        Optional.of(to),
                        BigInteger.ZERO,
                        data,
                        gas,
                        BigInteger.ZERO,
                        List.of()),
                    env));
  }

  /** Development account {@code i} (0..2), derived once. */
  public static synchronized Secp256k1PrivateKey key(int i) {
    if (KEYS[i] == null) {
      KEYS[i] = HdKeys.ethereumAccount(Genesis.DEV_MNEMONIC, "", i);
    }
    return KEYS[i];
  }

  /** A signed type-2 transaction with tip 2 gwei and fee cap 10 gwei. */
  public static Bytes tx(
      Secp256k1PrivateKey from,
      long nonce,
      Optional<Address> to,
      BigInteger value,
      Bytes data,
      long gas) {
    return TxSigner.sign(
            new DynamicFeeTransaction(
                CHAIN_ID,
                nonce,
                GWEI.multiply(BigInteger.TWO),
                GWEI.multiply(BigInteger.TEN),
                gas,
                to,
                value,
                data,
                List.of(),
                null),
            from)
        .encode();
  }

  /** A 1-wei transfer signed for {@code chainId} (tip 1 wei, cap 10 wei, 21,000 gas). */
  public static Bytes transferOnChain(
      long chainId, Secp256k1PrivateKey from, long nonce, Optional<Address> to) {
    return TxSigner.sign(
            new DynamicFeeTransaction(
                chainId,
                nonce,
                BigInteger.ONE,
                BigInteger.TEN,
                21_000,
                to,
                BigInteger.ONE,
                Bytes.EMPTY,
                List.of(),
                null),
            from)
        .encode();
  }

  public static Bytes counterBytecode() {
    try (InputStream in = ExecFixtures.class.getResourceAsStream("/evm/Counter.bin")) {
      return Bytes.fromHexString(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The 4-byte selector of a function signature such as "add(uint256)". */
  public static Bytes selector(String signature) {
    return Hashes.keccak256(Bytes.wrap(signature.getBytes(StandardCharsets.US_ASCII))).slice(0, 4);
  }

  public static Bytes call(String signature, long... args) {
    Bytes out = selector(signature);
    for (long a : args) {
      out = Bytes.concatenate(out, Bytes32.leftPad(Bytes.ofUnsignedLong(a)));
    }
    return out;
  }

  /** A stand-in consensus block hash for block {@code n}. */
  public static Bytes32 blockHash(long n) {
    return Hashes.keccak256(Bytes.ofUnsignedLong(n));
  }
}
