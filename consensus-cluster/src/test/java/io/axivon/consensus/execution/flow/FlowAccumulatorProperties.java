package io.axivon.consensus.execution.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.crypto.Hashes;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/** The frontier accumulator against a naive recursive build of the whole padded tree. */
class FlowAccumulatorProperties {
  record Append(int height, Bytes32 root) {}

  record Placed(long pos, int height, Bytes32 root) {}

  @Provide
  Arbitrary<List<Append>> appends() {
    Arbitrary<Append> one =
        Combinators.combine(
                Arbitraries.integers().between(0, 6),
                Arbitraries.bytes().array(byte[].class).ofSize(32))
            .as((h, r) -> new Append(h, Bytes32.wrap(r)));
    return one.list().ofMaxSize(24);
  }

  @Property(tries = 300)
  void rootAndPositionsMatchTheNaiveTree(@ForAll("appends") List<Append> appends) {
    FlowAccumulator.MemoryFrontier f = new FlowAccumulator.MemoryFrontier();
    long length = 0;
    List<Placed> placed = new ArrayList<>();
    assertThat(FlowAccumulator.root(f, 0)).isEqualTo(naiveRoot(placed, 0));
    for (Append a : appends) {
      long pos = length;
      while (pos % (1L << a.height()) != 0) {
        pos++; // naive alignment: step sector by sector
      }
      assertThat(FlowAccumulator.startOf(length, a.height())).isEqualTo(pos);
      length = FlowAccumulator.append(f, length, a.root(), a.height());
      assertThat(length).isEqualTo(pos + (1L << a.height()));
      placed.add(new Placed(pos, a.height(), a.root()));
      assertThat(FlowAccumulator.root(f, length)).isEqualTo(naiveRoot(placed, length));
    }
  }

  /** The root over the smallest power of two >= max(length, 1), built top-down. */
  static Bytes32 naiveRoot(List<Placed> placed, long length) {
    int top = 0;
    while ((1L << top) < length) {
      top++;
    }
    return node(placed, top, 0);
  }

  private static Bytes32 node(List<Placed> placed, int level, long index) {
    long lo = index << level;
    long hi = lo + (1L << level);
    boolean inside = false;
    for (Placed p : placed) {
      if (p.height() == level && p.pos() == lo) {
        return p.root();
      }
      if (p.pos() < hi && p.pos() + (1L << p.height()) > lo) {
        inside = true;
      }
    }
    if (!inside) {
      return zeroByHashing(level);
    }
    return Hashes.keccak256(
        Bytes.concatenate(
            node(placed, level - 1, 2 * index), node(placed, level - 1, 2 * index + 1)));
  }

  private static Bytes32 zeroByHashing(int level) {
    Bytes32 z = Hashes.keccak256(Bytes.wrap(new byte[256]));
    for (int i = 0; i < level; i++) {
      z = Hashes.keccak256(Bytes.concatenate(z, z));
    }
    return z;
  }

  @Example
  void zeroSubtreesMatchTheReference() {
    // shared/reference/0g-file-root.md, section 5
    assertThat(FlowAccumulator.zero(0).toHexString())
        .isEqualTo("0xd397b3b043d87fcd6fad1291ff0bfd16401c274896d8c63a923727f077b8e0b5");
    assertThat(FlowAccumulator.zero(1).toHexString())
        .isEqualTo("0xf73e6947d7d1628b9976a6e40d7b278a8a16405e96324a68df45b12a51b7cfde");
    assertThat(FlowAccumulator.zero(4).toHexString())
        .isEqualTo("0x09c7082879180d28c789c05fafe7030871c76cedbe82c948b165d6a1d66ac15b");
  }

  @Example
  void oneNodeInAnEmptyFlowIsTheRoot() {
    Bytes32 r = Bytes32.fromHexString("0x" + "ab".repeat(32));
    FlowAccumulator.MemoryFrontier f = new FlowAccumulator.MemoryFrontier();
    long len = FlowAccumulator.append(f, 0, r, 10);
    assertThat(len).isEqualTo(1024);
    assertThat(FlowAccumulator.root(f, len)).isEqualTo(r);
  }

  @Example
  void paddingThenAHigherNode() {
    Bytes32 a = Bytes32.fromHexString("0x" + "0a".repeat(32));
    Bytes32 b = Bytes32.fromHexString("0x" + "0b".repeat(32));
    FlowAccumulator.MemoryFrontier f = new FlowAccumulator.MemoryFrontier();
    long len = FlowAccumulator.append(f, 0, a, 0); // sector 0
    len = FlowAccumulator.append(f, len, b, 2); // sectors 4..7 after 3 zero sectors
    assertThat(len).isEqualTo(8);
    Bytes32 z0 = FlowAccumulator.zero(0);
    Bytes32 left = FlowAccumulator.parent(FlowAccumulator.parent(a, z0), FlowAccumulator.zero(1));
    assertThat(FlowAccumulator.root(f, len)).isEqualTo(FlowAccumulator.parent(left, b));
  }

  @Example
  void refusesHeightsAndLengthsOutOfRange() {
    FlowAccumulator.MemoryFrontier f = new FlowAccumulator.MemoryFrontier();
    assertThatThrownBy(() -> FlowAccumulator.append(f, 0, Bytes32.ZERO, 62))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FlowAccumulator.append(f, (1L << 62) - 1, Bytes32.ZERO, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
