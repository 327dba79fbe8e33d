/**
 * The node's persistent key-value store on LMDB: typed tables, snapshot reads, one atomic and
 * durable write transaction at a time, automatic map growth. See specs/storage-engine.md.
 */
package io.axivon.common.store;
