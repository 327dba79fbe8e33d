package io.axivon.da.erasure;

import java.lang.foreign.MemorySegment;

/**
 * The service entry for {@link VectorBackend}: it checks for the jdk.incubator.vector module before
 * touching any class that needs it, so a JVM started without {@code --add-modules
 * jdk.incubator.vector} falls back to the scalar coder instead of failing.
 */
public final class VectorBackendProvider implements ErasureBackend {
  private static final String MODULE = "jdk.incubator.vector";
  private final ErasureBackend delegate;

  public VectorBackendProvider() {
    ErasureBackend found = null;
    if (ModuleLayer.boot().findModule(MODULE).isPresent()) {
      try {
        if (VectorBackend.usable()) {
          found = new VectorBackend();
        }
      } catch (LinkageError e) {
        found = null;
      }
    }
    this.delegate = found;
  }

  /** Whether the JVM was started with the Vector API module. */
  public static boolean vectorModulePresent() {
    return ModuleLayer.boot().findModule(MODULE).isPresent();
  }

  @Override
  public String name() {
    return delegate != null ? delegate.name() : "vector-unavailable";
  }

  @Override
  public int priority() {
    return 100;
  }

  @Override
  public boolean isAvailable() {
    return delegate != null;
  }

  @Override
  public CodingMatrix prepare(byte[] matrix, int rows, int cols) {
    return available().prepare(matrix, rows, cols);
  }

  @Override
  public void multiply(
      CodingMatrix matrix, MemorySegment[] in, MemorySegment[] out, long from, long to) {
    available().multiply(matrix, in, out, from, to);
  }

  private ErasureBackend available() {
    if (delegate == null) {
      throw new IllegalStateException("the Vector API is not available in this JVM");
    }
    return delegate;
  }
}
