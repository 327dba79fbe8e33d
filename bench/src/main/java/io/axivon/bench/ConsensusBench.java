package io.axivon.bench;

import io.axivon.common.crypto.bls.Bls;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.common.crypto.bls.BlsSignature;
import io.axivon.consensus.sim.SimOptions;
import io.axivon.consensus.sim.SimReport;
import io.axivon.consensus.sim.Simulator;
import io.axivon.consensus.types.BlsSigner;
import io.axivon.consensus.types.CommitCertificate;
import io.axivon.consensus.types.Validator;
import io.axivon.consensus.types.ValidatorSet;
import io.axivon.consensus.types.Vote;
import io.axivon.consensus.types.VoteType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * Commit certificate verification for 100 validators (target: at most 2 ms) against one plain BLS
 * verify (the reference), and simulator speed in microseconds per decided height with 4 nodes
 * (target: at least 1,000 heights/s, i.e. at most 1,000 us per height).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ConsensusBench {
  private static final String CHAIN = "bench";
  private static final int VALIDATORS = 100;
  private static final int SIM_HEIGHTS = 100;

  private ValidatorSet validators;
  private CommitCertificate commit;
  private Bytes message;
  private BlsSignature single;
  private BlsSecretKey firstKey;
  private long seed;

  @Setup
  public void setUp() {
    List<BlsSecretKey> keys = new ArrayList<>();
    List<Validator> vs = new ArrayList<>();
    for (int i = 0; i < VALIDATORS; i++) {
      byte[] ikm = new byte[32];
      ikm[0] = (byte) i;
      ikm[1] = 1;
      BlsSecretKey k = BlsSecretKey.keyGen(Bytes.wrap(ikm));
      keys.add(k);
      vs.add(new Validator(k.publicKey(), 1 + i % 7));
    }
    validators = ValidatorSet.of(vs);
    Optional<Bytes32> hash = Optional.of(Bytes32.repeat((byte) 7));
    List<Vote> precommits = new ArrayList<>();
    for (BlsSecretKey k : keys) {
      int index = validators.indexOf(k.publicKey());
      precommits.add(Vote.sign(CHAIN, new BlsSigner(k), VoteType.PRECOMMIT, 10, 0, hash, index));
    }
    commit = CommitCertificate.fromVotes(validators, precommits);
    commit.verify(CHAIN, validators);
    firstKey = keys.getFirst();
    message = Vote.signBytes(CHAIN, VoteType.PRECOMMIT, 10, 0, hash);
    single = Bls.sign(firstKey, message);
  }

  @Benchmark
  public boolean commitCertificateVerify100() {
    return commit.isValid(CHAIN, validators);
  }

  /** Reference: one BLS signature verification (one pairing check, like the certificate). */
  @Benchmark
  public boolean blsVerifyOne() {
    return Bls.verify(firstKey.publicKey(), message, single);
  }

  /** Fault-free 4-node run of 100 heights; the score is per height. */
  @Benchmark
  @OperationsPerInvocation(SIM_HEIGHTS)
  public SimReport simulatorHeight4Nodes() {
    SimReport r = Simulator.run(seed++, SimOptions.calm(4, SIM_HEIGHTS));
    if (!r.ok()) {
      throw new IllegalStateException(r.toString());
    }
    return r;
  }

  /** 4 nodes with every fault the seed picks (loss, partitions, crashes, byzantine), per height. */
  @Benchmark
  @OperationsPerInvocation(5)
  public SimReport simulatorHeight4NodesFaulty() {
    SimReport r = Simulator.run(seed++, SimOptions.defaults());
    if (!r.ok()) {
      throw new IllegalStateException(r.toString());
    }
    return r;
  }
}
