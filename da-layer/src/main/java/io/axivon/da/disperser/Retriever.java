package io.axivon.da.disperser;

import io.axivon.da.blob.Axis;
import io.axivon.da.blob.Lines;
import io.axivon.da.blob.Recovery;
import io.axivon.da.blob.RowColumnRoots;
import io.axivon.da.blob.SquareEncoder;
import io.axivon.da.cert.Quorum;
import io.axivon.da.chain.DaChain;
import io.axivon.da.node.DaWire;
import io.axivon.p2p.NodeId;
import io.axivon.p2p.RequestException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Retrieves a certified blob from the quorum: asks every member for the rows it holds, all members
 * at once, keeps each row that matches its root under roots that give the dataRoot, and recovers
 * the blob ({@link Recovery}) from the first k rows that arrive.
 */
public final class Retriever {
  private final PeerConnector connector;
  private final DaChain chain;
  private final SquareEncoder encoder;
  private final ExecutorService workers;
  private final Duration timeout;

  public Retriever(
      PeerConnector connector,
      DaChain chain,
      SquareEncoder encoder,
      ExecutorService workers,
      Duration timeout) {
    this.connector = connector;
    this.chain = chain;
    this.encoder = encoder;
    this.workers = workers;
    this.timeout = timeout;
  }

  /**
   * The blob of {@code dataRoot}.
   *
   * @throws DaUnavailableException if fewer than k verified rows could be fetched in time while
   *     members that did not answer (unreachable, slow) hold enough rows to make up k: a network
   *     problem, worth retrying
   * @throws BlobGoneException if the members that answered refused or sent bad rows so that k rows
   *     cannot be had from the rest, or if the rows recover a badly encoded square
   */
  public Bytes retrieve(Bytes32 dataRoot, int k, long epoch, long quorumId)
      throws InterruptedException {
    Quorum quorum = chain.quorum(epoch, quorumId);
    int[] counts = quorum.rowCounts(k);
    int[] first = quorum.firstRows(k);
    Map<Integer, Bytes> rows = new ConcurrentHashMap<>();
    AtomicReference<RowColumnRoots> roots = new AtomicReference<>();
    CompletableFuture<Void> enough = new CompletableFuture<>();
    List<CompletableFuture<Void>> fetches = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    // rows of members that answered without giving them (refused, lied): not to be had from them
    AtomicInteger refusedRows = new AtomicInteger();
    int assignedRows = 0;
    for (int m = 0; m < counts.length; m++) {
      assignedRows += counts[m];
      if (counts[m] == 0) {
        continue;
      }
      int member = m;
      fetches.add(
          CompletableFuture.runAsync(
              () -> {
                int given = 0;
                try {
                  NodeId peer = connector.connect(quorum.members().get(member), timeout);
                  for (int i = first[member]; i < first[member] + counts[member]; i++) {
                    if (enough.isDone()) {
                      return;
                    }
                    Bytes reply =
                        connector
                            .p2p()
                            .request(
                                peer,
                                DaWire.SHARES,
                                DaWire.encode(new DaWire.GetLine(dataRoot, Axis.ROW, i)),
                                timeout)
                            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    if (DaWire.decodeReply(reply) instanceof DaWire.LineReply line
                        && line.roots().k() == k
                        && line.roots().dataRoot().equals(dataRoot)
                        && Lines.matchesRoot(line.roots(), Axis.ROW, i, line.line())) {
                      roots.compareAndSet(null, line.roots());
                      rows.put(i, line.line());
                      given++;
                      if (rows.size() >= k) {
                        enough.complete(null);
                      }
                    } else {
                      refusedRows.addAndGet(counts[member] - given);
                      return; // a member that lies is not asked again
                    }
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } catch (ExecutionException e) {
                  if (e.getCause() instanceof RequestException r
                      && r.kind() == RequestException.Kind.REMOTE_ERROR) {
                    refusedRows.addAndGet(counts[member] - given); // "not held here", pruned
                  }
                  // else unreachable: the other members' rows may suffice
                } catch (RuntimeException | TimeoutException e) {
                  // unreachable or slow: the other members' rows may suffice
                }
              },
              workers));
    }
    CompletableFuture<Void> all =
        CompletableFuture.allOf(fetches.toArray(new CompletableFuture[0]));
    try {
      CompletableFuture.anyOf(enough, all)
          .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // counted below
    }
    if (rows.size() < k && assignedRows - refusedRows.get() < k) {
      throw new BlobGoneException(
          "the quorum does not serve blob "
              + dataRoot
              + ": members holding "
              + refusedRows.get()
              + " of its "
              + assignedRows
              + " rows refused or sent bad rows, and "
              + k
              + " are needed");
    }
    if (rows.size() < k) {
      throw new DaUnavailableException(
          "only "
              + rows.size()
              + " of the "
              + k
              + " rows needed for blob "
              + dataRoot
              + " could be fetched");
    }
    // no lock: the encoder keeps no state between calls, so retrievals recover in parallel
    Recovery.Result result = Recovery.fromRows(dataRoot, roots.get(), Map.copyOf(rows), encoder);
    return switch (result) {
      case Recovery.Result.Recovered r -> r.blob();
      case Recovery.Result.BadlyEncoded b ->
          throw new BlobGoneException(
              "blob "
                  + dataRoot
                  + " is badly encoded: its rows do not recover its committed square");
    };
  }
}
