package io.axivon.node.export;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * An exported table: its file name (without {@code .arrow}) and its columns, in order.
 *
 * @param name the table and file name, e.g. {@code blocks}
 * @param columns the columns; names are unique
 */
public record TableSchema(String name, List<Column> columns) {
  public TableSchema {
    Objects.requireNonNull(name, "name");
    columns = List.copyOf(columns);
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("table " + name + " has no columns");
    }
    HashSet<String> seen = new HashSet<>();
    for (Column c : columns) {
      if (!seen.add(c.name())) {
        throw new IllegalArgumentException("table " + name + " repeats column " + c.name());
      }
    }
  }

  public String fileName() {
    return name + ".arrow";
  }

  /** The Arrow schema, with {@code metadata} (e.g. the chain and block range) attached. */
  public Schema arrow(Map<String, String> metadata) {
    return new Schema(columns.stream().map(Column::field).toList(), metadata);
  }
}
