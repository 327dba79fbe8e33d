package io.axivon.p2p;

import io.axivon.p2p.handshake.SpecHandshake;
import io.axivon.p2p.wire.Message;
import io.axivon.p2p.wire.MessageCodec;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * A hand-driven peer on a plain blocking socket, for tests that misbehave on purpose. It binds to a
 * chosen loopback address (127.0.0.2, ...) so bans of it do not hit the honest nodes on 127.0.0.1.
 */
final class RawPeer implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private SpecHandshake session;

  RawPeer(InetSocketAddress target, String localIp) throws IOException {
    this(target, localIp, 0);
  }

  /** With {@code receiveBuffer > 0}, a small receive window (for not-reading tests). */
  RawPeer(InetSocketAddress target, String localIp, int receiveBuffer) throws IOException {
    socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.bind(new InetSocketAddress(localIp, 0));
    socket.connect(target, 5000);
    socket.setSoTimeout(5000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  void sendFrame(byte[] body) throws IOException {
    sendRaw(ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array());
  }

  byte[] readFrame() throws IOException {
    return readFrame(in.readInt());
  }

  private byte[] readFrame(int length) throws IOException {
    if (length < 0 || length > (32 << 20)) {
      throw new IOException("bad frame length " + length);
    }
    byte[] body = new byte[length];
    in.readFully(body);
    return body;
  }

  /** Runs the initiator side of the handshake with the given key, network and version. */
  SpecHandshake handshake(NodeKey key, long networkId, int version) throws Exception {
    SpecHandshake hs = new SpecHandshake(true, networkId, version);
    sendFrame(hs.hello());
    hs.onRemoteHello(readFrame());
    sendFrame(hs.auth(key, 0));
    hs.openAuth(readFrame());
    session = hs;
    return hs;
  }

  void send(Message message) throws IOException {
    sendFrame(session.sender().seal(MessageCodec.encode(message)));
  }

  /** Reads one message, reassembling its chunks (specs/p2p.md section 4). */
  Message read() throws IOException {
    java.io.ByteArrayOutputStream message = new java.io.ByteArrayOutputStream();
    boolean more;
    do {
      int header = in.readInt();
      more = header < 0;
      byte[] body = readFrame(header & 0x7fffffff);
      byte[] plain = new byte[body.length - 16];
      session.receiver().openInPlace(body, 0, body.length, more);
      System.arraycopy(body, 0, plain, 0, plain.length);
      message.write(plain);
    } while (more);
    return MessageCodec.decode(message.toByteArray());
  }

  /** Reads and discards until the node closes the link; true if that happens within the time. */
  boolean awaitClosed(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    socket.setSoTimeout(100);
    byte[] sink = new byte[8192];
    while (System.nanoTime() - deadline < 0) {
      try {
        if (in.read(sink) < 0) {
          return true;
        }
      } catch (SocketTimeoutException e) {
        // keep waiting
      } catch (EOFException | SocketException e) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
