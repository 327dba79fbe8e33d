package io.axivon.consensus.execution.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.time.Clock;
import io.axivon.consensus.engine.TimeoutConfig;
import io.axivon.consensus.execution.EvmApplication;
import io.axivon.consensus.execution.EvmChain;
import io.axivon.consensus.execution.ExecFixtures;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.consensus.execution.system.Abi;
import io.axivon.consensus.execution.system.SystemModules;
import io.axivon.consensus.mempool.Mempool;
import io.axivon.consensus.mempool.MempoolConfig;
import io.axivon.consensus.node.ConsensusGenesis;
import io.axivon.consensus.node.ValidatorNode;
import io.axivon.consensus.rpc.ChainBackend;
import io.axivon.consensus.rpc.EthApi;
import io.axivon.consensus.rpc.EthRpcServer;
import io.axivon.consensus.rpc.RpcConfig;
import io.axivon.consensus.types.Validator;
import io.axivon.consensus.types.ValidatorSet;
import io.axivon.p2p.NodeKey;
import io.axivon.p2p.P2pConfig;
import io.axivon.p2p.P2pLimits;
import io.axivon.p2p.P2pNode;
import io.prometheus.client.CollectorRegistry;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.utils.Numeric;

/**
 * The flow module on a single-validator chain behind the JSON-RPC server, driven by web3j the way
 * 0G's SDK drives a Flow contract: read market and price, estimate, send a signed submit with the
 * fee as value, take the Submit log from the receipt and from eth_getLogs by topic.
 */
@org.junit.jupiter.api.Timeout(180)
class FlowRpcIT {
  private static final long CHAIN_ID = ExecFixtures.CHAIN_ID;
  private static final BigInteger PRICE = BigInteger.TEN.pow(9);

  /** Development account 0 of the standard mnemonic (public knowledge, devnet only). */
  private static final Credentials ALICE =
      Credentials.create("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");

  private static final BigInteger GAS_PRICE = BigInteger.valueOf(3_000_000_000L);
  private static final String FLOW = FlowModule.ADDRESS.toLowerHex();

  @TempDir Path dir;
  private EvmChain chain;
  private P2pNode p2p;
  private ValidatorNode node;
  private EthRpcServer server;
  private Web3j web3;
  private PollingTransactionReceiptProcessor receipts;
  private String url;

  @BeforeEach
  void start() {
    SecureRandom random = new SecureRandom();
    BlsSecretKey key = BlsSecretKey.generate(random);
    ConsensusGenesis genesis =
        new ConsensusGenesis(
            "flow-it",
            0,
            ValidatorSet.of(List.of(new Validator(key.publicKey(), 10))),
            Bytes32.ZERO);
    P2pLimits limits = P2pLimits.defaults().toBuilder().ioThreads(1).build();
    p2p =
        new P2pNode(
            new P2pConfig("127.0.0.1", 0, NodeKey.generate(random), 777, List.of(), limits),
            new CollectorRegistry());
    chain =
        EvmChain.open(
            dir.resolve("evm"),
            Genesis.devnet(CHAIN_ID),
            SystemModules.of(new FlowModule(new FlowConfig(PRICE, 5))));
    Mempool[] pool = new Mempool[1];
    EvmApplication evm =
        new EvmApplication(
            chain,
            max -> pool[0].reap(max, Integer.MAX_VALUE),
            Clock.system(),
            h -> ExecFixtures.COINBASE);
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
            new CollectorRegistry());
    p2p.start();
    node.start();
    RpcConfig config = RpcConfig.defaults().withPort(0);
    server = new EthRpcServer(config, new EthApi(ChainBackend.forNode(chain, node, p2p), config));
    int port = server.start().getPort();
    url = "http://127.0.0.1:" + port;
    web3 = Web3j.build(new HttpService(url));
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

  private Bytes call(Bytes data) throws Exception {
    EthCall r =
        web3.ethCall(
                Transaction.createEthCallTransaction(ALICE.getAddress(), FLOW, data.toHexString()),
                DefaultBlockParameterName.LATEST)
            .send();
    assertThat(r.hasError())
        .as(() -> r.getError().getMessage() + " " + r.getError().getData())
        .isFalse();
    return Bytes.fromHexString(r.getValue());
  }

  @Test
  void web3jSubmitsAFileAndReadsItsSubmitLog() throws Exception {
    // ethers (0G's SDK) batches: network detection and the market lookup in one POST
    String batch =
        "[{'jsonrpc':'2.0','id':1,'method':'eth_chainId','params':[]},"
            + "{'jsonrpc':'2.0','id':2,'method':'eth_call','params':[{'to':'"
            + FLOW
            + "','data':'0x80f55605'},'latest']},"
            + "{'jsonrpc':'2.0','id':3,'method':'eth_call','params':[{'to':'"
            + FLOW
            + "','data':'0x61ec5082'},'latest']}]";
    HttpResponse<String> answer =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(batch.replace('\'', '"')))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    JsonNode answers = new ObjectMapper().readTree(answer.body());
    assertThat(answers.isArray()).isTrue();
    assertThat(answers).hasSize(3);
    assertThat(answers.get(0).get("result").asText()).isEqualTo("0x" + Long.toHexString(CHAIN_ID));
    assertThat(answers.get(1).get("result").asText())
        .isEqualTo(Bytes32.leftPad(FlowModule.ADDRESS.bytes()).toHexString());
    assertThat(answers.get(2).get("result").asText()).isEqualTo(FlowAbi.uint(PRICE).toHexString());

    // what the SDK reads first: the market (the flow itself) and its price
    assertThat(call(Abi.selector(FlowAbi.MARKET)).slice(12)).isEqualTo(FlowModule.ADDRESS.bytes());
    assertThat(call(Abi.selector(FlowAbi.PRICE_PER_SECTOR)).toUnsignedBigInteger())
        .isEqualTo(PRICE);

    // the fifteen-chunks file of 0g-file-root.md: 3600 bytes, nodes of heights 3, 2, 1, 0
    Submission s =
        new Submission(
            BigInteger.valueOf(3600),
            Bytes.EMPTY,
            List.of(
                node("0xa0278422d0d5992b4581d97f9753576c6619613808de6e5177530c1076c543cd", 3),
                node("0x8f394695f6d04f226767de67886e22313e52c06f475d514f72e152e7bd960c6d", 2),
                node("0x1d99f1b08110785262e5a42f6b7b50f820928bf2807d320ac480eaa4ffd935fb", 1),
                node("0x5ba05775d3273cd9b286de33c87e65ead922bb7bb622b9fb594a72b5e421eaab", 0)));
    BigInteger fee = PRICE.multiply(BigInteger.valueOf(15));
    String data = FlowAbi.submitCall(s).toHexString();

    // too little value: eth_call shows NotEnoughFee's data
    EthCall low =
        web3.ethCall(
                Transaction.createFunctionCallTransaction(
                    ALICE.getAddress(), null, null, null, FLOW, BigInteger.ONE, data),
                DefaultBlockParameterName.LATEST)
            .send();
    assertThat(low.getError().getCode()).isEqualTo(3);
    assertThat(low.getError().getData().replace("\"", ""))
        .isEqualTo(
            FlowAbi.notEnoughFee(PRICE, BigInteger.valueOf(15), BigInteger.ONE).toHexString());

    BigInteger gas =
        web3.ethEstimateGas(
                Transaction.createFunctionCallTransaction(
                    ALICE.getAddress(), null, null, null, FLOW, fee, data))
            .send()
            .getAmountUsed();
    BigInteger nonce =
        web3.ethGetTransactionCount(ALICE.getAddress(), DefaultBlockParameterName.PENDING)
            .send()
            .getTransactionCount();
    RawTransaction tx = RawTransaction.createTransaction(nonce, GAS_PRICE, gas, FLOW, fee, data);
    EthSendTransaction sent =
        web3.ethSendRawTransaction(
                Numeric.toHexString(TransactionEncoder.signMessage(tx, CHAIN_ID, ALICE)))
            .send();
    assertThat(sent.hasError()).as(() -> sent.getError().getMessage()).isFalse();
    TransactionReceipt receipt = receipts.waitForTransactionReceipt(sent.getTransactionHash());
    assertThat(receipt.isStatusOK()).isTrue();

    // the SDK's way: logs of the flow address whose topic 0 is Submit
    String topic = FlowAbi.SUBMIT_TOPIC.toHexString();
    List<org.web3j.protocol.core.methods.response.Log> fromReceipt =
        receipt.getLogs().stream()
            .filter(l -> l.getAddress().equalsIgnoreCase(FLOW))
            .filter(l -> l.getTopics().getFirst().equals(topic))
            .toList();
    assertThat(fromReceipt).hasSize(1);
    checkSubmitLog(fromReceipt.getFirst(), s);

    EthFilter filter =
        new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST, FLOW)
            .addSingleTopic(topic);
    List<EthLog.LogResult> logs = web3.ethGetLogs(filter).send().getLogs();
    assertThat(logs).hasSize(1);
    checkSubmitLog((EthLog.LogObject) logs.getFirst(), s);

    assertThat(call(Abi.selector(FlowAbi.NUM_SUBMISSIONS)).toUnsignedBigInteger()).isOne();
    assertThat(call(Abi.selector(FlowAbi.FLOW_LENGTH)).toUnsignedBigInteger()).isEqualTo(15);
    assertThat(web3.ethGetBalance(FLOW, DefaultBlockParameterName.LATEST).send().getBalance())
        .isEqualTo(fee);
  }

  private static Submission.Node node(String root, int height) {
    return new Submission.Node(Bytes32.fromHexString(root), BigInteger.valueOf(height));
  }

  private static void checkSubmitLog(
      org.web3j.protocol.core.methods.response.Log log, Submission s) {
    Address alice = Address.fromHex(ALICE.getAddress());
    assertThat(log.getTopics())
        .containsExactly(
            FlowAbi.SUBMIT_TOPIC.toHexString(),
            Bytes32.leftPad(alice.bytes()).toHexString(),
            s.identity().toHexString());
    Bytes data = Bytes.fromHexString(log.getData());
    assertThat(data.slice(0, 32).toUnsignedBigInteger()).as("submissionIndex").isZero();
    assertThat(data.slice(32, 32).toUnsignedBigInteger()).as("startPos").isZero();
    assertThat(data.slice(64, 32).toUnsignedBigInteger()).as("length").isEqualTo(15);
    assertThat(FlowModuleTest.decodeEventSubmission(data)).isEqualTo(s);
  }
}
