package io.axivon.node.compute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1Signature;
import io.axivon.sdk.compute.ResponseReceipt;
import io.axivon.sdk.compute.SignedReceipt;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A receipt the CLI keeps for each signed-response answer (specs/cli.md, {@code compute request}):
 * the provider's signed {@link ResponseReceipt}, the EVM chain id it was signed for and, when small
 * enough for a dispute, the response body delivered. {@code axivon compute dispute} reads these
 * files back.
 *
 * @param body the delivered response body, when at most {@link #MAX_BODY} bytes
 */
public record EvidenceFile(long chainId, SignedReceipt receipt, Optional<Bytes> body) {
  /** Largest body kept: the serving module's limit for a metering dispute. */
  public static final int MAX_BODY = 256 * 1024;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * Where {@code compute request} keeps a receipt: one file per chain, provider, user and nonce.
   */
  public static Path path(Path stateDir, long chainId, ResponseReceipt r) {
    return stateDir
        .resolve("receipts")
        .resolve(Long.toString(chainId))
        .resolve(r.provider().toLowerHex())
        .resolve(r.user().toLowerHex() + "-" + r.nonce() + ".json");
  }

  /** Writes the file atomically (a temporary file moved over it). */
  public void write(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    ObjectNode doc = JSON.createObjectNode();
    doc.put("chainId", chainId);
    ResponseReceipt r = receipt.receipt();
    ObjectNode rn = doc.putObject("receipt");
    rn.put("user", r.user().toString());
    rn.put("provider", r.provider().toString());
    rn.put("service", r.service());
    rn.put("nonce", r.nonce().toString());
    rn.put("fee", r.fee().toString());
    rn.put("requestHash", r.requestHash().toHexString());
    rn.put("responseHash", r.responseHash().toHexString());
    rn.put("outputUnits", r.outputUnits().toString());
    doc.put("signature", receipt.signature().encode().toHexString());
    body.ifPresent(b -> doc.put("body", b.toHexString()));
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, JSON.writeValueAsBytes(doc));
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Reads an evidence file.
   *
   * @throws InvalidInputException naming the file and the field that is missing or malformed
   */
  public static EvidenceFile read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException("no such evidence file: " + file);
    }
    JsonNode doc;
    try {
      doc = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new InvalidInputException("evidence file " + file + " is not JSON: " + e.getMessage());
    }
    try {
      JsonNode r = field(doc, "receipt");
      ResponseReceipt receipt =
          new ResponseReceipt(
              Address.fromHex(text(r, "user")),
              Address.fromHex(text(r, "provider")),
              text(r, "service"),
              new BigInteger(text(r, "nonce")),
              new BigInteger(text(r, "fee")),
              Bytes32.fromHexString(text(r, "requestHash")),
              Bytes32.fromHexString(text(r, "responseHash")),
              new BigInteger(text(r, "outputUnits")));
      Secp256k1Signature sig =
          Secp256k1Signature.decode(Bytes.fromHexString(text(doc, "signature")));
      Optional<Bytes> body =
          doc.hasNonNull("body")
              ? Optional.of(Bytes.fromHexString(doc.get("body").asText()))
              : Optional.empty();
      return new EvidenceFile(
          field(doc, "chainId").asLong(), new SignedReceipt(receipt, sig), body);
    } catch (IllegalArgumentException | InvalidInputException e) {
      throw new InvalidInputException("evidence file " + file + ": " + e.getMessage());
    }
  }

  private static JsonNode field(JsonNode n, String name) {
    JsonNode v = n.get(name);
    if (v == null || v.isNull()) {
      throw new InvalidInputException("missing field " + name);
    }
    return v;
  }

  private static String text(JsonNode n, String name) {
    return field(n, name).asText();
  }
}
