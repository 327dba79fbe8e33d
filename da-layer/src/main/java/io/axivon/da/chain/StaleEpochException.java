package io.axivon.da.chain;

import io.axivon.common.InvalidInputException;

/**
 * The chain refuses a certificate because its epoch is no longer the current or the previous one:
 * dispersal took longer than an epoch. The blob is fine; dispersing it again to the current epoch's
 * quorum certifies it.
 */
public final class StaleEpochException extends InvalidInputException {
  public StaleEpochException(String message) {
    super(message);
  }
}
