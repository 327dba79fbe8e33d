/**
 * The KV node's state in LMDB (specs/kv.md section 6): versioned values and access-control flags
 * readable as of any replayed version, transaction results, and the replay cursor, all changed in
 * one write transaction per replayed transaction so a crash at any point resumes exactly. Values
 * above 64 KiB are kept by reference into the transaction's bytes, in files written before the
 * commit that refers to them (section 6.1).
 */
package io.axivon.kv.store;
