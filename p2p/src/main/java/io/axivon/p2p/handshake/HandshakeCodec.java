package io.axivon.p2p.handshake;

import io.axivon.p2p.NodeId;
import java.nio.ByteBuffer;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/** Fixed-size encodings of the handshake messages; see specs/p2p.md. */
public final class HandshakeCodec {
  /** "AXVN": rejects a stranger speaking another protocol at the first four bytes. */
  public static final int MAGIC = 0x4158564e;

  public static final int HELLO_BYTES = 4 + 2 + 8 + 32 + 2;
  public static final int AUTH_BYTES = 32 + 2 + Auth.SIGNATURE_BYTES;

  private HandshakeCodec() {}

  public static byte[] encodeHello(Hello hello) {
    ByteBuffer out = ByteBuffer.allocate(HELLO_BYTES);
    out.putInt(MAGIC);
    out.putShort((short) hello.version());
    out.putLong(hello.networkId());
    out.put(hello.ephemeralKey().toArrayUnsafe());
    out.putShort((short) hello.suites());
    return out.array();
  }

  /**
   * @throws HandshakeException ({@link HandshakeFailure#MALFORMED}) on a wrong size or magic
   */
  public static Hello decodeHello(byte[] in) {
    if (in.length != HELLO_BYTES) {
      throw new HandshakeException(
          HandshakeFailure.MALFORMED, "a hello is " + HELLO_BYTES + " bytes, got " + in.length);
    }
    ByteBuffer buf = ByteBuffer.wrap(in);
    int magic = buf.getInt();
    if (magic != MAGIC) {
      throw new HandshakeException(
          HandshakeFailure.MALFORMED,
          "hello magic is 0x"
              + Integer.toHexString(MAGIC)
              + ", got 0x"
              + Integer.toHexString(magic));
    }
    int version = Short.toUnsignedInt(buf.getShort());
    long networkId = buf.getLong();
    byte[] key = new byte[32];
    buf.get(key);
    int suites = Short.toUnsignedInt(buf.getShort());
    return new Hello(version, networkId, Bytes32.wrap(key), suites);
  }

  public static byte[] encodeAuth(Auth auth) {
    ByteBuffer out = ByteBuffer.allocate(AUTH_BYTES);
    out.put(auth.staticKey().bytes().toArrayUnsafe());
    out.putShort((short) auth.listenPort());
    out.put(auth.signature().toArrayUnsafe());
    return out.array();
  }

  /**
   * Decodes the plaintext of an auth message.
   *
   * @throws HandshakeException ({@link HandshakeFailure#MALFORMED}) on a wrong size
   */
  public static Auth decodeAuth(byte[] in) {
    if (in.length != AUTH_BYTES) {
      throw new HandshakeException(
          HandshakeFailure.MALFORMED, "an auth is " + AUTH_BYTES + " bytes, got " + in.length);
    }
    ByteBuffer buf = ByteBuffer.wrap(in);
    byte[] key = new byte[32];
    buf.get(key);
    int port = Short.toUnsignedInt(buf.getShort());
    byte[] signature = new byte[Auth.SIGNATURE_BYTES];
    buf.get(signature);
    return new Auth(NodeId.wrap(key), port, Bytes.wrap(signature));
  }
}
