package io.axivon.consensus.execution.mining;

import io.axivon.common.crypto.Hashes;
import io.axivon.consensus.execution.system.ModuleCall;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Per-pricing-chunk reward pools released with exponential decay (specs/pora.md section 10): {@code
 * unreleased}, {@code claimable} and the epoch last settled, at {@code H("chunk" ‖ u256(c)) + 0, 1,
 * 2} of the mining module. Settling is lazy, so a deposit or a claim costs O(1) whatever the number
 * of chunks and epochs.
 */
final class ChunkRewards {
  static final long PPM = 1_000_000;
  private static final int ONE_BITS = 128;
  private static final BigInteger ONE = BigInteger.ONE.shiftLeft(ONE_BITS);

  private ChunkRewards() {}

  /** A settled chunk. */
  record Chunk(BigInteger unreleased, BigInteger claimable, long epoch) {}

  /** {@code ⌊amount · f^epochs⌋} with {@code f = 1 − ppm / 10^6} in 128-bit fixed point. */
  static BigInteger remaining(BigInteger amount, long epochs, long ppm) {
    BigInteger f =
        BigInteger.valueOf(PPM - ppm).shiftLeft(ONE_BITS).divide(BigInteger.valueOf(PPM));
    BigInteger acc = ONE;
    long n = epochs;
    while (n > 0 && acc.signum() > 0) {
      if ((n & 1) != 0) {
        acc = acc.multiply(f).shiftRight(ONE_BITS);
      }
      f = f.multiply(f).shiftRight(ONE_BITS);
      n >>>= 1;
    }
    return amount.multiply(acc).shiftRight(ONE_BITS);
  }

  /** The chunk as stored, not settled. */
  static Chunk stored(ModuleCall c, long chunk) {
    BigInteger base = base(chunk);
    return new Chunk(
        c.load(slot(base, 0)).toUnsignedBigInteger(),
        c.load(slot(base, 1)).toUnsignedBigInteger(),
        c.load(slot(base, 2)).toUnsignedBigInteger().longValueExact());
  }

  /** Releases what decayed since the chunk's last epoch, up to {@code epoch}. */
  static Chunk settle(ModuleCall c, long chunk, long epoch, long ppm) {
    Chunk s = stored(c, chunk);
    if (epoch <= s.epoch() || s.unreleased().signum() == 0) {
      return new Chunk(s.unreleased(), s.claimable(), Math.max(epoch, s.epoch()));
    }
    BigInteger left = remaining(s.unreleased(), epoch - s.epoch(), ppm);
    return new Chunk(left, s.claimable().add(s.unreleased().subtract(left)), epoch);
  }

  static void deposit(ModuleCall c, long chunk, BigInteger amount, long epoch, long ppm) {
    Chunk s = settle(c, chunk, epoch, ppm);
    write(c, chunk, new Chunk(s.unreleased().add(amount), s.claimable(), s.epoch()));
  }

  /** Settles the chunk and takes everything claimable. */
  static BigInteger claim(ModuleCall c, long chunk, long epoch, long ppm) {
    Chunk s = settle(c, chunk, epoch, ppm);
    write(c, chunk, new Chunk(s.unreleased(), BigInteger.ZERO, s.epoch()));
    return s.claimable();
  }

  private static void write(ModuleCall c, long chunk, Chunk s) {
    BigInteger base = base(chunk);
    c.store(slot(base, 0), uint(s.unreleased()));
    c.store(slot(base, 1), uint(s.claimable()));
    c.store(slot(base, 2), uint(BigInteger.valueOf(s.epoch())));
  }

  private static BigInteger base(long chunk) {
    return Hashes.keccak256(
            Bytes.concatenate(
                Bytes.wrap("chunk".getBytes(StandardCharsets.US_ASCII)),
                Bytes32.leftPad(Bytes.ofUnsignedLong(chunk))))
        .toUnsignedBigInteger();
  }

  private static Bytes32 slot(BigInteger base, int field) {
    return uint(base.add(BigInteger.valueOf(field)).mod(BigInteger.ONE.shiftLeft(256)));
  }

  static Bytes32 uint(BigInteger v) {
    return Bytes32.leftPad(Bytes.wrap(v.toByteArray()).trimLeadingZeros());
  }
}
