package io.axivon.node.explorer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One headless Chromium page driven over the DevTools protocol, so a test can read the live page in
 * real time (dump-dom only sees one moment). Only {@code Runtime.evaluate} is used.
 */
final class DevTools implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

  private final Process process;
  private final HttpClient http = HttpClient.newHttpClient();
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  private DevTools(Process process, URI page) throws Exception {
    this.process = process;
    this.socket =
        http.newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .buildAsync(page, new Listener())
            .get(30, TimeUnit.SECONDS);
  }

  /** Opens {@code url} in a new headless Chromium with profile {@code profile}. */
  static DevTools open(Path chromium, Path profile, String url) throws Exception {
    Process p =
        new ProcessBuilder(
                List.of(
                    chromium.toString(),
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--user-data-dir=" + profile,
                    "--remote-debugging-port=0",
                    url))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      BufferedReader err =
          new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
      String line;
      URI browser = null;
      while (browser == null && (line = err.readLine()) != null) {
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          browser = URI.create(m.group(1));
        }
      }
      if (browser == null) {
        throw new IllegalStateException("chromium exited without a DevTools endpoint");
      }
      // keep draining stderr so chromium never blocks on a full pipe
      Thread.ofVirtual().start(() -> err.lines().forEach(l -> {}));
      URI list = URI.create("http://" + browser.getAuthority() + "/json/list");
      HttpClient client = HttpClient.newHttpClient();
      JsonNode targets =
          JSON.readTree(
              client
                  .send(HttpRequest.newBuilder(list).build(), HttpResponse.BodyHandlers.ofString())
                  .body());
      for (JsonNode t : targets) {
        if ("page".equals(t.path("type").asText())) {
          return new DevTools(p, URI.create(t.path("webSocketDebuggerUrl").asText()));
        }
      }
      throw new IllegalStateException("no page target in " + targets);
    } catch (Exception e) {
      p.destroyForcibly();
      throw e;
    }
  }

  /** The value of a JavaScript expression in the page (a string, number or boolean). */
  JsonNode evaluate(String expression) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    ObjectNode call = JSON.createObjectNode().put("id", id).put("method", "Runtime.evaluate");
    call.putObject("params").put("expression", expression).put("returnByValue", true);
    socket.sendText(JSON.writeValueAsString(call), true).get(10, TimeUnit.SECONDS);
    JsonNode result = answer.get(30, TimeUnit.SECONDS);
    if (result.has("error")) {
      throw new IllegalStateException("DevTools: " + result.get("error"));
    }
    return result.path("result").path("result").path("value");
  }

  @Override
  public void close() throws Exception {
    socket.abort();
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    http.close();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        try {
          JsonNode message = JSON.readTree(text.toString());
          if (message.has("id")) {
            CompletableFuture<JsonNode> f = pending.remove(message.get("id").asInt());
            if (f != null) {
              f.complete(message);
            }
          }
        } catch (java.io.IOException e) {
          pending.values().forEach(f -> f.completeExceptionally(e));
        }
        text.setLength(0);
      }
      ws.request(1);
      return null;
    }
  }
}
