package io.axivon.da.erasure;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds the {@link ErasureBackend}s on the class path and picks the best available one. The system
 * property {@value #BACKEND_PROPERTY} names a backend (e.g. {@code vector-512}, {@code scalar},
 * {@code cuda}) to use instead of the automatic choice.
 */
public final class ErasureBackends {
  /** The system property that overrides automatic selection with one backend's name. */
  public static final String BACKEND_PROPERTY = "axivon.erasure.backend";

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

  /**
   * The backend named by {@value #BACKEND_PROPERTY} when it is set, else the highest-priority
   * available one (the scalar one at worst).
   */
  public static ErasureBackend best() {
    String forced = forcedName();
    return forced != null ? named(forced) : available().getFirst();
  }

  /**
   * What {@link ReedSolomon#create} codes on, in order of preference: the backend named by {@value
   * #BACKEND_PROPERTY} alone when it is set; else the available offload backends (GPUs), best
   * first, then the best CPU backend, which takes whatever shapes the offload ones decline. Without
   * an accelerator this is just {@code [best()]}.
   */
  public static List<ErasureBackend> automatic() {
    String forced = forcedName();
    if (forced != null) {
      return List.of(named(forced));
    }
    List<ErasureBackend> chosen = new ArrayList<>();
    for (ErasureBackend b : available()) {
      chosen.add(b);
      if (!b.offload()) {
        break;
      }
    }
    return List.copyOf(chosen);
  }

  private static String forcedName() {
    String name = System.getProperty(BACKEND_PROPERTY);
    return name == null || name.isBlank() ? null : name.strip();
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
