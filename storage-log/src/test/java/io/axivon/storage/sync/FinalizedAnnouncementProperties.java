package io.axivon.storage.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.p2p.NodeId;
import io.axivon.storage.node.ShardConfig;
import java.nio.ByteBuffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

class FinalizedAnnouncementProperties {

  @Property
  void roundTrips(
      @ForAll @Size(32) byte[] holder,
      @ForAll @Size(32) byte[] root,
      @ForAll @IntRange(min = 0) int txSeq,
      @ForAll @IntRange(min = 0, max = 6) int bits,
      @ForAll @IntRange(min = 0, max = 63) int id) {
    int n = 1 << bits;
    FinalizedAnnouncement a =
        new FinalizedAnnouncement(
            NodeId.wrap(holder), txSeq, Bytes32.wrap(root), new ShardConfig(id % n, n));
    Bytes encoded = a.encode();
    assertThat(encoded.size()).isEqualTo(FinalizedAnnouncement.SIZE);
    assertThat(FinalizedAnnouncement.decode(encoded)).isEqualTo(a);
  }

  @Property
  void badSizesAndShardsAreRejected(
      @ForAll @Size(max = 100) byte[] junk, @ForAll @IntRange(min = 3, max = 100) int numShard) {
    if (junk.length != FinalizedAnnouncement.SIZE) {
      assertThatThrownBy(() -> FinalizedAnnouncement.decode(Bytes.wrap(junk)))
          .isInstanceOf(InvalidInputException.class);
    }
    byte[] bad =
        ByteBuffer.allocate(FinalizedAnnouncement.SIZE)
            .position(72)
            .putInt(0)
            .putInt(Integer.bitCount(numShard) == 1 ? 0 : numShard)
            .array();
    assertThatThrownBy(() -> FinalizedAnnouncement.decode(Bytes.wrap(bad)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("shard");
  }

  @Property
  void overlapMeansSomeSegmentIsInBothShards(
      @ForAll @IntRange(min = 0, max = 4) int b1,
      @ForAll @IntRange(min = 0, max = 15) int i1,
      @ForAll @IntRange(min = 0, max = 4) int b2,
      @ForAll @IntRange(min = 0, max = 15) int i2) {
    ShardConfig s1 = new ShardConfig(i1 % (1 << b1), 1 << b1);
    ShardConfig s2 = new ShardConfig(i2 % (1 << b2), 1 << b2);
    boolean some = false;
    for (long g = 0; g < 16; g++) {
      some |= s1.holds(g) && s2.holds(g);
    }
    assertThat(FinalizedAnnouncement.overlaps(s1, s2)).isEqualTo(some);
  }
}
