package io.axivon.kv.node;

import static io.axivon.storage.node.JsonRpcEnvelope.arity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.kv.replay.AclFlag;
import io.axivon.kv.store.CorruptValueException;
import io.axivon.kv.store.KvStore;
import io.axivon.kv.store.StoredValue;
import io.axivon.sdk.storage.StorageJson;
import io.axivon.sdk.storage.StorageJson.InvalidParam;
import io.axivon.storage.node.JsonRpcEnvelope;
import io.axivon.storage.node.JsonRpcHandler;
import io.axivon.storage.node.StorageRpcError;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KV node's JSON-RPC methods (specs/kv-rpc.md), 0G's kv_* with their quirks: keys in base64, an
 * optional trailing version, {@code null} for "not known", kv_IsAdmin spelled both ways, tx seqs as
 * numbers or decimal strings. Ids are echoed as the same JSON token (they exceed 2^53).
 */
public final class KvRpc implements JsonRpcHandler {
  private static final Logger LOG = LoggerFactory.getLogger(KvRpc.class);

  /** Most value bytes one call returns (0G's default query limit; its SDK asks for 256 KiB). */
  public static final int MAX_QUERY_LENGTH = 1 << 20;

  private final KvStore store;
  private final StreamFilter held;
  private final ObjectMapper mapper;
  private final KvMetrics metrics;
  private final JsonRpcEnvelope envelope;

  public KvRpc(KvStore store, StreamFilter held, ObjectMapper mapper) {
    this(store, held, mapper, KvMetrics.unregistered());
  }

  public KvRpc(KvStore store, StreamFilter held, ObjectMapper mapper, KvMetrics metrics) {
    this.store = Objects.requireNonNull(store, "store");
    this.held = Objects.requireNonNull(held, "held");
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.envelope = new JsonRpcEnvelope(mapper, LOG);
  }

  @Override
  public JsonNode handle(JsonNode request) {
    long start = System.nanoTime();
    try {
      return handleTimed(request);
    } finally {
      metrics.requestSeconds((System.nanoTime() - start) / 1e9);
    }
  }

  private JsonNode handleTimed(JsonNode request) {
    // a batch reads one snapshot, in one read transaction
    return store.read(
        snapshot ->
            envelope.handle(
                request, r -> envelope.answer(r, (method, p) -> timedCall(method, p, snapshot))));
  }

  @Override
  public JsonNode parseError(String detail) {
    return envelope.parseError(detail);
  }

  private JsonNode timedCall(String method, JsonNode p, KvStore.Snapshot snapshot) {
    metrics.request(method);
    try {
      return call(method, p, snapshot);
    } catch (CorruptValueException e) {
      // the node's own disk is damaged: say which file and where, never return other bytes
      LOG.error("{}: {}", method, e.getMessage());
      throw StorageRpcError.internal(e.getMessage());
    }
  }

  /** One call; {@code store} shadows the field on purpose: every read goes to the snapshot. */
  private JsonNode call(String method, JsonNode p, KvStore.Snapshot store) {
    return switch (method) {
      case "kv_getStatus" -> BooleanNode.TRUE;
      case "kv_getValue" -> {
        arity(p, 4, 5);
        Bytes32 stream = stream(p.get(0));
        Bytes key = key(p.get(1));
        long start = StorageJson.u64(p.get(2), "startIndex");
        int length = length(p.get(3));
        long version = version(store, p, 4);
        StoredValue v = store.stored(stream, key, version);
        ObjectNode o = mapper.createObjectNode();
        o.put("version", v.version());
        o.put("data", slice(v, start, length));
        o.put("size", v.size());
        yield o;
      }
      case "kv_getNext", "kv_getPrev" -> {
        arity(p, 5, 6);
        Bytes32 stream = stream(p.get(0));
        Bytes key = key(p.get(1));
        long start = StorageJson.u64(p.get(2), "startIndex");
        int length = length(p.get(3));
        boolean inclusive = StorageJson.bool(p.get(4), "inclusive");
        long version = version(store, p, 5);
        Optional<KvStore.StoredEntry> e =
            method.equals("kv_getNext")
                ? store.storedNext(stream, key, inclusive, version)
                : store.storedPrev(stream, key, inclusive, version);
        yield entry(e, start, length);
      }
      case "kv_getFirst", "kv_getLast" -> {
        arity(p, 3, 4);
        Bytes32 stream = stream(p.get(0));
        long start = StorageJson.u64(p.get(1), "startIndex");
        int length = length(p.get(2));
        long version = version(store, p, 3);
        Optional<KvStore.StoredEntry> e =
            method.equals("kv_getFirst")
                ? store.storedFirst(stream, version)
                : store.storedLast(stream, version);
        yield entry(e, start, length);
      }
      case "kv_getTransactionResult" -> {
        arity(p, 1, 1);
        long seq = StorageJson.u64(p.get(0), "txSeq");
        yield store.result(seq).<JsonNode>map(TextNode::new).orElse(null);
      }
      case "kv_getHoldingStreamIds" -> {
        arity(p, 0, 0);
        ArrayNode out = mapper.createArrayNode();
        List<Bytes32> ids =
            held.holdsAll() ? store.streams() : held.streams().stream().sorted().toList();
        ids.forEach(s -> out.add(s.toHexString()));
        yield out;
      }
      case "kv_hasWritePermission" -> {
        arity(p, 3, 4);
        Address account = account(p.get(0));
        Bytes32 stream = stream(p.get(1));
        Bytes key = key(p.get(2));
        yield BooleanNode.valueOf(
            store.hasWritePermission(account, stream, key, version(store, p, 3)));
      }
      case "kv_isAdmin", "kv_IsAdmin" -> {
        arity(p, 2, 3);
        Address account = account(p.get(0));
        Bytes32 stream = stream(p.get(1));
        yield BooleanNode.valueOf(store.flag(AclFlag.admin(stream, account), version(store, p, 2)));
      }
      case "kv_isSpecialKey" -> {
        arity(p, 2, 3);
        Bytes32 stream = stream(p.get(0));
        Bytes key = key(p.get(1));
        yield BooleanNode.valueOf(
            store.flag(AclFlag.specialKey(stream, key), version(store, p, 2)));
      }
      case "kv_isWriterOfKey" -> {
        arity(p, 3, 4);
        Address account = account(p.get(0));
        Bytes32 stream = stream(p.get(1));
        Bytes key = key(p.get(2));
        yield BooleanNode.valueOf(
            store.flag(AclFlag.writerOfKey(stream, key, account), version(store, p, 3)));
      }
      case "kv_isWriterOfStream" -> {
        arity(p, 2, 3);
        Address account = account(p.get(0));
        Bytes32 stream = stream(p.get(1));
        yield BooleanNode.valueOf(
            store.flag(AclFlag.writerOfStream(stream, account), version(store, p, 2)));
      }
      default ->
          throw new StorageRpcError(
              StorageRpcError.METHOD_NOT_FOUND,
              "Method not found",
              "no method " + method + " on this KV node");
    };
  }

  private JsonNode entry(Optional<KvStore.StoredEntry> e, long start, int length) {
    if (e.isEmpty()) {
      return null;
    }
    StoredValue v = e.get().value();
    ObjectNode o = mapper.createObjectNode();
    o.put("version", v.version());
    o.put("key", Base64.getEncoder().encodeToString(e.get().key().toArrayUnsafe()));
    o.put("data", slice(v, start, length));
    o.put("size", v.size());
    return o;
  }

  /** The asked range only: a large value's file is read from {@code start} for {@code length}. */
  private static String slice(StoredValue value, long start, int length) {
    if (start > value.size()) {
      throw new InvalidParam(
          "startIndex",
          "start index " + start + " is beyond the value's " + value.size() + " bytes");
    }
    return Base64.getEncoder().encodeToString(value.read(start, length).toArrayUnsafe());
  }

  private Bytes32 stream(JsonNode node) {
    Bytes32 stream = StorageJson.hash(node, "streamId");
    if (!held.test(stream)) {
      throw new InvalidParam(
          "streamId", "stream " + stream.toHexString() + " is not held by this KV node");
    }
    return stream;
  }

  private static Bytes key(JsonNode node) {
    Bytes key = StorageJson.base64(node, "key");
    if (key.isEmpty()) {
      throw new InvalidParam("key", "key is empty");
    }
    return key;
  }

  private static Address account(JsonNode node) {
    if (node == null || !node.isTextual() || !node.asText().matches("0x[0-9a-fA-F]{40}")) {
      throw new InvalidParam(
          "account",
          "expected 0x and 40 hex digits, got " + (node == null ? "nothing" : node.toString()));
    }
    return new Address(Bytes.fromHexString(node.asText()));
  }

  private static int length(JsonNode node) {
    long length = StorageJson.u64(node, "length");
    if (length > MAX_QUERY_LENGTH) {
      throw new InvalidParam(
          "length", "query length too large: " + length + " bytes, at most " + MAX_QUERY_LENGTH);
    }
    return (int) length;
  }

  /** The optional version at {@code index}: absent or null is the latest; never past the replay. */
  private static long version(KvStore.Snapshot store, JsonNode p, int index) {
    if (p.size() <= index || p.get(index).isNull()) {
      return KvStore.LATEST;
    }
    JsonNode node = p.get(index);
    long version;
    if (node.isBigInteger() || (node.isTextual() && node.asText().matches("[0-9]{20,}"))) {
      version = Long.MAX_VALUE; // beyond any seq: reported below
    } else {
      version = StorageJson.u64(node, "version");
    }
    long next = store.nextTxSeq();
    if (version >= next) {
      throw new InvalidParam(
          "version",
          "version "
              + node.asText()
              + " is not replayed yet: this node has replayed "
              + (next == 0 ? "nothing" : "up to tx seq " + (next - 1)));
    }
    return version;
  }
}
