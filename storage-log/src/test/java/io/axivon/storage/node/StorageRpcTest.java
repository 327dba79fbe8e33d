package io.axivon.storage.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axivon.sdk.storage.FlowSubmission;
import io.axivon.sdk.storage.StorageJson;
import io.axivon.sdk.storage.layout.FileLayout;
import io.axivon.sdk.storage.layout.FileTree;
import io.axivon.sdk.storage.layout.Layout;
import io.axivon.sdk.storage.layout.SegmentWithProof;
import io.axivon.storage.store.SegmentStore;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The zgs_* methods through the transport-free dispatcher: shapes, errors, and what is stored. */
class StorageRpcTest {
  private final ObjectMapper mapper = new ObjectMapper();
  private final InMemoryFlowView flow = new InMemoryFlowView();
  @TempDir Path dir;
  private SegmentStore store;
  private StorageRpc rpc;

  private byte[] data;
  private FileTree tree;

  @BeforeEach
  void setUp() {
    open(ShardConfig.ALL);
    data = new byte[3 * Layout.SEGMENT_SIZE + 1000]; // 4 segments, the last short
    new Random(3).nextBytes(data);
    tree = FileTree.of(data);
  }

  private void open(ShardConfig shard) {
    if (store != null) {
      store.close();
    }
    store = SegmentStore.open(dir.resolve("store-" + shard.shardId() + "-" + shard.numShard()));
    rpc =
        new StorageRpc(
            new StorageService(
                flow,
                store,
                shard,
                new StorageService.NetworkIdentity(
                    12700, "0xAbC0000000000000000000000000000000000001")),
            mapper);
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  private JsonNode call(String method, Object... params) {
    ObjectNode req = mapper.createObjectNode();
    req.put("jsonrpc", "2.0");
    req.put("method", method);
    req.set("params", mapper.valueToTree(params));
    req.put("id", 17_000_000_000_000_001L); // above 2^53, as the 0G SDK sends
    JsonNode answer = rpc.handle(req);
    assertThat(answer.get("id").asLong()).isEqualTo(17_000_000_000_000_001L);
    assertThat(answer.get("jsonrpc").asText()).isEqualTo("2.0");
    return answer;
  }

  private JsonNode result(String method, Object... params) {
    JsonNode answer = call(method, params);
    assertThat(answer.has("error")).as("%s", answer).isFalse();
    return answer.get("result");
  }

  private JsonNode error(String method, Object... params) {
    JsonNode answer = call(method, params);
    assertThat(answer.has("result")).as("%s", answer).isFalse();
    return answer.get("error");
  }

  private ObjectNode segmentJson(long index) {
    return StorageJson.segment(mapper, segment(index));
  }

  private SegmentWithProof segment(long index) {
    FileLayout l = tree.layout();
    return tree.segment(index, data, (int) l.segmentOffset(index), l.segmentFileBytes(index));
  }

  @Test
  void statusAndShardConfigAcceptAMissingParams() {
    ObjectNode req = mapper.createObjectNode();
    req.put("jsonrpc", "2.0");
    req.put("method", "zgs_getStatus");
    req.set(
        "id",
        mapper.getNodeFactory().numberNode(new java.math.BigInteger("123456789012345678901")));
    JsonNode status = rpc.handle(req);
    assertThat(status.get("id").bigIntegerValue())
        .isEqualTo(new java.math.BigInteger("123456789012345678901"));
    JsonNode r = status.get("result");
    assertThat(r.get("logSyncHeight").asLong()).isEqualTo(42);
    assertThat(r.get("logSyncBlock").asText()).isEqualTo("0x" + "ab".repeat(32));
    assertThat(r.get("nextTxSeq").asLong()).isZero();
    assertThat(r.get("connectedPeers").asInt()).isZero();
    assertThat(r.at("/networkIdentity/chainId").asLong()).isEqualTo(12700);
    assertThat(r.at("/networkIdentity/flowAddress").asText())
        .isEqualTo("0xabc0000000000000000000000000000000000001");
    assertThat(r.at("/networkIdentity/p2pProtocolVersion/minor").asInt()).isEqualTo(4);
    req.put("method", "zgs_getShardConfig");
    assertThat(rpc.handle(req).get("result").toString())
        .isEqualTo("{\"shardId\":0,\"numShard\":1}");
  }

  @Test
  void unknownFileIsNullNotAnError() {
    assertThat(result("zgs_getFileInfo", tree.root().toHexString(), false).isNull()).isTrue();
    assertThat(result("zgs_getFileInfoByTxSeq", 5).isNull()).isTrue();
    assertThat(result("zgs_downloadSegment", tree.root().toHexString(), 0, 1024).isNull()).isTrue();
    assertThat(result("zgs_downloadSegmentWithProof", tree.root().toHexString(), 0).isNull())
        .isTrue();
  }

  @Test
  void segmentWithoutSubmissionIsRefused() {
    JsonNode e = error("zgs_uploadSegment", segmentJson(0));
    assertThat(e.get("code").asInt()).isEqualTo(-32602);
    assertThat(e.get("message").asText()).isEqualTo("Invalid params: root");
    assertThat(e.get("data").asText()).contains("no submission with root");
  }

  @Test
  void uploadDownloadAndFinalize() {
    FlowSubmission sub = flow.submit(tree.submission());
    JsonNode info = result("zgs_getFileInfo", tree.root().toHexString(), true);
    assertThat(info.get("finalized").asBoolean()).isFalse();
    assertThat(info.get("uploadedSegNum").asLong()).isZero();
    assertThat(info.at("/tx/dataMerkleRoot").asText()).isEqualTo(tree.root().toHexString());
    assertThat(info.at("/tx/size").asLong()).isEqualTo(data.length);
    assertThat(info.at("/tx/seq").asLong()).isEqualTo(sub.txSeq());
    assertThat(info.at("/tx/merkleNodes/0/0").asInt())
        .isEqualTo(tree.submission().nodes().getFirst().height() + 1);

    // two singles, then a batch with a duplicate
    assertThat(result("zgs_uploadSegment", segmentJson(0)).isNull()).isTrue();
    assertThat(result("zgs_uploadSegment", segmentJson(0)).isNull()).isTrue(); // duplicate: fine
    ArrayNode batch = mapper.createArrayNode().add(segmentJson(1)).add(segmentJson(2));
    assertThat(result("zgs_uploadSegments", batch).isNull()).isTrue();
    assertThat(result("zgs_getFileInfoByTxSeq", 0).get("uploadedSegNum").asLong()).isEqualTo(3);
    assertThat(result("zgs_uploadSegmentByTxSeq", segmentJson(3), 0).isNull()).isTrue();
    info = result("zgs_getFileInfoByTxSeq", 0);
    assertThat(info.get("finalized").asBoolean()).isTrue();
    assertThat(info.get("uploadedSegNum").asLong()).isEqualTo(4);

    // finalized: any further upload gets the error the 0G SDK treats as success
    JsonNode e = error("zgs_uploadSegment", segmentJson(1));
    assertThat(e.get("code").asInt()).isEqualTo(-32602);
    assertThat(e.get("message").asText()).isEqualTo("Invalid params: root");
    assertThat(e.get("data").asText()).isEqualTo("already uploaded and finalized");

    // downloads: the whole last segment (zero-filled last chunk), a range across a boundary
    long sectors = tree.layout().sectors();
    byte[] last = b64(result("zgs_downloadSegment", tree.root().toHexString(), 3072, sectors));
    assertThat(last).hasSize((int) (sectors - 3072) * 256);
    assertThat(Arrays.copyOf(last, 1000))
        .isEqualTo(Arrays.copyOfRange(data, 3 * Layout.SEGMENT_SIZE, data.length));
    byte[] cross = b64(result("zgs_downloadSegmentByTxSeq", 0, 1000, 1030));
    assertThat(cross).isEqualTo(Arrays.copyOfRange(data, 1000 * 256, 1030 * 256));

    JsonNode s = result("zgs_downloadSegmentWithProof", tree.root().toHexString(), 2);
    SegmentWithProof parsed = StorageJson.segment(s, "segment");
    assertThat(parsed).isEqualTo(segment(2));
    assertThat(parsed.verify()).isEqualTo(tree.segmentRoot(2));
    assertThat(s.at("/proof/lemma/0").asText()).isEqualTo(tree.segmentRoot(2).toHexString());
    assertThat(StorageJson.segment(result("zgs_downloadSegmentWithProofByTxSeq", 0, 3), "s"))
        .isEqualTo(segment(3));
  }

  @Test
  void segmentBitmapSaysWhichSegmentsAreStored() {
    String root = tree.root().toHexString();
    assertThat(result("zgs_getSegmentBitmap", root).isNull()).isTrue(); // unknown root
    assertThat(result("zgs_getSegmentBitmapByTxSeq", 3).isNull()).isTrue();
    flow.submit(tree.submission());
    assertThat(result("zgs_getSegmentBitmap", root).toString())
        .isEqualTo("{\"segments\":4,\"stored\":0,\"bitmap\":\"0x00\"}");
    result("zgs_uploadSegments", mapper.createArrayNode().add(segmentJson(1)).add(segmentJson(3)));
    JsonNode b = result("zgs_getSegmentBitmapByTxSeq", 0);
    assertThat(b.get("stored").asLong()).isEqualTo(2);
    assertThat(b.get("bitmap").asText()).isEqualTo("0x0a");
    assertThat(StorageJson.bitmap(b, 4).has(3)).isTrue();
    JsonNode e = error("zgs_getSegmentBitmap", "nope");
    assertThat(e.get("message").asText()).isEqualTo("Invalid params: root");
    assertThat(error("zgs_getSegmentBitmapByTxSeq").get("data").asText())
        .isEqualTo("expected 1 parameters, got 0");
  }

  @Test
  void badSegmentsGetPreciseErrorsAndAreNotStored() {
    flow.submit(tree.submission());
    // wrong proof: segment 1's data under segment 0's proof
    ObjectNode wrong = segmentJson(0);
    wrong.put("data", segmentJson(1).get("data").asText());
    JsonNode e = error("zgs_uploadSegment", wrong);
    assertThat(e.get("message").asText()).isEqualTo("Invalid params: proof");
    assertThat(e.get("data").asText()).contains("invalid proof for segment 0");

    // oversize
    ObjectNode big = segmentJson(3);
    byte[] more = Arrays.copyOf(b64(big.get("data")), Layout.SEGMENT_SIZE + 256);
    big.put("data", Base64.getEncoder().encodeToString(more));
    e = error("zgs_uploadSegment", big);
    assertThat(e.get("message").asText()).isEqualTo("Invalid params: data");
    assertThat(e.get("data").asText()).contains("must hold 1024 bytes");

    // out of range
    ObjectNode far = segmentJson(3);
    far.put("index", 4);
    e = error("zgs_uploadSegment", far);
    assertThat(e.get("message").asText()).isEqualTo("Invalid params: index");
    assertThat(e.get("data").asText()).contains("out of range: the file has 4 segments");

    // a bad one in a batch stores none of it
    ArrayNode batch = mapper.createArrayNode().add(segmentJson(0)).add(wrong);
    assertThat(error("zgs_uploadSegments", batch).get("message").asText())
        .isEqualTo("Invalid params: proof");

    // size that matches no submission; tx seq that does not match the root
    ObjectNode otherSize = segmentJson(0);
    otherSize.put("fileSize", data.length + 1);
    assertThat(error("zgs_uploadSegment", otherSize).get("message").asText())
        .isEqualTo("Invalid params: fileSize");
    FileTree other = FileTree.of(new byte[] {1});
    flow.submit(other.submission());
    JsonNode mismatch = error("zgs_uploadSegmentByTxSeq", segmentJson(0), 1);
    assertThat(mismatch.get("code").asInt()).isEqualTo(-32603);
    assertThat(mismatch.get("data").asText()).isEqualTo("data root and tx seq not match");

    assertThat(store.file(0)).isEmpty();
    assertThat(result("zgs_getFileInfoByTxSeq", 0).get("uploadedSegNum").asLong()).isZero();
  }

  @Test
  void malformedRequestsAndParams() {
    assertThat(error("zgs_nope").get("code").asInt()).isEqualTo(-32601);
    JsonNode e = error("zgs_getFileInfo", "0x12", true);
    assertThat(e.get("message").asText()).isEqualTo("Invalid params: root");
    e = error("zgs_getFileInfoByTxSeq", -1);
    assertThat(e.get("message").asText()).isEqualTo("Invalid params: txSeq");
    e = error("zgs_getFileInfoByTxSeq");
    assertThat(e.get("data").asText()).contains("expected 1 parameters, got 0");
    flow.submit(tree.submission());
    e = error("zgs_downloadSegment", tree.root().toHexString(), 5, 5);
    assertThat(e.get("message").asText()).isEqualTo("Invalid params: startIndex");
    e = error("zgs_downloadSegment", tree.root().toHexString(), 0, 1025);
    assertThat(e.get("message").asText()).isEqualTo("Invalid params: endIndex");
    ObjectNode noProof = segmentJson(0);
    noProof.remove("proof");
    assertThat(error("zgs_uploadSegment", noProof).get("message").asText())
        .isEqualTo("Invalid params: proof");
    ObjectNode badData = segmentJson(0);
    badData.put("data", "***");
    assertThat(error("zgs_uploadSegment", badData).get("message").asText())
        .isEqualTo("Invalid params: data");
    assertThat(rpc.parseError("x").at("/error/code").asInt()).isEqualTo(-32700);
    assertThat(
            rpc.handle(
                    mapper
                        .createArrayNode()
                        .add(
                            mapper
                                .createObjectNode()
                                .put("jsonrpc", "2.0")
                                .put("method", "zgs_getShardConfig")
                                .put("id", 1)))
                .get(0)
                .at("/result/numShard")
                .asInt())
        .isEqualTo(1);
  }

  @Test
  void shardRefusesSegmentsOutsideIt() {
    open(new ShardConfig(1, 2));
    flow.skipTo(1024 * 7); // odd starting segment: global = 7 + index
    FlowSubmission sub = flow.submit(tree.submission());
    assertThat(sub.startEntryIndex() / 1024).isEqualTo(8); // aligned to its 2^12 node
    // global 8 + i: odd ones (i = 1, 3) belong to shard 1 of 2
    JsonNode e = error("zgs_uploadSegment", segmentJson(0));
    assertThat(e.get("message").asText()).isEqualTo("Invalid params: index");
    assertThat(e.get("data").asText()).contains("outside this node's shard 1/2");
    assertThat(result("zgs_uploadSegment", segmentJson(1)).isNull()).isTrue();
    assertThat(result("zgs_getFileInfoByTxSeq", 0).get("finalized").asBoolean()).isFalse();
    assertThat(result("zgs_uploadSegment", segmentJson(3)).isNull()).isTrue();
    assertThat(result("zgs_getFileInfoByTxSeq", 0).get("finalized").asBoolean()).isTrue();
    assertThat(store.has(0, 0)).isFalse();
    assertThat(result("zgs_getShardConfig").toString()).isEqualTo("{\"shardId\":1,\"numShard\":2}");
  }

  @Test
  void aFileWithNoSegmentInTheShardIsFinalizedAtOnce() {
    open(new ShardConfig(1, 2));
    byte[] small = new byte[1000]; // one segment
    new Random(5).nextBytes(small);
    FileTree one = FileTree.of(small);
    FlowSubmission sub = flow.submit(one.submission());
    assertThat(sub.startEntryIndex() / 1024 % 2).isZero(); // an even segment: shard 0's
    JsonNode info = result("zgs_getFileInfo", one.root().toHexString(), true);
    // no upload or sync ever writes a record here: without this, clients would wait forever
    assertThat(info.get("finalized").asBoolean()).isTrue();
    assertThat(result("zgs_getFileInfoByTxSeq", sub.txSeq()).get("finalized").asBoolean()).isTrue();
    SegmentWithProof seg = one.segment(0, small, 0, small.length);
    JsonNode e = error("zgs_uploadSegment", StorageJson.segment(mapper, seg));
    assertThat(e.get("data").asText()).contains("already uploaded and finalized");
  }

  @Test
  void shardCounts() {
    ShardConfig s = new ShardConfig(1, 4);
    for (long from = 0; from < 9; from++) {
      for (long count = 0; count < 20; count++) {
        long expected = 0;
        for (long g = from; g < from + count; g++) {
          expected += s.holds(g) ? 1 : 0;
        }
        assertThat(s.count(from, count)).isEqualTo(expected);
      }
    }
  }

  private static byte[] b64(JsonNode node) {
    return Base64.getDecoder().decode(node.asText());
  }
}
