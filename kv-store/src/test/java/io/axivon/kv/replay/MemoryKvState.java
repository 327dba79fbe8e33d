package io.axivon.kv.replay;

import io.axivon.common.crypto.secp256k1.Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/** The latest state only, in maps: the replay core's simplest host, for tests. */
final class MemoryKvState implements KvStateView {
  private final Map<Bytes, Long> versions = new HashMap<>();
  private final Map<Bytes, Bytes> values = new HashMap<>();
  private final Map<AclFlag, Boolean> flags = new HashMap<>();
  final List<TxResult> results = new ArrayList<>();

  private static Bytes id(Bytes32 stream, Bytes key) {
    return Bytes.concatenate(stream, key);
  }

  @Override
  public long latestVersion(Bytes32 streamId, Bytes key) {
    return versions.getOrDefault(id(streamId, key), 0L);
  }

  @Override
  public boolean flag(AclFlag flag) {
    return flags.getOrDefault(flag, false);
  }

  Bytes value(Bytes32 stream, Bytes key) {
    return values.getOrDefault(id(stream, key), Bytes.EMPTY);
  }

  TxResult apply(long txSeq, Address sender, List<Bytes32> tags, Bytes data) {
    return apply(txSeq, sender, tags, data, s -> true);
  }

  TxResult apply(
      long txSeq, Address sender, List<Bytes32> tags, Bytes data, Predicate<Bytes32> held) {
    KvReplay.Outcome outcome = KvReplay.apply(this, txSeq, sender, tags, data, held);
    for (KvEffect effect : outcome.effects()) {
      switch (effect) {
        case KvEffect.Put put -> {
          versions.put(id(put.streamId(), put.key()), txSeq);
          values.put(id(put.streamId(), put.key()), put.value());
        }
        case KvEffect.SetFlag set -> flags.put(set.flag(), set.on());
      }
    }
    results.add(outcome.result());
    return outcome.result();
  }
}
