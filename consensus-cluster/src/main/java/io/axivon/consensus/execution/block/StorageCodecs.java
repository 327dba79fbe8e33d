package io.axivon.consensus.execution.block;

import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.execution.evm.Log;
import java.util.List;

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
                  .writeBytes(x.logsBloom())
                  .writeUInt64(x.firstLogIndex()),
          r ->
              new Receipt(
                  r.readBytes32(),
                  r.readInt(),
                  r.readBoolean(),
                  r.readUInt64(),
                  r.readUInt64(),
                  r.readUInt256(),
                  r.read(ADDRESS),
                  r.readOptional(ADDRESS),
                  r.readOptional(ADDRESS),
                  r.readListOf(LOG),
                  r.readFixedBytes(Bloom.BYTES),
                  r.readInt()));

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
