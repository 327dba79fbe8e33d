package io.axivon.node.export;

import java.util.Objects;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * One column of an exported table.
 *
 * @param name the column name (snake_case, as pandas/Polars/DuckDB users expect)
 * @param type what it holds
 * @param nullable whether a row may leave it empty
 */
public record Column(String name, Type type, boolean nullable) {
  /** The few Arrow types the export uses, each with the Java value a row gives for it. */
  public enum Type {
    /** Arrow int64; rows give a {@link Long}. */
    INT64(new ArrowType.Int(64, true)),
    /** Arrow utf8; rows give a {@link String}. */
    UTF8(ArrowType.Utf8.INSTANCE),
    /** Arrow bool; rows give a {@link Boolean}. */
    BOOL(ArrowType.Bool.INSTANCE),
    /** Arrow timestamp[s, tz=UTC]; rows give seconds since the epoch as a {@link Long}. */
    TIMESTAMP_SECONDS(new ArrowType.Timestamp(TimeUnit.SECOND, "UTC"));

    private final ArrowType arrow;

    Type(ArrowType arrow) {
      this.arrow = arrow;
    }

    public ArrowType arrow() {
      return arrow;
    }

    /** Whether {@code value} (not null) is what a row gives for this type. */
    boolean accepts(Object value) {
      return switch (this) {
        case INT64, TIMESTAMP_SECONDS -> value instanceof Long;
        case UTF8 -> value instanceof String;
        case BOOL -> value instanceof Boolean;
      };
    }
  }

  public Column {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("a column needs a name");
    }
  }

  public static Column required(String name, Type type) {
    return new Column(name, type, false);
  }

  public static Column optional(String name, Type type) {
    return new Column(name, type, true);
  }

  Field field() {
    return new Field(name, new FieldType(nullable, type.arrow(), null), null);
  }
}
