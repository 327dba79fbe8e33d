package io.axivon.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.HdKeys;
import io.axivon.common.time.Clock;
import io.axivon.consensus.execution.EvmApplication;
import io.axivon.consensus.execution.EvmChain;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.consensus.execution.tx.DynamicFeeTransaction;
import io.axivon.consensus.execution.tx.TxSigner;
import io.axivon.consensus.mempool.Mempool;
import io.axivon.consensus.mempool.MempoolConfig;
import io.axivon.consensus.rpc.ChainBackend;
import io.axivon.consensus.rpc.ChainGuard;
import io.axivon.consensus.rpc.EthApi;
import io.axivon.consensus.rpc.EthRpcServer;
import io.axivon.consensus.rpc.RpcConfig;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.commons.io.file.PathUtils;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * eth_call of a simple view (a contract whose code returns storage slot 0) through the JSON-RPC
 * HTTP server, from {@value #CLIENTS} client threads over keep-alive connections: {@code
 * httpEthCall}. The reference, {@code inProcessEthCall}, is the same call on {@link EthApi}
 * directly (parameters already parsed to a JSON tree, no HTTP, no framing): what the EVM and the
 * state lock cost alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Threads(EthCallBench.CLIENTS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class EthCallBench {
  static final int CLIENTS = 4;
  private static final long CHAIN_ID = 1337;

  /**
   * Init code: SSTORE(0, 42), then return the runtime PUSH1 0 SLOAD PUSH1 0 MSTORE RETURN(0, 32).
   */
  private static final Bytes VIEW_INIT =
      Bytes.fromHexString("0x602a600055600b8060106000396000f3" + "60005460005260206000f3");

  private Path dir;
  private EvmChain chain;
  private EthRpcServer server;
  private EthApi api;
  private HttpClient http;
  private HttpRequest request;
  private JsonNode params;
  int port;
  String body;

  @Setup
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("eth-call-bench");
    chain = EvmChain.open(dir, Genesis.devnet(CHAIN_ID));
    Mempool[] pool = new Mempool[1];
    EvmApplication app =
        new EvmApplication(
            chain,
            max -> pool[0].reap(max, Integer.MAX_VALUE),
            Clock.system(),
            h -> Genesis.devAccounts().get(9));
    pool[0] = new Mempool(MempoolConfig.defaults(), app::checkTx);
    var key = HdKeys.ethereumAccount(Genesis.DEV_MNEMONIC, "", 0);
    Bytes deploy =
        TxSigner.sign(
                new DynamicFeeTransaction(
                    CHAIN_ID,
                    0,
                    BigInteger.TEN.pow(9),
                    BigInteger.TEN.pow(10),
                    200_000,
                    Optional.empty(),
                    BigInteger.ZERO,
                    VIEW_INIT,
                    List.of(),
                    null),
                key)
            .encode();
    chain.execute(
        1,
        Bytes32.fromHexString("0x01"),
        chain.head().hash(),
        1000,
        Genesis.devAccounts().get(9),
        List.of(deploy));
    chain.commit();
    Address view = chain.index().receipts(1).getFirst().contractAddress().orElseThrow();

    RpcConfig config = RpcConfig.defaults().withPort(0);
    ChainGuard guard = new ChainGuard();
    api =
        new EthApi(
            new ChainBackend(
                chain, guard, pool[0]::add, pool[0], () -> 0, () -> chain.head().number()),
            config);
    server = new EthRpcServer(config, api);
    port = server.start().getPort();
    String call = "[{\"to\":\"" + view.toLowerHex() + "\",\"data\":\"0x\"},\"latest\"]";
    params = new ObjectMapper().readTree(call);
    body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_call\",\"params\":" + call + "}";
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    String expected = Bytes32.leftPad(Bytes.of(42)).toHexString();
    String viaHttp = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    if (!inProcessEthCall().asText().equals(expected) || !viaHttp.contains(expected)) {
      throw new IllegalStateException("eth_call does not return 42: " + viaHttp);
    }
  }

  @TearDown
  public void tearDown() throws IOException {
    server.close();
    http.close();
    chain.close();
    PathUtils.deleteDirectory(dir);
  }

  /**
   * One keep-alive connection per benchmark thread, spoken to with a minimal blocking HTTP/1.1
   * client: java.net.http's client costs more CPU per request than the server, which on a small
   * machine would measure the client.
   */
  @State(Scope.Thread)
  public static class Connection {
    private Socket socket;
    private OutputStream out;
    private InputStream in;
    private byte[] request;

    @Setup
    public void open(EthCallBench bench) throws IOException {
      socket = new Socket("127.0.0.1", bench.port);
      socket.setTcpNoDelay(true);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
      byte[] body = bench.body.getBytes(StandardCharsets.UTF_8);
      request =
          ("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  + "Content-Length: "
                  + body.length
                  + "\r\n\r\n"
                  + bench.body)
              .getBytes(StandardCharsets.UTF_8);
    }

    @TearDown
    public void close() throws IOException {
      socket.close();
    }

    /** Sends the call and reads one response; returns its body. */
    byte[] roundTrip() throws IOException {
      out.write(request);
      out.flush();
      int length = -1;
      StringBuilder line = new StringBuilder();
      while (true) {
        int c = in.read();
        if (c < 0) {
          throw new IOException("connection closed");
        }
        if (c == '\n') {
          String l = line.toString().trim();
          line.setLength(0);
          if (l.isEmpty()) {
            break;
          }
          if (l.regionMatches(true, 0, "content-length:", 0, 15)) {
            length = Integer.parseInt(l.substring(15).trim());
          }
        } else {
          line.append((char) c);
        }
      }
      return in.readNBytes(length);
    }
  }

  @Benchmark
  public byte[] httpEthCall(Connection c) throws IOException {
    return c.roundTrip();
  }

  @Benchmark
  public JsonNode inProcessEthCall() {
    return api.call("eth_call", params);
  }
}
