package io.axivon.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.time.ManualClock;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.apache.tuweni.bytes.Bytes;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

class MessageIdHasherProperties {

  /** The id is GHASH as BouncyCastle's independent GCM computes it, whatever the nonce. */
  @Property(tries = 200)
  void idIsGhashAsAnotherLibraryComputesIt(
      @ForAll @Size(16) byte[] key,
      @ForAll @AlphaChars @StringLength(min = 1, max = 40) String topic,
      @ForAll @Size(max = 2000) byte[] payload,
      @ForAll @Size(12) byte[] nonce,
      @ForAll @IntRange(min = 0, max = 7) int offset)
      throws Exception {
    byte[] framed = new byte[offset + payload.length + 1];
    System.arraycopy(payload, 0, framed, offset, payload.length);
    MessageId id = new MessageIdHasher(key).of(topic, Bytes.wrap(framed, offset, payload.length));
    assertThat(id).isEqualTo(bouncyCastleGhash(key, nonce, topic, payload));
  }

  /**
   * From {@link MessageIdHasher#FUSED_MIN_BYTES} on, the id is the tag of a GCM encryption of the
   * payload under the all-zero nonce (BouncyCastle's independent GCM), however the payload's bytes
   * are laid out.
   */
  @Property(tries = 40)
  void largePayloadIdIsTheFixedNonceTag(
      @ForAll @Size(16) byte[] key,
      @ForAll @AlphaChars @StringLength(min = 1, max = 40) String topic,
      @ForAll @IntRange(min = MessageIdHasher.FUSED_MIN_BYTES, max = 200_000) int size,
      @ForAll @IntRange(min = 0, max = 7) int offset,
      @ForAll @IntRange(min = 1, max = 199_999) int split,
      @ForAll long seed)
      throws Exception {
    byte[] payload = new byte[size];
    new java.util.Random(seed).nextBytes(payload);
    byte[] framed = new byte[offset + size + 1];
    System.arraycopy(payload, 0, framed, offset, size);
    MessageIdHasher hasher = new MessageIdHasher(key);
    MessageId id = hasher.of(topic, Bytes.wrap(framed, offset, size));
    assertThat(id).isEqualTo(bouncyCastleFixedNonceTag(key, topic, payload));
    int cut = Math.min(split, size - 1);
    Bytes parts = Bytes.wrap(Bytes.wrap(payload, 0, cut), Bytes.wrap(payload, cut, size - cut));
    assertThat(hasher.of(topic, parts)).isEqualTo(id);
    payload[size / 2] ^= 1;
    assertThat(hasher.of(topic, Bytes.wrap(payload))).isNotEqualTo(id);
  }

  @Property(tries = 100)
  void sameKeySameIdDifferentKeyDifferentId(
      @ForAll @AlphaChars @StringLength(min = 1, max = 40) String topic,
      @ForAll @Size(max = 500) byte[] payload) {
    byte[] key = new byte[16];
    new SecureRandom().nextBytes(key);
    MessageIdHasher hasher = new MessageIdHasher(key);
    MessageId first = hasher.of(topic, Bytes.wrap(payload));
    // a fresh GCM nonce for every call must not change the id
    assertThat(hasher.of(topic, Bytes.wrap(payload.clone()))).isEqualTo(first);
    assertThat(new MessageIdHasher(key).of(topic, Bytes.wrap(payload))).isEqualTo(first);
    // two nodes key their ids independently
    assertThat(new MessageIdHasher(new SecureRandom()).of(topic, Bytes.wrap(payload)))
        .isNotEqualTo(first);
  }

  /** Dedup keyed by these ids: the seen-cache admits each distinct (topic, payload) once. */
  @Property(tries = 100)
  void seenCacheDropsExactlyTheRepeats(
      @ForAll @Size(max = 200) List<@IntRange(min = 0, max = 30) Integer> messages) {
    MessageIdHasher hasher = new MessageIdHasher(new SecureRandom());
    SeenCache<MessageId> seen = new SeenCache<>(new ManualClock(0), Duration.ofMinutes(2), 1000);
    Set<Integer> delivered = new HashSet<>();
    for (int m : messages) {
      // (topic, payload) is a function of m, distinct for distinct m
      String topic = m % 2 == 0 ? "t" : "t" + (m % 3);
      Bytes payload = Bytes.of(m, m + 1);
      assertThat(seen.add(hasher.of(topic, payload))).isEqualTo(delivered.add(m));
    }
  }

  @Example
  void lengthByteSeparatesTopicFromPayload() {
    MessageIdHasher hasher = new MessageIdHasher(new byte[16]);
    assertThat(hasher.of("ab", Bytes.of('c'))).isNotEqualTo(hasher.of("a", Bytes.of('b', 'c')));
  }

  @Example
  void specTestVector() {
    // specs/p2p.md section 9: all-zero key, GHASH_H(01 74 01)
    assertThat(new MessageIdHasher(new byte[16]).of("t", Bytes.of(1)))
        .isEqualTo(new MessageId(0x1d5a198f494b55bcL, 0x376b0a35dcc9f57fL));
  }

  @Example
  void threadsShareTheKey() {
    MessageIdHasher hasher = new MessageIdHasher(new SecureRandom());
    Bytes payload = Bytes.wrap(new byte[100_000]);
    MessageId here = hasher.of("block", payload);
    assertThat(CompletableFuture.supplyAsync(() -> hasher.of("block", payload)).join())
        .isEqualTo(here);
  }

  @Example
  void rejectsAKeyOfTheWrongSize() {
    assertThatThrownBy(() -> new MessageIdHasher(new byte[32]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("16-byte key");
  }

  private static MessageId bouncyCastleFixedNonceTag(byte[] key, String topic, byte[] payload)
      throws Exception {
    byte[] t = topic.getBytes(StandardCharsets.US_ASCII);
    byte[] aad = new byte[1 + t.length];
    aad[0] = (byte) t.length;
    System.arraycopy(t, 0, aad, 1, t.length);
    GCMBlockCipher gcm = (GCMBlockCipher) GCMBlockCipher.newInstance(AESEngine.newInstance());
    gcm.init(true, new AEADParameters(new KeyParameter(key), 128, new byte[12], aad));
    byte[] out = new byte[gcm.getOutputSize(payload.length)];
    int n = gcm.processBytes(payload, 0, payload.length, out, 0);
    n += gcm.doFinal(out, n);
    ByteBuffer tag = ByteBuffer.wrap(out, n - 16, 16);
    return new MessageId(tag.getLong(n - 16), tag.getLong(n - 8));
  }

  private static MessageId bouncyCastleGhash(byte[] key, byte[] nonce, String topic, byte[] payload)
      throws Exception {
    byte[] t = topic.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer aad = ByteBuffer.allocate(1 + t.length + payload.length);
    aad.put((byte) t.length).put(t).put(payload);
    GCMBlockCipher gcm = (GCMBlockCipher) GCMBlockCipher.newInstance(AESEngine.newInstance());
    gcm.init(true, new AEADParameters(new KeyParameter(key), 128, nonce, aad.array()));
    byte[] tag = new byte[16];
    gcm.doFinal(tag, 0);
    byte[] j0 = new byte[16];
    System.arraycopy(nonce, 0, j0, 0, 12);
    j0[15] = 1;
    byte[] mask = new byte[16];
    var aes = AESEngine.newInstance();
    aes.init(true, new KeyParameter(key));
    aes.processBlock(j0, 0, mask, 0);
    ByteBuffer tw = ByteBuffer.wrap(tag);
    ByteBuffer mw = ByteBuffer.wrap(mask);
    return new MessageId(tw.getLong(0) ^ mw.getLong(0), tw.getLong(8) ^ mw.getLong(8));
  }
}
