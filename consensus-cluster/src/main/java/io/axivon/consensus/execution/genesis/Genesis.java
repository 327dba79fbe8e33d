package io.axivon.consensus.execution.genesis;

import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.HdKeys;
import io.axivon.consensus.execution.block.BaseFee;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.tuweni.bytes.Bytes32;

/**
 * What a chain starts from: its EIP-155 chain id, block gas limit, EIP-1559 base-fee parameters and
 * the initial balances (wei) of AXN, the native token (18 decimals).
 */
public record Genesis(
    long chainId, long gasLimit, BaseFee baseFee, Map<Address, BigInteger> alloc) {
  /** The standard development mnemonic (Hardhat, Anvil, Foundry). */
  public static final String DEV_MNEMONIC =
      "test test test test test test test test test test test junk";

  public static final BigInteger AXN = BigInteger.TEN.pow(18);
  public static final long DEFAULT_GAS_LIMIT = 30_000_000;

  private static final RlpCodec<Map.Entry<Address, BigInteger>> ENTRY =
      RlpCodec.struct(
          (w, e) -> w.writeBytes(e.getKey().bytes()).writeUInt256(e.getValue()),
          r -> {
            throw new UnsupportedOperationException();
          });

  public Genesis {
    if (chainId <= 0 || gasLimit < 21_000 || baseFee == null || alloc == null) {
      throw new IllegalArgumentException(
          "genesis needs chain id > 0, gas limit >= 21000, base fee");
    }
    for (BigInteger v : alloc.values()) {
      if (v.signum() < 0) {
        throw new IllegalArgumentException("genesis balances must be >= 0");
      }
    }
    alloc = Collections.unmodifiableMap(new LinkedHashMap<>(alloc));
  }

  /**
   * Devnet: the ten accounts of {@link #DEV_MNEMONIC} (m/44'/60'/0'/0/0..9) with 10,000 AXN each.
   * They belong to the user; the chain's own services never spend from them.
   */
  public static Genesis devnet(long chainId) {
    Map<Address, BigInteger> alloc = new LinkedHashMap<>();
    for (Address a : devAccounts()) {
      alloc.put(a, AXN.multiply(BigInteger.valueOf(10_000)));
    }
    return new Genesis(chainId, DEFAULT_GAS_LIMIT, BaseFee.ethereum(), alloc);
  }

  /**
   * This genesis with {@code amount} more for each of {@code accounts} (the operators' accounts a
   * devnet or testnet funds, so its validators can pay for the transactions they send themselves).
   */
  public Genesis funding(List<Address> accounts, BigInteger amount) {
    Map<Address, BigInteger> more = new LinkedHashMap<>(alloc);
    for (Address a : accounts) {
      more.merge(a, amount, BigInteger::add);
    }
    return new Genesis(chainId, gasLimit, baseFee, more);
  }

  /** The ten development accounts' addresses, index 0 first. */
  public static List<Address> devAccounts() {
    List<Address> out = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      out.add(HdKeys.ethereumAccount(DEV_MNEMONIC, "", i).address());
    }
    return out;
  }

  /**
   * The hash that stands for block 0 (the parent of block 1): Keccak-256 of the RLP of [chainId,
   * gasLimit, initial base fee, elasticity, denominator, [[address, wei]...]].
   */
  public Bytes32 hash() {
    return Hashes.keccak256(
        Rlp.encode(
            RlpCodec.<Genesis>struct(
                (w, g) ->
                    w.writeUInt64(g.chainId)
                        .writeUInt64(g.gasLimit)
                        .writeUInt256(g.baseFee.initial())
                        .writeUInt64(g.baseFee.elasticity())
                        .writeUInt64(g.baseFee.denominator())
                        .writeListOf(List.copyOf(g.alloc.entrySet()), ENTRY),
                r -> {
                  throw new UnsupportedOperationException();
                }),
            this));
  }
}
