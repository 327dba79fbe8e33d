package io.axivon.da.disperser;

import io.axivon.da.blob.Sampling;
import io.axivon.da.cert.Quorum;
import io.axivon.da.chain.DaChain;
import io.axivon.da.node.DaWire;
import io.axivon.p2p.NodeId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Light-client sampling (specs/da.md §8): fetches random cells with proofs from the members that
 * hold their row or column, counts those that verify, and reports the confidence that the blob is
 * available ({@link Sampling#confidence}, from the verified samples only).
 */
public final class Sampler {
  /** How a sampling run went: the samples asked, verified, and the confidence they give. */
  public record Report(int asked, int verified, double confidence) {}

  private final PeerConnector connector;
  private final DaChain chain;
  private final Duration timeout;

  public Sampler(PeerConnector connector, DaChain chain, Duration timeout) {
    this.connector = connector;
    this.chain = chain;
    this.timeout = timeout;
  }

  public Report sample(
      Bytes32 dataRoot, int k, long epoch, long quorumId, int samples, RandomGenerator random)
      throws InterruptedException {
    Quorum quorum = chain.quorum(epoch, quorumId);
    List<Sampling.Cell> cells = Sampling.draw(k, samples, random);
    int verified = 0;
    for (Sampling.Cell cell : cells) {
      // the holder of row i also holds column i: ask the row's holder, then the column's
      int byRow = quorum.holderOf(cell.row(), k);
      int byCol = quorum.holderOf(cell.col(), k);
      if (fetch(quorum, byRow, dataRoot, k, cell)
          || (byCol != byRow && fetch(quorum, byCol, dataRoot, k, cell))) {
        verified++;
      }
    }
    return new Report(
        cells.size(), verified, verified == cells.size() ? Sampling.confidence(k, verified) : 0);
  }

  private boolean fetch(Quorum quorum, int member, Bytes32 dataRoot, int k, Sampling.Cell cell)
      throws InterruptedException {
    try {
      NodeId peer = connector.connect(quorum.members().get(member), timeout);
      Bytes answer =
          connector
              .p2p()
              .request(
                  peer,
                  DaWire.SHARES,
                  DaWire.encode(new DaWire.GetShare(dataRoot, cell.row(), cell.col())),
                  timeout)
              .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
      return DaWire.decodeReply(answer) instanceof DaWire.ShareReply share
          && share.proof().row() == cell.row()
          && share.proof().col() == cell.col()
          && share.proof().verify(dataRoot, k);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      return false; // a missing or bad sample does not count
    }
  }
}
