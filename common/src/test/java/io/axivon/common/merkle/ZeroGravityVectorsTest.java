package io.axivon.common.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.crypto.Hashes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * 0G Storage file roots (computed with the 0G TypeScript SDK 0.3.3; the shared vectors of
 * storage-roots.json), rebuilt from the streaming accumulator plus 0G's flow padding. The padding
 * rule lives here, not in the merkle package: it belongs to the storage layer.
 */
class ZeroGravityVectorsTest {
  private static final int CHUNK = 256;

  /** The vectors' generator: SHA-256(seed ‖ uint64_be(j)) blocks, cut to size. */
  private static byte[] generate(String seed, int size) {
    byte[] s = seed.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[size];
    for (int j = 0; j * 32 < size; j++) {
      byte[] block = Hashes.sha256(ByteBuffer.allocate(s.length + 8).put(s).putLong(j).array());
      System.arraycopy(block, 0, out, j * 32, Math.min(32, size - j * 32));
    }
    return out;
  }

  /** 0G's flow padding: leaves after padding, for n data chunks. */
  static long paddedChunks(long n) {
    long p = Long.highestOneBit(n);
    if (p < n) {
      p <<= 1;
    }
    if (p == n) {
      return n;
    }
    long unit = p >= 16 ? p / 16 : 1;
    return (n + unit - 1) / unit * unit;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "one-byte|axivon-zg-1|1|5ee0dd4d4840229fab4a86438efbcaf1b9571af94f5ace5acc94de19e98ea9ab|1|0xd5719100d8a2ba78116d84f8ab98d978605edbdbbb15e7c0c43b8a6c22755617|0xd5719100d8a2ba78116d84f8ab98d978605edbdbbb15e7c0c43b8a6c22755617:0",
        "one-full-chunk|axivon-zg-256|256|4d5a4d5c97253397c3d21c51133ce17c94a693f1229624b67fc174c3dddfbadb|1|0x0166a0483d4bacd2a14735cae5f460ae044d9bf8db3f21acdd1bc7e636750641|0x0166a0483d4bacd2a14735cae5f460ae044d9bf8db3f21acdd1bc7e636750641:0",
        "two-chunks|axivon-zg-257|257|cb4d96b6c6d32fc0023a84614db0eabcb6318da30479d7f1af3645179615eaaf|2|0x1b11611662e960508252e7ce7ed4997afabfe919a8e8e5f1ae8e262ca17ab8b9|0x1b11611662e960508252e7ce7ed4997afabfe919a8e8e5f1ae8e262ca17ab8b9:1",
        "three-chunks|axivon-zg-700|700|9f29b4aefae34963b0ecfbb81837b99d6a09b972c6ca7b6cccc2dbdd4b1f4545|3|0xc53903add2edecfebe6ef31149ae1c2150505f2ce604b1f71d84667f2b9996bb|0xdc531a031e6d50ae30efc7ee78056c9c49e1b121794a16e64e1de182e6a4abde:1 0x0f20b7021eaf693ad094c04c90e12c4ac1e5bbf7085b48817cda99b9ab6829d4:0",
        "fifteen-chunks|axivon-zg-3600|3600|3b9b9703b0bb28736f900f3dfffcd0a6e03b1c31cf65f7e98c88b1a56dc113ab|15|0xf4ccad8703c244c6aae8d3078b010524de1bf74274eaf03f1d5b5a73f54323f8|0xa0278422d0d5992b4581d97f9753576c6619613808de6e5177530c1076c543cd:3 0x8f394695f6d04f226767de67886e22313e52c06f475d514f72e152e7bd960c6d:2 0x1d99f1b08110785262e5a42f6b7b50f820928bf2807d320ac480eaa4ffd935fb:1 0x5ba05775d3273cd9b286de33c87e65ead922bb7bb622b9fb594a72b5e421eaab:0",
        "seventeen-chunks|axivon-zg-4097|4097|e7f208255adc45c993d9319e152a3ea96fb6961e71f9984101b3304b08aa2ea9|18|0x8cd23ced470eac0f0ab359593ef437a3f120b56c81e519e394b3663536f7a9b0|0x79df99334c760736900831236aaa4d0dbce66a6adc3e249be2a8bd7a16499074:4 0xccda564ba2b6f86626032bbeaa514f1211ef4cbc125f9b923474dc3d7bf55171:1",
        "one-segment|axivon-zg-262144|262144|0d29f46647a8e2b870fbe48cdfd2b9911c30455fe07bc2a76596bacbd56c071b|1024|0x7101546a484dd3d6d0719bc85941a51608f1610ca37f60e3433cf790e8c725ff|0x7101546a484dd3d6d0719bc85941a51608f1610ca37f60e3433cf790e8c725ff:10",
        "segment-plus-one|axivon-zg-262145|262145|8f225923a643b52547865d573c69cf7221dedb505c65b01dbad6b6c08bab0b26|1152|0x42c07ba8063aa82d1f385f7820c3d53214c0734680e036b3e9ac69e71c8e80dd|0x24e48cbfa5bce6e93422baa2063dee3f4cd74d4b85b49185a3bdaff612cdd9fb:10 0x01519e56a8e7282ac36ae7d7da9877ce8da70a528630cecad4bcea14bfaa287f:7",
        "uneven-last-segment|axivon-zg-460790|460790|211fd0509bf5bf08b3fc36501bec67b4ef0e2a39d0c8393c45a6fe64aa48d2f6|1920|0xf80a45157785ee33461c8c86be630d4920e87b6c103990e0ce41dcea69e3b571|0x7761763f85b6e00fb9649063eebdd319541c9b5c9dd72abfa741c09963f08eeb:10 0xfdda9c9e2505e2d8d789285d85364f6fd50acdb529cf20e7af56327a91b3dbd1:9 0x1f8930af80ad5671f0c8a731e67d0ab7e20c560664e71eaa26abe261f0523748:8 0xc2bf7099790597e51cc7c0fbe93ff4e618ca9429494ed501b3cb144ace2c199a:7",
        "mib-plus-one|axivon-zg-1048577|1048577|608cf6695d4caf90f1e1edb8ddeff80c6141af274ddbaf4a83a0aaeefe2cca21|4608|0xaa9fb4d9ebbf3e9a7389d0321dd4f1b22d28a8e32df435969845711f3f6fd152|0x9d3e2e4944425456873d7b5641726bff2aa585e11aea6f6a179c386410267ed9:12 0xa777763d9849a8a2de0aac01ef0c3261b45ee0051c8ffabdcf1a99e08e4ac8cd:9",
        "eight-mib-plus-one|axivon-zg-8388609|8388609|dfdfe326f5566bc5172a74e8b78b3e48fa805005d0e9e4143d3820ba4374887d|36864|0xb410dfd26ddbcec4c00147c4eba24afc34bd8c2830e1fe11f612ed5b173517c6|0x9ab7dcca60d10c93059a1edbc3309beb06e3fcd8c5f5f9ae5516f4c744ba2ee2:15 0x3b952896e482f27afd1787ab7d0d4487b59a80a9fd2e2f896eee8e9c33221a71:12",
      })
  void fileRootMatchesZeroGravity(
      String name, String seed, int size, String sha256, long padded, String root, String nodes) {
    byte[] data = generate(seed, size);
    assertThat(HexFormat.of().formatHex(Hashes.sha256(data))).isEqualTo(sha256);
    MerkleAccumulator acc = MerkleAccumulator.ofData(CHUNK);
    acc.update(data, 0, data.length).completeLeaf();
    long n = acc.leafCount();
    assertThat(n).isEqualTo((size + CHUNK - 1) / CHUNK);
    assertThat(paddedChunks(n)).isEqualTo(padded);
    Bytes32 zeroLeaf = new MerkleHasher().leafZeroFilled(Bytes.EMPTY, CHUNK);
    for (long i = n; i < padded; i++) {
      acc.addLeafHash(zeroLeaf);
    }
    assertThat(acc.root().toHexString()).isEqualTo(root);
    // the submission nodes: one perfect subtree per 1-bit of the padded leaf count
    List<Subtree> expected =
        Arrays.stream(nodes.split(" "))
            .map(node -> node.split(":"))
            .map(f -> new Subtree(Bytes32.fromHexString(f[0]), Integer.parseInt(f[1])))
            .toList();
    assertThat(acc.subtrees()).isEqualTo(expected);
  }
}
