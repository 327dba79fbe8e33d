package io.axivon.common.crypto.bls;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.tuweni.bytes.Bytes;

/** BLS costs about a millisecond per operation: few tries, small sets. */
class BlsProperties {
  @Property(tries = 25)
  void signaturesVerifyAndEncodingsRoundTrip(
      @ForAll("secretKeys") BlsSecretKey key, @ForAll("messages") Bytes message) {
    BlsSignature signature = key.sign(message);
    assertThat(Bls.verify(key.publicKey(), message, signature)).isTrue();
    assertThat(BlsSignature.fromBytes(signature.toBytes())).isEqualTo(signature);
    assertThat(BlsPublicKey.fromBytes(key.publicKey().toBytes())).isEqualTo(key.publicKey());
    assertThat(BlsSecretKey.fromBytes(key.toBytes())).isEqualTo(key);
    assertThat(key.sign(message)).isEqualTo(signature);
  }

  @Property(tries = 25)
  void aFlippedMessageBitFailsVerification(
      @ForAll("secretKeys") BlsSecretKey key,
      @ForAll("messages") Bytes message,
      @ForAll @IntRange(min = 0, max = 10_000) int bitSeed) {
    if (message.isEmpty()) {
      return;
    }
    int bit = bitSeed % (message.size() * 8);
    byte[] tampered = message.toArray();
    tampered[bit / 8] ^= (byte) (1 << (bit % 8));
    assertThat(Bls.verify(key.publicKey(), Bytes.wrap(tampered), key.sign(message))).isFalse();
  }

  @Property(tries = 10)
  void fastAggregateVerifyAcceptsAllSignersInAnyOrderAndRejectsAMissingOne(
      @ForAll("keySets") List<BlsSecretKey> keys,
      @ForAll("messages") Bytes message,
      @ForAll long shuffleSeed) {
    List<BlsSignature> signatures = keys.stream().map(k -> k.sign(message)).toList();
    List<BlsPublicKey> publicKeys = keys.stream().map(BlsSecretKey::publicKey).toList();
    BlsSignature aggregate = Bls.aggregate(signatures);
    assertThat(Bls.fastAggregateVerify(publicKeys, message, aggregate)).isTrue();

    List<BlsSignature> shuffled = new ArrayList<>(signatures);
    Collections.shuffle(shuffled, new Random(shuffleSeed));
    assertThat(Bls.aggregate(shuffled)).isEqualTo(aggregate);
    List<BlsPublicKey> shuffledKeys = new ArrayList<>(publicKeys);
    Collections.shuffle(shuffledKeys, new Random(shuffleSeed));
    assertThat(Bls.aggregatePublicKeys(shuffledKeys))
        .isEqualTo(Bls.aggregatePublicKeys(publicKeys));

    if (keys.size() > 1) {
      assertThat(Bls.fastAggregateVerify(publicKeys.subList(1, keys.size()), message, aggregate))
          .isFalse();
      assertThat(
              Bls.fastAggregateVerify(
                  publicKeys, message, Bls.aggregate(signatures.subList(1, keys.size()))))
          .isFalse();
    }
  }

  @Property(tries = 10)
  void aggregateVerifyAcceptsDistinctMessagesAndRejectsASwap(
      @ForAll("keySets") List<BlsSecretKey> keys) {
    List<Bytes> messages = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      messages.add(Bytes.of(i, 7, i));
    }
    List<BlsSignature> signatures = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      signatures.add(keys.get(i).sign(messages.get(i)));
    }
    List<BlsPublicKey> publicKeys = keys.stream().map(BlsSecretKey::publicKey).toList();
    BlsSignature aggregate = Bls.aggregate(signatures);
    assertThat(Bls.aggregateVerify(publicKeys, messages, aggregate)).isTrue();
    if (keys.size() > 1 && !keys.get(0).equals(keys.get(1))) {
      List<Bytes> swapped = new ArrayList<>(messages);
      Collections.swap(swapped, 0, 1);
      assertThat(Bls.aggregateVerify(publicKeys, swapped, aggregate)).isFalse();
    }
  }

  @Property(tries = 10)
  void proofsOfPossessionVerifyForTheirOwnKeyOnly(
      @ForAll("secretKeys") BlsSecretKey key, @ForAll("secretKeys") BlsSecretKey other) {
    BlsSignature pop = key.provePossession();
    assertThat(Bls.verifyPossession(key.publicKey(), pop)).isTrue();
    if (!key.equals(other)) {
      assertThat(Bls.verifyPossession(other.publicKey(), pop)).isFalse();
    }
  }

  @Property(tries = 300)
  void arbitraryBytesDecodeOrFailWithInvalidInput(
      @ForAll @Size(value = 96) byte[] raw, @ForAll boolean compressedFlag) {
    if (compressedFlag) {
      raw[0] |= (byte) 0x80;
      raw[48] |= (byte) 0x80;
    }
    for (Runnable decode :
        List.<Runnable>of(
            () -> BlsSignature.fromBytes(Bytes.wrap(raw)),
            () -> BlsPublicKey.fromBytes(Bytes.wrap(raw, 0, 48)),
            () -> BlsPublicKey.fromBytes(Bytes.wrap(raw, 48, 48)),
            () -> BlsSecretKey.fromBytes(Bytes.wrap(raw, 0, 32)))) {
      try {
        decode.run();
      } catch (InvalidInputException expected) {
        assertThat(expected.getMessage()).startsWith("BLS ");
      }
    }
  }

  @Provide
  Arbitrary<BlsSecretKey> secretKeys() {
    return Arbitraries.bytes()
        .array(byte[].class)
        .ofSize(32)
        .map(ikm -> BlsSecretKey.keyGen(Bytes.wrap(ikm)));
  }

  @Provide
  Arbitrary<List<BlsSecretKey>> keySets() {
    return secretKeys().list().ofMinSize(1).ofMaxSize(6);
  }

  @Provide
  Arbitrary<Bytes> messages() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(64).map(Bytes::wrap);
  }
}
