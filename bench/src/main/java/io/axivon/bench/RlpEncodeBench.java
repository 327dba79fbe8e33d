package io.axivon.bench;

import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.apache.tuweni.rlp.RLP;
import org.apache.tuweni.rlp.RLPWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * RLP encoding of a block's worth of receipt-like records (5,000 lists of a 32-byte hash, two
 * integers, a 256-byte bloom and an empty log list: what every validator stores per block) with our
 * {@code Rlp.encode} against Tuweni's {@code RLP.encodeList} (the reference, which it replaced),
 * producing the same bytes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1)
public class RlpEncodeBench {
  /** One receipt-like record. */
  record Rec(Bytes32 hash, long status, long gas, Bytes bloom) {}

  private static final RlpCodec<Rec> REC =
      RlpCodec.of(
          (w, r) ->
              w.writeList(
                  l ->
                      l.writeBytes(r.hash())
                          .writeUInt64(r.status())
                          .writeUInt64(r.gas())
                          .writeBytes(r.bloom())
                          .writeList(logs -> {})),
          r -> {
            throw new UnsupportedOperationException("encode only");
          });

  private static final RlpCodec<List<Rec>> BLOCK = Rlp.listOf(REC);

  private List<Rec> block;

  @Setup
  public void setUp() {
    Random r = new Random(1);
    block = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      byte[] h = new byte[32];
      byte[] bloom = new byte[256];
      r.nextBytes(h);
      r.nextBytes(bloom);
      block.add(new Rec(Bytes32.wrap(h), 1, 21_000L * (i + 1), Bytes.wrap(bloom)));
    }
    if (!ours().equals(tuweni())) {
      throw new IllegalStateException("the encoders disagree");
    }
  }

  @Benchmark
  public Bytes ours() {
    return Rlp.encode(BLOCK, block);
  }

  @Benchmark
  public Bytes tuweni() {
    return Bytes.wrap(RLP.encodeList(w -> block.forEach(rec -> write(w, rec))).toArrayUnsafe());
  }

  private static void write(RLPWriter w, Rec r) {
    w.writeList(
        l -> {
          l.writeValue(r.hash());
          l.writeValue(Bytes.ofUnsignedLong(r.status()).trimLeadingZeros());
          l.writeValue(Bytes.ofUnsignedLong(r.gas()).trimLeadingZeros());
          l.writeValue(r.bloom());
          l.writeList(logs -> {});
        });
  }
}
