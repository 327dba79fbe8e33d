/**
 * The replay state machine of specs/kv.md: a pure function of (state before, tx seq, sender, tags,
 * stream data) to (result, effects). Two nodes that feed it the same log reach the same state.
 */
package io.axivon.kv.replay;
