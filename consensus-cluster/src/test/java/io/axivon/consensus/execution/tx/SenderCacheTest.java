package io.axivon.consensus.execution.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.consensus.execution.ExecFixtures;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.Test;

class SenderCacheTest {
  private static final Optional<Address> TO =
      Optional.of(Address.fromHex("0x00000000000000000000000000000000000000aa"));

  @Test
  void decodeAllCachesEveryValidSenderAndLeavesTheRestToTheInOrderCall() {
    List<Bytes> raws = new ArrayList<>();
    List<Address> senders = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      Secp256k1PrivateKey key = ExecFixtures.key(i % 3);
      raws.add(ExecFixtures.tx(key, i, TO, BigInteger.ONE, Bytes.EMPTY, 21_000));
      senders.add(key.address());
    }
    Bytes garbage = Bytes.of(0x02, 0xc0);
    Bytes otherChain = otherChainTx();
    List<Bytes> block = new ArrayList<>(raws);
    block.add(7, garbage);
    block.add(13, otherChain);

    SenderCache cache = new SenderCache(100);
    cache.decodeAll(block, ExecFixtures.CHAIN_ID);

    assertThat(cache.size()).isEqualTo(raws.size());
    for (int i = 0; i < raws.size(); i++) {
      Bytes raw = raws.get(i);
      Transaction tx = TxCodec.decode(raw);
      assertThat(cache.sender(tx, Hashes.keccak256(raw), ExecFixtures.CHAIN_ID))
          .isEqualTo(senders.get(i))
          .isEqualTo(TxSigner.recoverSender(tx, ExecFixtures.CHAIN_ID));
    }
    // the bad ones still fail, with their own messages, when met in order
    assertThatThrownBy(() -> TxCodec.decode(garbage)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(
            () ->
                cache.sender(
                    TxCodec.decode(otherChain),
                    Hashes.keccak256(otherChain),
                    ExecFixtures.CHAIN_ID))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(TxErrors.invalidSender(TxErrors.INVALID_CHAIN_ID));
    assertThat(cache.size()).isEqualTo(raws.size());
  }

  @Test
  void decodeAllKeepsTheBound() {
    List<Bytes> raws = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      raws.add(ExecFixtures.tx(ExecFixtures.key(0), i, TO, BigInteger.ONE, Bytes.EMPTY, 21_000));
    }
    SenderCache cache = new SenderCache(5);
    cache.decodeAll(raws, ExecFixtures.CHAIN_ID);
    assertThat(cache.size()).isEqualTo(5);
  }

  private static Bytes otherChainTx() {
    return ExecFixtures.transferOnChain(ExecFixtures.CHAIN_ID + 1, ExecFixtures.key(1), 0, TO);
  }
}
