package io.axivon.da.disperser;

import io.axivon.da.cert.DaCertificate;
import io.axivon.da.chain.DaChain;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Where a blob stands: {@code queued → dispersing → certified | failed}. The square's fields are
 * set once encoded; the certificate and the chain confirmation once certified; the reason once
 * failed ({@code networkDown} when too few members were reachable, as opposed to refusals).
 */
public record BlobStatus(
    Bytes32 key,
    State state,
    long size,
    Optional<Bytes32> dataRoot,
    int k,
    long epoch,
    long quorumId,
    Optional<DaCertificate> certificate,
    Optional<DaChain.Confirmation> confirmation,
    Optional<String> reason,
    boolean networkDown) {

  public enum State {
    QUEUED,
    DISPERSING,
    CERTIFIED,
    FAILED;

    /** The lower-case name used by the blob API. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  static BlobStatus queued(Bytes32 key, long size, long quorumId) {
    return new BlobStatus(
        key,
        State.QUEUED,
        size,
        Optional.empty(),
        0,
        0,
        quorumId,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false);
  }

  BlobStatus dispersing(Bytes32 root, int width, long ep) {
    return new BlobStatus(
        key,
        State.DISPERSING,
        size,
        Optional.of(root),
        width,
        ep,
        quorumId,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false);
  }

  BlobStatus certified(DaCertificate cert, DaChain.Confirmation c) {
    return new BlobStatus(
        key,
        State.CERTIFIED,
        size,
        dataRoot,
        k,
        epoch,
        quorumId,
        Optional.of(cert),
        Optional.of(c),
        Optional.empty(),
        false);
  }

  BlobStatus failed(String why, boolean down) {
    return new BlobStatus(
        key,
        State.FAILED,
        size,
        dataRoot,
        k,
        epoch,
        quorumId,
        Optional.empty(),
        Optional.empty(),
        Optional.of(why),
        down);
  }

  public boolean isDone() {
    return state == State.CERTIFIED || state == State.FAILED;
  }
}
