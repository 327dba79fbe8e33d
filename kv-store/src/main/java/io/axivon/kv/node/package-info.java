/**
 * The KV node shell: follows the flow, downloads its streams' KV transactions from storage nodes,
 * feeds them to the replay core in tx seq order, and serves the kv_* JSON-RPC (specs/kv-rpc.md).
 */
package io.axivon.kv.node;
