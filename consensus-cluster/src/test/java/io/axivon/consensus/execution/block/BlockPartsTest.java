package io.axivon.consensus.execution.block;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.execution.evm.Log;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;

class BlockPartsTest {
  private static final BigInteger GWEI = BaseFee.ONE_GWEI;

  @Test
  void emptyTrieRoot() {
    Bytes32 empty =
        Bytes32.fromHexString("0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");
    assertThat(TrieRoots.transactionsRoot(List.of())).isEqualTo(empty);
    assertThat(TrieRoots.receiptsRoot(List.of())).isEqualTo(empty);
  }

  /**
   * ethereum/tests BlockchainTests stBugs/evmBytecode_d0g0v0_Berlin, block 1: one legacy
   * transaction that used all of its 120000 gas and failed; header transactionsTrie and
   * receiptTrie.
   */
  @Test
  void ethereumTestsBlockRoots() {
    Bytes raw =
        Bytes.fromHexString(
            "0xf860800a8301d4c094b94f5374fce5edbc8e2a8697c15331677e6ebf0b80801ca0f3b41c283c02ed983"
                + "18dc9cac3f0ddc3de2f2f7853a03299a46f22a7c6726c3aa0396ccb5968a532ea070924408625d3e36d"
                + "4db21bfbd0cb070ba9e1fe9dba58ab");
    assertThat(TrieRoots.transactionsRoot(List.of(raw)))
        .isEqualTo(
            Bytes32.fromHexString(
                "0x9008a2d4af552fea9b45675cd2af6d4117303b57da25b28438ccd1f6bad6828d"));
    Address a = Address.fromHex("0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b");
    Receipt failed =
        new Receipt(
            Bytes32.ZERO,
            0,
            false,
            120_000,
            120_000,
            BigInteger.TEN,
            a,
            Optional.empty(),
            Optional.empty(),
            List.of(),
            Bloom.EMPTY,
            0);
    assertThat(TrieRoots.receiptsRoot(List.of(failed)))
        .isEqualTo(
            Bytes32.fromHexString(
                "0x0ef77336cf7bfbd2c500dcefe7b48d0ef7896d38f6373fbeb301ea4dac3746a7"));
  }

  @Test
  void bloomSetsThreeBitsPerItem() {
    Address addr = Address.fromHex("0x00000000000000000000000000000000000000aa");
    Bytes32 topic = Bytes32.leftPad(Bytes.of(7));
    Bytes bloom = Bloom.of(List.of(new Log(addr, List.of(topic), Bytes.EMPTY)));
    int bits = 0;
    for (int i = 0; i < Bloom.BYTES; i++) {
      bits += Integer.bitCount(bloom.get(i) & 0xff);
    }
    assertThat(bits).isBetween(1, 6);
    assertThat(Bloom.mayContain(bloom, addr.bytes())).isTrue();
    assertThat(Bloom.mayContain(bloom, topic)).isTrue();
    assertThat(Bloom.of(List.of())).isEqualTo(Bloom.EMPTY);
    assertThat(Bloom.union(List.of(bloom, Bloom.EMPTY))).isEqualTo(bloom);
  }

  @Test
  void unionIsTheBytewiseOrOfEveryBloomSlicesAndZeroCopiesIncluded() {
    java.util.Random r = new java.util.Random(7);
    List<Bytes> blooms = new java.util.ArrayList<>();
    byte[] expected = new byte[Bloom.BYTES];
    for (int k = 0; k < 20; k++) {
      byte[] b = new byte[Bloom.BYTES + 3];
      for (int bit = 0; bit < 6; bit++) {
        b[3 + r.nextInt(Bloom.BYTES)] |= (byte) (1 << r.nextInt(8));
      }
      for (int i = 0; i < Bloom.BYTES; i++) {
        expected[i] |= b[3 + i];
      }
      blooms.add(Bytes.wrap(b, 3, Bloom.BYTES)); // a slice, as decoded from a stored receipt
      blooms.add(k % 2 == 0 ? Bloom.EMPTY : Bytes.wrap(new byte[Bloom.BYTES]));
    }
    assertThat(Bloom.union(blooms)).isEqualTo(Bytes.wrap(expected));
    assertThat(Bloom.union(List.of())).isEqualTo(Bloom.EMPTY);
  }

  @Test
  void baseFeeFollowsEip1559() {
    BaseFee f = BaseFee.ethereum();
    long limit = 30_000_000;
    assertThat(f.next(GWEI, 15_000_000, limit)).isEqualTo(GWEI); // at target
    assertThat(f.next(GWEI, 30_000_000, limit))
        .isEqualTo(GWEI.add(GWEI.divide(BigInteger.valueOf(8))));
    assertThat(f.next(GWEI, 0, limit)).isEqualTo(GWEI.subtract(GWEI.divide(BigInteger.valueOf(8))));
    // a rise is at least 1 wei even when the arithmetic rounds it away
    assertThat(f.next(BigInteger.ONE, 15_000_001, limit)).isEqualTo(BigInteger.TWO);
    assertThat(f.next(BigInteger.ZERO, 0, limit)).isZero();
    // geth's reference: 1 gwei at 50% over target is 1.0625 gwei
    assertThat(f.next(GWEI, 22_500_000, limit)).isEqualTo(BigInteger.valueOf(1_062_500_000));
  }
}
