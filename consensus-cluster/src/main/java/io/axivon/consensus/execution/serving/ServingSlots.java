package io.axivon.consensus.execution.serving;

import io.axivon.common.crypto.Hashes;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The serving module's storage keys (specs/compute.md section 5): slot 0 holds the service count,
 * every other key is {@code keccak256(tag ‖ parts)} with a one-byte tag per table, so tables cannot
 * collide with each other or with slot 0.
 */
final class ServingSlots {
  static final Bytes32 SERVICE_COUNT = Bytes32.ZERO;

  static final byte SERVICE_LIST = 0x01; // ‖ index
  static final byte SERVICE_FIELD = 0x02; // ‖ service id ‖ field
  static final byte SERVICE_CHUNK = 0x03; // ‖ service id ‖ field ‖ chunk
  static final byte LEDGER = 0x10; // ‖ user: ledger balance
  static final byte SUB_ACCOUNT = 0x11; // ‖ user ‖ provider: nonce(8) ‖ balance(24)
  static final byte REFUND = 0x12; // ‖ user ‖ provider: unlock block(8) ‖ pending(24)
  static final byte BOND = 0x13; // ‖ provider: bond (uint256, below 2^192)
  static final byte UNBOND = 0x14; // ‖ provider: unlock block(8) ‖ pending unbond(24)
  static final byte DISPUTED = 0x15; // ‖ user ‖ provider ‖ nonce(32): 1 once disputed

  private ServingSlots() {}

  static Bytes32 key(byte tag, Bytes... parts) {
    Bytes[] all = new Bytes[parts.length + 1];
    all[0] = Bytes.of(tag);
    System.arraycopy(parts, 0, all, 1, parts.length);
    return Hashes.keccak256(Bytes.concatenate(all));
  }
}
