package io.axivon.bench;

import io.axivon.common.crypto.bls.Bls;
import io.axivon.common.crypto.bls.BlsPublicKey;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.common.crypto.bls.BlsSignature;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.tuweni.bytes.Bytes;
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
 * BLS12-381 (blst through jblst) at committee scale: 100 signers. fastAggregateVerify over one
 * message (target ≤ 2 ms) is measured against its references in the same run: one plain verify (its
 * floor: the aggregation adds 99 point additions) and aggregateVerify over 100 distinct messages
 * (what verification costs without a common message: 100 hash-to-curve and Miller loops).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class BlsBench {
  private static final int SIGNERS = 100;

  private List<BlsPublicKey> publicKeys;
  private Bytes message;
  private List<BlsSignature> sameMessageSignatures;
  private BlsSignature sameMessageAggregate;
  private List<Bytes> distinctMessages;
  private BlsSignature distinctMessagesAggregate;
  private BlsSignature single;
  private Bytes publicKeyBytes;
  private Bytes signatureBytes;

  @Setup
  public void setUp() {
    message = Bytes.wrap("block 0x1234 at height 42, round 0".getBytes());
    publicKeys = new ArrayList<>();
    sameMessageSignatures = new ArrayList<>();
    distinctMessages = new ArrayList<>();
    List<BlsSignature> distinctSignatures = new ArrayList<>();
    for (int i = 0; i < SIGNERS; i++) {
      BlsSecretKey key =
          BlsSecretKey.keyGen(
              Bytes.concatenate(Bytes.repeat((byte) 7, 28), Bytes.ofUnsignedInt(i)));
      publicKeys.add(key.publicKey());
      sameMessageSignatures.add(key.sign(message));
      Bytes distinct = Bytes.concatenate(message, Bytes.ofUnsignedInt(i));
      distinctMessages.add(distinct);
      distinctSignatures.add(key.sign(distinct));
    }
    sameMessageAggregate = Bls.aggregate(sameMessageSignatures);
    distinctMessagesAggregate = Bls.aggregate(distinctSignatures);
    single = sameMessageSignatures.getFirst();
    publicKeyBytes = publicKeys.getFirst().toBytes();
    signatureBytes = single.toBytes();
    if (!Bls.fastAggregateVerify(publicKeys, message, sameMessageAggregate)
        || !Bls.aggregateVerify(publicKeys, distinctMessages, distinctMessagesAggregate)
        || !Bls.verify(publicKeys.getFirst(), message, single)) {
      throw new IllegalStateException("benchmark fixtures do not verify");
    }
  }

  /** Reference: one signature, one key, one message. */
  @Benchmark
  public boolean verifySingle() {
    return Bls.verify(publicKeys.getFirst(), message, single);
  }

  @Benchmark
  public BlsSignature aggregate100Signatures() {
    return Bls.aggregate(sameMessageSignatures);
  }

  @Benchmark
  public BlsPublicKey aggregate100PublicKeys() {
    return Bls.aggregatePublicKeys(publicKeys);
  }

  /** The committee check: 100 signers of one message. */
  @Benchmark
  public boolean fastAggregateVerify100() {
    return Bls.fastAggregateVerify(publicKeys, message, sameMessageAggregate);
  }

  /** Reference: 100 signers of 100 distinct messages. */
  @Benchmark
  public boolean aggregateVerify100Distinct() {
    return Bls.aggregateVerify(publicKeys, distinctMessages, distinctMessagesAggregate);
  }

  /** Decoding a key from the wire: decompression and the G1 subgroup check. */
  @Benchmark
  public BlsPublicKey decodePublicKey() {
    return BlsPublicKey.fromBytes(publicKeyBytes);
  }

  /** Decoding a signature from the wire: decompression and the G2 subgroup check. */
  @Benchmark
  public BlsSignature decodeSignature() {
    return BlsSignature.fromBytes(signatureBytes);
  }
}
