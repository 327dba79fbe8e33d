package io.axivon.node.compute;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.HdKeys;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.node.cli.ExitCodes;
import io.axivon.node.cli.JsonOutput;
import io.axivon.node.storage.StorageNodeConfig;
import io.axivon.node.validator.ValidatorKeyFile;
import io.axivon.sdk.compute.ComputeClient;
import io.axivon.sdk.compute.ServiceInfo;
import io.axivon.sdk.compute.ServingClient;
import io.axivon.sdk.compute.ServingDomain;
import io.axivon.sdk.compute.SubAccount;
import io.axivon.sdk.compute.Verifiability;
import io.axivon.sdk.eth.EthClient;
import io.axivon.sdk.eth.Receipt;
import io.axivon.sdk.rpc.JsonRpcClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.tuweni.bytes.Bytes;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "compute",
    mixinStandardHelpOptions = true,
    description =
        "The compute market as a user: list services on chain 0, fund the prepaid ledger, move funds to a provider, send signed requests through a provider's gateway, ask refunds back, read balances, dispute a provider's signed receipts.",
    subcommands = {
      ComputeCommand.Services.class,
      ComputeCommand.Fund.class,
      ComputeCommand.Transfer.class,
      ComputeCommand.Request.class,
      ComputeCommand.Refund.class,
      ComputeCommand.Withdraw.class,
      ComputeCommand.Balance.class,
      ComputeBond.class,
      ComputeDispute.class
    })
public final class ComputeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return ExitCodes.OK;
  }

  /** The development accounts {@link Genesis#devnet} funds (m/44'/60'/0'/0/0..9). */
  static final int DEV_ACCOUNTS = 10;

  /** Chain 0 and the serving module, shared by every subcommand. */
  public static final class ChainOptions {
    @Option(
        names = "--chain-rpc",
        paramLabel = "URL",
        defaultValue = "http://127.0.0.1:8545/",
        description = "Chain 0's Ethereum JSON-RPC (default ${DEFAULT-VALUE}).")
    String chainRpc;

    @Option(
        names = "--serving",
        paramLabel = "ADDR",
        defaultValue = "0x0000000000000000000000000000000000001005",
        description = "The serving module (default the devnet's ${DEFAULT-VALUE}).")
    String serving;

    @Option(names = "--json", description = "Print the result as one JSON document.")
    boolean json;

    ServingClient client() {
      URI url = StorageNodeConfig.parseUrl(chainRpc);
      return new ServingClient(
          new EthClient(new JsonRpcClient(url, Duration.ofSeconds(10))),
          ComputeGatewayConfig.Chain.servingAddress(serving),
          Duration.ofSeconds(60));
    }
  }

  /** Who signs: a key file or a devnet development account. */
  public static final class Signer {
    @Option(
        names = "--key-file",
        paramLabel = "FILE",
        description =
            "The account's secp256k1 private key as 64 hex digits (0x optional), the format of a validator's fee.key.")
    Path keyFile;

    @Option(
        names = "--dev-account",
        paramLabel = "N",
        description = "Devnet development account N (0..9) of the devnet mnemonic.")
    Integer devAccount;

    Secp256k1PrivateKey key() {
      if (keyFile != null) {
        if (!Files.isRegularFile(keyFile)) {
          throw new InvalidInputException("no such key file: " + keyFile);
        }
        return ValidatorKeyFile.loadFeeKey(keyFile);
      }
      if (devAccount < 0 || devAccount >= DEV_ACCOUNTS) {
        throw new InvalidInputException(
            "--dev-account must be 0.." + (DEV_ACCOUNTS - 1) + ", got " + devAccount);
      }
      return HdKeys.ethereumAccount(Genesis.DEV_MNEMONIC, "", devAccount);
    }
  }

  /** An amount: wei, or AXN with the suffix {@code axn} ({@code 1.5axn}). */
  static BigInteger amount(String text) {
    String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    try {
      BigInteger wei =
          t.endsWith("axn")
              ? new BigDecimal(t.substring(0, t.length() - 3).strip())
                  .multiply(new BigDecimal(Genesis.AXN))
                  .toBigIntegerExact()
              : new BigInteger(t);
      if (wei.signum() <= 0) {
        throw new InvalidInputException("amount must be positive, got " + text);
      }
      return wei;
    } catch (NumberFormatException | ArithmeticException e) {
      throw new InvalidInputException(
          "amount must be whole wei (e.g. 1000) or AXN with the suffix axn (e.g. 1.5axn), got "
              + text);
    }
  }

  static Address address(String what, String text) {
    try {
      return Address.fromHex(text.startsWith("0x") ? text : "0x" + text);
    } catch (InvalidInputException e) {
      throw new InvalidInputException(what + " is not a 20-byte hex address: " + text);
    }
  }

  static Map<String, Object> service(ServiceInfo s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("provider", s.provider().toString());
    m.put("name", s.name());
    m.put("type", s.serviceType());
    m.put("url", s.url());
    m.put("model", s.model());
    m.put("inputPrice", s.inputPrice().toString());
    m.put("outputPrice", s.outputPrice().toString());
    m.put("verifiability", s.verifiability().label());
    m.put("updatedAt", s.updatedAt());
    return m;
  }

  static Map<String, Object> account(SubAccount a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("balance", a.balance().toString());
    m.put("nonce", a.nonce().toString());
    m.put("pendingRefund", a.pendingRefund().toString());
    m.put("refundUnlockBlock", a.refundUnlockBlock());
    return m;
  }

  /** Prints a transaction's outcome: JSON, or one line. */
  static Integer printTx(
      CommandSpec spec, boolean json, String what, Receipt r, Map<String, Object> more) {
    PrintWriter out = spec.commandLine().getOut();
    Map<String, Object> doc = new LinkedHashMap<>(more);
    doc.put("transaction", r.transactionHash().toHexString());
    doc.put("block", r.blockNumber());
    doc.put("gasUsed", r.gasUsed());
    if (json) {
      JsonOutput.print(out, doc);
    } else {
      out.println(what + " in block " + r.blockNumber() + " (tx " + r.transactionHash() + ")");
      out.flush();
    }
    return ExitCodes.OK;
  }

  @Command(
      name = "services",
      mixinStandardHelpOptions = true,
      description = "List the services registered on chain 0, with their prices (wei per unit).")
  public static final class Services implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ChainOptions chain;

    @Override
    public Integer call() {
      List<ServiceInfo> all = chain.client().listServices();
      PrintWriter out = spec.commandLine().getOut();
      if (chain.json) {
        List<Map<String, Object>> doc = new ArrayList<>();
        all.forEach(s -> doc.add(service(s)));
        JsonOutput.print(out, Map.of("services", doc));
        return ExitCodes.OK;
      }
      if (all.isEmpty()) {
        out.println("No services registered.");
      }
      for (ServiceInfo s : all) {
        out.println(
            s.provider()
                + "  "
                + s.name()
                + "  "
                + s.url()
                + "  in "
                + s.inputPrice()
                + " / out "
                + s.outputPrice()
                + " wei per unit  "
                + s.verifiability().label());
      }
      out.flush();
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "fund",
      mixinStandardHelpOptions = true,
      description = "Deposit AMOUNT into the signer's prepaid ledger balance on chain 0.")
  public static final class Fund implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ChainOptions chain;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Signer signer;

    @Parameters(paramLabel = "AMOUNT", description = "Wei, or AXN with the suffix axn (1.5axn).")
    String amount;

    @Override
    public Integer call() throws InterruptedException {
      BigInteger wei = amount(amount);
      Secp256k1PrivateKey key = signer.key();
      ServingClient c = chain.client();
      Receipt r = c.deposit(key, wei);
      return printTx(
          spec,
          chain.json,
          "Deposited " + wei + " wei for " + key.address(),
          r,
          Map.of(
              "user",
              key.address().toString(),
              "deposited",
              wei.toString(),
              "balance",
              c.balance(key.address()).toString()));
    }
  }

  @Command(
      name = "transfer",
      mixinStandardHelpOptions = true,
      description =
          "Move AMOUNT from the signer's ledger balance to its sub-account with PROVIDER, which the provider's gateway charges.")
  public static final class Transfer implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ChainOptions chain;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Signer signer;

    @Parameters(index = "0", paramLabel = "PROVIDER", description = "The provider's address.")
    String provider;

    @Parameters(index = "1", paramLabel = "AMOUNT", description = "Wei, or AXN (1.5axn).")
    String amount;

    @Override
    public Integer call() throws InterruptedException {
      Address p = address("PROVIDER", provider);
      BigInteger wei = amount(amount);
      Secp256k1PrivateKey key = signer.key();
      ServingClient c = chain.client();
      Receipt r = c.transferFund(key, p, wei);
      Map<String, Object> more = new LinkedHashMap<>();
      more.put("user", key.address().toString());
      more.put("provider", p.toString());
      more.put("transferred", wei.toString());
      more.put("account", account(c.account(key.address(), p)));
      return printTx(spec, chain.json, "Transferred " + wei + " wei to " + p, r, more);
    }
  }

  @Command(
      name = "refund",
      mixinStandardHelpOptions = true,
      description = {
        "Ask AMOUNT back from the sub-account with PROVIDER: it stays chargeable by the provider for the lock period (blocks), then --process returns it to the ledger balance.",
        "With --process (and no AMOUNT) return a refund whose lock has passed."
      })
  public static final class Refund implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ChainOptions chain;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Signer signer;

    @Parameters(index = "0", paramLabel = "PROVIDER", description = "The provider's address.")
    String provider;

    @Parameters(
        index = "1",
        arity = "0..1",
        paramLabel = "AMOUNT",
        description = "Wei, or AXN (1.5axn); not with --process.")
    String amount;

    @Option(names = "--process", description = "Return the pending refund whose lock has passed.")
    boolean process;

    @Override
    public Integer call() throws InterruptedException {
      Address p = address("PROVIDER", provider);
      if (process == (amount != null)) {
        throw new InvalidInputException("give either AMOUNT (to ask a refund) or --process");
      }
      Secp256k1PrivateKey key = signer.key();
      ServingClient c = chain.client();
      Receipt r = process ? c.processRefund(key, p) : c.requestRefund(key, p, amount(amount));
      Map<String, Object> more = new LinkedHashMap<>();
      more.put("user", key.address().toString());
      more.put("provider", p.toString());
      more.put("account", account(c.account(key.address(), p)));
      more.put("balance", c.balance(key.address()).toString());
      return printTx(
          spec,
          chain.json,
          process ? "Refund returned to the ledger" : "Refund of " + amount + " requested",
          r,
          more);
    }
  }

  @Command(
      name = "withdraw",
      mixinStandardHelpOptions = true,
      description = "Take AMOUNT of the ledger balance back to the signer's account.")
  public static final class Withdraw implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ChainOptions chain;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Signer signer;

    @Parameters(paramLabel = "AMOUNT", description = "Wei, or AXN (1.5axn).")
    String amount;

    @Override
    public Integer call() throws InterruptedException {
      BigInteger wei = amount(amount);
      Secp256k1PrivateKey key = signer.key();
      ServingClient c = chain.client();
      Receipt r = c.withdraw(key, wei);
      return printTx(
          spec,
          chain.json,
          "Withdrew " + wei + " wei",
          r,
          Map.of(
              "user",
              key.address().toString(),
              "withdrawn",
              wei.toString(),
              "balance",
              c.balance(key.address()).toString()));
    }
  }

  @Command(
      name = "balance",
      mixinStandardHelpOptions = true,
      description =
          "Print ADDRESS's ledger balance and, with --provider, its sub-account with that provider (balance, last settled nonce, pending refund).")
  public static final class Balance implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ChainOptions chain;

    @Parameters(paramLabel = "ADDRESS", description = "The user's address.")
    String user;

    @Option(names = "--provider", paramLabel = "ADDR", description = "Also this sub-account.")
    String provider;

    @Override
    public Integer call() {
      Address u = address("ADDRESS", user);
      ServingClient c = chain.client();
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("user", u.toString());
      doc.put("balance", c.balance(u).toString());
      if (provider != null) {
        Address p = address("--provider", provider);
        doc.put("provider", p.toString());
        doc.put("account", account(c.account(u, p)));
      }
      PrintWriter out = spec.commandLine().getOut();
      if (chain.json) {
        JsonOutput.print(out, doc);
      } else {
        doc.forEach((k, v) -> out.println(String.format("%-9s", k) + " " + v));
        out.flush();
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "request",
      mixinStandardHelpOptions = true,
      description = {
        "Send one signed request through a provider's gateway and print the answer.",
        "The fee signed is the service's input price times the body's bytes plus what is owed for the output of earlier answers from this service: the CLI works that out itself (output price times the answer's bytes) and keeps it in --state-dir, or --owed says it. The nonce defaults to the time in microseconds, above the last one settled. A signed-response answer is verified against the provider's key."
      })
  public static final class Request implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ChainOptions chain;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Signer signer;

    @Option(
        names = "--gateway",
        paramLabel = "URL",
        description = "The gateway (default the service's registered url).")
    String gateway;

    @Option(
        names = "--provider",
        paramLabel = "ADDR",
        required = true,
        description = "The provider.")
    String provider;

    @Option(names = "--service", paramLabel = "NAME", required = true, description = "The service.")
    String service;

    @Option(
        names = "--path",
        paramLabel = "PATH",
        defaultValue = "/v1/digest",
        description = "Upstream path (default ${DEFAULT-VALUE}, the demo service's).")
    String path;

    @Option(names = "--data", paramLabel = "TEXT", description = "The request body.")
    String data;

    @Option(names = "--file", paramLabel = "FILE", description = "The request body from a file.")
    Path file;

    @Option(
        names = "--owed",
        paramLabel = "WEI",
        description =
            "Owed for earlier output, instead of what --state-dir recorded from earlier answers.")
    String owed;

    @Option(
        names = "--state-dir",
        paramLabel = "DIR",
        defaultValue = "${sys:user.home}/.axivon/compute",
        description =
            "Where the CLI records what is owed for earlier output, and keeps signed-response receipts as dispute evidence under receipts/ (default ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--nonce", paramLabel = "N", description = "The request nonce.")
    Long nonce;

    @Override
    public Integer call() throws IOException, InterruptedException {
      if ((data == null) == (file == null)) {
        throw new InvalidInputException("give the body with either --data TEXT or --file FILE");
      }
      if (!path.startsWith("/")) {
        throw new InvalidInputException("--path must start with /, got " + path);
      }
      Bytes body;
      if (file != null) {
        if (!Files.isRegularFile(file)) {
          throw new InvalidInputException("no such file: " + file);
        }
        body = Bytes.wrap(Files.readAllBytes(file));
      } else {
        body = Bytes.wrap(data.getBytes(StandardCharsets.UTF_8));
      }
      Address p = address("--provider", provider);
      Secp256k1PrivateKey key = signer.key();
      ServingClient c = chain.client();
      ServiceInfo s = c.getService(p, service);
      long evmChainId = c.eth().chainId();
      OwedLedger ledger = new OwedLedger(stateDir.resolve("owed.json"));
      String slot = OwedLedger.slot(evmChainId, p, service, key.address());
      BigInteger owedWei;
      try {
        owedWei = owed == null ? ledger.owed(slot) : new BigInteger(owed);
      } catch (NumberFormatException e) {
        throw new InvalidInputException("--owed must be whole wei, got " + owed);
      }
      if (owedWei.signum() < 0) {
        throw new InvalidInputException("--owed must not be negative, got " + owed);
      }
      long n =
          nonce != null
              ? nonce
              : Math.max(
                  c.account(key.address(), p).nonce().longValueExact() + 1,
                  System.currentTimeMillis() * 1000);
      BigInteger fee = s.inputPrice().multiply(BigInteger.valueOf(body.size())).add(owedWei);
      URI base = StorageNodeConfig.parseUrl(gateway == null ? s.url() : gateway);
      URI url = URI.create(base.toString().replaceAll("/+$", "") + path);
      ComputeClient.Response r;
      ServingDomain domain =
          new ServingDomain(
              BigInteger.valueOf(evmChainId),
              ComputeGatewayConfig.Chain.servingAddress(chain.serving));
      try (HttpClient http = HttpClient.newHttpClient()) {
        r =
            new ComputeClient(http, key, domain, Duration.ofSeconds(60))
                .post(url, p, service, n, fee, body);
      } catch (io.axivon.sdk.compute.ComputeException e) {
        if (e.status() == 402 && owed == null && e.getMessage().contains("owed")) {
          throw new io.axivon.sdk.compute.ComputeException(
              e.getMessage()
                  + "; "
                  + stateDir.resolve("owed.json")
                  + " records "
                  + owedWei
                  + " wei owed: if earlier answers were received elsewhere, pass --owed WEI",
              e.status(),
              e);
        }
        throw e;
      }
      if (r.status() < 400) {
        // this request paid what was owed; its own output is owed now
        ledger.set(slot, s.outputPrice().multiply(BigInteger.valueOf(r.body().size())));
      }
      boolean signed = r.signature().isPresent();
      boolean verified =
          signed && ComputeClient.verifyResponse(p, r.requestHash(), r.body(), r.signature().get());
      if (s.verifiability() == Verifiability.SIGNED_RESPONSE && !verified) {
        throw new IllegalStateException(
            "the answer is not signed by provider "
                + p
                + " although the service is signed-response: keep it as evidence");
      }
      // the provider's signed receipt: kept as evidence a dispute can submit
      Path receiptFile = null;
      boolean overmetered = false;
      if (r.receipt().isPresent() && r.receipt().get().verify(domain.separator())) {
        io.axivon.sdk.compute.SignedReceipt sr = r.receipt().get();
        receiptFile = EvidenceFile.path(stateDir, evmChainId, sr.receipt());
        new EvidenceFile(
                evmChainId,
                sr,
                r.body().size() <= EvidenceFile.MAX_BODY
                    ? java.util.Optional.of(r.body())
                    : java.util.Optional.empty())
            .write(receiptFile);
        overmetered =
            sr.receipt().outputUnits().compareTo(BigInteger.valueOf(r.body().size())) > 0
                && sr.receipt()
                    .responseHash()
                    .equals(io.axivon.common.crypto.Hashes.keccak256(r.body()));
        if (overmetered) {
          spec.commandLine()
              .getErr()
              .println(
                  "the provider metered "
                      + sr.receipt().outputUnits()
                      + " output units for an answer of "
                      + r.body().size()
                      + " bytes: dispute it with `axivon compute dispute "
                      + receiptFile
                      + "`");
        }
      }
      PrintWriter out = spec.commandLine().getOut();
      String text = new String(r.body().toArrayUnsafe(), StandardCharsets.UTF_8);
      if (chain.json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("status", r.status());
        doc.put("nonce", n);
        doc.put("fee", fee.toString());
        doc.put("owed", r.owed().toString());
        doc.put("requestHash", r.requestHash().toHexString());
        doc.put("verified", verified);
        if (receiptFile != null) {
          doc.put("receipt", receiptFile.toString());
          doc.put("overmetered", overmetered);
        }
        doc.put("body", text);
        JsonOutput.print(out, doc);
      } else {
        out.println(text);
        out.flush();
        spec.commandLine()
            .getErr()
            .println(
                "status "
                    + r.status()
                    + ", nonce "
                    + n
                    + ", fee "
                    + fee
                    + " wei, owed "
                    + r.owed()
                    + " wei"
                    + (verified ? ", response signature verified" : ""));
      }
      return r.status() < 400 ? ExitCodes.OK : ExitCodes.FAILURE;
    }
  }
}
