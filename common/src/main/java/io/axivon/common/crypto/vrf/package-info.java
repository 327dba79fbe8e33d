/**
 * A verifiable random function from BLS signatures, and deterministic stake-weighted sortition on
 * its outputs. The exact byte layouts and algorithms are specified in specs/vrf.md; any change here
 * is a consensus change.
 */
package io.axivon.common.crypto.vrf;
