package io.axivon.consensus.execution.block;

import io.axivon.common.InvalidInputException;
import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.execution.evm.Log;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/** RLP layouts of what the chain index stores (ours, not Ethereum's wire formats). */
final class StorageCodecs {
  static final RlpCodec<Address> ADDRESS =
      RlpCodec.of(
          (w, a) -> w.writeBytes(a.bytes()), r -> new Address(r.readFixedBytes(Address.SIZE)));

  static final RlpCodec<Log> LOG =
      RlpCodec.struct(
          (w, l) ->
              w.write(ADDRESS, l.address())
                  .writeListOf(l.topics(), Rlp.BYTES32)
                  .writeBytes(l.data()),
          r -> new Log(r.read(ADDRESS), r.readListOf(Rlp.BYTES32), r.readBytes()));

  static final RlpCodec<Receipt> RECEIPT =
      RlpCodec.struct(
          (w, x) ->
              w.writeBytes(x.txHash())
                  .writeUInt64(x.type())
                  .writeBoolean(x.success())
                  .writeUInt64(x.cumulativeGasUsed())
                  .writeUInt64(x.gasUsed())
                  .writeUInt256(x.effectiveGasPrice())
                  .write(ADDRESS, x.from())
                  .writeOptional(x.to(), ADDRESS)
                  .writeOptional(x.contractAddress(), ADDRESS)
                  .writeListOf(x.logs(), LOG)
                  .writeBytes(storedBloom(x))
                  .writeUInt64(x.firstLogIndex()),
          r -> {
            Bytes32 txHash = r.readBytes32();
            int type = r.readInt();
            boolean success = r.readBoolean();
            long cumulativeGasUsed = r.readUInt64();
            long gasUsed = r.readUInt64();
            BigInteger price = r.readUInt256();
            Address from = r.read(ADDRESS);
            Optional<Address> to = r.readOptional(ADDRESS);
            Optional<Address> created = r.readOptional(ADDRESS);
            List<Log> logs = r.readListOf(LOG);
            Bytes bloom = r.readBytes(Bloom.BYTES);
            if (bloom.isEmpty()) {
              bloom = Bloom.of(logs);
            } else if (bloom.size() != Bloom.BYTES) {
              throw new InvalidInputException(
                  "stored receipt's logs bloom has " + bloom.size() + " bytes, not 0 or 256");
            }
            return new Receipt(
                txHash,
                type,
                success,
                cumulativeGasUsed,
                gasUsed,
                price,
                from,
                to,
                created,
                logs,
                bloom,
                r.readInt());
          });

  /**
   * A receipt's bloom as stored: empty when it is the bloom of its logs, as every receipt's is, so
   * that the reader derives it again. 256 bytes, mostly zeros, were two thirds of a plain
   * transfer's stored receipt, written by every node for every transaction; a bloom that is not its
   * logs' (none is) is stored whole, and receipts stored whole before are read as they are.
   */
  private static Bytes storedBloom(Receipt x) {
    Bytes bloom = x.logsBloom();
    if (bloom == Bloom.EMPTY && x.logs().isEmpty()) {
      return Bytes.EMPTY;
    }
    return bloom.equals(Bloom.of(x.logs())) ? Bytes.EMPTY : bloom;
  }

  static final RlpCodec<List<Receipt>> RECEIPTS = Rlp.listOf(RECEIPT);
  static final RlpCodec<List<org.apache.tuweni.bytes.Bytes>> TXS = Rlp.listOf(Rlp.BYTES);

  static final RlpCodec<EthBlock> BLOCK =
      RlpCodec.struct(
          (w, b) ->
              w.writeUInt64(b.number())
                  .writeBytes(b.hash())
                  .writeBytes(b.parentHash())
                  .writeUInt64(b.timeMillis())
                  .write(ADDRESS, b.miner())
                  .writeBytes(b.stateRoot())
                  .writeBytes(b.transactionsRoot())
                  .writeBytes(b.receiptsRoot())
                  .writeBytes(b.logsBloom())
                  .writeUInt64(b.gasLimit())
                  .writeUInt64(b.gasUsed())
                  .writeUInt256(b.baseFeePerGas())
                  .writeBytes(b.mixHash())
                  .writeListOf(b.transactionHashes(), Rlp.BYTES32),
          r ->
              new EthBlock(
                  r.readUInt64(),
                  r.readBytes32(),
                  r.readBytes32(),
                  r.readUInt64(),
                  r.read(ADDRESS),
                  r.readBytes32(),
                  r.readBytes32(),
                  r.readBytes32(),
                  r.readFixedBytes(Bloom.BYTES),
                  r.readUInt64(),
                  r.readUInt64(),
                  r.readUInt256(),
                  r.readBytes32(),
                  r.readListOf(Rlp.BYTES32)));

  static final RlpCodec<TxLocation> LOCATION =
      RlpCodec.struct(
          (w, l) -> w.writeUInt64(l.blockNumber()).writeUInt64(l.index()),
          r -> new TxLocation(r.readUInt64(), r.readInt()));

  private StorageCodecs() {}
}
