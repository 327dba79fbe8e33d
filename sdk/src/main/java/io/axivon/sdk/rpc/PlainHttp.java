package io.axivon.sdk.rpc;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * HTTP/1.1 {@code POST}s over plain keep-alive sockets, one blocking call per connection (callers
 * run on virtual threads), for the bulky calls of uploads. The JDK's HTTP client moves a request
 * through selector, executor and reactive-stream hand-offs and copies its body into 16 KiB buffers:
 * for the 1.3 MiB upload calls that was a sixth of an upload's CPU, while a call here is one write
 * of the body as it is and one read of the answer. Netty's client codec would bring back the
 * event-loop hand-off per call (the callers block on virtual threads anyway), so this stays a small
 * blocking client. Only {@code http://}; answers with a {@code Content-Length} or chunked.
 * Thread-safe: idle connections are pooled.
 */
final class PlainHttp implements AutoCloseable {
  /** Largest answer head accepted (status line and headers). */
  static final int MAX_HEAD = 64 * 1024;

  /** Largest body sent in the same write as its head. */
  static final int ONE_WRITE_BYTES = 16 * 1024;

  private final URI endpoint;
  private final Duration timeout;
  private final byte[] head; // the request up to the Content-Length value
  private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();

  PlainHttp(URI endpoint, Duration timeout) {
    if (!"http".equals(endpoint.getScheme())) {
      throw new IllegalArgumentException("plain HTTP only, got " + endpoint);
    }
    this.endpoint = endpoint;
    this.timeout = timeout;
    String path =
        endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty()
            ? "/"
            : endpoint.getRawPath();
    if (endpoint.getRawQuery() != null) {
      path += "?" + endpoint.getRawQuery();
    }
    String host = endpoint.getHost() + (endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort());
    this.head =
        ("POST "
                + path
                + " HTTP/1.1\r\nHost: "
                + host
                + "\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: ")
            .getBytes(StandardCharsets.ISO_8859_1);
  }

  /** An answer: its status and body. */
  record Answer(int status, byte[] body) {}

  /**
   * Posts {@code body} and returns the answer. A pooled connection that the server closed while it
   * was idle fails before any answer byte; the call is then made once more on a new connection.
   *
   * @throws java.net.SocketTimeoutException if the server is silent for the timeout
   * @throws IOException if the connection fails or the answer is not HTTP/1.1
   */
  Answer post(byte[] body) throws IOException {
    while (true) {
      Connection c = idle.poll();
      boolean reused = c != null;
      if (c == null) {
        c = connect();
      }
      try {
        Answer a = c.exchange(body);
        if (c.reusable) {
          idle.add(c);
        } else {
          c.close();
        }
        return a;
      } catch (IOException | RuntimeException e) {
        c.close();
        if (!reused
            || c.answered
            || !(e instanceof IOException)
            || e instanceof SocketTimeoutException) {
          throw e;
        }
      }
    }
  }

  private Connection connect() throws IOException {
    Socket s = new Socket();
    try {
      int port = endpoint.getPort() < 0 ? 80 : endpoint.getPort();
      s.connect(new InetSocketAddress(endpoint.getHost(), port), millis());
      s.setTcpNoDelay(true); // a bulky body is written after its head: two writes
      s.setSoTimeout(millis());
      return new Connection(s);
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  private int millis() {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
  }

  @Override
  public void close() {
    for (Connection c; (c = idle.poll()) != null; ) {
      c.close();
    }
  }

  private final class Connection {
    private final Socket socket;
    private final OutputStream out;
    private final Input in;
    boolean answered; // some byte of an answer arrived
    boolean reusable;

    Connection(Socket socket) throws IOException {
      this.socket = socket;
      this.out = socket.getOutputStream();
      this.in = new Input(socket.getInputStream());
    }

    Answer exchange(byte[] body) throws IOException {
      answered = false;
      reusable = false;
      byte[] length = (body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
      // A small request goes out as one write, one segment: the server then reads it whole at
      // once (two segments cost it a second wake-up and read per call). A bulky body is written
      // as it is, after its head, rather than copied.
      boolean whole = body.length <= ONE_WRITE_BYTES;
      byte[] start = new byte[head.length + length.length + (whole ? body.length : 0)];
      System.arraycopy(head, 0, start, 0, head.length);
      System.arraycopy(length, 0, start, head.length, length.length);
      if (whole) {
        System.arraycopy(body, 0, start, head.length + length.length, body.length);
      }
      out.write(start);
      if (!whole) {
        out.write(body);
      }
      out.flush();
      String status = line();
      answered = true;
      // "HTTP/1.1 200 OK"; an interim 1xx answer is followed by the real one
      int code = statusCode(status);
      while (code >= 100 && code < 200) {
        while (!line().isEmpty()) {
          // an interim answer's headers mean nothing here
        }
        code = statusCode(line());
      }
      long contentLength = -1;
      boolean chunked = false;
      boolean close = status.startsWith("HTTP/1.0");
      int headBytes = 0;
      for (String h; !(h = line()).isEmpty(); ) {
        headBytes += h.length();
        if (headBytes > MAX_HEAD) {
          throw new IOException("answer headers longer than " + MAX_HEAD + " bytes");
        }
        int colon = h.indexOf(':');
        if (colon <= 0) {
          throw new IOException("malformed answer header: " + h);
        }
        String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = h.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
        switch (name) {
          case "content-length" -> {
            try {
              contentLength = Long.parseLong(value);
            } catch (NumberFormatException e) {
              throw new IOException("bad Content-Length: " + value, e);
            }
          }
          case "transfer-encoding" -> chunked = value.endsWith("chunked");
          case "connection" ->
              close = value.contains("close") || (close && !value.contains("keep-alive"));
          default -> {}
        }
      }
      byte[] answer;
      if (chunked) {
        answer = chunks();
      } else if (contentLength >= 0) {
        if (contentLength > Integer.MAX_VALUE - 16) {
          throw new IOException("answer too large: " + contentLength + " bytes");
        }
        answer = in.readNBytes((int) contentLength);
        if (answer.length != contentLength) {
          throw new EOFException("the answer ended early");
        }
      } else {
        answer = in.readAllBytes(); // delimited by the end of the connection
        close = true;
      }
      reusable = !close;
      return new Answer(code, answer);
    }

    private byte[] chunks() throws IOException {
      java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
      while (true) {
        String size = line();
        int semi = size.indexOf(';');
        int n;
        try {
          n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
        } catch (NumberFormatException e) {
          throw new IOException("bad chunk size: " + size, e);
        }
        if (n < 0) {
          throw new IOException("bad chunk size: " + size);
        }
        if (n == 0) {
          while (!line().isEmpty()) {
            // trailers mean nothing here
          }
          return all.toByteArray();
        }
        byte[] chunk = in.readNBytes(n);
        if (chunk.length != n) {
          throw new EOFException("the answer ended early");
        }
        all.write(chunk);
        if (!line().isEmpty()) {
          throw new IOException("a chunk does not end with CRLF");
        }
      }
    }

    /** One line without its CRLF (or LF). */
    private String line() throws IOException {
      return in.line(MAX_HEAD);
    }

    private static int statusCode(String status) throws IOException {
      if (!status.startsWith("HTTP/1.") || status.length() < 12 || status.charAt(8) != ' ') {
        throw new IOException("not an HTTP/1.x answer: " + status);
      }
      try {
        return Integer.parseInt(status.substring(9, 12));
      } catch (NumberFormatException e) {
        throw new IOException("not an HTTP/1.x answer: " + status, e);
      }
    }

    void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // closing: nothing left to do with it
      }
    }
  }

  /**
   * The answer's bytes, buffered: lines are found by scanning the buffer. Reading the head a byte
   * at a time through a {@link java.io.BufferedInputStream} (which takes its lock for each) into a
   * StringBuilder was a quarter of a load generator's Java samples. Not thread-safe: one per
   * connection.
   */
  static final class Input extends InputStream {
    private final InputStream from;
    private final byte[] buffer = new byte[16 * 1024];
    private int position;
    private int limit;

    Input(InputStream from) {
      this.from = from;
    }

    /** Whether bytes are buffered after reading more; false at the end of the stream. */
    private boolean fill() throws IOException {
      if (position < limit) {
        return true;
      }
      int n = from.read(buffer, 0, buffer.length);
      position = 0;
      limit = Math.max(n, 0);
      return n > 0;
    }

    /** One line without its CRLF (or LF), at most {@code max} bytes long. */
    String line(int max) throws IOException {
      StringBuilder head = null; // a line split across reads
      while (true) {
        if (!fill()) {
          throw new EOFException("the connection closed in the answer's head");
        }
        int end = position;
        while (end < limit && buffer[end] != '\n') {
          end++;
        }
        int taken = end - position + (head == null ? 0 : head.length());
        if (taken > max) {
          throw new IOException("answer line longer than " + max + " bytes");
        }
        String part = new String(buffer, position, end - position, StandardCharsets.ISO_8859_1);
        if (end == limit) {
          head = (head == null ? new StringBuilder() : head).append(part);
          position = limit;
          continue;
        }
        position = end + 1;
        String line = head == null ? part : head.append(part).toString();
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
      }
    }

    @Override
    public int read() throws IOException {
      return fill() ? buffer[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
      java.util.Objects.checkFromIndexSize(offset, length, into.length);
      if (length == 0) {
        return 0;
      }
      if (position == limit && length >= buffer.length) {
        return from.read(into, offset, length); // a bulky body: straight from the socket
      }
      if (!fill()) {
        return -1;
      }
      int n = Math.min(length, limit - position);
      System.arraycopy(buffer, position, into, offset, n);
      position += n;
      return n;
    }
  }
}
