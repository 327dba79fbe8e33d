package io.axivon.node.compute;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.axivon.common.InvalidInputException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the user of {@code axivon compute request} owes each provider for output already received
 * (specs/compute.md section 7: output is paid with the next request). The client works it out
 * itself from each answer's size and the service's registered output price, so it never pays what a
 * gateway merely claims. One small JSON file, replaced atomically.
 */
final class OwedLedger {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path file;

  OwedLedger(Path file) {
    this.file = file;
  }

  /** The slot of one user's account with one provider's service on one chain. */
  static String slot(long evmChainId, Object provider, String service, Object user) {
    return evmChainId + "/" + provider + "/" + service + "/" + user;
  }

  BigInteger owed(String slot) {
    String v = read().get(slot);
    return v == null ? BigInteger.ZERO : new BigInteger(v);
  }

  void set(String slot, BigInteger wei) {
    Map<String, String> all = read();
    if (wei.signum() == 0) {
      all.remove(slot);
    } else {
      all.put(slot, wei.toString());
    }
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      JSON.writeValue(tmp.toFile(), all);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new IllegalStateException("cannot record what is owed in " + file + ": " + e, e);
    }
  }

  private Map<String, String> read() {
    if (!Files.exists(file)) {
      return new TreeMap<>();
    }
    try {
      return new TreeMap<>(
          JSON.readValue(file.toFile(), new TypeReference<Map<String, String>>() {}));
    } catch (IOException e) {
      throw new InvalidInputException(
          "cannot read " + file + " (what is owed for earlier output): " + e.getMessage());
    }
  }
}
