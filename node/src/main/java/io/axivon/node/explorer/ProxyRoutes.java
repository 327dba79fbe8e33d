package io.axivon.node.explorer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.common.InvalidInputException;
import io.axivon.node.devnet.DevnetManifest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The explorer's allow-list: which devnet endpoint a proxied path reaches and which read-only
 * JSON-RPC methods it may call there. Built from the devnet manifest alone, so the explorer relays
 * to exactly the endpoints the devnet serves and can never be used as an open proxy; the browser
 * then needs no CORS from the storage, KV or DA servers. Pure: no I/O.
 */
public final class ProxyRoutes {
  /** The largest proxied request body: a page's batch of reads is a few KiB. */
  public static final int MAX_REQUEST_BYTES = 64 * 1024;

  /** The most calls in one proxied JSON-RPC batch. */
  public static final int MAX_BATCH = 256;

  /** The largest upstream answer relayed (a page of logs or blocks with transactions). */
  public static final int MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

  /** What the page reads from the chains: no transaction submission, no filters. */
  static final Set<String> CHAIN_METHODS =
      Set.of(
          "eth_chainId",
          "eth_blockNumber",
          "eth_getBlockByNumber",
          "eth_getBlockByHash",
          "eth_getTransactionByHash",
          "eth_getTransactionReceipt",
          "eth_getBalance",
          "eth_getTransactionCount",
          "eth_getCode",
          "eth_call",
          "eth_getLogs",
          "axivon_getCertifiedHeader");

  /** Storage node reads: status and file metadata, never segments. */
  static final Set<String> STORAGE_METHODS =
      Set.of("zgs_getStatus", "zgs_getShardConfig", "zgs_getFileInfo", "zgs_getFileInfoByTxSeq");

  /** KV node reads (bounded by the node's own 1 MiB value cap). */
  static final Set<String> KV_METHODS =
      Set.of(
          "kv_getStatus",
          "kv_getHoldingStreamIds",
          "kv_getFirst",
          "kv_getLast",
          "kv_getNext",
          "kv_getPrev",
          "kv_getValue");

  /** The manifest's {@code services} name of the KV node. */
  public static final String KV_SERVICE = "kv";

  private static final Pattern RPC_PATH =
      Pattern.compile("/rpc/(chain|storage)/(0|[1-9][0-9]{0,3})");
  private static final Pattern DA_STATUS_PATH =
      Pattern.compile("/api/da/blobs/(0x[0-9a-fA-F]{64})/status");
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One allowed upstream.
   *
   * @param name what error messages call it ({@code chain 0}, {@code storage-1}, {@code kv})
   * @param uri where requests go
   * @param methods the JSON-RPC methods it may be asked
   */
  public record Upstream(String name, URI uri, Set<String> methods) {
    public Upstream {
      methods = Set.copyOf(methods);
    }
  }

  private final List<Upstream> chains;
  private final List<Upstream> storage;
  private final Optional<Upstream> kv;
  private final Optional<URI> daApi;

  private ProxyRoutes(
      List<Upstream> chains, List<Upstream> storage, Optional<Upstream> kv, Optional<URI> daApi) {
    this.chains = List.copyOf(chains);
    this.storage = List.copyOf(storage);
    this.kv = kv;
    this.daApi = daApi;
  }

  /** The routes to the endpoints {@code manifest} lists. */
  public static ProxyRoutes of(DevnetManifest manifest) {
    List<Upstream> chains = new ArrayList<>();
    for (DevnetManifest.ChainEndpoint c : manifest.chains()) {
      chains.add(new Upstream("chain " + c.index(), httpUri(c.rpc()), CHAIN_METHODS));
    }
    List<Upstream> storage = new ArrayList<>();
    for (DevnetManifest.StorageEndpoint s : manifest.storage()) {
      storage.add(new Upstream(s.name(), httpUri(s.rpc()), STORAGE_METHODS));
    }
    Optional<Upstream> kv =
        Optional.ofNullable(manifest.services().get(KV_SERVICE))
            .map(u -> new Upstream(KV_SERVICE, httpUri(u), KV_METHODS));
    return new ProxyRoutes(chains, storage, kv, daApi(manifest).map(ProxyRoutes::httpUri));
  }

  /**
   * The DA blob API's URL: the manifest's {@code da.api} (chain 0's DA network), else a {@code
   * services} entry named {@code da} or starting with {@code da}. Read from the manifest's JSON
   * form so this works whichever of the two the devnet writes.
   */
  public static Optional<String> daApi(DevnetManifest manifest) {
    String api = JSON.valueToTree(manifest).path("da").path("api").asText("");
    if (!api.isEmpty()) {
      return Optional.of(api);
    }
    Map<String, String> services = manifest.services();
    String exact = services.get("da");
    if (exact != null) {
      return Optional.of(exact);
    }
    return services.entrySet().stream()
        .filter(e -> e.getKey().toLowerCase(Locale.ROOT).startsWith("da"))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  /**
   * The JSON-RPC upstream of {@code path} ({@code /rpc/chain/I}, {@code /rpc/storage/I}, {@code
   * /rpc/kv}), or empty when the manifest has no such endpoint.
   */
  public Optional<Upstream> rpc(String path) {
    if (path.equals("/rpc/kv")) {
      return kv;
    }
    Matcher m = RPC_PATH.matcher(path);
    if (!m.matches()) {
      return Optional.empty();
    }
    List<Upstream> list = m.group(1).equals("chain") ? chains : storage;
    int i = Integer.parseInt(m.group(2));
    return i < list.size() ? Optional.of(list.get(i)) : Optional.empty();
  }

  /**
   * The DA API URL of a blob's status for {@code /api/da/blobs/0x<64 hex>/status}, or empty when
   * the path is not that or the devnet runs no DA API.
   */
  public Optional<URI> daStatus(String path) {
    Matcher m = DA_STATUS_PATH.matcher(path);
    if (!m.matches() || daApi.isEmpty()) {
      return Optional.empty();
    }
    String base = daApi.get().toString();
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return Optional.of(
        URI.create(base + "/v1/blobs/" + m.group(1).toLowerCase(Locale.ROOT) + "/status"));
  }

  public Optional<URI> daApi() {
    return daApi;
  }

  /**
   * Checks a proxied JSON-RPC body before it is relayed: at most {@link #MAX_REQUEST_BYTES}, JSON,
   * one request object or a non-empty batch of at most {@link #MAX_BATCH}, each calling one of
   * {@code upstream}'s methods.
   *
   * @throws InvalidInputException saying what is wrong
   */
  public static void checkRequest(byte[] body, Upstream upstream) {
    if (body.length > MAX_REQUEST_BYTES) {
      throw new InvalidInputException(
          "request of " + body.length + " bytes is above the limit of " + MAX_REQUEST_BYTES);
    }
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("request body is not JSON");
    } catch (java.io.IOException e) {
      throw new InvalidInputException("request body is not readable JSON");
    }
    if (root == null || root.isMissingNode()) {
      throw new InvalidInputException("empty request body");
    }
    if (root.isArray()) {
      if (root.isEmpty()) {
        throw new InvalidInputException("empty batch");
      }
      if (root.size() > MAX_BATCH) {
        throw new InvalidInputException(
            "batch of " + root.size() + " calls is above the limit of " + MAX_BATCH);
      }
      for (JsonNode call : root) {
        checkCall(call, upstream);
      }
    } else {
      checkCall(root, upstream);
    }
  }

  private static void checkCall(JsonNode call, Upstream upstream) {
    if (!call.isObject()) {
      throw new InvalidInputException("a JSON-RPC request must be an object");
    }
    JsonNode method = call.get("method");
    if (method == null || !method.isTextual()) {
      throw new InvalidInputException("a JSON-RPC request needs a string method");
    }
    if (!upstream.methods().contains(method.asText())) {
      throw new InvalidInputException(
          "method "
              + abbreviate(method.asText())
              + " is not offered by the explorer for "
              + upstream.name());
    }
  }

  private static String abbreviate(String s) {
    String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
    return printable.length() > 64 ? printable.substring(0, 64) + "…" : printable;
  }

  private static URI httpUri(String url) {
    URI uri = URI.create(url);
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new InvalidInputException("manifest endpoint " + url + " is not an http(s) URL");
    }
    return uri;
  }
}
