package io.axivon.node.erasure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.common.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code axivon erasure encode} writes beside the shards ({@code manifest.json}): enough to
 * decode from any k of them and to tell a corrupt shard from a good one.
 */
record ShardManifest(int k, int m, long originalSize, long shardSize, List<Shard> shards) {
  static final String FILE = "manifest.json";
  static final int VERSION = 1;

  /** One shard file: its index (0..k-1 data, k..k+m-1 parity), name and SHA-256 (hex). */
  record Shard(int index, String file, String sha256) {}

  static String shardFile(int index) {
    return String.format("shard-%02d", index);
  }

  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("version", VERSION);
    json.put("code", "reed-solomon-gf256-0x11d-isal-cauchy1");
    json.put("k", k);
    json.put("m", m);
    json.put("originalSize", originalSize);
    json.put("shardSize", shardSize);
    json.put("shards", shards);
    return json;
  }

  /**
   * Reads and checks {@code dir/manifest.json}; every problem is an {@link InvalidInputException}.
   */
  static ShardManifest read(Path dir) {
    Path file = dir.resolve(FILE);
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new InvalidInputException("missing manifest: " + file + " does not exist");
    } catch (IOException e) {
      throw new InvalidInputException("corrupt manifest " + file + ": not JSON");
    }
    if (root == null || !root.isObject()) {
      throw new InvalidInputException("corrupt manifest " + file + ": not a JSON object");
    }
    if (root.path("version").asInt(-1) != VERSION) {
      throw new InvalidInputException(
          "corrupt manifest " + file + ": \"version\" must be " + VERSION);
    }
    int k = intField(root, "k", file);
    int m = intField(root, "m", file);
    ErasureCommand.checkShape(k, m);
    long originalSize = longField(root, "originalSize", file);
    long shardSize = longField(root, "shardSize", file);
    if (shardSize != ErasureCommand.shardSize(originalSize, k)) {
      throw new InvalidInputException(
          "corrupt manifest "
              + file
              + ": shardSize "
              + shardSize
              + " does not fit originalSize "
              + originalSize
              + " and k "
              + k);
    }
    JsonNode list = root.path("shards");
    if (!list.isArray() || list.size() != k + m) {
      throw new InvalidInputException(
          "corrupt manifest " + file + ": \"shards\" must list k + m = " + (k + m) + " shards");
    }
    List<Shard> shards = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode s = list.get(i);
      String sha = s.path("sha256").asText("");
      if (s.path("index").asInt(-1) != i
          || !shardFile(i).equals(s.path("file").asText())
          || !sha.matches("[0-9a-f]{64}")) {
        throw new InvalidInputException(
            "corrupt manifest " + file + ": entry " + i + " of \"shards\" is malformed");
      }
      shards.add(new Shard(i, shardFile(i), sha));
    }
    return new ShardManifest(k, m, originalSize, shardSize, List.copyOf(shards));
  }

  private static int intField(JsonNode root, String name, Path file) {
    JsonNode n = root.path(name);
    if (!n.canConvertToInt()) {
      throw new InvalidInputException("corrupt manifest " + file + ": no integer \"" + name + "\"");
    }
    return n.asInt();
  }

  private static long longField(JsonNode root, String name, Path file) {
    JsonNode n = root.path(name);
    if (!n.canConvertToLong() || n.asLong() < 0) {
      throw new InvalidInputException(
          "corrupt manifest " + file + ": no non-negative integer \"" + name + "\"");
    }
    return n.asLong();
  }
}
