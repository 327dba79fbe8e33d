package io.axivon.sdk.kv;

import com.fasterxml.jackson.databind.JsonNode;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.sdk.rpc.JsonRpcClient;
import io.axivon.sdk.rpc.JsonRpcException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Reads a KV node over its kv_* JSON-RPC (specs/kv-rpc.md): whole values (fetched in pieces and
 * pinned to one version), neighbours, iteration over key ranges, transaction results and the ACL.
 * Every read takes an optional version ({@code OptionalLong.empty()}: the latest).
 */
public final class KvClient {
  /** Bytes asked per call, as 0G's SDK does. */
  public static final int PIECE = 256 * 1024;

  private final JsonRpcClient rpc;

  public KvClient(JsonRpcClient rpc) {
    this.rpc = Objects.requireNonNull(rpc, "rpc");
  }

  public static KvClient of(URI node, Duration timeout) {
    return new KvClient(new JsonRpcClient(node, timeout));
  }

  /** A value and the version (tx seq) that wrote it; version 0 and no bytes for a missing key. */
  public record Value(long version, Bytes data) {}

  /** A key and its value, from a range read. */
  public record Entry(Bytes key, long version, Bytes data) {}

  /**
   * The whole value of {@code key}. A value longer than one piece is read at the version of the
   * first piece, so the pieces always belong together.
   */
  public Value getValue(Bytes32 stream, Bytes key, OptionalLong version) {
    JsonNode first = call("kv_getValue", version, stream.toHexString(), b64(key), 0, PIECE);
    long v = first.get("version").asLong();
    long size = first.get("size").asLong();
    Bytes data = unb64(first.get("data"));
    if (data.size() >= size) {
      return new Value(v, data);
    }
    List<Bytes> parts = new ArrayList<>();
    parts.add(data);
    long have = data.size();
    // read the rest as of the version that wrote the first piece: a later write cannot mix in
    OptionalLong at = version.isPresent() ? version : OptionalLong.of(v);
    while (have < size) {
      JsonNode piece = call("kv_getValue", at, stream.toHexString(), b64(key), have, PIECE);
      Bytes part = unb64(piece.get("data"));
      if (part.isEmpty() || piece.get("version").asLong() != v) {
        throw new JsonRpcException(
            JsonRpcException.Kind.BAD_RESPONSE,
            JsonRpcException.INTERNAL_ERROR,
            "kv_getValue: the value changed between pieces",
            null,
            null);
      }
      parts.add(part);
      have += part.size();
    }
    return new Value(v, Bytes.concatenate(parts.toArray(Bytes[]::new)));
  }

  public Optional<Entry> next(Bytes32 stream, Bytes key, boolean inclusive, OptionalLong version) {
    return entry(
        stream, call("kv_getNext", version, stream.toHexString(), b64(key), 0, PIECE, inclusive));
  }

  public Optional<Entry> prev(Bytes32 stream, Bytes key, boolean inclusive, OptionalLong version) {
    return entry(
        stream, call("kv_getPrev", version, stream.toHexString(), b64(key), 0, PIECE, inclusive));
  }

  public Optional<Entry> first(Bytes32 stream, OptionalLong version) {
    return entry(stream, call("kv_getFirst", version, stream.toHexString(), 0, PIECE));
  }

  public Optional<Entry> last(Bytes32 stream, OptionalLong version) {
    return entry(stream, call("kv_getLast", version, stream.toHexString(), 0, PIECE));
  }

  /**
   * The keys in {@code [from, to)} in key order (either bound may be null), each with its value, as
   * of {@code version}. Lazy: one kv_getNext per entry.
   */
  public Iterator<Entry> range(Bytes32 stream, Bytes from, Bytes to, OptionalLong version) {
    return new Iterator<>() {
      private Optional<Entry> next =
          from == null ? first(stream, version) : KvClient.this.next(stream, from, true, version);

      @Override
      public boolean hasNext() {
        return next.isPresent() && (to == null || compare(next.get().key(), to) < 0);
      }

      @Override
      public Entry next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Entry e = next.get();
        next = KvClient.this.next(stream, e.key(), false, version);
        return e;
      }
    };
  }

  /** "Commit", a failure reason, or empty while the node has not replayed it (or it is not KV). */
  public Optional<String> transactionResult(long txSeq) {
    JsonNode r = rpc.callRaw("kv_getTransactionResult", txSeq);
    return r.isNull() ? Optional.empty() : Optional.of(r.asText());
  }

  public List<Bytes32> holdingStreamIds() {
    List<Bytes32> out = new ArrayList<>();
    rpc.callRaw("kv_getHoldingStreamIds").forEach(n -> out.add(Bytes32.fromHexString(n.asText())));
    return out;
  }

  public boolean hasWritePermission(
      Address account, Bytes32 stream, Bytes key, OptionalLong version) {
    return call(
            "kv_hasWritePermission", version, account.toLowerHex(), stream.toHexString(), b64(key))
        .asBoolean();
  }

  public boolean isAdmin(Address account, Bytes32 stream, OptionalLong version) {
    return call("kv_isAdmin", version, account.toLowerHex(), stream.toHexString()).asBoolean();
  }

  public boolean isSpecialKey(Bytes32 stream, Bytes key, OptionalLong version) {
    return call("kv_isSpecialKey", version, stream.toHexString(), b64(key)).asBoolean();
  }

  public boolean isWriterOfKey(Address account, Bytes32 stream, Bytes key, OptionalLong version) {
    return call("kv_isWriterOfKey", version, account.toLowerHex(), stream.toHexString(), b64(key))
        .asBoolean();
  }

  public boolean isWriterOfStream(Address account, Bytes32 stream, OptionalLong version) {
    return call("kv_isWriterOfStream", version, account.toLowerHex(), stream.toHexString())
        .asBoolean();
  }

  private JsonNode call(String method, OptionalLong version, Object... params) {
    Object[] all = params;
    if (version.isPresent()) {
      all = java.util.Arrays.copyOf(params, params.length + 1);
      all[params.length] = version.getAsLong();
    }
    return rpc.callRaw(method, all);
  }

  /**
   * An entry; a value longer than the first piece is read whole, as of the version that wrote it.
   */
  private Optional<Entry> entry(Bytes32 stream, JsonNode node) {
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    Bytes key = unb64(node.get("key"));
    long version = node.get("version").asLong();
    Bytes data = unb64(node.get("data"));
    if (data.size() < node.get("size").asLong()) {
      data = getValue(stream, key, OptionalLong.of(version)).data();
    }
    return Optional.of(new Entry(key, version, data));
  }

  /** Unsigned byte order, the node's key order (Tuweni's compareTo is numeric). */
  private static int compare(Bytes a, Bytes b) {
    return java.util.Arrays.compareUnsigned(a.toArrayUnsafe(), b.toArrayUnsafe());
  }

  private static String b64(Bytes bytes) {
    return Base64.getEncoder().encodeToString(bytes.toArrayUnsafe());
  }

  private static Bytes unb64(JsonNode node) {
    return Bytes.wrap(Base64.getDecoder().decode(node.asText()));
  }
}
