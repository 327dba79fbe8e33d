package io.axivon.da.chain;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.Hashes;
import io.axivon.da.cert.DaCertificate;
import io.axivon.da.cert.DaOperator;
import io.axivon.da.cert.Quorum;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A chain for tests: operators registered in memory, quorums from {@link Quorum#select} with a seed
 * per epoch, certificates verified against the quorum as the DA module will.
 */
public final class InMemoryDaChain implements DaChain {
  private final AtomicLong epoch = new AtomicLong(1);
  private final List<DaOperator> operators = new CopyOnWriteArrayList<>();
  private final Map<Bytes, String> addresses = new ConcurrentHashMap<>();
  private final Map<Bytes32, DaCertificate> confirmed = new ConcurrentHashMap<>();
  private final AtomicLong blocks = new AtomicLong();
  private final int quorumSize;

  public InMemoryDaChain(int quorumSize) {
    this.quorumSize = quorumSize;
  }

  public void register(DaOperator operator, String address) {
    operators.add(operator);
    addresses.put(operator.id(), address);
  }

  public void setEpoch(long e) {
    epoch.set(e);
  }

  @Override
  public long currentEpoch() {
    return epoch.get();
  }

  @Override
  public Quorum quorum(long e, long quorumId) {
    if (e < 0 || e > epoch.get()) {
      throw new InvalidInputException("no quorum for epoch " + e + " yet");
    }
    Bytes32 seed = Hashes.sha256(Bytes.ofUnsignedLong(e));
    return Quorum.select(seed, e, quorumId, List.copyOf(operators), quorumSize);
  }

  @Override
  public Optional<String> address(Bytes operatorId) {
    return Optional.ofNullable(addresses.get(operatorId));
  }

  @Override
  public Confirmation confirm(DaCertificate certificate, long blobSize) {
    certificate.verify(quorum(certificate.epoch(), certificate.quorumId()));
    confirmed.put(certificate.dataRoot(), certificate);
    return new Confirmation(Hashes.keccak256(certificate.encode()), blocks.incrementAndGet());
  }

  @Override
  public boolean isAvailable(Bytes32 dataRoot) {
    return confirmed.containsKey(dataRoot);
  }

  public Optional<DaCertificate> certificate(Bytes32 dataRoot) {
    return Optional.ofNullable(confirmed.get(dataRoot));
  }
}
