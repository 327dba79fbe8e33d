package io.axivon.common.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes;

/**
 * Any RLP item, untyped: a byte string or a list of items. For tools, tests and fuzzing; protocol
 * code uses typed codecs.
 */
public sealed interface RlpItem {
  /** A byte string. */
  record Value(Bytes bytes) implements RlpItem {
    public Value {
      Objects.requireNonNull(bytes, "bytes");
    }
  }

  /** A list of items (the yellow paper's "sequence"). */
  record Sequence(List<RlpItem> items) implements RlpItem {
    public Sequence {
      items = List.copyOf(items);
    }
  }

  /** Reads and writes any item; nesting is bounded by the decoder's {@link RlpLimits}. */
  RlpCodec<RlpItem> CODEC =
      new RlpCodec<>() {
        @Override
        public void write(StrictRlpWriter w, RlpItem item) {
          switch (item) {
            case Value v -> w.writeBytes(v.bytes());
            case Sequence s -> w.writeListOf(s.items(), this);
          }
        }

        @Override
        public RlpItem read(StrictRlpReader r) {
          if (!r.nextIsList()) {
            return new Value(r.readBytes());
          }
          return r.readList(
              inner -> {
                List<RlpItem> items = new ArrayList<>();
                while (inner.hasNext()) {
                  items.add(read(inner));
                }
                return new Sequence(items);
              });
        }
      };
}
