package io.axivon.consensus.execution.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.execution.ExecFixtures;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * decodeAll agrees with decoding one at a time (each transaction with its Keccak-256, in order); a
 * cache shared by several chains (validators of one process) answers each as a cache of its own
 * would.
 */
class SenderCacheProperties {
  private static final Optional<Address> TO =
      Optional.of(Address.fromHex("0x00000000000000000000000000000000000000aa"));

  /**
   * decodeAll answers for each transaction what decode and sender answer one at a time: the same
   * transaction, hash and sender, or null exactly where one of them fails; cached or not (a small
   * cache drops entries between the calls, a repeat is cached by its turn).
   */
  @Property(tries = 60)
  void decodeAllAgreesWithDecodingEachInTurn(
      @ForAll @Size(max = 12) List<byte[]> garbage,
      @ForAll @IntRange(max = 8) int signed,
      @ForAll @IntRange(min = 1, max = 12) int capacity) {
    List<Bytes> raws = new ArrayList<>();
    for (int i = 0; i < signed; i++) {
      long chainId = i % 4 == 3 ? ExecFixtures.CHAIN_ID + 1 : ExecFixtures.CHAIN_ID;
      raws.add(ExecFixtures.transferOnChain(chainId, ExecFixtures.key(i % 3), i, TO));
    }
    for (int i = 0; i < garbage.size(); i++) {
      raws.add((i * 5) % (raws.size() + 1), Bytes.wrap(garbage.get(i)));
    }
    if (!raws.isEmpty()) {
      raws.add(raws.get(raws.size() / 2));
    }
    SenderCache cache = new SenderCache(capacity);
    for (int round = 0; round < 2; round++) {
      List<SenderCache.Decoded> all = cache.decodeAll(raws, ExecFixtures.CHAIN_ID);
      assertThat(all).hasSameSizeAs(raws);
      for (int i = 0; i < raws.size(); i++) {
        Bytes raw = raws.get(i);
        SenderCache.Decoded d = all.get(i);
        Transaction tx;
        Address sender;
        try {
          tx = TxCodec.decode(raw);
          sender = TxSigner.recoverSender(tx, ExecFixtures.CHAIN_ID);
        } catch (InvalidInputException e) {
          assertThat(d).as("entry %d", i).isNull();
          continue;
        }
        assertThat(d).as("entry %d", i).isNotNull();
        assertThat(d.tx()).isEqualTo(tx);
        assertThat(d.hash()).isEqualTo(Hashes.keccak256(raw));
        assertThat(cache.sender(d, ExecFixtures.CHAIN_ID)).isEqualTo(sender);
      }
    }
  }

  @Property(tries = 30)
  void aSharedCacheAnswersAsUnsharedOnesDoPerChain(
      @ForAll @IntRange(max = 6) int txs, @ForAll @IntRange(min = 1, max = 3) int capacity) {
    long other = ExecFixtures.CHAIN_ID + 1;
    SenderCache shared = new SenderCache(capacity);
    for (int i = 0; i < txs; i++) {
      Bytes raw =
          ExecFixtures.tx(ExecFixtures.key(i % 3), i, TO, BigInteger.ONE, Bytes.EMPTY, 21_000);
      Transaction tx = TxCodec.decode(raw);
      Bytes32 hash = Hashes.keccak256(raw);
      Address own = new SenderCache(capacity).sender(tx, hash, ExecFixtures.CHAIN_ID);
      assertThat(own).isEqualTo(ExecFixtures.key(i % 3).address());
      for (int round = 0; round < 2; round++) { // the second round meets cached entries
        assertThat(shared.sender(tx, hash, ExecFixtures.CHAIN_ID)).isEqualTo(own);
        // signed for CHAIN_ID: on another chain it has no sender, cached or not
        assertThatThrownBy(() -> shared.sender(tx, hash, other))
            .isInstanceOf(InvalidInputException.class);
        shared.decodeAll(List.of(raw), other);
        assertThat(shared.sender(tx, hash, ExecFixtures.CHAIN_ID)).isEqualTo(own);
      }
    }
  }

  @Property(tries = 60)
  void decodeAndHashAnswerAsAFreshDecodeAndKeccakDo(
      @ForAll @Size(max = 10) List<byte[]> garbage,
      @ForAll @IntRange(max = 8) int signed,
      @ForAll @IntRange(min = 1, max = 12) int capacity) {
    List<Bytes> raws = new ArrayList<>();
    for (int i = 0; i < signed; i++) {
      Bytes raw =
          ExecFixtures.tx(ExecFixtures.key(i % 3), i, TO, BigInteger.ONE, Bytes.EMPTY, 21_000);
      raws.add(raw);
      byte[] flipped = raw.toArray();
      flipped[flipped.length / 2] ^= 0x10; // may still decode, as another transaction
      raws.add(Bytes.wrap(flipped));
    }
    for (int i = 0; i < garbage.size(); i++) {
      raws.add((i * 5) % (raws.size() + 1), Bytes.wrap(garbage.get(i)));
    }
    SenderCache cache = new SenderCache(capacity);
    for (int round = 0; round < 2; round++) { // the second round meets cached entries
      for (Bytes raw : raws) {
        assertThat(cache.hash(raw)).isEqualTo(Hashes.keccak256(raw));
        Transaction fresh;
        try {
          fresh = TxCodec.decode(raw);
        } catch (InvalidInputException e) {
          assertThatThrownBy(() -> cache.decode(raw))
              .isInstanceOf(InvalidInputException.class)
              .hasMessage(e.getMessage());
          continue;
        }
        SenderCache.Decoded d = cache.decode(Bytes.wrap(raw.toArray())); // equal, not the same
        assertThat(d.tx()).isEqualTo(fresh);
        assertThat(d.hash()).isEqualTo(Hashes.keccak256(raw));
      }
    }
    assertThat(cache.decodedSize()).isLessThanOrEqualTo(Math.max(1, capacity / 4));
  }

  /**
   * The decoded-transaction cache keys by content: the same bytes as a slice of a larger array (a
   * gossip batch), a concatenation or a copy hit the one entry, and decodeAll hands back that entry
   * whichever kind meets it first.
   */
  @Property(tries = 40)
  void equalBytesOfAnyKindHitTheOneDecodedEntry(
      @ForAll @IntRange(max = 5) int nonce, @ForAll @IntRange(max = 16) int pad) {
    Bytes raw =
        ExecFixtures.tx(
            ExecFixtures.key(nonce % 3), nonce, TO, BigInteger.ONE, Bytes.EMPTY, 21_000);
    byte[] framed = new byte[pad + raw.size() + 3];
    System.arraycopy(raw.toArray(), 0, framed, pad, raw.size());
    Bytes slice = Bytes.wrap(framed, pad, raw.size());
    Bytes concatenated = Bytes.wrap(raw.slice(0, 1), raw.slice(1));
    Bytes copy = Bytes.wrap(raw.toArray());
    List<Bytes> kinds = List.of(slice, concatenated, copy, raw);
    for (int first = 0; first < kinds.size(); first++) {
      SenderCache cache = new SenderCache(8);
      List<SenderCache.Decoded> firstMet =
          cache.decodeAll(List.of(kinds.get(first)), ExecFixtures.CHAIN_ID);
      assertThat(firstMet).hasSize(1);
      assertThat(firstMet.getFirst().hash()).isEqualTo(Hashes.keccak256(raw));
      SenderCache.Decoded d = cache.decode(kinds.get(first));
      assertThat(firstMet.getFirst()).isSameAs(d);
      for (Bytes kind : kinds) {
        assertThat(cache.decode(kind)).isSameAs(d);
        assertThat(cache.decodeAll(List.of(kind, kind, kind, kind), ExecFixtures.CHAIN_ID))
            .containsOnly(d);
      }
      assertThat(cache.decodedSize()).isEqualTo(1);
      assertThat(cache.size()).isEqualTo(1);
    }
  }

  /**
   * A decoded transaction's remembered sender answers as the hash-keyed lookup does, for its own
   * chain id and another one (where it has none), in any order of the two.
   */
  @Property(tries = 40)
  void aDecodedTransactionsSenderIsTheRecoveredOne(
      @ForAll @IntRange(max = 5) int nonce, @ForAll boolean otherFirst) {
    long other = ExecFixtures.CHAIN_ID + 1;
    Bytes raw =
        ExecFixtures.tx(
            ExecFixtures.key(nonce % 3), nonce, TO, BigInteger.ONE, Bytes.EMPTY, 21_000);
    SenderCache cache = new SenderCache(8);
    SenderCache.Decoded d = cache.decode(raw);
    Address expected = ExecFixtures.key(nonce % 3).address();
    for (int round = 0; round < 3; round++) {
      if (otherFirst) {
        assertThatThrownBy(() -> cache.sender(d, other)).isInstanceOf(InvalidInputException.class);
      }
      assertThat(cache.sender(d, ExecFixtures.CHAIN_ID)).isEqualTo(expected);
      assertThat(cache.sender(d.tx(), d.hash(), ExecFixtures.CHAIN_ID)).isEqualTo(expected);
      // on the other chain it has no sender: left to the caller, and nothing is cached for it
      assertThat(cache.decodeAll(List.of(raw), other)).containsExactly((SenderCache.Decoded) null);
      assertThatThrownBy(() -> cache.sender(d, other)).isInstanceOf(InvalidInputException.class);
      assertThat(cache.decodeAll(List.of(raw), ExecFixtures.CHAIN_ID)).containsExactly(d);
      assertThat(d.hash()).isEqualTo(Hashes.keccak256(raw));
      assertThat(cache.sender(cache.decode(Bytes.wrap(raw.toArray())), ExecFixtures.CHAIN_ID))
          .isEqualTo(expected);
    }
  }
}
