package io.axivon.storage.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.sdk.storage.StorageJson;
import io.axivon.sdk.storage.layout.FileTree;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node over real HTTP on loopback: raw bodies as the 0G SDK sends them. */
class StorageNodeIT {
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper mapper = new ObjectMapper();

  private HttpResponse<String> post(URI uri, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesJsonRpcOverHttp(@TempDir Path dir) throws Exception {
    InMemoryFlowView flow = new InMemoryFlowView();
    StorageNode.Config config =
        StorageNode.Config.defaults(
                dir,
                new StorageService.NetworkIdentity(
                    12700, "0x0000000000000000000000000000000000000abc"))
            .withRpcAddress(new InetSocketAddress("127.0.0.1", 0));
    try (StorageNode node = StorageNode.start(config, flow)) {
      URI uri = node.rpcUri();
      // no params key, an id above 2^53 echoed digit for digit
      HttpResponse<String> r =
          post(
              uri,
              "{\"jsonrpc\":\"2.0\",\"method\":\"zgs_getShardConfig\",\"id\":17329876543210987}");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("\"id\":17329876543210987").contains("\"numShard\":1");

      byte[] data = new byte[5000];
      new java.util.Random(1).nextBytes(data);
      FileTree tree = FileTree.of(data);
      flow.submit(tree.submission());
      String seg =
          mapper.writeValueAsString(StorageJson.segment(mapper, tree.segment(0, data, 0, 5000)));
      r =
          post(
              uri,
              "{\"jsonrpc\":\"2.0\",\"method\":\"zgs_uploadSegment\",\"params\":["
                  + seg
                  + "],\"id\":1}");
      assertThat(mapper.readTree(r.body()).get("result").isNull()).isTrue();
      r =
          post(
              uri,
              "{\"jsonrpc\":\"2.0\",\"method\":\"zgs_getFileInfo\",\"params\":[\""
                  + tree.root().toHexString()
                  + "\",true],\"id\":2}");
      JsonNode info = mapper.readTree(r.body()).get("result");
      assertThat(info.get("finalized").asBoolean()).isTrue();

      r = post(uri, "not json");
      assertThat(mapper.readTree(r.body()).at("/error/code").asInt()).isEqualTo(-32700);
      HttpResponse<String> get =
          http.send(
              HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(get.statusCode()).isEqualTo(405);
    }
  }
}
