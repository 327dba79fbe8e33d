package io.axivon.node.p2pnode;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.keystore.KeyFiles;
import io.axivon.p2p.NodeKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A node's P2P identity on disk: the 32-byte Ed25519 seed as hex, readable by its owner only (like
 * geth's {@code nodekey}): the node must start unattended, so it is not passphrase-protected.
 */
public final class NodeKeyFile {
  private NodeKeyFile() {}

  /** Reads the key at {@code file}, or creates one there if the file does not exist. */
  public static NodeKey loadOrCreate(Path file) {
    if (Files.exists(file)) {
      return load(file);
    }
    NodeKey key = NodeKey.generate();
    write(file, key);
    return key;
  }

  public static NodeKey load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      throw new InvalidInputException("cannot read node key " + file + ": " + e.getMessage());
    }
    if (!text.matches("(0x)?[0-9a-fA-F]{64}")) {
      throw new InvalidInputException(
          "node key "
              + file
              + " is not 64 hex digits (an Ed25519 seed); delete it to make a new one");
    }
    return NodeKey.fromSeed(Bytes32.fromHexString(text));
  }

  private static void write(Path file, NodeKey key) {
    KeyFiles.writeNew(file, key.seed().toUnprefixedHexString() + "\n");
  }
}
