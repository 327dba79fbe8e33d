package io.axivon.kv.tx;

import io.axivon.common.crypto.Hashes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Submission tags of a KV transaction: {@code sha256("STREAM") ‖ streamId…} (specs/kv.md section
 * 2). They let a KV node pick its transactions out of the flow without downloading anything.
 */
public final class KvTags {
  private KvTags() {}

  /** sha256("STREAM") = 0xdf2ff3bb…d4307aa. */
  public static final Bytes32 STREAM_DOMAIN =
      Hashes.sha256(Bytes.wrap("STREAM".getBytes(StandardCharsets.US_ASCII)));

  /** The tags for these stream ids (duplicates dropped, first-use order kept). */
  public static Bytes encode(List<Bytes32> streamIds) {
    List<Bytes> parts = new ArrayList<>();
    parts.add(STREAM_DOMAIN);
    parts.addAll(new LinkedHashSet<>(streamIds));
    return Bytes.concatenate(parts.toArray(Bytes[]::new));
  }

  /** The tags of {@code tx}: the distinct stream ids of its writes, reads, then controls. */
  public static Bytes of(KvTransaction tx) {
    return encode(streamIds(tx));
  }

  /** Distinct stream ids of a transaction in first-use order (writes first, as the SDK does). */
  public static List<Bytes32> streamIds(KvTransaction tx) {
    LinkedHashSet<Bytes32> ids = new LinkedHashSet<>();
    tx.writes().forEach(w -> ids.add(w.streamId()));
    tx.reads().forEach(r -> ids.add(r.streamId()));
    tx.controls().forEach(c -> ids.add(c.streamId()));
    return List.copyOf(ids);
  }

  /**
   * The stream ids named by submission tags, or empty when the tags do not mark a KV transaction
   * (not a non-empty multiple of 32 bytes starting with {@link #STREAM_DOMAIN}).
   */
  public static Optional<List<Bytes32>> decode(Bytes tags) {
    if (tags.isEmpty() || tags.size() % 32 != 0 || !tags.slice(0, 32).equals(STREAM_DOMAIN)) {
      return Optional.empty();
    }
    List<Bytes32> ids = new ArrayList<>(tags.size() / 32 - 1);
    for (int off = 32; off < tags.size(); off += 32) {
      ids.add(Bytes32.wrap(tags.slice(off, 32).copy()));
    }
    return Optional.of(List.copyOf(ids));
  }
}
