package io.axivon.cuda;

import io.axivon.da.erasure.CodingMatrix;
import io.axivon.da.erasure.ErasureBackend;
import java.lang.foreign.MemorySegment;

/**
 * Reed-Solomon on an NVIDIA GPU: the {@code gf_matmul16} kernel ({@code gf_matmul.cu}) through
 * JCuda, byte-identical to the CPU backends (same field, same matrices; the kernel's tables come
 * from {@link GfTables}). Available only where JCuda's natives load, the driver (libcuda) is there
 * and it reports a device; otherwise {@link #isAvailable()} is false and one line says why.
 *
 * <p>Automatic selection ({@code ReedSolomon.create}) gives it only the multiplies it {@link
 * #prefers prefers}: at least {@value #MIN_WORK_PROPERTY} byte products (default 2^28) and at least
 * {@value #MIN_INTENSITY_PROPERTY} (default 8) products per byte moved over PCIe, i.e. rows·cols ≥
 * 8·(rows + cols). These defaults are first guesses to be tuned with CudaErasureBench on a GPU
 * machine: 10+4 stays on the CPU, 16+16 with 1 MiB shards and k = m = 128 over a 32 MiB square go
 * to the GPU.
 */
public final class CudaBackend implements ErasureBackend {
  /** The backend's name, for {@code -Daxivon.erasure.backend=cuda}. */
  public static final String NAME = "cuda";

  /** Minimum rows × cols × len for automatic selection. */
  public static final String MIN_WORK_PROPERTY = "axivon.cuda.minWork";

  /** Minimum rows × cols / (rows + cols) for automatic selection. */
  public static final String MIN_INTENSITY_PROPERTY = "axivon.cuda.minIntensity";

  /** Input bytes (all shards together) per pipelined chunk. */
  public static final String CHUNK_PROPERTY = "axivon.cuda.chunkBytes";

  static final long DEFAULT_MIN_WORK = 1L << 28;
  static final long DEFAULT_MIN_INTENSITY = 8;
  static final long DEFAULT_CHUNK_BYTES = 8L << 20;

  private final long minWork = Long.getLong(MIN_WORK_PROPERTY, DEFAULT_MIN_WORK);
  private final long minIntensity = Long.getLong(MIN_INTENSITY_PROPERTY, DEFAULT_MIN_INTENSITY);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return 200;
  }

  /** Never throws: false when there is no usable device, with the reason logged once. */
  @Override
  public boolean isAvailable() {
    return Probe.DEVICE != null;
  }

  /** Null when a device is usable, else why not (no natives, no driver, no device, no kernel). */
  public static String unavailableReason() {
    return Probe.REASON;
  }

  /** The card in use, e.g. {@code NVIDIA H100 80GB HBM3 (compute 9.0)}. */
  public static String deviceName() {
    return device().name();
  }

  /** Where the loaded kernel came from: {@code prebuilt PTX} or {@code NVRTC (compute_XY)}. */
  public static String kernelOrigin() {
    return device().kernelOrigin();
  }

  @Override
  public CodingMatrix prepare(byte[] matrix, int rows, int cols) {
    if (cols < 1 || cols > 256) {
      throw new IllegalArgumentException("cols must be in 1..256, got " + cols);
    }
    return new CodingMatrix(matrix.clone(), rows, cols, GfTables.coefficientLogs(matrix));
  }

  @Override
  public void multiply(
      CodingMatrix matrix, MemorySegment[] in, MemorySegment[] out, long from, long to) {
    device().multiply((byte[]) matrix.expanded(), matrix.rows(), matrix.cols(), in, out, from, to);
  }

  @Override
  public boolean offload() {
    return true;
  }

  @Override
  public boolean prefers(int rows, int cols, long len) {
    long products = (long) rows * cols;
    return products * len >= minWork && products >= minIntensity * (rows + cols);
  }

  private static CudaDevice device() {
    if (Probe.DEVICE == null) {
      throw new IllegalStateException("no CUDA device: " + Probe.REASON);
    }
    return Probe.DEVICE;
  }

  private static final java.util.regex.Pattern MISSING_LIBRARY =
      java.util.regex.Pattern.compile("(lib[\\w.+-]+\\.so[\\w.]*): cannot open shared object file");

  /** The library the dynamic linker could not find, from JCuda's long loader message. */
  static String linkProblem(Throwable t) {
    String message = t.getMessage() == null ? "" : t.getMessage();
    java.util.regex.Matcher m = MISSING_LIBRARY.matcher(message);
    return m.find() ? m.group(1) + " not found" : firstLine(t);
  }

  static String firstLine(Throwable t) {
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    int nl = message.indexOf('\n');
    return (nl < 0 ? message : message.substring(0, nl)).strip();
  }

  /**
   * The device, opened once per JVM on first use: the driver's primary context is per process, and
   * ServiceLoader makes a new CudaBackend every time backends are listed.
   */
  private static final class Probe {
    static final CudaDevice DEVICE;
    static final String REASON;

    static {
      CudaDevice device = null;
      String reason;
      try {
        device = CudaDevice.open(Long.getLong(CHUNK_PROPERTY, DEFAULT_CHUNK_BYTES));
        reason = null;
      } catch (UnsatisfiedLinkError e) {
        reason = "JCuda's driver natives did not load: " + linkProblem(e) + " (no NVIDIA driver?)";
      } catch (Throwable t) { // CudaException (no device, driver too old), missing classes, ...
        reason = firstLine(t);
      }
      DEVICE = device;
      REASON = reason;
      System.Logger log = System.getLogger(CudaBackend.class.getName());
      if (device == null) {
        log.log(System.Logger.Level.INFO, "CUDA erasure backend unavailable: " + reason);
      } else {
        log.log(
            System.Logger.Level.INFO,
            "CUDA erasure backend on " + device.name() + ", kernel from " + device.kernelOrigin());
      }
    }
  }
}
