package io.axivon.sdk.compute;

import io.axivon.common.InvalidInputException;

/** How a service's responses can be checked (the {@code uint8 verifiability} of the ABI). */
public enum Verifiability {
  /** Nothing beyond the user's trust in the provider. */
  NONE,
  /** The provider signs the hash of each response; a mismatch is evidence against it. */
  SIGNED_RESPONSE,
  /** Responses come from a TEE whose attestation the user verifies (extension point). */
  TEE_ATTESTED;

  public int code() {
    return ordinal();
  }

  public static Verifiability of(int code) {
    Verifiability[] all = values();
    if (code < 0 || code >= all.length) {
      throw new InvalidInputException(
          "verifiability must be 0 (none), 1 (signed-response) or 2 (tee-attested), got " + code);
    }
    return all[code];
  }

  /** The CLI and JSON name: {@code none}, {@code signed-response}, {@code tee-attested}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
