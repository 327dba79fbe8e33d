package io.axivon.da.erasure;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** Finds the {@link ErasureBackend}s on the class path and picks the best available one. */
public final class ErasureBackends {
  private ErasureBackends() {}

  /** Every backend that loads and is available here, best first. */
  public static List<ErasureBackend> available() {
    List<ErasureBackend> found = new ArrayList<>();
    Iterator<ErasureBackend> it =
        ServiceLoader.load(ErasureBackend.class, ErasureBackends.class.getClassLoader()).iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          break;
        }
        ErasureBackend backend = it.next();
        if (backend.isAvailable()) {
          found.add(backend);
        }
      } catch (ServiceConfigurationError | LinkageError e) {
        // a backend whose natives or modules are missing here is simply not a candidate
      }
    }
    if (found.stream().noneMatch(b -> b instanceof ScalarBackend)) {
      found.add(new ScalarBackend());
    }
    found.sort(Comparator.comparingInt(ErasureBackend::priority).reversed());
    return List.copyOf(found);
  }

  /** The highest-priority available backend (the scalar one at worst). */
  public static ErasureBackend best() {
    return available().getFirst();
  }

  /** The available backend called {@code name}. */
  public static ErasureBackend named(String name) {
    return available().stream()
        .filter(b -> b.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no available erasure backend named "
                        + name
                        + "; available: "
                        + available().stream().map(ErasureBackend::name).toList()));
  }
}
