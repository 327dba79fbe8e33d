/** Client of a KV node's kv_* JSON-RPC (specs/kv-rpc.md). */
package io.axivon.sdk.kv;
