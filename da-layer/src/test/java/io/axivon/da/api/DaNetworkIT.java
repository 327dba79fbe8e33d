package io.axivon.da.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.da.blob.Axis;
import io.axivon.da.blob.BlobSquare;
import io.axivon.da.blob.ExtendedSquare;
import io.axivon.da.blob.RowColumnRoots;
import io.axivon.da.blob.Sampling;
import io.axivon.da.blob.SquareEncoder;
import io.axivon.da.cert.DaCertificate;
import io.axivon.da.cert.DaOperator;
import io.axivon.da.cert.Quorum;
import io.axivon.da.chain.InMemoryDaChain;
import io.axivon.da.disperser.BlobGoneException;
import io.axivon.da.disperser.BlobStatus;
import io.axivon.da.disperser.Disperser;
import io.axivon.da.disperser.DisperserStore;
import io.axivon.da.disperser.PeerConnector;
import io.axivon.da.disperser.Sampler;
import io.axivon.da.node.DaNode;
import io.axivon.da.node.DaNodeStore;
import io.axivon.da.node.DaWire;
import io.axivon.p2p.NodeId;
import io.axivon.p2p.NodeKey;
import io.axivon.p2p.P2pConfig;
import io.axivon.p2p.P2pNode;
import io.axivon.p2p.ProtocolLimits;
import io.axivon.p2p.RequestException;
import io.prometheus.client.CollectorRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four DA nodes, one rogue quorum member, a disperser and the blob API on loopback, with an
 * in-memory chain: blobs certify and come back over REST and the OP Alt-DA API, whatever the rogue
 * does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DaNetworkIT {
  private static final long NETWORK = 77;

  enum Mode {
    WITHHOLD,
    LIE
  }

  private final List<AutoCloseable> open = new ArrayList<>();
  private final InMemoryDaChain chain = new InMemoryDaChain(5);
  private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.LIE);
  private final List<DaNode> nodes = new ArrayList<>();
  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private Bytes rogueId;
  private P2pNode clientP2p;
  private Disperser disperser;
  private BlobApiServer api;
  private SquareEncoder encoder;
  private String base;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    encoder = SquareEncoder.create(1);
    open.add(encoder);
    for (int i = 0; i < 4; i++) {
      BlsSecretKey key = BlsSecretKey.keyGen(Bytes32.leftPad(Bytes.of(i + 1)));
      Bytes id = Bytes.of(i + 1);
      P2pNode p2p = p2p();
      DaNodeStore store = DaNodeStore.open(dir.resolve("node" + i));
      open.add(store);
      DaNode node =
          new DaNode(p2p, store, key, id, chain, encoder.coder(), 2, new CollectorRegistry());
      open.add(node);
      nodes.add(node);
      p2p.start();
      chain.register(new DaOperator(id, key.publicKey(), 100), p2p.localAddress().toString());
    }
    startRogue();
    clientP2p = p2p();
    clientP2p.start();
    disperser =
        new Disperser(
            clientP2p,
            chain,
            encoder,
            new Disperser.Settings(0, Duration.ofSeconds(20)),
            new CollectorRegistry());
    open.add(disperser);
    api =
        BlobApiServer.start(
            disperser, Duration.ofSeconds(60), new InetSocketAddress("127.0.0.1", 0));
    open.add(api);
    base = "http://127.0.0.1:" + api.address().getPort();
  }

  private P2pNode p2p() {
    P2pNode p =
        new P2pNode(P2pConfig.loopback(NodeKey.generate(), NETWORK), new CollectorRegistry());
    open.add(p);
    return p;
  }

  /** A member that signs with a key other than its registered one and serves corrupted rows. */
  private void startRogue() {
    BlsSecretKey registered = BlsSecretKey.keyGen(Bytes32.leftPad(Bytes.of(9)));
    BlsSecretKey other = BlsSecretKey.keyGen(Bytes32.leftPad(Bytes.of(10)));
    rogueId = Bytes.of(9);
    P2pNode rogue = p2p();
    AtomicReference<RowColumnRoots> roots = new AtomicReference<>();
    ProtocolLimits limits = new ProtocolLimits(DaWire.MAX_REQUEST, DaWire.MAX_RESPONSE);
    rogue.onRequest(
        DaWire.DISPERSE,
        limits,
        (from, req) -> {
          if (mode.get() == Mode.WITHHOLD) {
            return new CompletableFuture<>();
          }
          return CompletableFuture.completedFuture(
              DaWire.encode(
                  switch (DaWire.decodeRequest(req)) {
                    case DaWire.Store s -> {
                      roots.set(s.roots());
                      yield new DaWire.Stored();
                    }
                    case DaWire.Sign s ->
                        new DaWire.Signed(
                            DaCertificate.sign(other, s.dataRoot(), s.epoch(), s.quorumId()));
                    default -> throw new IllegalStateException();
                  }));
        });
    rogue.onRequest(
        DaWire.SHARES,
        limits,
        (from, req) -> {
          if (mode.get() == Mode.WITHHOLD || roots.get() == null) {
            return new CompletableFuture<>();
          }
          int k = roots.get().k();
          return CompletableFuture.completedFuture(
              DaWire.encode(new DaWire.LineReply(roots.get(), Bytes.wrap(new byte[2 * k * 2048]))));
        });
    rogue.start();
    chain.register(
        new DaOperator(rogueId, registered.publicKey(), 100), rogue.localAddress().toString());
  }

  @AfterAll
  void stop() {
    for (int i = open.size() - 1; i >= 0; i--) {
      try {
        open.get(i).close();
      } catch (Exception e) {
        // best effort
      }
    }
  }

  private static Bytes blob(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return Bytes.wrap(b);
  }

  private BlobStatus certified(Bytes32 key) throws Exception {
    BlobStatus s = disperser.completion(key).orElseThrow().get(120, TimeUnit.SECONDS);
    assertThat(s.state()).as("%s", s.reason()).isEqualTo(BlobStatus.State.CERTIFIED);
    return s;
  }

  private HttpResponse<byte[]> post(String path, Bytes body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toArrayUnsafe()))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpResponse<byte[]> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private void assertRogueLeftOut(BlobStatus s) {
    Quorum quorum = chain.quorum(s.epoch(), s.quorumId());
    DaCertificate cert = chain.certificate(s.dataRoot().orElseThrow()).orElseThrow();
    int rogue = -1;
    for (int i = 0; i < quorum.members().size(); i++) {
      if (quorum.members().get(i).id().equals(rogueId)) {
        rogue = i;
      }
    }
    assertThat(rogue).as("the rogue is a member").isNotNegative();
    assertThat(quorum.rowCounts(s.k())[rogue]).as("the rogue holds rows").isPositive();
    assertThat(cert.signerIndices()).doesNotContain(rogue).isNotEmpty();
  }

  @Test
  void restBlobCertifiesAndComesBackFromTheNodes() throws Exception {
    Bytes blob = blob(20_000, 1); // k = 4: 8 rows over 5 members
    HttpResponse<byte[]> posted = post("/v1/blobs", blob);
    assertThat(posted.statusCode()).isEqualTo(202);
    Bytes32 key = Bytes32.fromHexString(json.readTree(posted.body()).get("key").asText());
    assertThat(key).isEqualTo(Hashes.keccak256(blob));
    BlobStatus s = certified(key);
    assertThat(chain.isAvailable(s.dataRoot().orElseThrow())).isTrue();

    JsonNode status = json.readTree(get("/v1/blobs/" + key.toHexString() + "/status").body());
    assertThat(status.get("status").asText()).isEqualTo("certified");
    assertThat(status.get("tx").asText()).startsWith("0x").hasSize(66);
    assertThat(status.get("dataRoot").asText()).isEqualTo(s.dataRoot().orElseThrow().toHexString());

    HttpResponse<byte[]> back = get("/v1/blobs/" + key.toHexString());
    assertThat(back.statusCode()).isEqualTo(200);
    assertThat(Bytes.wrap(back.body())).isEqualTo(blob);

    // sampling: every cell verifies unless both its row and its column belong to the rogue
    Quorum quorum = chain.quorum(s.epoch(), 0);
    int expected = 0;
    for (Sampling.Cell c : Sampling.draw(s.k(), 6, new Random(3))) {
      boolean rogueRow = quorum.members().get(quorum.holderOf(c.row(), s.k())).id().equals(rogueId);
      boolean rogueCol = quorum.members().get(quorum.holderOf(c.col(), s.k())).id().equals(rogueId);
      expected += rogueRow && rogueCol ? 0 : 1;
    }
    Sampler.Report report =
        disperser
            .sampler()
            .sample(s.dataRoot().orElseThrow(), s.k(), s.epoch(), 0, 6, new Random(3));
    assertThat(report.asked()).isEqualTo(6);
    assertThat(report.verified()).isEqualTo(expected);
    Sampler.Report none =
        disperser.sampler().sample(Bytes32.ZERO, s.k(), s.epoch(), 0, 3, new Random(4));
    assertThat(none.verified()).isZero();
    assertThat(none.confidence()).isZero();

    assertThat(get("/v1/blobs/" + Bytes32.ZERO.toHexString()).statusCode()).isEqualTo(404);
    assertThat(get("/v1/blobs/" + Bytes32.ZERO.toHexString() + "/status").statusCode())
        .isEqualTo(404);
    assertThat(get("/v1/blobs/0x12/status").statusCode()).isEqualTo(400);
    // routes that do not exist are 404 whatever the key looks like
    assertThat(get("/v1/blobs/" + Bytes32.ZERO.toHexString() + "/foo").statusCode()).isEqualTo(404);
    assertThat(get("/v1/blobs/").statusCode()).isEqualTo(404);
    assertThat(get("/v1/blobs/0x12/status/x").statusCode()).isEqualTo(404);
    assertThat(post("/v1/blobs", Bytes.EMPTY).statusCode()).isEqualTo(400);
  }

  @Test
  void aLargeUploadArrivesWhole() throws Exception {
    // 9 MiB: more than 1024 of the HTTP decoder's 8 KiB contents, so the aggregate runs past
    // Netty's default component limit (where it used to be consolidated)
    Bytes blob = blob(9 << 20, 11);
    HttpResponse<byte[]> posted = post("/v1/blobs", blob);
    assertThat(posted.statusCode()).isEqualTo(202);
    Bytes32 key = Bytes32.fromHexString(json.readTree(posted.body()).get("key").asText());
    assertThat(key).isEqualTo(Hashes.keccak256(blob));
    disperser.completion(key).orElseThrow().get(2, java.util.concurrent.TimeUnit.MINUTES);
  }

  @Test
  void altDaGenericAndKeccakRoundTrip() throws Exception {
    Bytes blob = blob(12_345, 2);
    HttpResponse<byte[]> put = post("/put", blob);
    assertThat(put.statusCode()).isEqualTo(200);
    Bytes commitment = Bytes.wrap(put.body());
    assertThat(commitment)
        .isEqualTo(
            Bytes.concatenate(Bytes.of(0x01, AltDaCommitment.DA_LAYER), Hashes.keccak256(blob)));
    HttpResponse<byte[]> got =
        get("/get/" + commitment.toHexString() + "?l1_inclusion_block_number=9");
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(Bytes.wrap(got.body())).isEqualTo(blob);
    assertThat(post("/put/", blob(3000, 3)).statusCode()).isEqualTo(200);

    Bytes mib = blob(1 << 20, 12); // k = 32: 64 coded rows over 5 members
    HttpResponse<byte[]> bigPut = post("/put", mib);
    assertThat(bigPut.statusCode()).isEqualTo(200);
    HttpResponse<byte[]> bigGet = get("/get/" + Bytes.wrap(bigPut.body()).toHexString());
    assertThat(bigGet.statusCode()).isEqualTo(200);
    assertThat(Bytes.wrap(bigGet.body())).isEqualTo(mib);

    Bytes other = blob(9_000, 4);
    String keccak = Bytes.concatenate(Bytes.of(0), Hashes.keccak256(other)).toHexString();
    assertThat(post("/put/" + keccak, other).statusCode()).isEqualTo(200);
    HttpResponse<byte[]> back = get("/get/" + keccak);
    assertThat(back.statusCode()).isEqualTo(200);
    assertThat(Bytes.wrap(back.body())).isEqualTo(other);
  }

  @Test
  void altDaRefusesPrecisely() throws Exception {
    Bytes32 unknown = Hashes.keccak256(Bytes.of(1, 2, 3));
    assertThat(get("/get/0x00" + unknown.toUnprefixedHexString()).statusCode()).isEqualTo(404);
    assertThat(get("/get/0x0141" + unknown.toUnprefixedHexString()).statusCode()).isEqualTo(404);
    assertThat(get("/get/0x0100" + unknown.toUnprefixedHexString()).statusCode())
        .as("another DA layer's commitment")
        .isEqualTo(404);
    assertThat(get("/get/0x0100").statusCode()).as("another layer's, no payload").isEqualTo(404);
    assertThat(get("/get/0x01").statusCode()).as("no DA layer byte").isEqualTo(400);
    assertThat(get("/get/0xzz").statusCode()).isEqualTo(400);
    assertThat(get("/get/0x001").statusCode()).isEqualTo(400);
    assertThat(get("/get/00" + unknown.toUnprefixedHexString()).statusCode()).isEqualTo(400);
    assertThat(get("/get/0x0007").statusCode()).isEqualTo(400);
    assertThat(post("/put", Bytes.EMPTY).statusCode()).isEqualTo(400);
    Bytes b = blob(100, 5);
    assertThat(post("/put/0x00" + unknown.toUnprefixedHexString(), b).statusCode())
        .as("keccak of another body")
        .isEqualTo(400);
    HttpResponse<byte[]> tooBig = post("/put", Bytes.wrap(new byte[BlobSquare.MAX_BLOB_SIZE + 1]));
    assertThat(tooBig.statusCode()).isEqualTo(413);
    // the link survives the 413: the next request on the same client works
    assertThat(get("/get/0x00" + unknown.toUnprefixedHexString()).statusCode()).isEqualTo(404);
  }

  @Test
  void putAnswers503OnlyWhenTheNetworkIsDown() throws Exception {
    InMemoryDaChain deadChain = new InMemoryDaChain(2);
    for (int i = 0; i < 2; i++) {
      BlsSecretKey key = BlsSecretKey.keyGen(Bytes32.leftPad(Bytes.of(20 + i)));
      // a node that was started and stopped: its address refuses links
      P2pNode gone =
          new P2pNode(P2pConfig.loopback(NodeKey.generate(), NETWORK), new CollectorRegistry());
      gone.start();
      String address = gone.localAddress().toString();
      gone.close();
      deadChain.register(new DaOperator(Bytes.of(20 + i), key.publicKey(), 100), address);
    }
    P2pNode p = p2p();
    p.start();
    try (Disperser d =
            new Disperser(
                p,
                deadChain,
                encoder,
                new Disperser.Settings(0, Duration.ofSeconds(1)),
                new CollectorRegistry());
        BlobApiServer down =
            BlobApiServer.start(d, Duration.ofSeconds(60), new InetSocketAddress("127.0.0.1", 0))) {
      HttpResponse<byte[]> put =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + down.address().getPort() + "/put"))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[5000]))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(put.statusCode()).isEqualTo(503);
      BlobStatus s = d.status(Hashes.keccak256(Bytes.wrap(new byte[5000]))).orElseThrow();
      assertThat(s.state()).isEqualTo(BlobStatus.State.FAILED);
      assertThat(s.networkDown()).isTrue();
    }
  }

  @Test
  void oversizedUploadsGet413WithoutAReset() throws Exception {
    long size = BlobSquare.MAX_BLOB_SIZE + 1L;
    // Connection: close with the whole body sent: drained, answered 413, closed only then
    try (Socket socket = new Socket("127.0.0.1", api.address().getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /put HTTP/1.1\r\nHost: da\r\nConnection: close\r\n"
                  + "Content-Type: application/octet-stream\r\nContent-Length: "
                  + size
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = new byte[1 << 20];
      for (long sent = 0; sent < size; ) {
        int n = (int) Math.min(chunk.length, size - sent);
        out.write(chunk, 0, n); // a reset would throw here
        sent += n;
      }
      out.flush();
      assertThat(statusLine(socket)).startsWith("HTTP/1.1 413");
    }
    // Expect: 100-continue: the 413 comes instead of the 100, before any body byte
    try (Socket socket = new Socket("127.0.0.1", api.address().getPort())) {
      socket.setSoTimeout(30_000); // a 413 without its line would leave the read waiting
      socket
          .getOutputStream()
          .write(
              ("POST /put HTTP/1.1\r\nHost: da\r\nExpect: 100-continue\r\nContent-Length: "
                      + size
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      assertThat(in.readLine()).startsWith("HTTP/1.1 413");
      String line;
      while (!(line = in.readLine()).isEmpty()) {
        // headers
      }
      assertThat(in.readLine())
          .isEqualTo("a blob has at most " + BlobSquare.MAX_BLOB_SIZE + " bytes");
    }
  }

  private static String statusLine(Socket socket) throws Exception {
    return new BufferedReader(
            new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
        .readLine();
  }

  /** The chain refuses the first certificate as stale: the disperser disperses again. */
  @Test
  void aStaleCertificateIsDispersedAgain() throws Exception {
    java.util.concurrent.atomic.AtomicInteger confirms =
        new java.util.concurrent.atomic.AtomicInteger();
    io.axivon.da.chain.DaChain staleOnce =
        new io.axivon.da.chain.DaChain() {
          @Override
          public long currentEpoch() {
            return chain.currentEpoch();
          }

          @Override
          public Quorum quorum(long epoch, long quorumId) {
            return chain.quorum(epoch, quorumId);
          }

          @Override
          public Optional<String> address(Bytes operatorId) {
            return chain.address(operatorId);
          }

          @Override
          public Confirmation confirm(DaCertificate certificate, long blobSize) {
            if (confirms.incrementAndGet() == 1) {
              throw new io.axivon.da.chain.StaleEpochException("stale epoch: test");
            }
            return chain.confirm(certificate, blobSize);
          }

          @Override
          public boolean isAvailable(Bytes32 dataRoot) {
            return chain.isAvailable(dataRoot);
          }
        };
    P2pNode p = p2p();
    p.start();
    try (Disperser d =
        new Disperser(
            p, staleOnce, encoder, Disperser.Settings.defaults(), new CollectorRegistry())) {
      Bytes blob = blob(9_000, 12);
      Bytes32 key = d.submit(blob);
      BlobStatus s = d.completion(key).orElseThrow().get(120, TimeUnit.SECONDS);
      assertThat(s.state()).as(s.toString()).isEqualTo(BlobStatus.State.CERTIFIED);
      assertThat(confirms).hasValue(2);
      assertThat(chain.isAvailable(s.dataRoot().orElseThrow())).isTrue();
    }
  }

  @Test
  void certifiedBlobsOutliveADisperserRestart(@TempDir Path storeDir) throws Exception {
    Bytes blob = blob(15_000, 11);
    Bytes32 key;
    try (DisperserStore records = DisperserStore.open(storeDir)) {
      P2pNode p = p2p();
      p.start();
      try (Disperser d =
          new Disperser(
              p,
              chain,
              encoder,
              Disperser.Settings.defaults(),
              Optional.of(records),
              new CollectorRegistry())) {
        key = d.submit(blob);
        assertThat(d.completion(key).orElseThrow().get(120, TimeUnit.SECONDS).state())
            .isEqualTo(BlobStatus.State.CERTIFIED);
      }
    }
    try (DisperserStore records = DisperserStore.open(storeDir)) {
      P2pNode p = p2p();
      p.start();
      try (Disperser d =
          new Disperser(
              p,
              chain,
              encoder,
              Disperser.Settings.defaults(),
              Optional.of(records),
              new CollectorRegistry())) {
        assertThat(d.status(key).orElseThrow().state()).isEqualTo(BlobStatus.State.CERTIFIED);
        assertThat(d.retrieve(key).orElseThrow()).isEqualTo(blob);
        // posted again, it is the same blob: not encoded or dispersed again
        assertThat(d.submit(blob)).isEqualTo(key);
        assertThat(d.completion(key)).isEmpty();
        assertThat(d.status(key).orElseThrow().state()).isEqualTo(BlobStatus.State.CERTIFIED);
      }
    }
  }

  @Test
  void aBlobTheQuorumDoesNotServeIsGoneNotUnavailable() throws Exception {
    BlobStatus s = certified(disperser.submit(blob(5_000, 21)));
    // every member answers, none holds this root: 404 for op-node, not a 503 it retries forever
    assertThatThrownBy(
            () ->
                disperser
                    .retriever()
                    .retrieve(Hashes.keccak256(Bytes.of(9)), s.k(), s.epoch(), s.quorumId()))
        .isInstanceOf(BlobGoneException.class)
        .hasMessageContaining("refused or sent bad rows");
  }

  @Test
  void withholdingMemberIsLeftOut() throws Exception {
    mode.set(Mode.WITHHOLD);
    try {
      Bytes blob = blob(25_000, 6);
      BlobStatus s = certified(disperser.submit(blob));
      assertRogueLeftOut(s);
      assertThat(disperser.retrieve(s.key()).orElseThrow()).isEqualTo(blob);
    } finally {
      mode.set(Mode.LIE);
    }
  }

  @Test
  void lyingMemberIsLeftOut() throws Exception {
    Bytes blob = blob(30_000, 7);
    BlobStatus s = certified(disperser.submit(blob));
    assertRogueLeftOut(s);
    assertThat(disperser.retrieve(s.key()).orElseThrow()).isEqualTo(blob);
  }

  @Test
  void badLinesAreRefusedAndNotStored() throws Exception {
    ExtendedSquare square = encoder.encode(blob(10_000, 8));
    long epoch = chain.currentEpoch();
    Quorum quorum = chain.quorum(epoch, 0);
    int member = -1;
    for (int i = 0; i < quorum.members().size(); i++) {
      if (quorum.members().get(i).id().equals(nodes.get(0).operatorId())) {
        member = i;
      }
    }
    int row = quorum.firstRows(square.k())[member];
    PeerConnector connector = new PeerConnector(clientP2p, chain);
    NodeId peer = connector.connect(quorum.members().get(member), Duration.ofSeconds(30));
    byte[] bad = square.line(Axis.ROW, row).toArray();
    bad[5] ^= 1;
    DaWire.Store store =
        new DaWire.Store(
            epoch,
            0,
            square.roots(),
            List.of(new DaWire.LinePair(row, Bytes.wrap(bad), square.line(Axis.COLUMN, row))));
    assertRefused(peer, DaWire.DISPERSE, store, "does not match its root");
    assertRefused(
        peer,
        DaWire.SHARES,
        new DaWire.GetLine(square.dataRoot(), Axis.ROW, row),
        "is not held here");
    assertRefused(peer, DaWire.DISPERSE, new DaWire.Sign(square.dataRoot(), epoch, 0), "no lines");
    int other = (row + square.k()) % (2 * square.k());
    if (quorum.holderOf(other, square.k()) != member) {
      assertRefused(
          peer,
          DaWire.DISPERSE,
          new DaWire.Store(
              epoch,
              0,
              square.roots(),
              List.of(
                  new DaWire.LinePair(
                      other, square.line(Axis.ROW, other), square.line(Axis.COLUMN, other)))),
          "not assigned");
    }
    assertRefused(
        peer,
        DaWire.DISPERSE,
        new DaWire.Store(
            epoch + 5,
            0,
            square.roots(),
            List.of(
                new DaWire.LinePair(
                    row, square.line(Axis.ROW, row), square.line(Axis.COLUMN, row)))),
        "epoch");
  }

  private void assertRefused(NodeId peer, String protocol, DaWire.Request request, String why) {
    assertThatThrownBy(
            () ->
                clientP2p
                    .request(peer, protocol, DaWire.encode(request), Duration.ofSeconds(30))
                    .get(60, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(RequestException.class)
        .hasMessageContaining(why);
  }
}
