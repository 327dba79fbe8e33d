package io.axivon.consensus.sim;

import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.bls.BlsPublicKey;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.common.crypto.bls.BlsSignature;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.types.SignatureVerifier;
import io.axivon.consensus.types.Signer;
import io.axivon.consensus.types.ValidatorSet;
import io.axivon.consensus.types.Vote;
import java.util.ArrayList;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;

/**
 * Validator identities for the simulator: real BLS public keys (so validator sets are the real
 * thing) but a keyed-hash "signature" instead of BLS, because a BLS verify costs about a
 * millisecond and the simulator must run thousands of heights per second. Only the simulated node
 * that owns a key signs with it, which is all the checks rely on.
 */
public final class SimKeys {
  public static final int MAX_NODES = 32;

  /** Fixed keys: index i is derived from i alone, so every run sees the same identities. */
  private static final List<BlsPublicKey> KEYS = derive();

  /** Checks simulated signatures. */
  public static final SignatureVerifier VERIFIER =
      (validators, index, signBytes, signature) ->
          index >= 0
              && index < validators.size()
              && mac(validators.get(index).publicKey(), signBytes).equals(signature);

  private SimKeys() {}

  private static List<BlsPublicKey> derive() {
    List<BlsPublicKey> out = new ArrayList<>();
    for (int i = 0; i < MAX_NODES; i++) {
      out.add(secretKey(i).publicKey());
    }
    return List.copyOf(out);
  }

  private static BlsSecretKey secretKey(int node) {
    byte[] ikm = new byte[32];
    ikm[31] = (byte) node;
    ikm[0] = 0x5a;
    return BlsSecretKey.keyGen(Bytes.wrap(ikm));
  }

  /**
   * A real BLS proof of possession of node {@code node}'s key: the staking ledger checks one when a
   * validator registers (once per registration, so its cost does not matter).
   */
  public static BlsSignature proofOfPossession(int node) {
    return secretKey(node).provePossession();
  }

  /** A simulated account (operator or delegator) named {@code name}. */
  public static Address account(String name) {
    return new Address(
        Hashes.keccak256(Bytes.wrap(name.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
            .slice(12));
  }

  /** The operator account of node {@code node}'s validator. */
  public static Address operator(int node) {
    return account("operator-" + node);
  }

  /** The node whose key is {@code key}, or -1. */
  public static int nodeOf(BlsPublicKey key) {
    return KEYS.indexOf(key);
  }

  public static BlsPublicKey publicKey(int node) {
    return KEYS.get(node);
  }

  /** The simulated signer of the validator with {@code key}. */
  public static Signer signer(BlsPublicKey key) {
    return signBytes -> mac(key, signBytes);
  }

  static Bytes mac(BlsPublicKey key, Bytes message) {
    Bytes tag = Hashes.keccak256(Bytes.concatenate(key.toBytes(), message));
    return Bytes.concatenate(tag, Bytes.wrap(new byte[Vote.SIGNATURE_SIZE - tag.size()]));
  }

  static int indexOf(ValidatorSet set, int node) {
    return set.indexOf(KEYS.get(node));
  }
}
