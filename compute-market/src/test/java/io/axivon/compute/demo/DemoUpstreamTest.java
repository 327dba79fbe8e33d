package io.axivon.compute.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.Test;

class DemoUpstreamTest {
  @Test
  void answersDeterministicallyAndRefusesOtherPathsAndMethods() throws Exception {
    try (DemoUpstream demo = DemoUpstream.start("127.0.0.1", 0);
        HttpClient http = HttpClient.newHttpClient()) {
      String body = "hello \"compute\" market";
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(demo.uri() + DemoUpstream.PATH))
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body())
          .isEqualTo(DemoUpstream.answer(Bytes.wrap(body.getBytes(StandardCharsets.UTF_8))))
          .contains("\"words\":3")
          .contains("\"upper\":\"HELLO \\\"COMPUTE\\\" MARKET\"");
      assertThat(
              http.send(
                      HttpRequest.newBuilder(URI.create(demo.uri() + "/other"))
                          .POST(HttpRequest.BodyPublishers.ofString(body))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(404);
      assertThat(
              http.send(
                      HttpRequest.newBuilder(URI.create(demo.uri() + DemoUpstream.PATH)).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(405);
    }
  }
}
