package io.axivon.node.sim;

import io.axivon.consensus.sim.Campaign;
import io.axivon.consensus.sim.SimOptions;
import io.axivon.consensus.sim.SimReport;
import io.axivon.node.cli.ExitCodes;
import io.axivon.node.cli.JsonOutput;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "sim",
    mixinStandardHelpOptions = true,
    description =
        "Run the deterministic consensus simulator: one seed replays one run exactly; --runs N runs a campaign of N consecutive seeds; --chains N simulates a cluster of N chains (chain 0's staking sets followed by the others, stake changes, cross-chain evidence slashed once). Exits 1 if any run breaks safety, validity or liveness.")
public final class SimCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "The seed to run, or the first seed of a campaign (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--runs",
      description = "Run a campaign of this many seeds instead of one run, and print a summary.")
  Long runs;

  @Option(
      names = "--nodes",
      defaultValue = "4",
      description = "Validators per run, 1 to 32 (default: ${DEFAULT-VALUE}).")
  int nodes;

  @Option(
      names = "--heights",
      defaultValue = "5",
      description = "Heights every honest validator must decide (default: ${DEFAULT-VALUE}).")
  int heights;

  @Option(
      names = "--chains",
      defaultValue = "1",
      description =
          "Chains run by the same validators, 1 to 4 (default: ${DEFAULT-VALUE}); with 2 or more, chain 0 holds the stake and the others follow its validator set.")
  int chains;

  @Option(names = "--json", description = "Print the report as one JSON document.")
  boolean json;

  @Override
  public Integer call() {
    if (nodes < 1 || nodes > 32) {
      throw new ParameterException(spec.commandLine(), "--nodes must be in [1, 32], got " + nodes);
    }
    if (heights < 1) {
      throw new ParameterException(spec.commandLine(), "--heights must be >= 1, got " + heights);
    }
    if (chains < 1 || chains > SimOptions.MAX_CHAINS) {
      throw new ParameterException(
          spec.commandLine(),
          "--chains must be in [1, " + SimOptions.MAX_CHAINS + "], got " + chains);
    }
    if (chains > 1 && nodes > 31) {
      throw new ParameterException(
          spec.commandLine(), "--nodes must be at most 31 with --chains above 1, got " + nodes);
    }
    if (runs != null && runs < 1) {
      throw new ParameterException(spec.commandLine(), "--runs must be >= 1, got " + runs);
    }
    PrintWriter out = spec.commandLine().getOut();
    SimOptions options =
        SimOptions.defaults().withNodes(nodes).withHeights(heights).withChains(chains);
    if (runs == null) {
      SimReport r = io.axivon.consensus.sim.Simulator.run(seed, options);
      if (json) {
        JsonOutput.print(out, report(r));
      } else {
        out.println(r);
      }
      out.flush();
      return r.ok() ? ExitCodes.OK : ExitCodes.FAILURE;
    }
    Campaign.Summary s = Campaign.run(runs, seed, options);
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("runs", s.runs());
      doc.put("firstSeed", s.firstSeed());
      doc.put("nodes", nodes);
      doc.put("chains", chains);
      doc.put("heights", s.heights());
      doc.put("events", s.events());
      doc.put("violations", s.violations());
      doc.put("elapsedMillis", s.elapsedMillis());
      doc.put("failures", s.failures().stream().map(SimCommand::report).toList());
      JsonOutput.print(out, doc);
    } else {
      out.println(s);
      for (SimReport f : s.failures()) {
        out.println("FAILED " + f);
      }
    }
    out.flush();
    return s.ok() ? ExitCodes.OK : ExitCodes.FAILURE;
  }

  private static Map<String, Object> report(SimReport r) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("seed", r.seed());
    doc.put("nodes", r.nodes());
    doc.put("byzantine", r.byzantine());
    doc.put("heights", r.heights());
    doc.put("simMillis", r.simMillis());
    doc.put("events", r.events());
    doc.put("messages", r.messages());
    doc.put("evidence", r.evidence());
    doc.put("chains", r.chains());
    if (r.chains() > 1) {
      doc.put("chainHeights", r.chainHeights());
      doc.put("chain0SetChanges", r.chain0SetChanges());
      doc.put("setChanges", r.setChanges());
      doc.put("stakeChanges", r.stakeChanges());
      doc.put("relays", r.relays());
      doc.put("slashes", r.slashes());
      doc.put("refusedEvidence", r.refusedEvidence());
    }
    doc.put("ok", r.ok());
    doc.put("violations", r.violations());
    doc.put("replay", r.replay());
    return doc;
  }
}
