package io.axivon.consensus.sim;

import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.bls.BlsPublicKey;
import io.axivon.common.crypto.bls.BlsSecretKey;
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
      byte[] ikm = new byte[32];
      ikm[31] = (byte) i;
      ikm[0] = 0x5a;
      out.add(BlsSecretKey.keyGen(Bytes.wrap(ikm)).publicKey());
    }
    return List.copyOf(out);
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
