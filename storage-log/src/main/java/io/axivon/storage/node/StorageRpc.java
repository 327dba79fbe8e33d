package io.axivon.storage.node;

import static io.axivon.storage.node.JsonRpcEnvelope.arity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axivon.sdk.storage.SegmentJsonReader;
import io.axivon.sdk.storage.StorageJson;
import io.axivon.sdk.storage.layout.SegmentWithProof;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage node's JSON-RPC 2.0 dispatcher, transport-free: a parsed request (or batch) in, the
 * response tree out. Methods and shapes as in specs/storage-rpc.md (0G's {@code zgs_*}). The
 * request id is echoed as the same JSON token, so ids above 2^53 survive.
 */
public final class StorageRpc implements JsonRpcHandler {
  private static final Logger LOG = LoggerFactory.getLogger(StorageRpc.class);

  private final StorageService service;
  private final ObjectMapper mapper;
  private final SegmentJsonReader reader;
  private final JsonRpcEnvelope envelope;

  public StorageRpc(StorageService service, ObjectMapper mapper) {
    this.service = Objects.requireNonNull(service, "service");
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.reader = new SegmentJsonReader(mapper);
    this.envelope = new JsonRpcEnvelope(mapper, LOG);
  }

  /** Segments' base64 is decoded straight from the body (most of an upload's bytes). */
  @Override
  public JsonNode read(ObjectMapper mapper, byte[] body) throws IOException {
    return reader.read(body);
  }

  /** Answers one request object or a batch array; null for a batch of only notifications. */
  @Override
  public JsonNode handle(JsonNode request) {
    return envelope.handle(request, r -> envelope.answer(r, this::call));
  }

  /** The response to a body that is not JSON. */
  @Override
  public ObjectNode parseError(String detail) {
    return envelope.parseError(detail);
  }

  private JsonNode call(String method, JsonNode p) {
    return switch (method) {
      case "zgs_getStatus" -> NodeJson.status(mapper, service.status());
      case "zgs_getShardConfig" -> NodeJson.shardConfig(mapper, service.shardConfig());
      case "zgs_getFileInfo" -> {
        arity(p, 1, 2);
        boolean needAvailable = p.size() > 1 && StorageJson.bool(p.get(1), "needAvailable");
        yield service
            .fileInfo(StorageJson.hash(p.get(0), "root"), needAvailable)
            .<JsonNode>map(i -> StorageJson.fileInfo(mapper, i))
            .orElse(null);
      }
      case "zgs_getFileInfoByTxSeq" -> {
        arity(p, 1, 1);
        yield service
            .fileInfoByTxSeq(StorageJson.u64(p.get(0), "txSeq"))
            .<JsonNode>map(i -> StorageJson.fileInfo(mapper, i))
            .orElse(null);
      }
      case "zgs_getSegmentBitmap" -> {
        arity(p, 1, 1);
        yield service
            .segmentBitmap(StorageJson.hash(p.get(0), "root"))
            .<JsonNode>map(b -> StorageJson.bitmap(mapper, b))
            .orElse(null);
      }
      case "zgs_getSegmentBitmapByTxSeq" -> {
        arity(p, 1, 1);
        yield service
            .segmentBitmapByTxSeq(StorageJson.u64(p.get(0), "txSeq"))
            .<JsonNode>map(b -> StorageJson.bitmap(mapper, b))
            .orElse(null);
      }
      case "zgs_uploadSegment" -> {
        arity(p, 1, 1);
        service.upload(List.of(StorageJson.segment(p.get(0), "segment")));
        yield null;
      }
      case "zgs_uploadSegments" -> {
        arity(p, 1, 1);
        service.upload(segments(p.get(0)));
        yield null;
      }
      case "zgs_uploadSegmentByTxSeq" -> {
        arity(p, 2, 2);
        long txSeq = StorageJson.u64(p.get(1), "txSeq");
        service.uploadByTxSeq(List.of(StorageJson.segment(p.get(0), "segment")), txSeq);
        yield null;
      }
      case "zgs_uploadSegmentsByTxSeq" -> {
        arity(p, 2, 2);
        long txSeq = StorageJson.u64(p.get(1), "txSeq");
        service.uploadByTxSeq(segments(p.get(0)), txSeq);
        yield null;
      }
      case "zgs_downloadSegment" -> {
        arity(p, 3, 3);
        yield service
            .download(
                StorageJson.hash(p.get(0), "root"),
                StorageJson.u64(p.get(1), "startIndex"),
                StorageJson.u64(p.get(2), "endIndex"))
            .map(b -> StorageJson.base64Node(b.toArrayUnsafe()))
            .orElse(null);
      }
      case "zgs_downloadSegmentByTxSeq" -> {
        arity(p, 3, 3);
        yield service
            .downloadByTxSeq(
                StorageJson.u64(p.get(0), "txSeq"),
                StorageJson.u64(p.get(1), "startIndex"),
                StorageJson.u64(p.get(2), "endIndex"))
            .map(b -> StorageJson.base64Node(b.toArrayUnsafe()))
            .orElse(null);
      }
      case "zgs_downloadSegmentWithProof" -> {
        arity(p, 2, 2);
        yield service
            .downloadWithProof(
                StorageJson.hash(p.get(0), "root"), StorageJson.u64(p.get(1), "index"))
            .<JsonNode>map(s -> StorageJson.segment(mapper, s))
            .orElse(null);
      }
      case "zgs_downloadSegmentWithProofByTxSeq" -> {
        arity(p, 2, 2);
        yield service
            .downloadWithProofByTxSeq(
                StorageJson.u64(p.get(0), "txSeq"), StorageJson.u64(p.get(1), "index"))
            .<JsonNode>map(s -> StorageJson.segment(mapper, s))
            .orElse(null);
      }
      default ->
          throw new StorageRpcError(
              StorageRpcError.METHOD_NOT_FOUND, "Method not found", "no method " + method);
    };
  }

  private static List<SegmentWithProof> segments(JsonNode node) {
    if (node == null || !node.isArray() || node.isEmpty()) {
      throw StorageRpcError.invalidParams(
          "segments", "expected a non-empty array of SegmentWithProof");
    }
    List<SegmentWithProof> out = new ArrayList<>(node.size());
    for (JsonNode s : node) {
      out.add(StorageJson.segment(s, "segments"));
    }
    return out;
  }
}
