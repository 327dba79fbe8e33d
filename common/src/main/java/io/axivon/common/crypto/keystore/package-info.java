/**
 * Passphrase-encrypted key files: Web3 Secret Storage v3 for secp256k1 keys (geth, MetaMask,
 * Foundry import them) and EIP-2335 v4 keystores for BLS keys (Ethereum validator clients import
 * them), and {@link io.axivon.common.crypto.keystore.KeyFiles}, which writes them atomically and
 * never over an existing file. Formats: specs/keys.md.
 */
package io.axivon.common.crypto.keystore;
