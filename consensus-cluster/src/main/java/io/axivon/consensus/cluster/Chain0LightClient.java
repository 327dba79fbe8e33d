package io.axivon.consensus.cluster;

import io.axivon.common.InvalidInputException;
import io.axivon.consensus.types.BlockHeader;
import io.axivon.consensus.types.SetChange;

/**
 * A light client of chain 0, as chains i &gt; 0 run it inside their state machine: from a trusted
 * set and a {@link SetChange} it derives the next trusted set, or refuses with the reason. Pure: no
 * I/O, no clock, no state of its own.
 *
 * <p>Why this is enough: the trusted set signs every chain-0 block from its first height until the
 * first block whose header names another set (validator changes of block h apply from h + 2, so the
 * header of h + 1 is still signed by the old set and commits to the new one). A header certified by
 * more than 2/3 of the trusted set's power, at or above its first height, is chain 0's block unless
 * more than 1/3 of that power signed two blocks at one height, which is slashable equivocation; its
 * {@code nextValidatorsHash} is then what chain 0's staking module decided. A stale header (below
 * the trusted height) is refused, so a change cannot be replayed.
 */
public final class Chain0LightClient {
  private Chain0LightClient() {}

  /**
   * The set trusted after {@code change}.
   *
   * @throws InvalidInputException saying which check failed
   */
  public static TrustedSet apply(TrustedSet trusted, SetChange change) {
    BlockHeader h = change.header();
    if (!h.chainId().equals(trusted.chainId())) {
      throw new InvalidInputException(
          "set change is for chain '" + h.chainId() + "', expected '" + trusted.chainId() + "'");
    }
    if (h.height() < trusted.fromHeight()) {
      throw new InvalidInputException(
          "set change at chain-0 height "
              + h.height()
              + " is older than the trusted set, which signs from "
              + trusted.fromHeight());
    }
    if (!h.validatorsHash().equals(trusted.validators().hash())) {
      throw new InvalidInputException(
          "chain-0 header "
              + h.height()
              + " is signed by validators "
              + h.validatorsHash()
              + ", not by the trusted set "
              + trusted.validators().hash());
    }
    if (h.nextValidatorsHash().equals(h.validatorsHash())) {
      throw new InvalidInputException(
          "chain-0 header " + h.height() + " names no new validator set");
    }
    if (!change.nextValidators().hash().equals(h.nextValidatorsHash())) {
      throw new InvalidInputException(
          "the new validator set hashes to "
              + change.nextValidators().hash()
              + " but chain-0 header "
              + h.height()
              + " names "
              + h.nextValidatorsHash());
    }
    if (change.certificate().height() != h.height()
        || !change.certificate().blockHash().equals(h.hash())) {
      throw new InvalidInputException(
          "the commit certificate is for block "
              + change.certificate().blockHash()
              + " at height "
              + change.certificate().height()
              + ", not for chain-0 header "
              + h.height()
              + " "
              + h.hash());
    }
    change.certificate().verify(trusted.chainId(), trusted.validators());
    return new TrustedSet(trusted.chainId(), change.effectiveHeight(), change.nextValidators());
  }
}
