package io.axivon.sdk.mining;

import java.math.BigInteger;
import java.util.OptionalLong;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Checks an answer against a context and a target (specs/pora.md section 9), pure: what it needs of
 * the chain's records comes through {@link Ledger}. The same code runs in the mining module and in
 * the miner (which checks before it submits, so a corrupt sealed unit is never sent).
 */
public final class AnswerVerifier {
  /** The chain's records an answer is checked against. */
  public interface Ledger {
    /** Whether {@code minerId} is registered. */
    boolean registered(Bytes32 minerId);

    /** Whether {@code minerId} already got its answer for {@code contextDigest}. */
    boolean rewarded(Bytes32 contextDigest, Bytes32 minerId);

    /** The flow length of a recorded context, empty if the digest is unknown. */
    OptionalLong sealContextLength(Bytes32 digest);
  }

  private AnswerVerifier() {}

  /** Runs every check of section 9 after decoding, in order; the first failure is the verdict. */
  public static Verdict verify(
      Answer a, MiningContext ctx, Bytes32 ctxDigest, BigInteger target, Ledger ledger) {
    if (!a.contextDigest().equals(ctxDigest)) {
      return reject(
          Rejection.STALE_CONTEXT,
          "answer is for " + a.contextDigest() + ", the current context is " + ctxDigest);
    }
    if (!ledger.registered(a.minerId())) {
      return reject(Rejection.UNREGISTERED_MINER, "miner " + a.minerId() + " is not registered");
    }
    if (ledger.rewarded(ctxDigest, a.minerId())) {
      return reject(
          Rejection.REPLAY,
          "miner " + a.minerId() + " was already rewarded for context " + ctxDigest);
    }
    long start = a.rangeStart();
    long length = a.rangeLength();
    long flowLength = ctx.flowLength();
    String range = "range [" + start + ", " + (start + length) + ")";
    if (length == 0 || start % Pora.UNIT_SECTORS != 0 || length % Pora.UNIT_SECTORS != 0) {
      return reject(Rejection.BAD_RANGE, range + " is not a non-empty run of 16-sector units");
    }
    long maxRange = Pora.maxRange(flowLength);
    if (length > maxRange) {
      return reject(Rejection.BAD_RANGE, range + " is longer than the maximum " + maxRange);
    }
    if (start + length > flowLength) {
      return reject(
          Rejection.BAD_RANGE, range + " ends past the context's flow length " + flowLength);
    }
    String shardError = Pora.shardError(start, length, a.shardId(), a.numShard());
    if (shardError != null) {
      return reject(Rejection.BAD_SHARD, shardError);
    }
    long claimed = a.recallPosition();
    if (claimed < start || claimed >= start + length) {
      return reject(
          Rejection.RECALL_OUTSIDE_SHARD, "position " + claimed + " is outside the " + range);
    }
    if (!Pora.inShard(claimed, a.shardId(), a.numShard())) {
      return reject(
          Rejection.RECALL_OUTSIDE_SHARD,
          "position "
              + claimed
              + " is in segment "
              + claimed / Pora.SEGMENT_SECTORS
              + ", not of shard "
              + a.shardId()
              + "/"
              + a.numShard());
    }
    long held = Pora.shardUnits(start, length, a.shardId(), a.numShard());
    Pora pora = new Pora();
    byte[] minerId = a.minerId().toArrayUnsafe();
    byte[] nonce = a.nonce().toArrayUnsafe();
    byte[] context = ctxDigest.toArrayUnsafe();
    long recall =
        pora.recallPosition(
            minerId, nonce, context, start, length, a.shardId(), a.numShard(), held);
    if (recall != claimed) {
      return reject(
          Rejection.WRONG_RECALL_POSITION, "nonce gives " + recall + ", answer says " + claimed);
    }
    OptionalLong sealLength = ledger.sealContextLength(a.sealContextDigest());
    if (sealLength.isEmpty()) {
      return reject(
          Rejection.BAD_SEAL_CONTEXT, "seal context " + a.sealContextDigest() + " is unknown");
    }
    if (sealLength.getAsLong() < recall + Pora.UNIT_SECTORS) {
      return reject(
          Rejection.BAD_SEAL_CONTEXT,
          "seal context "
              + a.sealContextDigest()
              + " covers "
              + sealLength.getAsLong()
              + " sectors, the unit ends at "
              + (recall + Pora.UNIT_SECTORS));
    }
    int wanted = UnitTree.proofLength(flowLength);
    if (a.proof().size() != wanted) {
      return reject(
          Rejection.WRONG_PROOF,
          "proof has " + a.proof().size() + " siblings, the flow tree needs " + wanted);
    }
    long unit = recall / Pora.UNIT_SECTORS;
    if (!UnitTree.verify(ctx.flowRoot(), flowLength, unit, a.unitRoot(), a.proof())) {
      return reject(Rejection.WRONG_PROOF, "proof does not lead to the context's flow root");
    }
    byte[] sealed = a.sealedData().toArray(); // a copy: unsealed in place below
    new Seal().unseal(minerId, a.sealContextDigest().toArrayUnsafe(), unit, sealed, 0);
    if (!UnitTree.unitRoot(sealed, 0).equals(a.unitRoot())) {
      return reject(Rejection.WRONG_SEAL, "sealed data does not unseal to the proven unit");
    }
    byte[] quality = new byte[32];
    pora.quality(minerId, nonce, context, recall, a.sealedData().toArrayUnsafe(), 0, quality);
    BigInteger effective =
        Pora.effectiveTarget(target, held * Pora.UNIT_SECTORS, flowLength); // the held share
    if (!Pora.meets(quality, effective)) {
      return reject(
          Rejection.QUALITY_ABOVE_TARGET,
          "quality " + Bytes32.wrap(quality) + " is above the target 0x" + effective.toString(16));
    }
    return new Verdict.Accepted(Bytes32.wrap(quality), effective);
  }

  private static Verdict.Rejected reject(Rejection r, String detail) {
    return new Verdict.Rejected(r, detail);
  }
}
