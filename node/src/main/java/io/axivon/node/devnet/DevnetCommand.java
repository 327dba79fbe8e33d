package io.axivon.node.devnet;

import io.axivon.common.crypto.secp256k1.HdKeys;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.node.cli.ExitCodes;
import io.axivon.node.cli.JsonOutput;
import io.axivon.node.cli.UntilStopped;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "devnet",
    mixinStandardHelpOptions = true,
    description =
        "Start every Axivon service in one process on loopback, print each endpoint, write them to DIR/devnet.json, and run until Ctrl-C or SIGTERM. Today: the validators of every chain (finalizing a block about every second), 2 storage nodes following chain 0's flow (storage node 0 mining PoRA), a KV node on the default stream (kv_* JSON-RPC on 6789), a compute gateway in front of a demo service (8090, MCP at /mcp), a DA node per validator with a disperser behind the blob API (3100), the explorer and /metrics.")
public final class DevnetCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "./devnet-data",
      description = "Where node keys and state live (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--validators",
      defaultValue = "4",
      description = "Number of validators of chain 0 (default: ${DEFAULT-VALUE}).")
  int validators;

  @Option(
      names = "--chains",
      defaultValue = "2",
      description =
          "Number of parallel chains, all run by the same validators (default: ${DEFAULT-VALUE}).")
  int chains;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address every service binds (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--p2p-port",
      defaultValue = "30303",
      description =
          "P2P port of node 0; node i uses this + i; 0 picks free ports (default: ${DEFAULT-VALUE}).")
  int p2pPort;

  @Option(
      names = "--metrics-port",
      defaultValue = "9400",
      description = "Prometheus /metrics port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(
      names = "--rpc-port",
      defaultValue = "8545",
      description =
          "Ethereum JSON-RPC port of chain 0; chain i uses this + i; 0 picks free ports (default: ${DEFAULT-VALUE}).")
  int rpcPort;

  @Option(
      names = "--explorer-port",
      defaultValue = "8080",
      description = "Explorer page port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int explorerPort;

  @Option(
      names = "--storage-port",
      defaultValue = "5678",
      description =
          "zgs_* JSON-RPC port of storage node 0; node i uses this + i; 0 picks free ports (default: ${DEFAULT-VALUE}).")
  int storagePort;

  @Option(
      names = "--compute-port",
      defaultValue = "8090",
      description =
          "Port of the compute gateway in front of the demo service; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int computePort;

  @Option(
      names = "--fresh",
      description =
          "Delete the devnet in DIR first and start new chains (refused unless DIR holds a devnet).")
  boolean fresh;

  @Option(
      names = "--da-port",
      defaultValue = "3100",
      description =
          "Port of the DA blob API (REST and OP Alt-DA) in front of chain 0's DA network; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int daPort;

  @Option(names = "--json", description = "Print the endpoints as one JSON document.")
  boolean json;

  /** The options {@code axivon devnet --data-dir DIR} runs with: every port at its default. */
  public static Devnet.Options defaults(Path dataDir) {
    DevnetCommand c = new DevnetCommand();
    new CommandLine(c).parseArgs("--data-dir", dataDir.toString());
    return c.options();
  }

  private Devnet.Options options() {
    return new Devnet.Options(
        dataDir,
        validators,
        chains,
        host,
        p2pPort,
        metricsPort,
        rpcPort,
        explorerPort,
        storagePort,
        Devnet.Options.defaultConsensus(),
        computePort,
        daPort);
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Devnet devnet = Devnet.start(options(), fresh);
    DevnetManifest m = devnet.manifest();
    if (json) {
      JsonOutput.print(out, m);
    } else {
      out.println(
          "Axivon devnet "
              + m.version()
              + " is running: "
              + m.chains().size()
              + " chains, "
              + m.p2p().size()
              + " validators, network id "
              + m.networkId());
      out.println("  data dir   " + m.dataDir());
      out.println("  explorer   " + m.explorer());
      out.println("  metrics    " + m.metrics());
      for (DevnetManifest.ChainEndpoint c : m.chains()) {
        out.println(
            "  chain "
                + c.index()
                + "    "
                + c.chainId()
                + "  JSON-RPC "
                + c.rpc()
                + "  (EVM chain id "
                + c.evmChainId()
                + ")");
        c.contracts().forEach((name, address) -> out.println("    " + name + " at " + address));
      }
      for (DevnetManifest.P2pEndpoint p : m.p2p()) {
        out.println("  validator " + p.index() + " p2p " + p.address() + "  id " + p.nodeId());
      }
      for (DevnetManifest.StorageEndpoint st : m.storage()) {
        out.println("  " + st.name() + "  zgs JSON-RPC " + st.rpc() + "  (follows chain 0's flow)");
      }
      m.services().forEach((name, url) -> out.println("  " + name + "  " + url));
      for (DevnetManifest.ComputeEndpoint c : m.compute()) {
        out.println(
            "  "
                + c.name()
                + "  "
                + c.gateway()
                + "  provider "
                + c.provider()
                + "  service '"
                + c.service()
                + "'  (demo: POST "
                + c.demo()
                + ")");
      }
      if (m.da() != null) {
        out.println(
            "  da         blob API "
                + m.da().api()
                + "  (REST /v1/blobs, OP Alt-DA /put /get; disperser "
                + m.da().disperser()
                + ", "
                + m.da().nodes().size()
                + " DA nodes)");
      }
      out.println("  manifest   " + Path.of(m.dataDir()).resolve("devnet.json"));
      out.println();
      out.println(
          "Funded development accounts (10,000 AXN each on every chain; mnemonic \""
              + Genesis.DEV_MNEMONIC
              + "\", m/44'/60'/0'/0/i):");
      for (int i = 0; i < m.devAccounts().size(); i++) {
        var key = HdKeys.ethereumAccount(Genesis.DEV_MNEMONIC, "", i);
        out.println(
            "  (" + i + ") " + m.devAccounts().get(i) + "  key " + key.bytes().toHexString());
      }
      out.println();
      out.println("Try 'axivon demo' for a tour of every layer. Press Ctrl-C to stop.");
    }
    out.flush();
    UntilStopped.run(devnet, () -> System.err.println("axivon: devnet stopped"));
    return ExitCodes.OK;
  }
}
