package io.axivon.consensus.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.time.Clock;
import io.axivon.consensus.engine.TimeoutConfig;
import io.axivon.consensus.execution.EvmApplication;
import io.axivon.consensus.execution.EvmChain;
import io.axivon.consensus.execution.ExecFixtures;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.consensus.mempool.Mempool;
import io.axivon.consensus.mempool.MempoolConfig;
import io.axivon.consensus.node.ConsensusGenesis;
import io.axivon.consensus.node.ValidatorNode;
import io.axivon.consensus.types.Validator;
import io.axivon.consensus.types.ValidatorSet;
import io.axivon.p2p.NodeKey;
import io.axivon.p2p.P2pConfig;
import io.axivon.p2p.P2pLimits;
import io.axivon.p2p.P2pNode;
import io.prometheus.client.CollectorRegistry;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.BatchResponse;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.utils.Numeric;

/**
 * A single-validator EVM chain (consensus over real P2P, EvmApplication, mempool) behind the HTTP
 * JSON-RPC server, driven by web3j as an unmodified client: transfers, a contract deployed, called
 * and its logs read, reverts decoded, go-ethereum error codes for bad transactions.
 */
@org.junit.jupiter.api.Timeout(180)
class EthRpcIT {
  private static final long CHAIN_ID = ExecFixtures.CHAIN_ID;

  /** Development account 0 of the standard mnemonic (public knowledge, devnet only). */
  private static final Credentials ALICE =
      Credentials.create("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");

  private static final String BOB = Genesis.devAccounts().get(1).toLowerHex();
  private static final BigInteger GAS_PRICE = BigInteger.valueOf(3_000_000_000L);
  private static final Address COINBASE =
      Address.fromHex("0x00000000000000000000000000000000000000cb");

  @TempDir Path dir;
  private EvmChain chain;
  private P2pNode p2p;
  private ValidatorNode node;
  private EthRpcServer server;
  private final CollectorRegistry nodeMetrics = new CollectorRegistry();
  private Web3j web3;
  private PollingTransactionReceiptProcessor receipts;

  @BeforeEach
  void start() {
    SecureRandom random = new SecureRandom();
    BlsSecretKey key = BlsSecretKey.generate(random);
    ConsensusGenesis genesis =
        new ConsensusGenesis(
            "rpc-it",
            0,
            ValidatorSet.of(List.of(new Validator(key.publicKey(), 10))),
            org.apache.tuweni.bytes.Bytes32.ZERO);
    P2pLimits limits = P2pLimits.defaults().toBuilder().ioThreads(1).build();
    p2p =
        new P2pNode(
            new P2pConfig("127.0.0.1", 0, NodeKey.generate(random), 777, List.of(), limits),
            new CollectorRegistry());
    chain = EvmChain.open(dir.resolve("evm"), Genesis.devnet(CHAIN_ID));
    Mempool[] pool = new Mempool[1];
    EvmApplication evm =
        new EvmApplication(
            chain, max -> pool[0].reap(max, Integer.MAX_VALUE), Clock.system(), h -> COINBASE);
    Mempool mempool = new Mempool(MempoolConfig.defaults(), evm::checkTx);
    pool[0] = mempool;
    node =
        new ValidatorNode(
            new ValidatorNode.Options(
                genesis,
                dir.resolve("node"),
                Optional.of(key),
                new TimeoutConfig(800, 200, 300, 100, 300, 100, 50),
                1 << 20,
                Duration.ofMillis(100)),
            p2p,
            evm,
            mempool,
            nodeMetrics);
    p2p.start();
    node.start();
    RpcConfig config = RpcConfig.defaults().withPort(0);
    server = new EthRpcServer(config, new EthApi(ChainBackend.forNode(chain, node, p2p), config));
    int port = server.start().getPort();
    web3 = Web3j.build(new HttpService("http://127.0.0.1:" + port));
    receipts = new PollingTransactionReceiptProcessor(web3, 50, 600);
  }

  @AfterEach
  void stop() {
    if (web3 != null) {
      web3.shutdown();
    }
    if (server != null) {
      server.close();
    }
    if (node != null) {
      node.close();
    }
    if (p2p != null) {
      p2p.close();
    }
    if (chain != null) {
      chain.close();
    }
  }

  private BigInteger nonce(String address) throws Exception {
    return web3.ethGetTransactionCount(address, DefaultBlockParameterName.PENDING)
        .send()
        .getTransactionCount();
  }

  private EthSendTransaction send(RawTransaction tx, long chainId) throws Exception {
    String raw = Numeric.toHexString(TransactionEncoder.signMessage(tx, chainId, ALICE));
    return web3.ethSendRawTransaction(raw).send();
  }

  private TransactionReceipt sendAndWait(RawTransaction tx) throws Exception {
    EthSendTransaction sent = send(tx, CHAIN_ID);
    assertThat(sent.hasError()).as(() -> sent.getError().getMessage()).isFalse();
    return receipts.waitForTransactionReceipt(sent.getTransactionHash());
  }

  private double optimistic(String outcome) {
    Double v =
        nodeMetrics.getSampleValue(
            "axivon_consensus_optimistic_executions_total",
            new String[] {"chain", "outcome"},
            new String[] {"rpc-it", outcome});
    return v == null ? 0 : v;
  }

  private static String counterBin() throws Exception {
    try (var in = EthRpcIT.class.getResourceAsStream("/evm/Counter.bin")) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
    }
  }

  private static String encode(String name, Type<?>... args) {
    return FunctionEncoder.encode(new Function(name, List.of(args), List.of()));
  }

  @Test
  void web3jTransfersDeploysCallsReadsLogsAndSeesGethErrors() throws Exception {
    assertThat(web3.ethChainId().send().getChainId()).isEqualTo(BigInteger.valueOf(CHAIN_ID));
    assertThat(web3.netVersion().send().getNetVersion()).isEqualTo(Long.toString(CHAIN_ID));
    assertThat(web3.web3ClientVersion().send().getWeb3ClientVersion()).startsWith("Axivon/");
    assertThat(ALICE.getAddress()).isEqualTo(ExecFixtures.key(0).address().toLowerHex());

    // a signed transfer, and its receipt
    BigInteger bobBefore =
        web3.ethGetBalance(BOB, DefaultBlockParameterName.LATEST).send().getBalance();
    TransactionReceipt transfer =
        sendAndWait(
            RawTransaction.createEtherTransaction(
                nonce(ALICE.getAddress()),
                GAS_PRICE,
                BigInteger.valueOf(21_000),
                BOB,
                BigInteger.TEN.pow(18)));
    assertThat(transfer.isStatusOK()).isTrue();
    assertThat(transfer.getGasUsed()).isEqualTo(BigInteger.valueOf(21_000));
    assertThat(web3.ethGetBalance(BOB, DefaultBlockParameterName.LATEST).send().getBalance())
        .isEqualTo(bobBefore.add(BigInteger.TEN.pow(18)));
    var mined = web3.ethGetTransactionByHash(transfer.getTransactionHash()).send().getTransaction();
    assertThat(mined).isPresent();
    assertThat(mined.get().getFrom()).isEqualTo(ALICE.getAddress());
    assertThat(mined.get().getBlockNumber()).isEqualTo(transfer.getBlockNumber());
    EthBlock.Block block =
        web3.ethGetBlockByNumber(DefaultBlockParameter.valueOf(transfer.getBlockNumber()), true)
            .send()
            .getBlock();
    assertThat(block.getHash()).isEqualTo(transfer.getBlockHash());
    assertThat(block.getTransactions()).hasSize(1);

    // a type-2 transaction signed by our own signer goes through web3j's raw send as well
    Bytes typed =
        ExecFixtures.tx(
            ExecFixtures.key(0),
            nonce(ALICE.getAddress()).longValueExact(),
            Optional.of(Address.fromHex(BOB)),
            BigInteger.ONE,
            Bytes.EMPTY,
            21_000);
    EthSendTransaction sentTyped = web3.ethSendRawTransaction(typed.toHexString()).send();
    assertThat(sentTyped.hasError()).isFalse();
    assertThat(receipts.waitForTransactionReceipt(sentTyped.getTransactionHash()).isStatusOK())
        .isTrue();

    // deploy Counter, call it
    BigInteger deployGas =
        web3.ethEstimateGas(
                Transaction.createContractTransaction(ALICE.getAddress(), null, null, counterBin()))
            .send()
            .getAmountUsed();
    TransactionReceipt deployed =
        sendAndWait(
            RawTransaction.createContractTransaction(
                nonce(ALICE.getAddress()), GAS_PRICE, deployGas, BigInteger.ZERO, counterBin()));
    assertThat(deployed.isStatusOK()).isTrue();
    String counter = deployed.getContractAddress();
    assertThat(web3.ethGetCode(counter, DefaultBlockParameterName.LATEST).send().getCode())
        .startsWith("0x6080");

    String increment = encode("increment");
    BigInteger incGas =
        web3.ethEstimateGas(
                Transaction.createFunctionCallTransaction(
                    ALICE.getAddress(), null, null, null, counter, increment))
            .send()
            .getAmountUsed();
    for (int i = 0; i < 2; i++) {
      TransactionReceipt r =
          sendAndWait(
              RawTransaction.createTransaction(
                  nonce(ALICE.getAddress()), GAS_PRICE, incGas, counter, increment));
      assertThat(r.isStatusOK()).isTrue();
      assertThat(r.getLogs()).hasSize(1);
    }
    Function count = new Function("count", List.of(), List.of(new TypeReference<Uint256>() {}));
    EthCall value =
        web3.ethCall(
                Transaction.createEthCallTransaction(
                    ALICE.getAddress(), counter, FunctionEncoder.encode(count)),
                DefaultBlockParameterName.LATEST)
            .send();
    assertThat(value.hasError()).isFalse();
    assertThat(FunctionReturnDecoder.decode(value.getValue(), count.getOutputParameters()))
        .singleElement()
        .extracting(Type::getValue)
        .isEqualTo(BigInteger.TWO);

    // its logs
    Event incremented =
        new Event(
            "Incremented",
            List.of(
                new TypeReference<org.web3j.abi.datatypes.Address>(true) {},
                new TypeReference<Uint256>() {}));
    EthFilter filter =
        new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST, counter)
            .addSingleTopic(EventEncoder.encode(incremented));
    List<EthLog.LogResult> logs = web3.ethGetLogs(filter).send().getLogs();
    assertThat(logs).hasSize(2);
    var second = (EthLog.LogObject) logs.get(1);
    assertThat(Numeric.toBigInt(second.getData())).isEqualTo(BigInteger.TWO);
    assertThat(second.getTopics().get(1))
        .isEqualTo(
            Numeric.toHexStringWithPrefixZeroPadded(Numeric.toBigInt(ALICE.getAddress()), 64));

    // a revert's reason, and a custom error's data
    EthCall fail =
        web3.ethCall(
                Transaction.createEthCallTransaction(ALICE.getAddress(), counter, encode("fail")),
                DefaultBlockParameterName.LATEST)
            .send();
    assertThat(fail.hasError()).isTrue();
    assertThat(fail.getError().getCode()).isEqualTo(3);
    assertThat(fail.getError().getMessage()).isEqualTo("execution reverted: nope");
    assertThat(fail.getRevertReason()).contains("nope");
    EthCall tooLarge =
        web3.ethCall(
                Transaction.createEthCallTransaction(
                    ALICE.getAddress(), counter, encode("add", new Uint256(101))),
                DefaultBlockParameterName.LATEST)
            .send();
    assertThat(tooLarge.getError().getCode()).isEqualTo(3);
    // web3j 5 keeps error.data as the raw JSON text, quotes included
    assertThat(tooLarge.getError().getData().replace("\"", ""))
        .startsWith(ExecFixtures.selector("TooLarge(uint256,uint256)").toHexString());
    assertThat(
            web3.ethEstimateGas(
                    Transaction.createFunctionCallTransaction(
                        ALICE.getAddress(), null, null, null, counter, encode("fail")))
                .send()
                .getError()
                .getCode())
        .isEqualTo(3);

    // bad nonce and bad chain id: go-ethereum's codes and messages
    EthSendTransaction low =
        send(
            RawTransaction.createEtherTransaction(
                BigInteger.ZERO, GAS_PRICE, BigInteger.valueOf(21_000), BOB, BigInteger.ONE),
            CHAIN_ID);
    assertThat(low.getError().getCode()).isEqualTo(-32000);
    assertThat(low.getError().getMessage()).startsWith("nonce too low");
    EthSendTransaction otherChain =
        send(
            RawTransaction.createEtherTransaction(
                nonce(ALICE.getAddress()),
                GAS_PRICE,
                BigInteger.valueOf(21_000),
                BOB,
                BigInteger.ONE),
            1);
    assertThat(otherChain.getError().getCode()).isEqualTo(-32000);
    assertThat(otherChain.getError().getMessage())
        .isEqualTo("invalid sender: invalid chain id for signer");

    // a batch, as ethers sends them
    BatchResponse batch =
        web3.newBatch()
            .add(web3.ethChainId())
            .add(web3.ethBlockNumber())
            .add(web3.ethGasPrice())
            .send();
    assertThat(batch.getResponses()).hasSize(3);
    assertThat(batch.getResponses().get(1).getResult()).isNotNull();
    assertThat(Files.exists(dir.resolve("evm"))).isTrue();

    // Each accepted proposal ran while its votes were collected, and that result was the one used.
    assertThat(optimistic("used")).isPositive();
    assertThat(optimistic("failed")).isZero();
  }
}
