package io.axivon.node.kv;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.HdKeys;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.kv.client.KvBatcher;
import io.axivon.kv.node.KvNode;
import io.axivon.kv.tx.AccessControl;
import io.axivon.node.cli.ExitCodes;
import io.axivon.node.cli.JsonOutput;
import io.axivon.node.storage.StorageNodeConfig;
import io.axivon.node.validator.ValidatorKeyFile;
import io.axivon.sdk.eth.EthClient;
import io.axivon.sdk.kv.KvClient;
import io.axivon.sdk.rpc.JsonRpcClient;
import io.axivon.sdk.storage.FlowClient;
import io.axivon.sdk.storage.StorageClient;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code axivon kv put|get|del|range|grant|revoke}: a KV stream from the command line. */
@Command(
    name = "kv",
    mixinStandardHelpOptions = true,
    description =
        "Read and write a KV stream (specs/kv.md). Reads ask a KV node's kv_* RPC; writes upload one KV transaction (submitted to the flow on chain 0, segments to storage nodes) and wait until the KV node has replayed it. Keys and values are UTF-8 text.",
    subcommands = {
      KvCommand.Put.class,
      KvCommand.Get.class,
      KvCommand.Del.class,
      KvCommand.Range.class,
      KvCommand.Grant.class,
      KvCommand.Revoke.class
    })
public final class KvCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return ExitCodes.USAGE;
  }

  /** Which stream, which KV node. */
  static final class Target {
    @Option(
        names = "--stream",
        paramLabel = "ID",
        description = "The stream (0x + 64 hex digits; default the devnet's default stream).")
    String stream;

    @Option(
        names = "--kv-node",
        paramLabel = "URL",
        defaultValue = "http://127.0.0.1:6789/",
        description = "The KV node's kv_* JSON-RPC (default ${DEFAULT-VALUE}).")
    String kvNode;

    @Option(names = "--json", description = "Print the result as one JSON document.")
    boolean json;

    Bytes32 streamId() {
      if (stream == null) {
        return KvNode.DEFAULT_STREAM;
      }
      if (!stream.matches("0x[0-9a-fA-F]{64}")) {
        throw new InvalidInputException("--stream must be 0x and 64 hex digits, got " + stream);
      }
      return Bytes32.fromHexString(stream);
    }

    KvClient client() {
      return KvClient.of(StorageNodeConfig.parseUrl(kvNode), Duration.ofSeconds(30));
    }
  }

  /** Where a write goes and who pays for it. */
  static final class Writer {
    @Option(
        names = "--chain-rpc",
        paramLabel = "URL",
        defaultValue = "http://127.0.0.1:8545/",
        description = "Chain 0's Ethereum JSON-RPC (default ${DEFAULT-VALUE}).")
    String chainRpc;

    @Option(
        names = "--node",
        paramLabel = "URL",
        description = "A storage node's zgs_* RPC (repeatable; default http://127.0.0.1:5678/).")
    List<String> nodes;

    @Option(
        names = "--flow",
        paramLabel = "ADDR",
        defaultValue = "0x0000000000000000000000000000000000001001",
        description = "The flow module (default the devnet's ${DEFAULT-VALUE}).")
    String flow;

    @Option(
        names = "--key-file",
        paramLabel = "FILE",
        description = "The paying account's secp256k1 private key (64 hex digits).")
    Path keyFile;

    @Option(
        names = "--dev-account",
        paramLabel = "N",
        description = "Devnet development account N (0..9); the default is account 0.")
    Integer devAccount;

    @Option(
        names = "--timeout",
        paramLabel = "SECONDS",
        defaultValue = "60",
        description = "How long to wait for the KV node's result (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    Secp256k1PrivateKey key() {
      if (keyFile != null && devAccount != null) {
        throw new InvalidInputException("give --key-file or --dev-account, not both");
      }
      if (keyFile != null) {
        if (!Files.isRegularFile(keyFile)) {
          throw new InvalidInputException("no such key file: " + keyFile);
        }
        return ValidatorKeyFile.loadFeeKey(keyFile);
      }
      int n = devAccount == null ? 0 : devAccount;
      if (n < 0 || n > 9) {
        throw new InvalidInputException("--dev-account must be 0..9, got " + n);
      }
      return HdKeys.ethereumAccount(Genesis.DEV_MNEMONIC, "", n);
    }

    KvBatcher batcher(KvClient kv) {
      if (timeoutSeconds < 1) {
        throw new InvalidInputException("--timeout must be positive, got " + timeoutSeconds);
      }
      URI chain = StorageNodeConfig.parseUrl(chainRpc);
      Address flowAddress = StorageNodeConfig.parseFlow(flow);
      List<URI> storage =
          (nodes == null || nodes.isEmpty() ? List.of("http://127.0.0.1:5678/") : nodes)
              .stream().map(StorageNodeConfig::parseUrl).toList();
      Secp256k1PrivateKey key = key();
      FlowClient flowClient =
          new FlowClient(
              new EthClient(new JsonRpcClient(chain, Duration.ofSeconds(30))), flowAddress);
      return new KvBatcher(
          KvBatcher.onChain(flowClient, key),
          StorageClient.of(storage, Duration.ofSeconds(60), 4),
          kv,
          Path.of(System.getProperty("java.io.tmpdir")),
          Duration.ofMillis(200));
    }
  }

  static Bytes text(String s) {
    return Bytes.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  static String utf8(Bytes b) {
    return new String(b.toArrayUnsafe(), StandardCharsets.UTF_8);
  }

  static Bytes key(String key) {
    if (key.isEmpty()) {
      throw new InvalidInputException("the key is empty: keys are 1 or more bytes");
    }
    return text(key);
  }

  /** Sends the batcher's transaction and reports it; exit 1 unless it committed. */
  static int send(CommandSpec spec, Target target, Writer writer, KvBatcher batcher)
      throws Exception {
    KvBatcher.Result r;
    try {
      r = batcher.exec(Duration.ofSeconds(writer.timeoutSeconds));
    } catch (TimeoutException e) {
      spec.commandLine().getErr().println("axivon: " + e.getMessage());
      return ExitCodes.FAILURE;
    }
    PrintWriter out = spec.commandLine().getOut();
    if (target.json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("stream", target.streamId().toHexString());
      doc.put("txSeq", r.txSeq());
      doc.put("root", r.root().toHexString());
      doc.put("result", r.result());
      JsonOutput.print(out, doc);
    } else if (r.committed()) {
      out.println("committed at version " + r.txSeq());
    }
    out.flush();
    if (!r.committed()) {
      spec.commandLine()
          .getErr()
          .println("axivon: KV transaction " + r.txSeq() + " failed: " + r.result());
      return ExitCodes.FAILURE;
    }
    return ExitCodes.OK;
  }

  @Command(name = "put", mixinStandardHelpOptions = true, description = "Set KEY to VALUE.")
  static final class Put implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Target target;
    @Mixin Writer writer;

    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Parameters(index = "1", paramLabel = "VALUE")
    String value;

    @Override
    public Integer call() throws Exception {
      Bytes k = key(key);
      Bytes32 stream = target.streamId();
      KvBatcher b = writer.batcher(target.client()).set(stream, k, text(value));
      return send(spec, target, writer, b);
    }
  }

  @Command(
      name = "del",
      mixinStandardHelpOptions = true,
      description = "Delete KEY (writes an empty value).")
  static final class Del implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Target target;
    @Mixin Writer writer;

    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Override
    public Integer call() throws Exception {
      Bytes k = key(key);
      Bytes32 stream = target.streamId();
      return send(spec, target, writer, writer.batcher(target.client()).delete(stream, k));
    }
  }

  @Command(
      name = "grant",
      mixinStandardHelpOptions = true,
      description = "Make ACCOUNT a writer of the stream (needs the stream's admin).")
  static final class Grant implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Target target;
    @Mixin Writer writer;

    @Parameters(index = "0", paramLabel = "ACCOUNT")
    String account;

    @Override
    public Integer call() throws Exception {
      Address a = account(account);
      Bytes32 stream = target.streamId();
      AccessControl c = AccessControl.withAccount(AccessControl.Op.GRANT_WRITE_ROLE, stream, a);
      return send(spec, target, writer, writer.batcher(target.client()).control(c));
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Take the stream's write role from ACCOUNT (needs the stream's admin).")
  static final class Revoke implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Target target;
    @Mixin Writer writer;

    @Parameters(index = "0", paramLabel = "ACCOUNT")
    String account;

    @Override
    public Integer call() throws Exception {
      Address a = account(account);
      Bytes32 stream = target.streamId();
      AccessControl c = AccessControl.withAccount(AccessControl.Op.REVOKE_WRITE_ROLE, stream, a);
      return send(spec, target, writer, writer.batcher(target.client()).control(c));
    }
  }

  static Address account(String text) {
    try {
      return Address.fromHex(text.startsWith("0x") ? text : "0x" + text);
    } catch (InvalidInputException e) {
      throw new InvalidInputException("ACCOUNT " + text + ": " + e.getMessage());
    }
  }

  static OptionalLong version(Long version) {
    if (version != null && version < 0) {
      throw new InvalidInputException("--at must be non-negative, got " + version);
    }
    return version == null ? OptionalLong.empty() : OptionalLong.of(version);
  }

  static Map<String, Object> entryJson(Bytes key, long version, Bytes value) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("key", utf8(key));
    doc.put("version", version);
    doc.put("size", value.size());
    doc.put("value", utf8(value));
    doc.put("base64", Base64.getEncoder().encodeToString(value.toArrayUnsafe()));
    return doc;
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = "Print KEY's value (exit 1 if it has none).")
  static final class Get implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Target target;

    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Option(names = "--at", paramLabel = "N", description = "Read as of version N (a tx seq).")
    Long version;

    @Override
    public Integer call() {
      Bytes k = key(key);
      OptionalLong at = version(version);
      KvClient.Value v = target.client().getValue(target.streamId(), k, at);
      PrintWriter out = spec.commandLine().getOut();
      if (v.data().isEmpty()) {
        spec.commandLine()
            .getErr()
            .println(
                "axivon: no value for key '"
                    + key
                    + "' in stream "
                    + target.streamId().toHexString());
        return ExitCodes.FAILURE;
      }
      if (target.json) {
        JsonOutput.print(out, entryJson(k, v.version(), v.data()));
      } else {
        out.println(utf8(v.data()));
      }
      out.flush();
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "range",
      mixinStandardHelpOptions = true,
      description = "List the keys in [--from, --to) with their values, in key order.")
  static final class Range implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Target target;

    @Option(names = "--from", paramLabel = "KEY", description = "First key (inclusive).")
    String from;

    @Option(names = "--to", paramLabel = "KEY", description = "Last key (exclusive).")
    String to;

    @Option(names = "--at", paramLabel = "N", description = "Read as of version N (a tx seq).")
    Long version;

    @Option(names = "--limit", defaultValue = "1000", description = "At most N entries.")
    int limit;

    @Override
    public Integer call() {
      OptionalLong at = version(version);
      Iterator<KvClient.Entry> it =
          target
              .client()
              .range(
                  target.streamId(),
                  from == null ? null : key(from),
                  to == null ? null : key(to),
                  at);
      List<Map<String, Object>> entries = new ArrayList<>();
      PrintWriter out = spec.commandLine().getOut();
      while (it.hasNext() && entries.size() < limit) {
        KvClient.Entry e = it.next();
        entries.add(entryJson(e.key(), e.version(), e.data()));
        if (!target.json) {
          out.println(utf8(e.key()) + "\t" + utf8(e.data()));
        }
      }
      if (target.json) {
        JsonOutput.print(out, Map.of("entries", entries));
      }
      out.flush();
      return ExitCodes.OK;
    }
  }
}
