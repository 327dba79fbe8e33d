package io.axivon.node.validator;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.bls.BlsPublicKey;
import io.axivon.consensus.node.ConsensusGenesis;
import io.axivon.consensus.types.Validator;
import io.axivon.consensus.types.ValidatorSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The genesis file of a chain ({@code genesis.json}), shared by every node of it: chain id, genesis
 * time (Unix milliseconds), validators (BLS public key, power) and the app hash before block 1.
 */
public final class GenesisFile {
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  record ValidatorEntry(
      @JsonProperty(value = "publicKey", required = true) String publicKey,
      @JsonProperty(value = "power", required = true) long power) {}

  record Document(
      @JsonProperty(value = "chainId", required = true) String chainId,
      @JsonProperty(value = "genesisTimeMillis", required = true) long genesisTimeMillis,
      @JsonProperty(value = "validators", required = true) List<ValidatorEntry> validators,
      @JsonProperty(value = "appHash", required = true) String appHash) {}

  private GenesisFile() {}

  public static ConsensusGenesis read(Path file) {
    Document d;
    try {
      d = JSON.readValue(file.toFile(), Document.class);
    } catch (IOException e) {
      throw new InvalidInputException(
          "cannot read genesis " + file + ": " + e.getMessage().lines().findFirst().orElse(""));
    }
    try {
      List<Validator> validators = new ArrayList<>();
      for (ValidatorEntry v : d.validators()) {
        validators.add(
            new Validator(BlsPublicKey.fromBytes(Bytes.fromHexString(v.publicKey())), v.power()));
      }
      return new ConsensusGenesis(
          d.chainId(),
          d.genesisTimeMillis(),
          ValidatorSet.of(validators),
          Bytes32.fromHexString(d.appHash()));
    } catch (RuntimeException e) {
      throw new InvalidInputException("invalid genesis " + file + ": " + e.getMessage());
    }
  }

  public static void write(Path file, ConsensusGenesis genesis) {
    List<ValidatorEntry> validators =
        genesis.validators().validators().stream()
            .map(v -> new ValidatorEntry(v.publicKey().toBytes().toHexString(), v.power()))
            .toList();
    Document d =
        new Document(
            genesis.chainId(),
            genesis.genesisTimeMillis(),
            validators,
            genesis.appHash().toHexString());
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      JSON.writeValue(file.toFile(), d);
    } catch (IOException e) {
      throw new InvalidInputException("cannot write genesis " + file + ": " + e.getMessage());
    }
  }
}
