package io.axivon.consensus.types;

import org.apache.tuweni.bytes.Bytes;

/**
 * Signs sign-bytes for one validator. Injected into the engine so that the engine stays pure; the
 * real one is {@link BlsSigner}, the simulator uses a cheap keyed hash.
 */
public interface Signer {
  /** A {@link Vote#SIGNATURE_SIZE}-byte signature over {@code signBytes}. */
  Bytes sign(Bytes signBytes);
}
