package io.axivon.bench;

import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Secp256k1Engine;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.common.crypto.secp256k1.Secp256k1PublicKey;
import io.axivon.common.crypto.secp256k1.Secp256k1Signature;
import java.util.concurrent.TimeUnit;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
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
 * secp256k1 public-key recovery (what every node does for every transaction's sender) and signing,
 * in libsecp256k1 over JNI against BouncyCastle, the reference, on the same signatures. Recovery
 * includes building the validated {@link Secp256k1PublicKey}, as callers get it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class Secp256k1Bench {
  private static final int N = 256;

  private final Secp256k1Engine bouncyCastle = Secp256k1Engine.bouncyCastle();
  private Secp256k1Engine lib;
  private Secp256k1PrivateKey[] keys;
  private Bytes32[] hashes;
  private Secp256k1Signature[] signatures;
  private int next;

  @Setup
  public void setUp() {
    lib =
        Secp256k1Engine.nativeLibrary()
            .orElseThrow(() -> new IllegalStateException("libsecp256k1 did not load"));
    keys = new Secp256k1PrivateKey[N];
    hashes = new Bytes32[N];
    signatures = new Secp256k1Signature[N];
    for (int i = 0; i < N; i++) {
      keys[i] = Secp256k1PrivateKey.fromBytes(Hashes.keccak256(Bytes.ofUnsignedInt(i + 1)));
      hashes[i] = Hashes.keccak256(Bytes.ofUnsignedInt(1_000_000 + i));
      signatures[i] = bouncyCastle.sign(keys[i], hashes[i]);
      if (!lib.recover(hashes[i], signatures[i]).equals(keys[i].publicKey())) {
        throw new IllegalStateException("engines disagree");
      }
    }
  }

  private int index() {
    next = (next + 1) & (N - 1);
    return next;
  }

  @Benchmark
  public Secp256k1PublicKey recoverNative() {
    int i = index();
    return lib.recover(hashes[i], signatures[i]);
  }

  @Benchmark
  public Secp256k1PublicKey recoverBouncyCastle() {
    int i = index();
    return bouncyCastle.recover(hashes[i], signatures[i]);
  }

  @Benchmark
  public Secp256k1Signature signNative() {
    int i = index();
    return lib.sign(keys[i], hashes[i]);
  }

  @Benchmark
  public Secp256k1Signature signBouncyCastle() {
    int i = index();
    return bouncyCastle.sign(keys[i], hashes[i]);
  }
}
