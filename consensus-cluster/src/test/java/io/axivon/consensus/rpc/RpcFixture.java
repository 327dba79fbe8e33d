package io.axivon.consensus.rpc;

import static io.axivon.consensus.execution.ExecFixtures.COINBASE;
import static io.axivon.consensus.execution.ExecFixtures.blockHash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.common.time.ManualClock;
import io.axivon.consensus.execution.EvmApplication;
import io.axivon.consensus.execution.EvmChain;
import io.axivon.consensus.execution.ExecFixtures;
import io.axivon.consensus.execution.block.EthBlock;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.consensus.mempool.Mempool;
import io.axivon.consensus.mempool.MempoolConfig;
import java.nio.file.Path;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/** A devnet chain in a temp dir with a mempool and an EthApi over it; blocks are run by hand. */
final class RpcFixture implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  final EvmChain chain;
  final Mempool mempool;
  final EvmApplication app;
  final ChainBackend backend;
  final EthApi api;

  RpcFixture(Path dir, RpcConfig config) {
    chain = EvmChain.open(dir, Genesis.devnet(ExecFixtures.CHAIN_ID));
    Mempool[] pool = new Mempool[1];
    app =
        new EvmApplication(
            chain,
            max -> pool[0].reap(max, Integer.MAX_VALUE),
            new ManualClock(1_700_000_000_000L),
            h -> COINBASE);
    mempool = new Mempool(MempoolConfig.defaults(), app::checkTx);
    pool[0] = mempool;
    backend = new ChainBackend(chain, mempool::add, mempool, () -> 3, () -> chain.head().number());
    api = new EthApi(backend, config);
  }

  RpcFixture(Path dir) {
    this(dir, RpcConfig.defaults());
  }

  /** Runs and commits the next block with {@code txs}, and tells the mempool. */
  EthBlock block(Bytes... txs) {
    long n = chain.head().number() + 1;
    Bytes32 parent = chain.head().hash();
    EthBlock b = chain.execute(n, blockHash(n), parent, n * 1000, COINBASE, List.of(txs));
    chain.commit();
    mempool.update(List.of(txs));
    return b;
  }

  /** Calls {@code method} with params given as JSON text (an array). */
  JsonNode call(String method, String params) {
    try {
      return api.call(method, JSON.readTree(params));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Override
  public void close() {
    chain.close();
  }
}
