package io.axivon.compute.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.common.InvalidInputException;
import io.axivon.da.erasure.ReedSolomon;
import io.axivon.da.erasure.ScalarBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.Test;

class ErasureEncodeServiceTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static byte[][] shards(JsonNode doc) {
    byte[][] out = new byte[doc.at("/shards").size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = Base64.getDecoder().decode(doc.at("/shards/" + i).asText());
    }
    return out;
  }

  @Test
  void shardsAreTheBodyPaddedPlusParityThatRebuildsLostShards() throws Exception {
    byte[] body = new byte[1000];
    new Random(3).nextBytes(body);
    try (ErasureEncodeService s = new ErasureEncodeService(List.of(new ScalarBackend()))) {
      ErasureEncodeService.Encoded e = s.encode(Bytes.wrap(body), "k=3&m=2");
      assertThat(e.backend()).isEqualTo("scalar");
      JsonNode doc = JSON.readTree(e.json());
      assertThat(doc.at("/k").asInt()).isEqualTo(3);
      assertThat(doc.at("/m").asInt()).isEqualTo(2);
      assertThat(doc.at("/size").asInt()).isEqualTo(1000);
      assertThat(doc.at("/shardBytes").asInt()).isEqualTo(334);
      byte[][] shards = shards(doc);
      assertThat(shards).hasNumberOfRows(5);
      byte[] joined = new byte[3 * 334];
      for (int i = 0; i < 3; i++) {
        System.arraycopy(shards[i], 0, joined, i * 334, 334);
      }
      assertThat(Bytes.wrap(joined).slice(0, 1000)).isEqualTo(Bytes.wrap(body));
      assertThat(Bytes.wrap(joined).slice(1000).isZero()).isTrue(); // zero padding
      // any two shards may be lost: the coder rebuilds them from the other three
      byte[][] damaged = shards.clone();
      damaged[0] = null;
      damaged[2] = null;
      try (ReedSolomon rs = new ReedSolomon(new ScalarBackend(), 1)) {
        rs.reconstruct(3, 2, damaged, 334);
      }
      assertThat(damaged[0]).isEqualTo(shards[0]);
      assertThat(damaged[2]).isEqualTo(shards[2]);
    }
  }

  @Test
  void theAnswerIsTheSameOnEveryBackend() {
    byte[] body = new byte[70_000];
    new Random(4).nextBytes(body);
    try (ErasureEncodeService scalar = new ErasureEncodeService(List.of(new ScalarBackend()));
        ErasureEncodeService auto = ErasureEncodeService.automatic()) {
      assertThat(auto.encode(Bytes.wrap(body), "").json())
          .isEqualTo(scalar.encode(Bytes.wrap(body), null).json());
      assertThat(auto.encode(Bytes.wrap(body), "").backend()).isNotEmpty();
    }
  }

  @Test
  void badInputIsRefusedWithItsReason() {
    try (ErasureEncodeService s = new ErasureEncodeService(List.of(new ScalarBackend()))) {
      Bytes one = Bytes.of(1);
      assertThatThrownBy(() -> s.encode(Bytes.EMPTY, "k=2&m=1"))
          .isInstanceOf(InvalidInputException.class)
          .hasMessage("empty body: nothing to encode");
      assertThatThrownBy(() -> s.encode(one, "k=0"))
          .hasMessage("k must be a whole number from 1 to 255, got '0'");
      assertThatThrownBy(() -> s.encode(one, "m=x"))
          .hasMessage("m must be a whole number from 1 to 255, got 'x'");
      assertThatThrownBy(() -> s.encode(one, "k=200&m=57"))
          .hasMessage("k + m must be at most 256, got 200 + 57");
      assertThatThrownBy(() -> s.encode(one, "n=3"))
          .hasMessage("unknown query parameter 'n': the service takes k and m");
    }
  }

  @Test
  void theDemoUpstreamServesItWithTheBackendInAHeader() throws Exception {
    try (DemoUpstream demo = DemoUpstream.start("127.0.0.1", 0);
        HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(demo.uri() + ErasureEncodeService.PATH + "?k=2&m=1"))
                  .POST(HttpRequest.BodyPublishers.ofString("abcd"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue(ErasureEncodeService.BACKEND_HEADER)).isPresent();
      byte[][] shards = shards(JSON.readTree(r.body()));
      assertThat(new String(shards[0])).isEqualTo("ab");
      assertThat(new String(shards[1])).isEqualTo("cd");
      byte[][] parity = new byte[1][2];
      try (ReedSolomon rs = new ReedSolomon(new ScalarBackend(), 1)) {
        rs.encode(2, 1, new byte[][] {"ab".getBytes(), "cd".getBytes()}, parity, 2);
      }
      assertThat(shards[2]).isEqualTo(parity[0]);
      HttpResponse<String> bad =
          http.send(
              HttpRequest.newBuilder(URI.create(demo.uri() + ErasureEncodeService.PATH + "?k=0"))
                  .POST(HttpRequest.BodyPublishers.ofString("abcd"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).contains("k must be a whole number");
    }
  }
}
