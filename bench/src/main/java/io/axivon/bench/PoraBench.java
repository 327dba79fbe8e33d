package io.axivon.bench;

import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.Keccak256;
import io.axivon.sdk.mining.Answer;
import io.axivon.sdk.mining.AnswerCodec;
import io.axivon.sdk.mining.AnswerVerifier;
import io.axivon.sdk.mining.Difficulty;
import io.axivon.sdk.mining.MiningContext;
import io.axivon.sdk.mining.Pora;
import io.axivon.sdk.mining.PoraSearch;
import io.axivon.sdk.mining.Rejection;
import io.axivon.sdk.mining.Seal;
import io.axivon.sdk.mining.UnitTree;
import io.axivon.sdk.mining.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * PoRA on one core (specs/pora.md): a search step (recall seed, a random 4 KiB sealed unit out of
 * 64 MiB, the quality hash over 4,224 bytes) against raw Keccak-256 of the same 4,224 bytes (the
 * reference, target ratio ≥ 0.8); sealing of one 4 KiB unit (ops/s × 4 KiB = sealing speed); and
 * the chain's decoding and verification of one answer under a 2^30-sector (256 GiB) flow, 26 proof
 * siblings (target ≤ 1 ms).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector"})
public class PoraBench {
  private static final int UNITS = 16_384; // 64 MiB of sealed data
  private static final int INPUT = 4 * 32 + Pora.UNIT_BYTES; // the quality hash's input

  private final Pora pora = new Pora();
  private final Seal seal = new Seal();
  private final Keccak256 keccak = new Keccak256();
  private final byte[] out = new byte[32];
  private byte[] sealed;
  private byte[] raw;
  private byte[] unit;
  private byte[] minerId;
  private byte[] context;
  private byte[] nonce;
  private long counter;

  private MiningContext ctx;
  private Bytes32 digest;
  private Bytes answerArgs;
  private AnswerVerifier.Ledger ledger;

  @Setup
  public void setUp() {
    Random r = new Random(1);
    sealed = new byte[UNITS * Pora.UNIT_BYTES];
    r.nextBytes(sealed);
    raw = new byte[INPUT];
    r.nextBytes(raw);
    unit = new byte[Pora.UNIT_BYTES];
    r.nextBytes(unit);
    minerId = new byte[32];
    context = new byte[32];
    nonce = new byte[32];
    r.nextBytes(minerId);
    r.nextBytes(context);
    r.nextBytes(nonce);
    setUpAnswer(r);
    search =
        new PoraSearch(
            Bytes32.wrap(minerId),
            Bytes32.wrap(context),
            (long) UNITS * 16,
            0,
            (long) UNITS * 16,
            java.math.BigInteger.ZERO);
    searchPrefix = Bytes32.wrap(nonce.clone());
    sealContexts = new byte[8][];
    java.util.Arrays.fill(sealContexts, context);
  }

  /** One search step: the nonce's recall position, its sealed unit, the quality hash. */
  @Benchmark
  public byte[] poraSearchStep() {
    long n = ++counter;
    for (int b = 0; b < 8; b++) {
      nonce[31 - b] = (byte) (n >>> (8 * b));
    }
    long recall = pora.recallPosition(minerId, nonce, context, 0, (long) UNITS * 16);
    int off = (int) (recall / Pora.UNIT_SECTORS) * Pora.UNIT_BYTES;
    pora.quality(minerId, nonce, context, recall, sealed, off, out);
    return out;
  }

  /**
   * The miner's real loop ({@link PoraSearch}): 64 nonces per op, grouped so several share each
   * Keccak permutation (one per vector lane); the target is 0, so every nonce is hashed and none
   * hits. Divide by 64 for nonces per second, against {@link #poraSearchStep} one at a time.
   */
  @Benchmark
  @OperationsPerInvocation(64)
  public Object poraSearchBatched() {
    counter += 64;
    return search.search(searchPrefix, counter, 64, searchUnits);
  }

  private PoraSearch search;
  private Bytes32 searchPrefix;
  private final PoraSearch.Units searchUnits =
      (u, dst) -> {
        System.arraycopy(sealed, (int) u * Pora.UNIT_BYTES, dst, 0, Pora.UNIT_BYTES);
        return true;
      };

  /** The reference: Keccak-256 of 4,224 bytes (the quality hash's input size). */
  @Benchmark
  public byte[] rawKeccakSameSize() {
    raw[0]++;
    keccak.update(raw, 0, INPUT);
    keccak.doFinal(out, 0);
    return out;
  }

  /** Sealing one 4 KiB unit. */
  /** Eight units sealed together ({@link Seal#sealAll}); divide by 8 against {@link #sealUnit}. */
  @Benchmark
  @OperationsPerInvocation(8)
  public byte[] sealUnitsBatched() {
    for (int j = 0; j < 8; j++) {
      sealUnits[j] = ++counter;
    }
    seal.sealAll(minerId, sealContexts, sealUnits, sealGroup, 8);
    return sealGroup;
  }

  private final long[] sealUnits = new long[8];
  private final byte[] sealGroup = new byte[8 * Pora.UNIT_BYTES];
  private byte[][] sealContexts;

  @Benchmark
  public byte[] sealUnit() {
    seal.seal(minerId, context, ++counter, unit, 0);
    return unit;
  }

  /**
   * The chain's work for one answer: strict decoding and every check of the verifier. The quality
   * check comes last and costs the same whether it passes, so the answer may miss the target.
   */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Verdict verifyAnswer() {
    Answer a = AnswerCodec.decodeArgs(answerArgs);
    Verdict v = AnswerVerifier.verify(a, ctx, digest, Difficulty.MAX_TARGET, ledger);
    if (v instanceof Verdict.Rejected r && r.reason() != Rejection.QUALITY_ABOVE_TARGET) {
      throw new IllegalStateException(r.message());
    }
    return v;
  }

  /**
   * An answer under a 2^30-sector flow whose root is built from random siblings along the path of a
   * chosen unit; the range is the 64 units around it, and the nonce is searched so that it recalls
   * that unit.
   */
  private void setUpAnswer(Random r) {
    long flowLength = 1L << 30;
    Bytes32 id = Bytes32.random(r);
    Bytes32 sealCtx = Bytes32.random(r);
    byte[] data = new byte[Pora.UNIT_BYTES];
    r.nextBytes(data);
    Bytes32 unitRoot = UnitTree.unitRoot(data, 0);
    long unitIndex = 12_345_678;
    List<Bytes32> proof = new ArrayList<>();
    Bytes32 cur = unitRoot;
    long idx = unitIndex;
    for (int i = 0; i < UnitTree.proofLength(flowLength); i++) {
      Bytes32 sib = Bytes32.random(r);
      proof.add(sib);
      cur =
          (idx & 1) == 0
              ? Hashes.keccak256(Bytes.concatenate(cur, sib))
              : Hashes.keccak256(Bytes.concatenate(sib, cur));
      idx >>>= 1;
    }
    ctx = new MiningContext(9, 180, cur, flowLength, Bytes32.random(r));
    digest = ctx.digest();
    long rangeLength = 64 * Pora.UNIT_SECTORS;
    long rangeStart = unitIndex * Pora.UNIT_SECTORS / rangeLength * rangeLength;
    Bytes32 nonce;
    long recall;
    long i = 0;
    do {
      nonce = Bytes32.leftPad(Bytes.ofUnsignedLong(i++));
      recall =
          new Pora()
              .recallPosition(
                  id.toArrayUnsafe(),
                  nonce.toArrayUnsafe(),
                  digest.toArrayUnsafe(),
                  rangeStart,
                  rangeLength);
    } while (recall != unitIndex * Pora.UNIT_SECTORS);
    new Seal().seal(id.toArrayUnsafe(), sealCtx.toArrayUnsafe(), unitIndex, data, 0);
    Answer a =
        new Answer(
            digest,
            id,
            nonce,
            rangeStart,
            rangeLength,
            recall,
            sealCtx,
            unitRoot,
            Bytes.wrap(data),
            proof);
    answerArgs = AnswerCodec.encodeArgs(a);
    ledger =
        new AnswerVerifier.Ledger() {
          @Override
          public boolean registered(Bytes32 m) {
            return true;
          }

          @Override
          public boolean rewarded(Bytes32 c, Bytes32 m) {
            return false;
          }

          @Override
          public OptionalLong sealContextLength(Bytes32 d) {
            return OptionalLong.of(flowLength);
          }
        };
  }
}
