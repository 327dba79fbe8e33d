package io.axivon.consensus.types;

import io.axivon.common.codec.RlpCodec;
import io.axivon.common.crypto.bls.BlsPublicKey;

/** One validator: its BLS public key and its voting power (stake), always positive. */
public record Validator(BlsPublicKey publicKey, long power) {
  /** Caps the total so that priority arithmetic (power times a few) never overflows. */
  public static final long MAX_TOTAL_POWER = Long.MAX_VALUE / 8;

  /** The most validators a set may hold (bounds commit bitmaps on decode). */
  public static final int MAX_VALIDATORS = 10_000;

  public static final RlpCodec<Validator> CODEC =
      RlpCodec.struct(
          (w, v) -> w.writeBytes(v.publicKey.toBytes()).writeUInt64(v.power),
          r ->
              new Validator(
                  BlsPublicKey.fromBytes(r.readFixedBytes(BlsPublicKey.SIZE)), r.readUInt64()));

  public Validator {
    if (publicKey == null) {
      throw new IllegalArgumentException("validator public key is null");
    }
    if (power <= 0 || power > MAX_TOTAL_POWER) {
      throw new IllegalArgumentException(
          "validator power must be in [1, " + MAX_TOTAL_POWER + "], got " + power);
    }
  }
}
