package io.axivon.common.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The overrides a command's flags make for {@link ConfigLoader#load}: a flag the user did not give
 * (null) adds nothing, so the file's value or the default stands. Keys keep the order they were
 * added in, which is the order errors about them are reported in.
 */
public final class Overrides {
  private final Map<String, String> values = new LinkedHashMap<>();

  /** Adds {@code key = value} unless {@code value} is null (the flag was not given). */
  public Overrides put(String key, Object value) {
    if (value != null) {
      values.put(key, value.toString());
    }
    return this;
  }

  /** Adds a repeatable flag's values as one comma-separated value, unless none was given. */
  public Overrides putList(String key, List<String> list) {
    return put(key, list == null ? null : String.join(",", list));
  }

  /** Adds {@code key = true} when {@code condition} holds (a switch that was given). */
  public Overrides putTrueIf(String key, boolean condition) {
    return put(key, condition ? "true" : null);
  }

  /** The overrides so far, as {@link ConfigLoader#load} takes them. */
  public Map<String, String> toMap() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }
}
