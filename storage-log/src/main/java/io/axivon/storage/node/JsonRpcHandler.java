package io.axivon.storage.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * What {@link StorageRpcServer} serves: the storage node's {@link StorageRpc}, or another node's
 * methods over the same HTTP transport (the KV node's kv_* RPC).
 */
public interface JsonRpcHandler {

  /** Answers one request object or a batch array; null when nothing is to be sent back. */
  JsonNode handle(JsonNode request);

  /**
   * The tree of a request body (a missing node when it holds no JSON value); a handler may read its
   * bulky values faster than the mapper does.
   *
   * @throws IOException if the body is not JSON
   */
  default JsonNode read(ObjectMapper mapper, byte[] body) throws IOException {
    return mapper.readTree(body);
  }

  /** The response to a body that is not JSON. */
  JsonNode parseError(String detail);
}
