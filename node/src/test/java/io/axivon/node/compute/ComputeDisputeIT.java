package io.axivon.node.compute;

import static io.axivon.node.devnet.DevnetFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.HdKeys;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.consensus.execution.serving.ServingModule;
import io.axivon.node.cli.CliResult;
import io.axivon.node.devnet.DevnetFixture;
import io.axivon.sdk.compute.ResponseReceipt;
import io.axivon.sdk.compute.ServingDomain;
import io.axivon.sdk.compute.SignedReceipt;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disputes through the CLI against chain 0 of an in-JVM devnet: a provider (development account 7)
 * bonds with {@code compute bond}; receipts it signed that overmeter an answer, or contradict each
 * other, are submitted with {@code compute dispute} by the user (account 8), who is paid the fee
 * plus the penalty from the bond once per request; evidence that proves nothing is refused before
 * any transaction, and a second dispute of the same request by the chain.
 */
class ComputeDisputeIT {
  @TempDir Path dir;

  private String rpc;

  private CliResult cli(String... args) {
    List<String> all = new ArrayList<>(List.of("compute"));
    all.addAll(List.of(args));
    all.addAll(List.of("--chain-rpc", rpc));
    return CliResult.run(all.toArray(String[]::new));
  }

  @Test
  void overmeteredAndEquivocatingReceiptsPayTheUserFromTheBondOnce() throws Exception {
    try (DevnetFixture devnet = DevnetFixture.start(dir)) {
      rpc = devnet.chainRpc();
      Secp256k1PrivateKey provider = HdKeys.ethereumAccount(Genesis.DEV_MNEMONIC, "", 7);
      Secp256k1PrivateKey user = HdKeys.ethereumAccount(Genesis.DEV_MNEMONIC, "", 8);
      long chainId = 12700;
      var sep = ServingDomain.of(chainId).separator();
      Bytes body = Bytes.wrap("{\"answer\":42}".getBytes(StandardCharsets.UTF_8));

      // no bond yet: the chain refuses, and the CLI says why
      Path over = dir.resolve("over.json");
      write(over, chainId, receipt(provider, user, 1, 30, body, body.size() + 100), sep, body);
      CliResult early = cli("dispute", over.toString(), "--dev-account", "8");
      assertThat(early.exitCode()).isEqualTo(1);
      assertThat(early.err()).contains("has no bond to pay a dispute from");

      JsonNode bonded = json(cli("bond", "1axn", "--dev-account", "7", "--json"));
      assertThat(bonded.at("/bond/amount").asText()).isEqualTo(Genesis.AXN.toString());

      BigInteger penalty = ServingModule.DISPUTE_PENALTY;
      JsonNode paid = json(cli("dispute", over.toString(), "--dev-account", "8", "--json"));
      assertThat(paid.at("/kind").asText()).isEqualTo("overmetered");
      assertThat(paid.at("/nonce").asText()).isEqualTo("1");
      assertThat(paid.at("/paid").asText())
          .isEqualTo(penalty.add(BigInteger.valueOf(30)).toString());
      assertThat(paid.at("/balance").asText()).isEqualTo(paid.at("/paid").asText());
      // the same request again: the chain refuses
      CliResult again = cli("dispute", over.toString(), "--dev-account", "8");
      assertThat(again.exitCode()).isEqualTo(1);
      assertThat(again.err()).contains("was already disputed");

      // two different receipts of request 2; anyone may submit (account 1 pays the gas)
      Path a = dir.resolve("a.json");
      Path b = dir.resolve("b.json");
      write(a, chainId, receipt(provider, user, 2, 50, body, body.size()), sep, body);
      Bytes other = Bytes.wrap("{\"answer\":41}".getBytes(StandardCharsets.UTF_8));
      write(b, chainId, receipt(provider, user, 2, 50, other, other.size()), sep, other);
      JsonNode eq =
          json(cli("dispute", a.toString(), b.toString(), "--dev-account", "1", "--json"));
      assertThat(eq.at("/kind").asText()).isEqualTo("equivocation");
      assertThat(eq.at("/user").asText()).isEqualTo(user.address().toString());
      assertThat(eq.at("/paid").asText()).isEqualTo(penalty.add(BigInteger.valueOf(50)).toString());
      JsonNode bond = json(cli("bond", "1", "--unbond", "--dev-account", "7", "--json"));
      assertThat(new BigInteger(bond.at("/bond/amount").asText()))
          .isEqualTo(
              Genesis.AXN
                  .subtract(penalty.multiply(BigInteger.TWO))
                  .subtract(BigInteger.valueOf(80)));

      // evidence that proves nothing never reaches the chain: bad input, exit code 2
      CliResult honest = cli("dispute", a.toString(), "--dev-account", "8");
      assertThat(honest.exitCode()).isEqualTo(2);
      assertThat(honest.err())
          .contains(
              "the receipt meters "
                  + body.size()
                  + " output units for a body of "
                  + body.size()
                  + " bytes: no overcharge to dispute");
      CliResult same = cli("dispute", a.toString(), a.toString(), "--dev-account", "8");
      assertThat(same.exitCode()).isEqualTo(2);
      assertThat(same.err()).contains("the receipts state the same response: no equivocation");
      Path forged = dir.resolve("forged.json");
      write(forged, chainId, receipt(user, user, 3, 1, body, 999), sep, body);
      String text = java.nio.file.Files.readString(forged);
      java.nio.file.Files.writeString(
          forged, text.replace(user.address().toString(), provider.address().toString()));
      CliResult notSigned = cli("dispute", forged.toString(), "--dev-account", "8");
      assertThat(notSigned.exitCode()).isEqualTo(2);
      assertThat(notSigned.err()).contains("the receipt is not signed by its provider");
      CliResult missing = cli("dispute", dir.resolve("nope.json").toString(), "--dev-account", "8");
      assertThat(missing.exitCode()).isEqualTo(2);
      assertThat(missing.err()).contains("no such evidence file");
    }
  }

  private static ResponseReceipt receipt(
      Secp256k1PrivateKey provider,
      Secp256k1PrivateKey user,
      long nonce,
      long fee,
      Bytes body,
      long units) {
    return new ResponseReceipt(
        user.address(),
        provider.address(),
        "svc",
        BigInteger.valueOf(nonce),
        BigInteger.valueOf(fee),
        Hashes.keccak256(Bytes.ofUnsignedLong(nonce)),
        Hashes.keccak256(body),
        BigInteger.valueOf(units));
  }

  private static void write(
      Path file, long chainId, ResponseReceipt r, org.apache.tuweni.bytes.Bytes32 sep, Bytes body)
      throws Exception {
    Secp256k1PrivateKey signer =
        HdKeys.ethereumAccount(Genesis.DEV_MNEMONIC, "", 7).address().equals(r.provider())
            ? HdKeys.ethereumAccount(Genesis.DEV_MNEMONIC, "", 7)
            : HdKeys.ethereumAccount(Genesis.DEV_MNEMONIC, "", 8);
    new EvidenceFile(chainId, new SignedReceipt(r, signer.sign(r.digest(sep))), Optional.of(body))
        .write(file);
  }
}
