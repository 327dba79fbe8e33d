package io.axivon.da.node;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.da.blob.Axis;
import io.axivon.da.blob.Lines;
import io.axivon.da.blob.NodeCheck;
import io.axivon.da.blob.RowColumnRoots;
import io.axivon.da.cert.DaCertificate;
import io.axivon.da.cert.Quorum;
import io.axivon.da.chain.DaChain;
import io.axivon.da.erasure.ErasureCoder;
import io.axivon.p2p.NodeId;
import io.axivon.p2p.P2pNode;
import io.axivon.p2p.ProtocolLimits;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DA node (specs/da.md §9): takes its assigned rows and columns over {@link DaWire#DISPERSE},
 * checks each against the roots before storing it, signs only after the full {@link NodeCheck} of
 * everything it holds for the blob, and serves lines and shares over {@link DaWire#SHARES}. Work
 * runs on virtual threads, never on the network threads.
 */
public final class DaNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DaNode.class);

  private final P2pNode p2p;
  private final DaNodeStore store;
  private final BlsSecretKey key;
  private final Bytes operatorId;
  private final DaChain chain;
  private final ErasureCoder coder;

  /** Draws the random parity checks of each signing check (unpredictable to dispersers). */
  private final SecureRandom random = new SecureRandom();

  private final long retentionEpochs;
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final Counter requests;
  private final Counter refused;
  private final Counter signed;
  private final Counter badEncoding;
  private final Counter linesStored;
  private final Counter served;
  private final Counter pruned;
  private final Gauge blobs;
  private volatile long prunedAt = Long.MIN_VALUE;

  /**
   * @param operatorId this node's operator id as registered on chain (quorum members are matched by
   *     it)
   * @param retentionEpochs lines of epoch e are kept while the current epoch is below e + this
   */
  public DaNode(
      P2pNode p2p,
      DaNodeStore store,
      BlsSecretKey key,
      Bytes operatorId,
      DaChain chain,
      ErasureCoder coder,
      long retentionEpochs,
      CollectorRegistry registry) {
    this.p2p = Objects.requireNonNull(p2p, "p2p");
    this.store = Objects.requireNonNull(store, "store");
    this.key = Objects.requireNonNull(key, "key");
    this.operatorId = Objects.requireNonNull(operatorId, "operatorId");
    this.chain = Objects.requireNonNull(chain, "chain");
    this.coder = Objects.requireNonNull(coder, "coder");
    if (retentionEpochs < 1) {
      throw new IllegalArgumentException("retention must be at least one epoch");
    }
    this.retentionEpochs = retentionEpochs;
    requests =
        Counter.build("axivon_da_node_requests_total", "DA requests received")
            .labelNames("protocol")
            .register(registry);
    refused =
        Counter.build("axivon_da_node_refused_total", "DA requests refused as bad input")
            .register(registry);
    signed = Counter.build("axivon_da_node_signed_total", "blobs signed").register(registry);
    badEncoding =
        Counter.build("axivon_da_node_bad_encoding_total", "blobs found badly encoded")
            .register(registry);
    linesStored =
        Counter.build("axivon_da_node_lines_stored_total", "rows and columns stored")
            .register(registry);
    served =
        Counter.build("axivon_da_node_served_total", "lines and shares served").register(registry);
    pruned =
        Counter.build("axivon_da_node_pruned_total", "blobs pruned after retention")
            .register(registry);
    blobs = Gauge.build("axivon_da_node_blobs", "blobs held").register(registry);
    blobs.set(store.blobCount());
    ProtocolLimits limits = new ProtocolLimits(DaWire.MAX_REQUEST, DaWire.MAX_RESPONSE);
    p2p.onRequest(DaWire.DISPERSE, limits, (from, req) -> serve("disperse", from, req));
    p2p.onRequest(DaWire.SHARES, limits, (from, req) -> serve("shares", from, req));
  }

  private CompletionStage<Bytes> serve(String protocol, NodeId from, Bytes request) {
    requests.labels(protocol).inc();
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            DaWire.Request r = DaWire.decodeRequest(request);
            boolean disperse = protocol.equals("disperse");
            if (disperse != (r instanceof DaWire.Store || r instanceof DaWire.Sign)) {
              throw new InvalidInputException("request not of protocol " + protocol);
            }
            return DaWire.encode(handle(r));
          } catch (InvalidInputException e) {
            refused.inc();
            LOG.debug("refused a {} request from {}: {}", protocol, from, e.getMessage());
            throw e;
          }
        },
        workers);
  }

  /** Answers one request; package-visible for tests that bypass the network. */
  DaWire.Reply handle(DaWire.Request request) {
    return switch (request) {
      case DaWire.Store s -> store(s);
      case DaWire.Sign s -> sign(s);
      case DaWire.GetLine g -> line(g);
      case DaWire.GetShare g -> share(g);
    };
  }

  private DaWire.Reply store(DaWire.Store s) {
    long current = chain.currentEpoch();
    if (current != prunedAt) { // a new epoch: drop what fell out of retention
      prunedAt = current;
      prune();
    }
    RowColumnRoots roots = s.roots();
    Bytes32 dataRoot = roots.dataRoot();
    int[] assigned = assigned(s.epoch(), s.quorumId(), roots.k());
    List<DaWire.LinePair> pairs = new ArrayList<>(s.pairs().size());
    for (DaWire.LinePair p : s.pairs()) {
      if (p.index() < assigned[0] || p.index() >= assigned[0] + assigned[1]) {
        throw new InvalidInputException(
            "index " + p.index() + " is not assigned to this node for blob " + dataRoot);
      }
      // DaWire.decodeStore copied each line once into an array of its own: hashed and stored as
      // it is, without another copy
      Bytes row = p.row();
      Bytes column = p.column();
      if (!Lines.matchesRoot(roots, Axis.ROW, p.index(), row)) {
        throw new InvalidInputException(
            "row " + p.index() + " does not match its root in blob " + dataRoot);
      }
      if (!Lines.matchesRoot(roots, Axis.COLUMN, p.index(), column)) {
        throw new InvalidInputException(
            "column " + p.index() + " does not match its root in blob " + dataRoot);
      }
      pairs.add(new DaWire.LinePair(p.index(), row, column));
    }
    store.put(dataRoot, new DaNodeStore.BlobMeta(s.epoch(), s.quorumId(), roots), pairs);
    linesStored.inc(2.0 * s.pairs().size());
    blobs.set(store.blobCount());
    return new DaWire.Stored();
  }

  private DaWire.Reply sign(DaWire.Sign s) {
    DaNodeStore.BlobMeta meta =
        store
            .meta(s.dataRoot())
            .orElseThrow(
                () -> new InvalidInputException("no lines of blob " + s.dataRoot() + " held"));
    if (meta.epoch() != s.epoch() || meta.quorumId() != s.quorumId()) {
      throw new InvalidInputException(
          "blob "
              + s.dataRoot()
              + " was dispersed for epoch "
              + meta.epoch()
              + " quorum "
              + meta.quorumId()
              + ", not epoch "
              + s.epoch()
              + " quorum "
              + s.quorumId());
    }
    int k = meta.roots().k();
    int[] assigned = assigned(s.epoch(), s.quorumId(), k);
    Map<Integer, Bytes> rows = new HashMap<>();
    Map<Integer, Bytes> columns = new HashMap<>();
    for (int i = assigned[0]; i < assigned[0] + assigned[1]; i++) {
      rows.put(i, held(s.dataRoot(), Axis.ROW, i));
      columns.put(i, held(s.dataRoot(), Axis.COLUMN, i));
    }
    // store() matched every line with its root before keeping it
    NodeCheck.Result result =
        NodeCheck.checkStored(s.dataRoot(), meta.roots(), rows, columns, coder, random);
    if (result instanceof NodeCheck.Result.BadlyEncoded bad) {
      badEncoding.inc();
      LOG.warn("blob {} is badly encoded; sending the proof instead of a signature", s.dataRoot());
      return new DaWire.BadEncoding(bad.proof());
    }
    signed.inc();
    return new DaWire.Signed(DaCertificate.sign(key, s.dataRoot(), s.epoch(), s.quorumId()));
  }

  private Bytes held(Bytes32 dataRoot, Axis axis, int index) {
    return store
        .line(dataRoot, axis, index)
        .orElseThrow(
            () ->
                new InvalidInputException(
                    "assigned "
                        + (axis == Axis.ROW ? "row " : "column ")
                        + index
                        + " of blob "
                        + dataRoot
                        + " was not sent"));
  }

  private DaWire.Reply line(DaWire.GetLine g) {
    DaNodeStore.BlobMeta meta = metaOf(g.dataRoot());
    Bytes line = held(g.dataRoot(), g.axis(), g.index());
    served.inc();
    return new DaWire.LineReply(meta.roots(), line);
  }

  private DaWire.Reply share(DaWire.GetShare g) {
    DaNodeStore.BlobMeta meta = metaOf(g.dataRoot());
    Function<Axis, Integer> idx = a -> a == Axis.ROW ? g.row() : g.col();
    for (Axis axis : Axis.values()) {
      var line = store.line(g.dataRoot(), axis, idx.apply(axis));
      if (line.isPresent()) {
        served.inc();
        return new DaWire.ShareReply(
            Lines.shareProof(
                meta.roots(), axis, idx.apply(axis), line.get(), idx.apply(axis.other())));
      }
    }
    throw new InvalidInputException(
        "no line through cell ("
            + g.row()
            + ", "
            + g.col()
            + ") of blob "
            + g.dataRoot()
            + " held");
  }

  private DaNodeStore.BlobMeta metaOf(Bytes32 dataRoot) {
    return store
        .meta(dataRoot)
        .orElseThrow(() -> new InvalidInputException("blob " + dataRoot + " is not held here"));
  }

  /** {first row, count} assigned to this node, after checking the epoch and membership. */
  private int[] assigned(long epoch, long quorumId, int k) {
    long current = chain.currentEpoch();
    if (epoch > current || epoch + retentionEpochs <= current) {
      throw new InvalidInputException(
          "epoch " + epoch + " is not open for dispersal (current epoch " + current + ")");
    }
    Quorum quorum = chain.quorum(epoch, quorumId);
    for (int i = 0; i < quorum.members().size(); i++) {
      if (quorum.members().get(i).id().equals(operatorId)) {
        if (!quorum.members().get(i).publicKey().equals(key.publicKey())) {
          throw new InvalidInputException("this node's BLS key is not the one registered");
        }
        int count = quorum.rowCounts(k)[i];
        if (count == 0) {
          throw new InvalidInputException("this node holds no rows of width " + k);
        }
        return new int[] {quorum.firstRows(k)[i], count};
      }
    }
    throw new InvalidInputException(
        "this node is not a member of quorum " + quorumId + " in epoch " + epoch);
  }

  /** Deletes the blobs whose retention ended; returns how many. Call on each new epoch. */
  public int prune() {
    long firstKept = chain.currentEpoch() - retentionEpochs + 1;
    int n = firstKept <= 0 ? 0 : store.pruneBefore(firstKept);
    pruned.inc(n);
    blobs.set(store.blobCount());
    return n;
  }

  public P2pNode p2p() {
    return p2p;
  }

  public Bytes operatorId() {
    return operatorId;
  }

  @Override
  public void close() {
    workers.shutdownNow();
  }
}
