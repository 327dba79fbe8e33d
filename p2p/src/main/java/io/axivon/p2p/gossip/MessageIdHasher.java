package io.axivon.p2p.gossip;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;
import org.apache.tuweni.bytes.Bytes;

/**
 * Makes the node-local {@link MessageId} of a gossip message with a keyed universal hash in two
 * levels, as UMAC and VHASH do (specs/p2p.md section 6):
 *
 * <ol>
 *   <li>The payload, cut into blocks of {@link #BLOCK_BYTES} (the last one zero-padded to whole 8
 *       bytes), goes through two Toeplitz-shifted NH passes ({@link NhKernel}); each block gives
 *       two 64-bit sums.
 *   <li>Two polynomial hashes mod {@code p = 2^61 - 1} under independent keys, each started at 1,
 *       take the sequence {@code len(topic), topic in 32-bit words, per block its two sums as four
 *       32-bit halves, len(payload)}; their values are the id's two halves.
 * </ol>
 *
 * <p>All keys come from the node's SecureRandom when it starts and never leave it. For two
 * different (topic, payload) pairs the ids collide with probability at most {@code 2^-64 + (n /
 * p)^2}, n elements in the longer sequence: below {@code 2^-63} up to the 16 MiB frame limit. NH
 * with 32-bit words is {@code 2^-32}-almost-universal on equal-length inputs and two Toeplitz
 * passes {@code 2^-64} (UMAC, CRYPTO 1999, theorem on NH-Toeplitz); when lengths or topics differ
 * the sequences differ anyway and only the polynomials count. An attacker sees only whether a
 * message was dropped as a duplicate.
 *
 * <p>Why our own hash and not a library's: the id must cost next to nothing next to the link
 * cipher; the JDK's AES-GCM (GHASH, the id before) and SHA-256 run at a fraction of the speed of NH
 * on wide vectors, and no maintained Java library offers a vectorised NH. Without the Vector API
 * the scalar kernel gives the same ids. Thread-safe.
 */
public final class MessageIdHasher {
  /** Payload bytes per first-level block. */
  public static final int BLOCK_BYTES = 16 * 1024;

  /** The second-level prime {@code 2^61 - 1}. */
  static final long P = (1L << 61) - 1;

  /** NH key longs: one per 8 bytes of a block, plus the 16-byte Toeplitz shift. */
  static final int NH_KEY_LONGS = BLOCK_BYTES / 8 + 2;

  private final long[] nhKey;
  private final long polyKey1;
  private final long polyKey2;
  private final NhKernel kernel;
  private final ThreadLocal<Engine> engines;

  /** A hasher with fresh random keys, on the vector kernel where the JVM offers one. */
  public MessageIdHasher(SecureRandom random) {
    this(random, true);
  }

  /**
   * {@code vector} false: always the scalar kernel (tests, benchmarks). Keys are drawn from {@code
   * random}: a node passes a SecureRandom; a seeded Random gives fixed keys for tests.
   */
  public MessageIdHasher(Random random, boolean vector) {
    this(randomNhKey(random), randomPolyKey(random), randomPolyKey(random), vector);
  }

  MessageIdHasher(long[] nhKey, long polyKey1, long polyKey2, boolean vector) {
    if (nhKey.length != NH_KEY_LONGS) {
      throw new IllegalArgumentException(
          "need " + NH_KEY_LONGS + " NH key longs, got " + nhKey.length);
    }
    if (polyKey1 < 0 || polyKey1 >= P || polyKey2 < 0 || polyKey2 >= P) {
      throw new IllegalArgumentException("polynomial keys must lie in [0, 2^61 - 1)");
    }
    this.nhKey = nhKey.clone();
    this.polyKey1 = polyKey1;
    this.polyKey2 = polyKey2;
    this.kernel = vector ? vectorKernel() : new NhKernel.Scalar();
    this.engines = ThreadLocal.withInitial(Engine::new);
  }

  public MessageId of(String topic, Bytes payload) {
    Engine engine = engines.get();
    engine.begin(topic);
    payload.update(engine);
    return engine.finish(payload.size());
  }

  /** Whether ids are made on the Vector API kernel. */
  public boolean vectorised() {
    return !(kernel instanceof NhKernel.Scalar);
  }

  private static NhKernel vectorKernel() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return new NhKernel.Scalar();
    }
    try {
      return VectorNh.worthwhile() ? new VectorNh() : new NhKernel.Scalar();
    } catch (LinkageError e) {
      return new NhKernel.Scalar();
    }
  }

  private static long[] randomNhKey(Random random) {
    long[] key = new long[NH_KEY_LONGS];
    for (int i = 0; i < key.length; i++) {
      key[i] = random.nextLong();
    }
    return key;
  }

  /** Uniform in [0, p): 61 random bits, drawn again in the rare case they reach p. */
  private static long randomPolyKey(Random random) {
    while (true) {
      long k = random.nextLong() >>> 3;
      if (k < P) {
        return k;
      }
    }
  }

  /** {@code (h · k + e) mod p} for {@code h, k < p} and {@code 0 <= e < 2^32}. */
  static long mulAdd(long h, long k, long e) {
    long low = h * k;
    long high = Math.multiplyHigh(h, k);
    // h·k = a·2^61 + b with a, b < 2^61, and 2^61 = 1 mod p
    long r = (low & P) + ((low >>> 61) | (high << 3)) + e;
    r = (r & P) + (r >>> 61);
    return r >= P ? r - P : r;
  }

  /**
   * One thread's running state. It is a MessageDigest only so that {@link
   * Bytes#update(MessageDigest)} hands over a payload's backing array(s) without a copy.
   */
  private final class Engine extends MessageDigest {
    private final long[] sums = new long[2];
    private final byte[] pending = new byte[8]; // a word pair split between two arrays
    private int pendingBytes;
    private int blockFill; // bytes of the current block hashed so far, a multiple of 8
    private long h1;
    private long h2;

    Engine() {
      super("axivon-message-id");
    }

    void begin(String topic) {
      sums[0] = 0;
      sums[1] = 0;
      pendingBytes = 0;
      blockFill = 0;
      h1 = 1;
      h2 = 1;
      byte[] t = topic.getBytes(StandardCharsets.UTF_8);
      absorb(t.length);
      for (int i = 0; i < t.length; i += 4) {
        long word = 0;
        for (int j = Math.min(4, t.length - i) - 1; j >= 0; j--) {
          word = word << 8 | (t[i + j] & 0xFF);
        }
        absorb(word);
      }
    }

    MessageId finish(int payloadBytes) {
      if (pendingBytes > 0) {
        Arrays.fill(pending, pendingBytes, 8, (byte) 0);
        pendingBytes = 0;
        hashWhole(pending, 0, 8);
      }
      if (blockFill > 0) {
        endBlock();
      }
      absorb(payloadBytes);
      return new MessageId(h1, h2);
    }

    private void absorb(long element) {
      h1 = mulAdd(h1, polyKey1, element);
      h2 = mulAdd(h2, polyKey2, element);
    }

    private void endBlock() {
      absorb(sums[0] & 0xFFFF_FFFFL);
      absorb(sums[0] >>> 32);
      absorb(sums[1] & 0xFFFF_FFFFL);
      absorb(sums[1] >>> 32);
      sums[0] = 0;
      sums[1] = 0;
      blockFill = 0;
    }

    /** Hashes {@code len} bytes, a multiple of 8, across block ends. */
    private void hashWhole(byte[] in, int off, int len) {
      while (len > 0) {
        int n = Math.min(len, BLOCK_BYTES - blockFill);
        kernel.accumulate(in, off, n, nhKey, blockFill / 8, sums);
        blockFill += n;
        off += n;
        len -= n;
        if (blockFill == BLOCK_BYTES) {
          endBlock();
        }
      }
    }

    @Override
    protected void engineUpdate(byte input) {
      engineUpdate(new byte[] {input}, 0, 1);
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int len) {
      if (pendingBytes > 0) {
        int take = Math.min(8 - pendingBytes, len);
        System.arraycopy(input, offset, pending, pendingBytes, take);
        pendingBytes += take;
        offset += take;
        len -= take;
        if (pendingBytes < 8) {
          return;
        }
        pendingBytes = 0;
        hashWhole(pending, 0, 8);
      }
      int whole = len & ~7;
      hashWhole(input, offset, whole);
      System.arraycopy(input, offset + whole, pending, 0, len - whole);
      pendingBytes = len - whole;
    }

    @Override
    protected byte[] engineDigest() {
      throw new UnsupportedOperationException("a byte sink, not a digest");
    }

    @Override
    protected void engineReset() {}
  }
}
