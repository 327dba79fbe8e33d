/**
 * The KV node's state in LMDB (specs/kv.md section 6): versioned values and access-control flags
 * readable as of any replayed version, transaction results, and the replay cursor, all changed in
 * one write transaction per replayed transaction so a crash at any point resumes exactly.
 */
package io.axivon.kv.store;
