package io.axivon.node.cli;

import io.axivon.node.compute.ComputeCommand;
import io.axivon.node.compute.ComputeGatewayCommand;
import io.axivon.node.da.DaCommand;
import io.axivon.node.da.DaNodeCommand;
import io.axivon.node.da.DisperserCommand;
import io.axivon.node.demo.DemoCommand;
import io.axivon.node.devnet.DevnetCommand;
import io.axivon.node.erasure.ErasureCommand;
import io.axivon.node.export.ExportCommand;
import io.axivon.node.keys.KeysCommand;
import io.axivon.node.kv.KvCommand;
import io.axivon.node.kv.KvNodeCommand;
import io.axivon.node.p2pnode.NodeCommand;
import io.axivon.node.sim.SimCommand;
import io.axivon.node.storage.StorageCommand;
import io.axivon.node.storage.StorageNodeCommand;
import io.axivon.node.validator.TestnetCommand;
import io.axivon.node.validator.ValidatorCommand;
import picocli.CommandLine;

/** Where every subcommand of {@code axivon} is listed, in the order --help shows them. */
final class Commands {
  private Commands() {}

  static void register(CommandLine cli) {
    cli.addSubcommand(new KeysCommand());
    cli.addSubcommand(new NodeCommand());
    cli.addSubcommand(new ValidatorCommand());
    cli.addSubcommand(new TestnetCommand());
    cli.addSubcommand(new DevnetCommand());
    cli.addSubcommand(new DemoCommand());
    cli.addSubcommand(new StorageNodeCommand());
    cli.addSubcommand(new StorageCommand());
    cli.addSubcommand(new KvNodeCommand());
    cli.addSubcommand(new KvCommand());
    cli.addSubcommand(new ComputeGatewayCommand());
    cli.addSubcommand(new ComputeCommand());
    cli.addSubcommand(new DaNodeCommand());
    cli.addSubcommand(new DisperserCommand());
    cli.addSubcommand(new DaCommand());
    cli.addSubcommand(new ExportCommand());
    cli.addSubcommand(new ErasureCommand());
    cli.addSubcommand(new SimCommand());
  }
}
