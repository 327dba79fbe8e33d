package io.axivon.da.cert;

import io.axivon.common.InvalidInputException;
import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import io.axivon.common.codec.RlpLimits;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.bls.Bls;
import io.axivon.common.crypto.bls.BlsPublicKey;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.common.crypto.bls.BlsSignature;
import io.axivon.da.blob.BlobSquare;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Proof that a quorum holding at least 2/3 of a blob's coded rows stored and checked them (specs/
 * da.md §7): the signers as a bitmap over the quorum's members (bit i of byte i / 8, least
 * significant first) and the aggregate of their BLS signatures over {@link #message}.
 */
public record DaCertificate(
    Bytes32 dataRoot, int k, long epoch, long quorumId, Bytes signers, BlsSignature signature) {
  /** The most members a quorum may have, so bitmaps stay small. */
  public static final int MAX_MEMBERS = 1024;

  /** RLP: {@code [dataRoot, k, epoch, quorumId, signerBitmap, signature]}. */
  public static final RlpCodec<DaCertificate> CODEC =
      RlpCodec.struct(
          (w, c) ->
              w.writeBytes(c.dataRoot())
                  .writeUInt64(c.k())
                  .writeUInt64(c.epoch())
                  .writeUInt64(c.quorumId())
                  .writeBytes(c.signers())
                  .writeBytes(c.signature().toBytes()),
          r ->
              new DaCertificate(
                  r.readBytes32(),
                  r.readInt(),
                  r.readUInt64(),
                  r.readUInt64(),
                  r.readBytes(MAX_MEMBERS / 8),
                  BlsSignature.fromBytes(r.readFixedBytes(BlsSignature.SIZE))));

  public DaCertificate {
    Objects.requireNonNull(dataRoot, "dataRoot");
    Objects.requireNonNull(signers, "signers");
    Objects.requireNonNull(signature, "signature");
    BlobSquare.checkWidth(k);
    if (signers.isEmpty() || signers.size() > MAX_MEMBERS / 8) {
      throw new InvalidInputException(
          "signer bitmap must be 1.." + MAX_MEMBERS / 8 + " bytes, got " + signers.size());
    }
    if (signers.get(signers.size() - 1) == 0) {
      throw new InvalidInputException("signer bitmap has a trailing zero byte (not canonical)");
    }
    signers = signers.copy();
  }

  public static DaCertificate decode(Bytes encoded) {
    return Rlp.decode(CODEC, encoded, new RlpLimits(512, 1));
  }

  public Bytes encode() {
    return Rlp.encode(CODEC, this);
  }

  /** What every DA node signs: {@code keccak256(dataRoot ‖ u64be(epoch) ‖ u64be(quorumId))}. */
  public static Bytes32 message(Bytes32 dataRoot, long epoch, long quorumId) {
    return Hashes.keccak256(Bytes.concatenate(dataRoot, Quorum.u64(epoch), Quorum.u64(quorumId)));
  }

  /** A DA node's signature over {@link #message}. */
  public static BlsSignature sign(BlsSecretKey key, Bytes32 dataRoot, long epoch, long quorumId) {
    return Bls.sign(key, message(dataRoot, epoch, quorumId));
  }

  /**
   * Aggregates the signatures of quorum members (index in {@link Quorum#members()} to signature);
   * each is checked first, so one bad signature is named instead of spoiling the aggregate.
   */
  public static DaCertificate aggregate(
      Bytes32 dataRoot, int k, Quorum quorum, Map<Integer, BlsSignature> signatures) {
    if (signatures.isEmpty()) {
      throw new InvalidInputException("no signatures to aggregate");
    }
    Bytes32 msg = message(dataRoot, quorum.epoch(), quorum.quorumId());
    int n = quorum.members().size();
    byte[] bitmap = new byte[(n + 7) / 8];
    List<BlsSignature> sigs = new ArrayList<>();
    for (Map.Entry<Integer, BlsSignature> e : signatures.entrySet()) {
      int i = e.getKey();
      if (i < 0 || i >= n) {
        throw new InvalidInputException(
            "signer " + i + " is not a member of the quorum (0.." + (n - 1) + ")");
      }
      if (!Bls.verify(quorum.members().get(i).publicKey(), msg, e.getValue())) {
        throw new InvalidInputException(
            "signature of member "
                + i
                + " ("
                + quorum.members().get(i).id().toHexString()
                + ") does not verify for this dataRoot, epoch and quorum");
      }
      bitmap[i / 8] |= (byte) (1 << (i % 8));
      sigs.add(e.getValue());
    }
    int last = bitmap.length;
    while (last > 1 && bitmap[last - 1] == 0) {
      last--;
    }
    return new DaCertificate(
        dataRoot,
        k,
        quorum.epoch(),
        quorum.quorumId(),
        Bytes.wrap(bitmap, 0, last),
        Bls.aggregate(sigs));
  }

  /** The member indices the bitmap names, ascending. */
  public List<Integer> signerIndices() {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < signers.size() * 8; i++) {
      if ((signers.get(i / 8) >> (i % 8) & 1) != 0) {
        out.add(i);
      }
    }
    return out;
  }

  /**
   * Checks this certificate against the quorum recomputed from chain data: same epoch and quorum,
   * every signer a member, the signers holding at least {@link Quorum#threshold} of the 2k coded
   * rows, and the aggregate signature valid for their keys.
   *
   * @throws InvalidInputException naming the first thing that is wrong
   */
  public void verify(Quorum quorum) {
    if (quorum.epoch() != epoch || quorum.quorumId() != quorumId) {
      throw new InvalidInputException(
          "certificate is for epoch "
              + epoch
              + " quorum "
              + quorumId
              + ", not epoch "
              + quorum.epoch()
              + " quorum "
              + quorum.quorumId());
    }
    int n = quorum.members().size();
    List<Integer> idx = signerIndices();
    int[] counts = quorum.rowCounts(k);
    int rows = 0;
    List<BlsPublicKey> keys = new ArrayList<>();
    for (int i : idx) {
      if (i >= n) {
        throw new InvalidInputException(
            "signer " + i + " is not a member: the quorum has " + n + " members");
      }
      rows += counts[i];
      keys.add(quorum.members().get(i).publicKey());
    }
    int needed = Quorum.threshold(k);
    if (rows < needed) {
      throw new InvalidInputException(
          "signers hold " + rows + " of " + 2 * k + " coded rows, " + needed + " are needed");
    }
    if (!Bls.fastAggregateVerify(keys, message(dataRoot, epoch, quorumId), signature)) {
      throw new InvalidInputException("aggregate signature does not verify for the signers' keys");
    }
  }
}
