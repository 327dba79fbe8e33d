package io.axivon.da.cert;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.bls.BlsPublicKey;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes;

/**
 * A DA node operator as the DA system module registers it: a unique id (its address), its BLS key
 * (proof of possession checked at registration, never here) and its stake.
 */
public record DaOperator(Bytes id, BlsPublicKey publicKey, long stake) {
  public DaOperator {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(publicKey, "publicKey");
    if (id.isEmpty() || id.size() > 64) {
      throw new InvalidInputException("operator id must be 1..64 bytes, got " + id.size());
    }
    if (stake < 0) {
      throw new InvalidInputException("operator " + id.toHexString() + " has negative stake");
    }
  }
}
