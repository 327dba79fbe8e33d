package io.axivon.node.compute;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.node.cli.ExitCodes;
import io.axivon.sdk.compute.ResponseReceipt;
import io.axivon.sdk.compute.ServingAbi;
import io.axivon.sdk.compute.ServingClient;
import io.axivon.sdk.compute.ServingDomain;
import io.axivon.sdk.compute.SignedReceipt;
import io.axivon.sdk.eth.Log;
import io.axivon.sdk.eth.Receipt;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code axivon compute dispute}: submits evidence against a signed-response provider to the
 * serving module (specs/compute.md section 8.1), checking it locally first so a dispute that cannot
 * succeed fails with its reason before any transaction.
 */
@Command(
    name = "dispute",
    mixinStandardHelpOptions = true,
    description = {
      "Charge a signed-response provider's bond with evidence the serving module verifies on chain: the request's fee and a penalty go to the user's ledger balance.",
      "One EVIDENCE_FILE (a receipt `compute request` kept under --state-dir/receipts, with the answer's body): the provider metered more output units than the body it signed has bytes.",
      "Two files: two different receipts the provider signed for the same request (equivocation).",
      "Anyone may submit (the signer pays the gas); the payment always goes to the request's user. A request is disputed at most once."
    })
public final class ComputeDispute implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ComputeCommand.ChainOptions chain;

  @ArgGroup(exclusive = true, multiplicity = "1")
  ComputeCommand.Signer signer;

  @Parameters(
      index = "0",
      paramLabel = "EVIDENCE_FILE",
      description = "A receipt file kept by compute request.")
  Path evidence;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "OTHER_RECEIPT",
      description = "A second receipt for the same request: an equivocation dispute.")
  Path other;

  @Override
  public Integer call() throws InterruptedException {
    EvidenceFile a = EvidenceFile.read(evidence);
    Secp256k1PrivateKey key = signer.key();
    ServingClient c = chain.client();
    long chainId = c.eth().chainId();
    if (a.chainId() != chainId) {
      throw new InvalidInputException(
          "evidence of chain " + a.chainId() + ", but --chain-rpc serves chain " + chainId);
    }
    Bytes32 separator =
        new ServingDomain(
                BigInteger.valueOf(chainId),
                ComputeGatewayConfig.Chain.servingAddress(chain.serving))
            .separator();
    check(a.receipt(), separator, evidence);
    ResponseReceipt r = a.receipt().receipt();
    String kind;
    Receipt tx;
    if (other == null) {
      kind = "overmetered";
      Bytes body =
          a.body()
              .orElseThrow(
                  () ->
                      new InvalidInputException(
                          evidence + " keeps no response body: a metering dispute needs it"));
      if (!Hashes.keccak256(body).equals(r.responseHash())) {
        throw new InvalidInputException(
            evidence + ": the body kept does not hash to the receipt's response hash");
      }
      if (r.outputUnits().compareTo(BigInteger.valueOf(body.size())) <= 0) {
        throw new InvalidInputException(
            "the receipt meters "
                + r.outputUnits()
                + " output units for a body of "
                + body.size()
                + " bytes: no overcharge to dispute");
      }
      tx = c.disputeMetering(key, a.receipt(), body);
    } else {
      kind = "equivocation";
      EvidenceFile b = EvidenceFile.read(other);
      check(b.receipt(), separator, other);
      if (!r.sameRequest(b.receipt().receipt())) {
        throw new InvalidInputException(
            "the receipts answer different requests (user, provider, service, nonce and request"
                + " hash must all match)");
      }
      if (r.equals(b.receipt().receipt())) {
        throw new InvalidInputException("the receipts state the same response: no equivocation");
      }
      tx = c.disputeEquivocation(key, a.receipt(), b.receipt());
    }
    BigInteger paid = BigInteger.ZERO;
    Bytes32 topic = ServingAbi.topic(ServingAbi.DISPUTED);
    for (Log l : tx.logs()) {
      if (!l.topics().isEmpty() && l.topics().getFirst().equals(topic)) {
        paid = l.data().slice(64, 32).toUnsignedBigInteger();
      }
    }
    Map<String, Object> more = new LinkedHashMap<>();
    more.put("kind", kind);
    more.put("user", r.user().toString());
    more.put("provider", r.provider().toString());
    more.put("nonce", r.nonce().toString());
    more.put("paid", paid.toString());
    more.put("balance", c.balance(r.user()).toString());
    ComputeCommand.printTx(
        spec,
        chain.json,
        "Disputed request "
            + r.nonce()
            + " of "
            + r.user()
            + " ("
            + kind
            + "): "
            + paid
            + " wei paid from the bond of "
            + r.provider(),
        tx,
        more);
    return ExitCodes.OK;
  }

  private static void check(SignedReceipt s, Bytes32 separator, Path file) {
    if (!s.verify(separator)) {
      throw new InvalidInputException(
          file
              + ": the receipt is not signed by its provider "
              + s.receipt().provider()
              + " for this chain and serving module");
    }
  }
}
