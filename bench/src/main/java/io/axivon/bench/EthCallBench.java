package io.axivon.bench;

import static java.nio.charset.StandardCharsets.US_ASCII;

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
import io.axivon.consensus.rpc.EthApi;
import io.axivon.consensus.rpc.EthRpcServer;
import io.axivon.consensus.rpc.JsonRpcHandler;
import io.axivon.consensus.rpc.RpcConfig;
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
import java.util.Arrays;
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
 * directly (parameters already parsed to a JSON tree, no HTTP, no framing): what the EVM costs
 * alone. {@code inProcessJsonRpc} adds the JSON-RPC framing (request bytes to response bytes), no
 * HTTP. Calls run on read-only views of the head's state, so the clients' calls run in parallel.
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
  private JsonRpcHandler handler;
  private byte[] bodyBytes;
  int port;
  String body;
  byte[] expectedResponse;

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
    pool[0] = Mempool.of(MempoolConfig.defaults(), () -> app);
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
    api =
        new EthApi(
            new ChainBackend(chain, pool[0]::add, pool[0], () -> 0, () -> chain.head().number()),
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
    JsonNode answer = new ObjectMapper().readTree(viaHttp);
    if (!inProcessEthCall().asText().equals(expected)
        || !answer.path("result").asText().equals(expected)
        || answer.path("id").asInt() != 1
        || !answer.path("jsonrpc").asText().equals("2.0")) {
      throw new IllegalStateException("eth_call does not return 42: " + viaHttp);
    }
    expectedResponse = viaHttp.getBytes(StandardCharsets.UTF_8);
    bodyBytes = body.getBytes(StandardCharsets.UTF_8);
    handler = new JsonRpcHandler(api, config.maxBatchSize());
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
   * machine would measure the client. Each call is its own HTTP request (pre-serialised bytes) and
   * its whole response is checked: status 200 and a JSON-RPC body equal to the expected answer.
   */
  @State(Scope.Thread)
  public static class Connection {
    private static final byte[] STATUS_OK = "HTTP/1.1 200".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);

    private Socket socket;
    private OutputStream out;
    private InputStream in;
    private byte[] request;
    private byte[] expected;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;

    @Setup
    public void open(EthCallBench bench) throws IOException {
      socket = new Socket("127.0.0.1", bench.port);
      socket.setTcpNoDelay(true);
      out = socket.getOutputStream();
      in = socket.getInputStream();
      expected = bench.expectedResponse;
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

    /** Sends the call, reads one response and checks it; returns its body's length. */
    int roundTrip() throws IOException {
      out.write(request);
      out.flush();
      // the head: up to the empty line
      int start = pos;
      int end;
      while ((end = headEnd(start)) < 0) {
        start = fill(start);
      }
      if (!startsWith(start, STATUS_OK)) {
        throw new IOException("not 200: " + new String(buf, start, end - start, US_ASCII));
      }
      int length = contentLength(start, end);
      pos = end;
      while (limit - pos < length) {
        fill(pos);
      }
      if (!Arrays.equals(buf, pos, pos + length, expected, 0, expected.length)) {
        throw new IOException(
            "unexpected answer: " + new String(buf, pos, length, StandardCharsets.UTF_8));
      }
      pos += length;
      return length;
    }

    /** Reads more, first moving what is unread from {@code from} on to the buffer's start. */
    private int fill(int from) throws IOException {
      System.arraycopy(buf, from, buf, 0, limit - from);
      limit -= from;
      pos = 0;
      int n = in.read(buf, limit, buf.length - limit);
      if (n < 0) {
        throw new IOException("connection closed");
      }
      limit += n;
      return 0;
    }

    /** Where the body starts (after CRLF CRLF), or -1 when the head is not all read yet. */
    private int headEnd(int from) {
      for (int i = from; i + 3 < limit; i++) {
        if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') {
          return i + 4;
        }
      }
      return -1;
    }

    private boolean startsWith(int at, byte[] prefix) {
      return Arrays.equals(buf, at, at + prefix.length, prefix, 0, prefix.length);
    }

    private int contentLength(int from, int to) throws IOException {
      for (int i = from + 1; i + LENGTH.length < to; i++) { // a header follows a line break
        if (buf[i - 1] == '\n' && matchesIgnoreCase(i, LENGTH)) {
          int v = 0;
          int j = i + LENGTH.length;
          while (buf[j] == ' ') {
            j++;
          }
          while (buf[j] >= '0' && buf[j] <= '9') {
            v = v * 10 + buf[j++] - '0';
          }
          return v;
        }
      }
      throw new IOException("no content-length");
    }

    private boolean matchesIgnoreCase(int at, byte[] lower) {
      for (int k = 0; k < lower.length; k++) {
        int c = buf[at + k];
        if (c >= 'A' && c <= 'Z') {
          c += 'a' - 'A';
        }
        if (c != lower[k]) {
          return false;
        }
      }
      return true;
    }
  }

  @Benchmark
  public int httpEthCall(Connection c) throws IOException {
    return c.roundTrip();
  }

  /** The JSON-RPC framing without HTTP: request bytes in, response bytes out. */
  @Benchmark
  public Optional<byte[]> inProcessJsonRpc() {
    return handler.handle(bodyBytes);
  }

  @Benchmark
  public JsonNode inProcessEthCall() {
    return api.call("eth_call", params);
  }
}
