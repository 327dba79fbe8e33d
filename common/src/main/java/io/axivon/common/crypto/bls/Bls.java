package io.axivon.common.crypto.bls;

import io.axivon.common.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.tuweni.bytes.Bytes;
import supranational.blst.BLST_ERROR;
import supranational.blst.P1;
import supranational.blst.P2;
import supranational.blst.Pairing;

/**
 * The BLS operations of the proof-of-possession ciphersuite {@code
 * BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_} (draft-irtf-cfrg-bls-signature, as Ethereum's
 * consensus layer uses it).
 *
 * <p>Verification returns false when a signature does not verify; it throws {@link
 * InvalidInputException} only for calls that are malformed as such (no keys, mismatched list sizes,
 * repeated messages in {@link #aggregateVerify}). Keys and signatures were validated when decoded.
 *
 * <p>Aggregation over one message ({@link #fastAggregateVerify}) is only safe against rogue-key
 * attacks when every public key's proof of possession was checked once, before the key is used
 * ({@link #verifyPossession}).
 */
public final class Bls {
  /** Domain separation tag of message signatures. */
  public static final String SIGN_DST = "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";

  /** Domain separation tag of proofs of possession. */
  public static final String POP_DST = "BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";

  private Bls() {}

  /** Sign {@code message} with {@link #SIGN_DST}: sk · H(message). Deterministic. */
  public static BlsSignature sign(BlsSecretKey secretKey, Bytes message) {
    return sign(secretKey, message, SIGN_DST);
  }

  /**
   * Sign with a protocol-specific DST (a VRF, for example), so that its outputs are never valid
   * signatures of another protocol.
   */
  public static BlsSignature sign(BlsSecretKey secretKey, Bytes message, String dst) {
    checkDst(dst);
    P2 point = new P2().hash_to(bytes(message), dst).sign_with(secretKey.key());
    return BlsSignature.fromPoint(point);
  }

  /** Whether {@code signature} is a signature by {@code publicKey} over {@code message}. */
  public static boolean verify(BlsPublicKey publicKey, Bytes message, BlsSignature signature) {
    return verify(publicKey, message, signature, SIGN_DST);
  }

  /** {@link #verify(BlsPublicKey, Bytes, BlsSignature)} under a protocol-specific DST. */
  public static boolean verify(
      BlsPublicKey publicKey, Bytes message, BlsSignature signature, String dst) {
    checkDst(dst);
    return signature.point().core_verify(publicKey.point(), true, bytes(message), dst)
        == BLST_ERROR.BLST_SUCCESS;
  }

  /** The sum of the signatures. */
  public static BlsSignature aggregate(List<BlsSignature> signatures) {
    if (signatures == null || signatures.isEmpty()) {
      throw new InvalidInputException("cannot aggregate an empty list of BLS signatures");
    }
    // points were subgroup-checked on decode: plain addition, no per-point check
    P2 sum = signatures.getFirst().point().to_jacobian();
    for (int i = 1; i < signatures.size(); i++) {
      sum.add(signatures.get(i).point());
    }
    return BlsSignature.fromPoint(sum);
  }

  /**
   * The sum of the public keys.
   *
   * @throws InvalidInputException if the list is empty or the keys sum to the point at infinity
   */
  public static BlsPublicKey aggregatePublicKeys(List<BlsPublicKey> publicKeys) {
    return BlsPublicKey.fromPoint(sum(publicKeys));
  }

  /**
   * Verifies an aggregate of signatures by {@code publicKeys.get(i)} over {@code messages.get(i)},
   * all messages distinct.
   *
   * @throws InvalidInputException if the lists are empty, of different sizes, or a message repeats
   */
  public static boolean aggregateVerify(
      List<BlsPublicKey> publicKeys, List<Bytes> messages, BlsSignature signature) {
    if (publicKeys == null || messages == null || publicKeys.isEmpty()) {
      throw new InvalidInputException("aggregateVerify needs at least one public key and message");
    }
    if (publicKeys.size() != messages.size()) {
      throw new InvalidInputException(
          "aggregateVerify needs one message per public key, got "
              + publicKeys.size()
              + " keys and "
              + messages.size()
              + " messages");
    }
    Map<Bytes, Integer> seen = new HashMap<>();
    for (int i = 0; i < messages.size(); i++) {
      Integer earlier = seen.putIfAbsent(messages.get(i), i);
      if (earlier != null) {
        throw new InvalidInputException(
            "aggregateVerify needs distinct messages: message "
                + i
                + " repeats message "
                + earlier);
      }
    }
    Pairing pairing = new Pairing(true, SIGN_DST);
    for (int i = 0; i < publicKeys.size(); i++) {
      BLST_ERROR result =
          pairing.aggregate(
              publicKeys.get(i).point(), i == 0 ? signature.point() : null, bytes(messages.get(i)));
      if (result != BLST_ERROR.BLST_SUCCESS) {
        return false;
      }
    }
    pairing.commit();
    return pairing.finalverify();
  }

  /**
   * Verifies an aggregate of signatures by all {@code publicKeys} over the same {@code message}:
   * one pairing check against the sum of the keys. Every key must have had its proof of possession
   * verified before (see the class comment).
   *
   * @throws InvalidInputException if there are no public keys
   */
  public static boolean fastAggregateVerify(
      List<BlsPublicKey> publicKeys, Bytes message, BlsSignature signature) {
    P1 sum = sum(publicKeys);
    if (sum.is_inf()) {
      return false;
    }
    return signature.point().core_verify(sum.to_affine(), true, bytes(message), SIGN_DST)
        == BLST_ERROR.BLST_SUCCESS;
  }

  /**
   * A proof of possession: the signature, under {@link #POP_DST}, of the compressed public key.
   * Only the holder of the secret key can make it; checking it once per key defeats rogue-key
   * attacks on same-message aggregation.
   */
  public static BlsSignature provePossession(BlsSecretKey secretKey) {
    return sign(secretKey, secretKey.publicKey().toBytes(), POP_DST);
  }

  /** Whether {@code proof} proves possession of the secret key of {@code publicKey}. */
  public static boolean verifyPossession(BlsPublicKey publicKey, BlsSignature proof) {
    return verify(publicKey, publicKey.toBytes(), proof, POP_DST);
  }

  private static P1 sum(List<BlsPublicKey> publicKeys) {
    if (publicKeys == null || publicKeys.isEmpty()) {
      throw new InvalidInputException("cannot aggregate an empty list of BLS public keys");
    }
    P1 sum = publicKeys.getFirst().point().to_jacobian();
    for (int i = 1; i < publicKeys.size(); i++) {
      sum.add(publicKeys.get(i).point());
    }
    return sum;
  }

  private static byte[] bytes(Bytes message) {
    if (message == null) {
      throw new InvalidInputException("message to sign or verify is missing");
    }
    return message.toArrayUnsafe();
  }

  private static void checkDst(String dst) {
    if (dst == null || dst.isEmpty() || dst.length() > 255) {
      throw new IllegalArgumentException("DST must be 1..255 ASCII characters");
    }
    if (!StandardCharsets.US_ASCII.newEncoder().canEncode(dst)) {
      throw new IllegalArgumentException("DST must be ASCII: " + dst);
    }
  }

  /**
   * The bytes of a compressed point encoding, checked to be {@code size} bytes with the compression
   * flag (the top bit) set; {@code group} names the curve group in the message.
   */
  static byte[] compressed(String what, String group, int size, Bytes encoded) {
    if (encoded == null || encoded.size() != size) {
      throw new InvalidInputException(
          what
              + " must be "
              + size
              + " bytes (compressed "
              + group
              + "), got "
              + (encoded == null ? "null" : encoded.size()));
    }
    byte[] raw = encoded.toArray();
    if ((raw[0] & 0x80) == 0) {
      // blst would read twice as many bytes for an uncompressed encoding: never hand it a short
      // buffer
      throw new InvalidInputException(what + " is not in compressed form (top bit clear)");
    }
    return raw;
  }

  static Bytes parseHex(String what, String hex) {
    if (hex == null) {
      throw new InvalidInputException(what + " is missing");
    }
    String digits = hex.startsWith("0x") ? hex.substring(2) : hex;
    try {
      return Bytes.wrap(HexFormat.of().parseHex(digits));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(what + " is not valid hex: " + e.getMessage(), e);
    }
  }
}
