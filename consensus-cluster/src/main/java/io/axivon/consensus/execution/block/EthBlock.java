package io.axivon.consensus.execution.block;

import io.axivon.common.crypto.secp256k1.Address;
import java.math.BigInteger;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A block as Ethereum's JSON-RPC shows it. {@code hash} and {@code parentHash} are the consensus
 * block hashes (block 0's is the genesis hash); {@code stateRoot} is the state after the block;
 * {@code timeMillis} is the consensus block time ({@link #timestamp()} gives seconds); {@code
 * mixHash} is the PREVRANDAO value the block ran with.
 */
public record EthBlock(
    long number,
    Bytes32 hash,
    Bytes32 parentHash,
    long timeMillis,
    Address miner,
    Bytes32 stateRoot,
    Bytes32 transactionsRoot,
    Bytes32 receiptsRoot,
    Bytes logsBloom,
    long gasLimit,
    long gasUsed,
    BigInteger baseFeePerGas,
    Bytes32 mixHash,
    List<Bytes32> transactionHashes) {
  public EthBlock {
    transactionHashes = List.copyOf(transactionHashes);
  }

  /** Ethereum's timestamp: the block time in whole seconds. */
  public long timestamp() {
    return timeMillis / 1000;
  }
}
