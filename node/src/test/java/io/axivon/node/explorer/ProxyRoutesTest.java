package io.axivon.node.explorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.node.devnet.DevnetManifest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyRoutesTest {
  static DevnetManifest manifest(Map<String, String> services, String chain0, String storage0) {
    return new DevnetManifest(
        "dev",
        12700,
        "axivon-12700",
        "/tmp/x",
        "http://127.0.0.1:9400/metrics",
        "",
        List.of(
            new DevnetManifest.ChainEndpoint(0, "axivon-12700", 12700, chain0, Map.of()),
            new DevnetManifest.ChainEndpoint(
                1, "axivon-12701", 12701, "http://127.0.0.1:8546/", Map.of())),
        List.of(),
        List.of(),
        List.of(
            new DevnetManifest.StorageEndpoint("storage-0", storage0),
            new DevnetManifest.StorageEndpoint("storage-1", "http://127.0.0.1:5679/")),
        services,
        List.of());
  }

  private static final ProxyRoutes ROUTES =
      ProxyRoutes.of(
          manifest(
              Map.of("kv", "http://127.0.0.1:6789/", "daApi", "http://127.0.0.1:3100"),
              "http://127.0.0.1:8545/",
              "http://127.0.0.1:5678/"));

  private static final ProxyRoutes NO_SERVICES =
      ProxyRoutes.of(manifest(Map.of(), "http://127.0.0.1:8545/", "http://127.0.0.1:5678/"));

  @Test
  void routesReachExactlyTheManifestsEndpoints() {
    assertThat(ROUTES.rpc("/rpc/chain/0").orElseThrow().uri())
        .isEqualTo(URI.create("http://127.0.0.1:8545/"));
    assertThat(ROUTES.rpc("/rpc/chain/1").orElseThrow().uri())
        .isEqualTo(URI.create("http://127.0.0.1:8546/"));
    assertThat(ROUTES.rpc("/rpc/storage/1").orElseThrow().name()).isEqualTo("storage-1");
    assertThat(ROUTES.rpc("/rpc/kv").orElseThrow().uri())
        .isEqualTo(URI.create("http://127.0.0.1:6789/"));
    assertThat(NO_SERVICES.rpc("/rpc/kv")).isEmpty();
  }

  @Test
  void anythingElseHasNoRoute() {
    for (String path :
        List.of(
            "/rpc/chain/2",
            "/rpc/storage/2",
            "/rpc/chain/01",
            "/rpc/chain/-1",
            "/rpc/chain/",
            "/rpc/chain/0/",
            "/rpc/chain/0/../1",
            "/rpc/chain/99999999999",
            "/rpc/chain/0x0",
            "/rpc/metrics",
            "/rpc/http://evil.example/",
            "/rpc/kv/",
            "/rpc/compute/0")) {
      assertThat(ROUTES.rpc(path)).as(path).isEmpty();
    }
  }

  @Test
  void daStatusOnlyForABlobKeyAndOnlyWithADaApi() {
    String key = "0x" + "Ab".repeat(32);
    assertThat(ROUTES.daStatus("/api/da/blobs/" + key + "/status"))
        .contains(URI.create("http://127.0.0.1:3100/v1/blobs/0x" + "ab".repeat(32) + "/status"));
    assertThat(ROUTES.daStatus("/api/da/blobs/" + key)).isEmpty();
    assertThat(ROUTES.daStatus("/api/da/blobs/0x12/status")).isEmpty();
    assertThat(ROUTES.daStatus("/api/da/blobs/" + key + "/../../put")).isEmpty();
    assertThat(NO_SERVICES.daStatus("/api/da/blobs/" + key + "/status")).isEmpty();
    assertThat(
            ProxyRoutes.daApi(
                manifest(
                    Map.of("da", "http://a/", "daX", "http://b/"),
                    "http://127.0.0.1:8545/",
                    "http://127.0.0.1:5678/")))
        .contains("http://a/");
  }

  @Test
  void readOnlyCallsPass() {
    ProxyRoutes.Upstream chain = ROUTES.rpc("/rpc/chain/0").orElseThrow();
    assertThatCode(
            () ->
                ProxyRoutes.checkRequest(
                    bytes(
                        "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\"},"
                            + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"eth_getLogs\",\"params\":[{}]}]"),
                    chain))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                ProxyRoutes.checkRequest(
                    bytes("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"zgs_getFileInfo\"}"),
                    ROUTES.rpc("/rpc/storage/0").orElseThrow()))
        .doesNotThrowAnyException();
  }

  @Test
  void badRequestsAreRefusedWithAReason() {
    ProxyRoutes.Upstream chain = ROUTES.rpc("/rpc/chain/0").orElseThrow();
    ProxyRoutes.Upstream storage = ROUTES.rpc("/rpc/storage/0").orElseThrow();
    assertRefused("{\"method\":\"eth_sendRawTransaction\"}", chain, "is not offered");
    assertRefused("[{\"method\":\"eth_blockNumber\"},{\"method\":\"admin_x\"}]", chain, "admin_x");
    assertRefused("{\"method\":\"zgs_uploadSegment\"}", storage, "not offered");
    assertRefused("{\"method\":\"eth_blockNumber\"}", storage, "for storage-0");
    assertRefused("not json", chain, "not JSON");
    assertRefused("", chain, "empty request body");
    assertRefused("[]", chain, "empty batch");
    assertRefused("[1]", chain, "must be an object");
    assertRefused("{\"method\":7}", chain, "string method");
    assertRefused("{}", chain, "string method");
    String many =
        "["
            + String.join(",", java.util.Collections.nCopies(257, "{\"method\":\"eth_chainId\"}"))
            + "]";
    assertRefused(many, chain, "batch of 257 calls");
    byte[] big = new byte[ProxyRoutes.MAX_REQUEST_BYTES + 1];
    assertThatThrownBy(() -> ProxyRoutes.checkRequest(big, chain))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("above the limit");
  }

  @Test
  void aHostileMethodNameIsQuotedShortAndPrintable() {
    ProxyRoutes.Upstream chain = ROUTES.rpc("/rpc/chain/0").orElseThrow();
    assertThatThrownBy(
            () ->
                ProxyRoutes.checkRequest(
                    bytes("{\"method\":\"" + "x\\n".repeat(100) + "\"}"), chain))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").hasSizeLessThan(140));
  }

  @Test
  void aManifestEndpointMustBeHttp() {
    assertThatThrownBy(() -> ProxyRoutes.of(manifest(Map.of(), "file:///etc/passwd", "http://x/")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not an http(s) URL");
  }

  private static void assertRefused(String body, ProxyRoutes.Upstream upstream, String reason) {
    assertThatThrownBy(() -> ProxyRoutes.checkRequest(bytes(body), upstream))
        .as(body.length() > 60 ? body.substring(0, 60) : body)
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(reason);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
