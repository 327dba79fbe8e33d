package io.axivon.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.Test;

class HashesTest {
  @Test
  void keccakIsEthereumsNotSha3() {
    assertThat(Hashes.keccak256(Bytes.EMPTY).toHexString())
        .isEqualTo("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    assertThat(
            Hashes.keccak256(Bytes.wrap("abc".getBytes(StandardCharsets.US_ASCII))).toHexString())
        .isEqualTo("0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
    assertThat(Hashes.keccak256(Bytes.wrap(new byte[256])).toHexString())
        .isEqualTo("0xd397b3b043d87fcd6fad1291ff0bfd16401c274896d8c63a923727f077b8e0b5");
  }

  @Test
  void sha256MatchesFips180Vector() {
    assertThat(Hashes.sha256(Bytes.wrap("abc".getBytes(StandardCharsets.US_ASCII))).toHexString())
        .isEqualTo("0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void blake2b256MatchesReferenceVector() {
    // RFC 7693 family; blake2b-256("abc") from the reference implementation
    assertThat(
            Hashes.blake2b256(Bytes.wrap("abc".getBytes(StandardCharsets.US_ASCII))).toHexString())
        .isEqualTo("0xbddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
  }
}
