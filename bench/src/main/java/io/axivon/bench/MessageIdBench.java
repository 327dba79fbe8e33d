package io.axivon.bench;

import io.axivon.p2p.gossip.MessageId;
import io.axivon.p2p.gossip.MessageIdHasher;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.apache.tuweni.bytes.Bytes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The gossip message id ({@link MessageIdHasher}: NH on the Vector API, and its scalar fallback)
 * against the reference, the id before it ({@link GcmMessageIdReference}: keyed GHASH via the JDK's
 * AES-GCM, the fused encryption path from 16 KiB). For scale, one AES-256-GCM encryption of the
 * same bytes, the link cipher every gossip payload also goes through. Ops/s times the size gives
 * bytes/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector"})
public class MessageIdBench {
  private static final String TOPIC = "blocks";

  /** Payload bytes. */
  @Param({"1048576", "1024"})
  public int size;

  private Bytes payload;
  private final MessageIdHasher nh = new MessageIdHasher(new SecureRandom());
  private final MessageIdHasher nhScalar = new MessageIdHasher(new SecureRandom(), false);
  private final GcmMessageIdReference gcm = new GcmMessageIdReference(new SecureRandom());
  private Cipher linkCipher;
  private SecretKeySpec linkKey;
  private byte[] ciphertext;
  private long nonce = 1 << 20; // above the warm-up's nonces

  @Setup
  public void setUp() throws GeneralSecurityException {
    if (!nh.vectorised()) {
      throw new IllegalStateException("the NH hasher is not on the vector kernel");
    }
    byte[] bytes = new byte[size];
    new Random(1).nextBytes(bytes);
    payload = Bytes.wrap(bytes);
    linkCipher = Cipher.getInstance("AES/GCM/NoPadding");
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    linkKey = new SecretKeySpec(key, "AES");
    ciphertext = new byte[size + 16];
    warmUpGcm();
  }

  /**
   * Many short calls before measuring, so that C2 compiles the callers of the JDK's AES-GCM
   * intrinsics (see P2pThroughputBench#warmUpCrypto): with only a few hundred 1 MiB calls a second
   * they would stay cold through JMH's warm-up and the reference would look far slower than it is.
   */
  private void warmUpGcm() throws GeneralSecurityException {
    Bytes fused = Bytes.wrap(new byte[GcmMessageIdReference.FUSED_MIN_BYTES]);
    Bytes small = Bytes.wrap(new byte[1024]);
    byte[] iv = new byte[12];
    for (int i = 0; i < 20_000; i++) {
      gcm.of(TOPIC, fused);
      gcm.of(TOPIC, small);
      iv[0] = (byte) i;
      iv[1] = (byte) (i >>> 8);
      linkCipher.init(Cipher.ENCRYPT_MODE, linkKey, new GCMParameterSpec(128, iv));
      linkCipher.doFinal(small.toArrayUnsafe(), 0, 1024, ciphertext, 0);
    }
  }

  @Benchmark
  public MessageId nhVector() {
    return nh.of(TOPIC, payload);
  }

  @Benchmark
  public MessageId nhScalar() {
    return nhScalar.of(TOPIC, payload);
  }

  /** Reference: the GHASH id this replaces. */
  @Benchmark
  public MessageId gcmReference() {
    return gcm.of(TOPIC, payload);
  }

  /** Scale: AES-256-GCM encryption of the payload, as the link does (one frame). */
  @Benchmark
  public byte[] aes256GcmEncrypt() throws GeneralSecurityException {
    byte[] iv = new byte[12];
    long n = ++nonce;
    for (int i = 0; i < 8; i++) {
      iv[i] = (byte) (n >>> (8 * i));
    }
    linkCipher.init(Cipher.ENCRYPT_MODE, linkKey, new GCMParameterSpec(128, iv));
    linkCipher.doFinal(payload.toArrayUnsafe(), 0, size, ciphertext, 0);
    return ciphertext;
  }
}
