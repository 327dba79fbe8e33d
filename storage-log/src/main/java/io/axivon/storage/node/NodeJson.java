package io.axivon.storage.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON of what only a storage node answers (the shapes clients read are in the sdk's StorageJson).
 */
final class NodeJson {
  private NodeJson() {}

  static ObjectNode status(ObjectMapper mapper, StorageService.Status s) {
    ObjectNode o = mapper.createObjectNode();
    o.put("connectedPeers", s.connectedPeers());
    o.put("logSyncHeight", s.sync().height());
    o.put("logSyncBlock", s.sync().blockHash().toHexString());
    o.put("nextTxSeq", s.nextTxSeq());
    ObjectNode id = o.putObject("networkIdentity");
    id.put("chainId", s.identity().chainId());
    id.put("flowAddress", s.identity().flowAddress().toLowerCase(java.util.Locale.ROOT));
    ObjectNode version = id.putObject("p2pProtocolVersion");
    version.put("major", 0);
    version.put("minor", 4);
    version.put("build", 0);
    return o;
  }

  static ObjectNode shardConfig(ObjectMapper mapper, ShardConfig c) {
    ObjectNode o = mapper.createObjectNode();
    o.put("shardId", c.shardId());
    o.put("numShard", c.numShard());
    return o;
  }
}
