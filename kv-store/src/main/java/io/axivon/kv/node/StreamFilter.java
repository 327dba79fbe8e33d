package io.axivon.kv.node;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.tuweni.bytes.Bytes32;

/** The streams a KV node holds: a fixed set, or every stream it sees. */
public record StreamFilter(boolean holdsAll, Set<Bytes32> streams) implements Predicate<Bytes32> {
  public StreamFilter {
    streams = Set.copyOf(streams);
    if (holdsAll && !streams.isEmpty()) {
      throw new IllegalArgumentException("a filter holding all streams lists none");
    }
  }

  public static StreamFilter all() {
    return new StreamFilter(true, Set.of());
  }

  public static StreamFilter of(Set<Bytes32> streams) {
    if (streams.isEmpty()) {
      throw new IllegalArgumentException("hold at least one stream, or all");
    }
    return new StreamFilter(false, streams);
  }

  @Override
  public boolean test(Bytes32 stream) {
    return holdsAll || streams.contains(stream);
  }

  /** Whether a transaction tagged with these streams concerns this node. */
  public boolean anyHeld(List<Bytes32> tagStreams) {
    return tagStreams.stream().anyMatch(this);
  }
}
