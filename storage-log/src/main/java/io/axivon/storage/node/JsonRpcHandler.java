package io.axivon.storage.node;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What {@link StorageRpcServer} serves: the storage node's {@link StorageRpc}, or another node's
 * methods over the same HTTP transport (the KV node's kv_* RPC).
 */
public interface JsonRpcHandler {

  /** Answers one request object or a batch array; null when nothing is to be sent back. */
  JsonNode handle(JsonNode request);

  /** The response to a body that is not JSON. */
  JsonNode parseError(String detail);
}
