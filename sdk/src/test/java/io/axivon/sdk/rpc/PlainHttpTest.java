package io.axivon.sdk.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PlainHttpTest {
  private ServerSocket server;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final List<String> heads = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stop() throws IOException {
    release.countDown();
    if (server != null) {
      server.close();
    }
    for (Socket s : accepted) {
      s.close();
    }
  }

  /** What the scripted server writes back for the n-th request on a connection (from 0). */
  interface Script {
    /** The raw answer bytes, or null to close the connection without answering. */
    byte[] answer(int n, byte[] body) throws IOException;
  }

  private URI serve(Script script) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual()
        .start(
            () -> {
              while (!server.isClosed()) {
                Socket s;
                try {
                  s = server.accept();
                } catch (IOException e) {
                  return;
                }
                accepted.add(s);
                connections.incrementAndGet();
                Thread.ofVirtual().start(() -> handle(s, script));
              }
            });
    return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/rpc?x=1");
  }

  private void handle(Socket s, Script script) {
    try (s) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      for (int n = 0; ; n++) {
        String head = head(in);
        if (head == null) {
          return;
        }
        heads.add(head);
        int length = 0;
        for (String line : head.split("\r\n")) {
          if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
            length = Integer.parseInt(line.substring(15).trim());
          }
        }
        byte[] body = in.readNBytes(length);
        byte[] answer = script.answer(n, body);
        if (answer == null) {
          return;
        }
        out.write(answer);
        out.flush();
      }
    } catch (IOException e) {
      // the test closed it
    }
  }

  private static String head(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    while (true) {
      int c = in.read();
      if (c < 0) {
        return null;
      }
      b.write(c);
      byte[] a = b.toByteArray();
      if (a.length >= 4
          && new String(a, a.length - 4, 4, StandardCharsets.ISO_8859_1).equals("\r\n\r\n")) {
        return new String(a, StandardCharsets.ISO_8859_1);
      }
    }
  }

  private static byte[] fixed(String headers, byte[] body) {
    byte[] head =
        ("HTTP/1.1 200 OK\r\n" + headers + "Content-Length: " + body.length + "\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    byte[] out = Arrays.copyOf(head, head.length + body.length);
    System.arraycopy(body, 0, out, head.length, body.length);
    return out;
  }

  @Test
  void aLargeBodyGoesOutAsItIsAndTheConnectionIsReused() throws IOException {
    URI uri = serve((n, body) -> fixed("", body)); // echo
    PlainHttp http = new PlainHttp(uri, Duration.ofSeconds(10));
    byte[] big = new byte[3 << 20];
    new SplittableRandom(1).nextBytes(big);
    for (int i = 0; i < 3; i++) {
      PlainHttp.Answer a = http.post(big);
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.body()).isEqualTo(big);
    }
    assertThat(http.post(new byte[0]).body()).isEmpty();
    assertThat(connections.get()).isEqualTo(1);
    assertThat(heads.getFirst())
        .startsWith("POST /rpc?x=1 HTTP/1.1\r\n")
        .contains("Host: 127.0.0.1:" + uri.getPort() + "\r\n")
        .contains("Content-Type: application/json\r\n")
        .contains("Content-Length: " + big.length + "\r\n");
    http.close();
  }

  @Test
  void bodiesOnEitherSideOfTheOneWriteLimitArriveWhole() throws IOException {
    URI uri = serve((n, body) -> fixed("", body)); // echo
    PlainHttp http = new PlainHttp(uri, Duration.ofSeconds(10));
    SplittableRandom random = new SplittableRandom(2);
    for (int size :
        new int[] {
          1,
          200,
          PlainHttp.ONE_WRITE_BYTES - 1,
          PlainHttp.ONE_WRITE_BYTES,
          PlainHttp.ONE_WRITE_BYTES + 1
        }) {
      byte[] body = new byte[size];
      random.nextBytes(body);
      assertThat(http.post(body).body()).as("%d bytes", size).isEqualTo(body);
      assertThat(heads.getLast()).contains("Content-Length: " + size + "\r\n");
    }
    assertThat(connections.get()).isEqualTo(1);
    http.close();
  }

  /** Gives at most {@code step} bytes per read, as a socket may. */
  private static InputStream trickle(byte[] data, int step) {
    return new InputStream() {
      private int at;

      @Override
      public int read() {
        return at < data.length ? data[at++] & 0xff : -1;
      }

      @Override
      public int read(byte[] into, int offset, int length) {
        if (at == data.length) {
          return -1;
        }
        int n = Math.min(Math.min(length, step), data.length - at);
        System.arraycopy(data, at, into, offset, n);
        at += n;
        return n;
      }
    };
  }

  @Test
  void linesAndBodiesSplitAcrossReadsComeOutWhole() throws IOException {
    byte[] body = new byte[40_000]; // larger than the buffer: read past it
    new SplittableRandom(3).nextBytes(body);
    byte[] head =
        "HTTP/1.1 200 OK\r\nContent-Length: 40000\r\nbare: lf\n\r\n"
            .getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = Arrays.copyOf(head, head.length + body.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    for (int step : new int[] {1, 2, 3, 7, 1 << 20}) {
      PlainHttp.Input in = new PlainHttp.Input(trickle(all, step));
      assertThat(in.line(100)).as("step %d", step).isEqualTo("HTTP/1.1 200 OK");
      assertThat(in.line(100)).isEqualTo("Content-Length: 40000");
      assertThat(in.line(100)).isEqualTo("bare: lf");
      assertThat(in.line(100)).isEmpty();
      assertThat(in.readNBytes(body.length)).isEqualTo(body);
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  @Test
  void aLineTooLongOrCutShortIsAnError() {
    byte[] longLine = ("X".repeat(500) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> new PlainHttp.Input(trickle(longLine, 7)).line(100))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("longer than 100");
    byte[] cut = "HTTP/1.1 20".getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> new PlainHttp.Input(trickle(cut, 4)).line(100))
        .isInstanceOf(java.io.EOFException.class);
  }

  @Test
  void readsChunkedAnswersAfterAnInterimOne() throws IOException {
    URI uri =
        serve(
            (n, body) ->
                ("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 500 Oops\r\nTransfer-Encoding: chunked\r\n"
                        + "\r\n3;ext=1\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nTrailer: x\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
    PlainHttp http = new PlainHttp(uri, Duration.ofSeconds(10));
    for (int i = 0; i < 2; i++) {
      PlainHttp.Answer a = http.post("{}".getBytes(StandardCharsets.UTF_8));
      assertThat(a.status()).isEqualTo(500);
      assertThat(new String(a.body(), StandardCharsets.US_ASCII)).isEqualTo("abc0123456789abcdef");
    }
    assertThat(connections.get()).isEqualTo(1);
  }

  @Test
  void aConnectionTheServerClosesIsNotReused() throws IOException {
    URI uri = serve((n, body) -> fixed("Connection: close\r\n", body));
    PlainHttp http = new PlainHttp(uri, Duration.ofSeconds(10));
    assertThat(http.post(new byte[] {1}).body()).containsExactly(1);
    assertThat(http.post(new byte[] {2}).body()).containsExactly(2);
    assertThat(connections.get()).isEqualTo(2);
  }

  @Test
  void anIdleConnectionClosedByTheServerIsReplaced() throws IOException {
    // the server answers once per connection and then hangs up without saying so
    URI uri = serve((n, body) -> n == 0 ? fixed("", body) : null);
    PlainHttp http = new PlainHttp(uri, Duration.ofSeconds(10));
    List<byte[]> answers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      answers.add(http.post(new byte[] {(byte) i}).body());
    }
    assertThat(answers).containsExactly(new byte[] {0}, new byte[] {1}, new byte[] {2});
    assertThat(connections.get()).isEqualTo(3);
  }

  @Test
  void aSilentServerTimesOutAndABrokenAnswerFails() throws IOException {
    URI uri =
        serve(
            (n, body) -> {
              if (body.length == 1) {
                return "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"
                    .getBytes(StandardCharsets.US_ASCII);
              }
              try {
                release.await(30, TimeUnit.SECONDS); // held until the test ends
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return null;
            });
    PlainHttp http = new PlainHttp(uri, Duration.ofMillis(200));
    assertThatThrownBy(() -> http.post(new byte[0])).isInstanceOf(SocketTimeoutException.class);
    PlainHttp other = new PlainHttp(uri, Duration.ofMillis(200));
    // three bytes of ten, then silence: the read times out rather than answering short
    assertThatThrownBy(() -> other.post(new byte[1])).isInstanceOf(IOException.class);
  }

  @Test
  void notHttpIsAnError() throws IOException {
    URI uri = serve((n, body) -> "SSH-2.0-nope\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    PlainHttp http = new PlainHttp(uri, Duration.ofSeconds(5));
    assertThatThrownBy(() -> http.post(new byte[0]))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not an HTTP/1.x answer");
    assertThatThrownBy(() -> new PlainHttp(URI.create("https://x/"), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
