package io.axivon.node.storage;

import io.axivon.node.cli.ExitCodes;
import io.axivon.node.cli.JsonOutput;
import io.axivon.sdk.rpc.JsonRpcClient;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.tuweni.bytes.Bytes32;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "What each storage node knows of a file (zgs_getFileInfo): tx seq, size, finalized, segments stored. Exit code 1 when no node knows the root.")
public final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "ROOT", description = "The file's root (64 hex digits).")
  String root;

  @Mixin StorageNodes nodes;

  @Option(names = "--json", description = "Print one JSON document: the root and each node's view.")
  boolean json;

  @Override
  public Integer call() {
    Bytes32 r = StorageNodes.parseRoot(root);
    PrintWriter out = spec.commandLine().getOut();
    Map<String, Object> byNode = new LinkedHashMap<>();
    boolean anyKnows = false;
    for (JsonRpcClient c : nodes.clients()) {
      Optional<StorageNodes.FileState> s = StorageNodes.fileInfo(c, r);
      anyKnows |= s.isPresent();
      byNode.put(c.endpoint().toString(), s.orElse(null));
    }
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("root", r.toHexString());
      doc.put("known", anyKnows);
      doc.put(
          "nodes",
          byNode.entrySet().stream()
              .map(e -> nodeView(e.getKey(), (StorageNodes.FileState) e.getValue()))
              .toList());
      JsonOutput.print(out, doc);
    } else {
      out.println(r.toHexString());
      byNode.forEach(
          (node, v) -> {
            if (v instanceof StorageNodes.FileState s) {
              out.println(
                  "  "
                      + node
                      + "  tx seq "
                      + s.txSeq()
                      + ", "
                      + s.size()
                      + " bytes, "
                      + (s.finalized() ? "finalized" : "not finalized")
                      + ", "
                      + s.uploadedSegments()
                      + " segments stored");
            } else {
              out.println("  " + node + "  unknown root");
            }
          });
      out.flush();
    }
    if (!anyKnows) {
      spec.commandLine().getErr().println("axivon: no storage node knows root " + r.toHexString());
      return ExitCodes.FAILURE;
    }
    return ExitCodes.OK;
  }

  private static Map<String, Object> nodeView(String node, StorageNodes.FileState s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("node", node);
    m.put("known", s != null);
    if (s != null) {
      m.put("txSeq", s.txSeq());
      m.put("size", s.size());
      m.put("startEntryIndex", s.startEntryIndex());
      m.put("finalized", s.finalized());
      m.put("uploadedSegments", s.uploadedSegments());
    }
    return m;
  }
}
