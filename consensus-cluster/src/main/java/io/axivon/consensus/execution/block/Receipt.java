package io.axivon.consensus.execution.block;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.execution.evm.Log;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A transaction's receipt. The consensus part (what the receipts root commits to) is {@code type},
 * {@code success}, {@code cumulativeGasUsed}, {@code logsBloom} and {@code logs}; the rest is what
 * eth_getTransactionReceipt reports and is stored alongside.
 *
 * @param firstLogIndex the block-wide index of this receipt's first log
 */
public record Receipt(
    Bytes32 txHash,
    int type,
    boolean success,
    long cumulativeGasUsed,
    long gasUsed,
    BigInteger effectiveGasPrice,
    Address from,
    Optional<Address> to,
    Optional<Address> contractAddress,
    List<Log> logs,
    Bytes logsBloom,
    int firstLogIndex) {
  public Receipt {
    logs = List.copyOf(logs);
    if (logsBloom.size() != Bloom.BYTES) {
      throw new IllegalArgumentException("logs bloom must be 256 bytes");
    }
  }
}
