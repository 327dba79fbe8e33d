package io.axivon.node.compute;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.sdk.compute.Bond;
import io.axivon.sdk.compute.ServingClient;
import io.axivon.sdk.eth.Receipt;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code axivon compute bond}: a provider's bond in the serving module, which disputes charge. */
@Command(
    name = "bond",
    mixinStandardHelpOptions = true,
    description = {
      "As a provider: add AMOUNT to the signer's bond in the serving module (what disputes of its signed receipts are paid from), ask AMOUNT back with --unbond (withdrawable after the refund lock, and chargeable by disputes until then), or take it with --withdraw."
    })
public final class ComputeBond implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ComputeCommand.ChainOptions chain;

  @ArgGroup(exclusive = true, multiplicity = "1")
  ComputeCommand.Signer signer;

  @Parameters(
      arity = "0..1",
      paramLabel = "AMOUNT",
      description = "Wei, or AXN with the suffix axn (1.5axn).")
  String amount;

  @Option(names = "--unbond", description = "Ask AMOUNT of the bond back.")
  boolean unbond;

  @Option(names = "--withdraw", description = "Take the unlocked unbonding amount back.")
  boolean withdraw;

  @Override
  public Integer call() throws InterruptedException {
    if (withdraw == (amount != null)) {
      throw new InvalidInputException(
          "give either AMOUNT (with or without --unbond) or --withdraw");
    }
    if (withdraw && unbond) {
      throw new InvalidInputException("--unbond and --withdraw exclude each other");
    }
    Secp256k1PrivateKey key = signer.key();
    ServingClient c = chain.client();
    Receipt r;
    String what;
    if (withdraw) {
      r = c.withdrawBond(key);
      what = "Withdrew the unlocked bond of " + key.address();
    } else {
      BigInteger wei = ComputeCommand.amount(amount);
      r = unbond ? c.requestUnbond(key, wei) : c.depositBond(key, wei);
      what = (unbond ? "Asked back " : "Bonded ") + wei + " wei for " + key.address();
    }
    Bond b = c.bond(key.address());
    Map<String, Object> bond = new LinkedHashMap<>();
    bond.put("amount", b.amount().toString());
    bond.put("pendingUnbond", b.pendingUnbond().toString());
    bond.put("unlockBlock", b.unlockBlock());
    Map<String, Object> more = new LinkedHashMap<>();
    more.put("provider", key.address().toString());
    more.put("bond", bond);
    return ComputeCommand.printTx(spec, chain.json, what, r, more);
  }
}
