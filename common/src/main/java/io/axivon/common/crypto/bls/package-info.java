/**
 * BLS12-381 signatures through blst (jblst), in the minimal-public-key-size variant Ethereum uses:
 * public keys are compressed G1 points (48 bytes), signatures compressed G2 points (96 bytes), with
 * the proof-of-possession ciphersuite of draft-irtf-cfrg-bls-signature. Decoding validates points
 * (on curve, in the prime-order subgroup, public keys not the identity) so that every operation
 * after it may skip those checks.
 *
 * <p>jblst keeps every point and scalar in a Java {@code long[]} (no native allocation), so objects
 * need no freeing; its mutating methods ({@code add}, {@code aggregate}, {@code hash_to}, ...) are
 * only ever called on fresh objects here, which keeps the wrapper types immutable and thread-safe.
 */
package io.axivon.common.crypto.bls;
