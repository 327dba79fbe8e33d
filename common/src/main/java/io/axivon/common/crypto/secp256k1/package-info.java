/**
 * Ethereum-compatible secp256k1 keys: private keys, 64-byte public keys, EIP-55 addresses,
 * recoverable low-s signatures over 32-byte hashes, and BIP-39/BIP-44 account derivation. The curve
 * arithmetic is libsecp256k1's (over JNI) where its native library loads, else web3j's and
 * BouncyCastle's, with identical results (see Secp256k1Engine); this package adds strict decoding
 * and the Ethereum rules (EIP-2 low s, v = 27 + recovery id).
 */
package io.axivon.common.crypto.secp256k1;
