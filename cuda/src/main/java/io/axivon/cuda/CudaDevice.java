package io.axivon.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;
import static jcuda.driver.JCudaDriver.cuMemHostAlloc;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoHAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleGetGlobal;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

/**
 * Device 0 with the kernel loaded, and the buffers one multiply streams through: a few stages, each
 * a CUDA stream with pinned host buffers and device buffers for one chunk of byte positions. While
 * the GPU copies in, multiplies and copies out chunk i on one stream, the CPU stages chunk i + 1
 * into the next stage's pinned buffer and unstages chunk i - STAGES + 1 out of its own, so the
 * copies over PCIe, the kernel and the host copies overlap. Calls are serialised: one GPU, one set
 * of buffers, and the coefficients live in the module's one constant array.
 */
final class CudaDevice {
  /** Stages in flight: host staging, H2D + kernel + D2H, and unstaging each get one. */
  private static final int STAGES = 3;

  private static final int BLOCK_THREADS = 128;

  /** Output rows per block, GF_ROW_GROUP in the kernel. */
  static final int ROW_GROUP = 8;

  private static final int WORD = 16;

  private final CUcontext context;
  private final CUfunction kernel;
  private final CUdeviceptr coefficients;
  private final CUdeviceptr tables;
  private final String name;
  private final String kernelOrigin;
  private final int multiprocessors;
  private final long chunkInputBytes;
  private final Stage[] stages = new Stage[STAGES];

  private CudaDevice(
      CUcontext context,
      CUfunction kernel,
      CUdeviceptr coefficients,
      CUdeviceptr tables,
      String name,
      String kernelOrigin,
      int multiprocessors,
      long chunkInputBytes) {
    this.context = context;
    this.kernel = kernel;
    this.coefficients = coefficients;
    this.tables = tables;
    this.name = name;
    this.kernelOrigin = kernelOrigin;
    this.multiprocessors = multiprocessors;
    this.chunkInputBytes = chunkInputBytes;
    for (int i = 0; i < STAGES; i++) {
      CUstream stream = new CUstream();
      cuStreamCreate(stream, 0);
      stages[i] = new Stage(stream);
    }
  }

  /**
   * Opens device 0 and loads the kernel: the jar's PTX, else (or if the driver rejects it) the
   * source compiled by NVRTC for this card. Throws with the reason when any step fails.
   */
  static CudaDevice open(long chunkInputBytes) {
    JCudaDriver.setExceptionsEnabled(true);
    cuInit(0);
    int[] count = {0};
    cuDeviceGetCount(count);
    if (count[0] == 0) {
      throw new IllegalStateException("the driver reports no device");
    }
    CUdevice device = new CUdevice();
    cuDeviceGet(device, 0);
    byte[] nameBytes = new byte[256];
    cuDeviceGetName(nameBytes, nameBytes.length, device);
    String name = cString(nameBytes);
    int major = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
    int minor = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
    int sms = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
    CUcontext context = new CUcontext();
    cuDevicePrimaryCtxRetain(context, device);
    cuCtxSetCurrent(context);

    CUmodule module = new CUmodule();
    String origin = load(module, "compute_" + major + minor);
    CUfunction kernel = new CUfunction();
    cuModuleGetFunction(kernel, module, KernelSource.ENTRY);
    CUdeviceptr coefficients = new CUdeviceptr();
    long[] size = {0};
    cuModuleGetGlobal(coefficients, size, module, KernelSource.COEFFICIENTS);
    if (size[0] != KernelSource.MAX_COEFFICIENTS) {
      throw new IllegalStateException(
          KernelSource.COEFFICIENTS
              + " has "
              + size[0]
              + " bytes, expected "
              + KernelSource.MAX_COEFFICIENTS);
    }
    byte[] image = GfTables.image();
    CUdeviceptr tables = new CUdeviceptr();
    cuMemAlloc(tables, image.length);
    cuMemcpyHtoD(tables, Pointer.to(image), image.length);
    return new CudaDevice(
        context,
        kernel,
        coefficients,
        tables,
        name + " (compute " + major + "." + minor + ")",
        origin,
        sms,
        chunkInputBytes);
  }

  private static String load(CUmodule module, String arch) {
    String prebuiltProblem = "the jar has no prebuilt PTX";
    var ptx = KernelSource.prebuiltPtx();
    if (ptx.isPresent()) {
      try {
        cuModuleLoadData(module, nulTerminated(ptx.get()));
        return "prebuilt PTX";
      } catch (RuntimeException e) { // e.g. CUDA_ERROR_UNSUPPORTED_PTX_VERSION on an older driver
        prebuiltProblem = "the driver rejected the prebuilt PTX: " + CudaBackend.firstLine(e);
      }
    }
    String nvrtcProblem = Nvrtc.unavailableReason();
    if (nvrtcProblem != null) {
      throw new IllegalStateException(prebuiltProblem + ", and " + nvrtcProblem);
    }
    cuModuleLoadData(module, nulTerminated(Nvrtc.compile(KernelSource.source(), arch)));
    return "NVRTC (" + arch + ")";
  }

  String name() {
    return name;
  }

  String kernelOrigin() {
    return kernelOrigin;
  }

  /** out[r] = XOR over c of g[r][c] · in[c] on [from, to), with {@code logs} from GfTables. */
  synchronized void multiply(
      byte[] logs,
      int rows,
      int cols,
      MemorySegment[] in,
      MemorySegment[] out,
      long from,
      long to) {
    long n = to - from;
    if (n <= 0 || rows == 0) {
      return;
    }
    cuCtxSetCurrent(context);
    try {
      stream(logs, rows, cols, in, out, from, n);
    } catch (RuntimeException | Error e) {
      for (Stage s : stages) {
        s.busy = false; // what was in flight belongs to this failed call
      }
      throw e;
    }
  }

  private void stream(
      byte[] logs, int rows, int cols, MemorySegment[] in, MemorySegment[] out, long from, long n) {
    long chunk = Math.min(roundUp(Math.max(64 * 1024, chunkInputBytes / cols)), roundUp(n));
    int groupRows = Math.min(rows, KernelSource.MAX_COEFFICIENTS / cols);
    for (Stage s : stages) {
      s.reserve(cols * chunk, groupRows * chunk);
    }
    for (int r0 = 0; r0 < rows; r0 += groupRows) {
      int nr = Math.min(groupRows, rows - r0);
      // the kernels of the previous row group read the constant array: let them finish
      cuCtxSynchronize();
      byte[] group = Arrays.copyOfRange(logs, r0 * cols, (r0 + nr) * cols);
      cuMemcpyHtoD(coefficients, Pointer.to(group), group.length);
      int next = 0;
      for (long off = 0; off < n; off += chunk) {
        Stage s = stages[next];
        next = (next + 1) % STAGES;
        s.finish(out);
        long len = Math.min(chunk, n - off);
        long pad = roundUp(len);
        for (int c = 0; c < cols; c++) {
          MemorySegment.copy(in[c], from + off, s.hostIn, c * pad, len);
        }
        cuMemcpyHtoDAsync(s.deviceIn, s.hostInPtr, cols * pad, s.stream);
        launch(s, pad / WORD, nr, cols);
        cuMemcpyDtoHAsync(s.hostOutPtr, s.deviceOut, nr * pad, s.stream);
        s.pending(from + off, len, pad, r0, nr);
      }
      for (Stage s : stages) {
        s.finish(out);
      }
    }
  }

  private void launch(Stage s, long words, int rows, int cols) {
    int groups = (rows + ROW_GROUP - 1) / ROW_GROUP;
    // enough blocks to fill the card a few times over; the kernel's grid-stride loop does the rest
    long perGroup = Math.max(1, 32L * multiprocessors / groups);
    long blocks = Math.min(Math.min((words + BLOCK_THREADS - 1) / BLOCK_THREADS, perGroup), 65535);
    Pointer params =
        Pointer.to(
            Pointer.to(s.deviceIn),
            Pointer.to(new long[] {words}),
            Pointer.to(s.deviceOut),
            Pointer.to(new long[] {words}),
            Pointer.to(new int[] {rows}),
            Pointer.to(new int[] {cols}),
            Pointer.to(new int[] {0}),
            Pointer.to(new long[] {words}),
            Pointer.to(tables));
    cuLaunchKernel(
        kernel,
        (int) Math.max(1, blocks),
        groups,
        1,
        BLOCK_THREADS,
        1,
        1,
        0,
        s.stream,
        params,
        null);
  }

  private static long roundUp(long n) {
    return (n + WORD - 1) / WORD * WORD;
  }

  private static int attribute(CUdevice device, int attribute) {
    int[] value = {0};
    cuDeviceGetAttribute(value, attribute, device);
    return value[0];
  }

  private static String cString(byte[] bytes) {
    int end = 0;
    while (end < bytes.length && bytes[end] != 0) {
      end++;
    }
    return new String(bytes, 0, end, StandardCharsets.US_ASCII);
  }

  private static byte[] nulTerminated(String ptx) {
    byte[] raw = ptx.getBytes(StandardCharsets.US_ASCII);
    return Arrays.copyOf(raw, raw.length + 1);
  }

  /** One stream's buffers and the chunk it has in flight. */
  private static final class Stage {
    final CUstream stream;
    Pointer hostInPtr = new Pointer();
    Pointer hostOutPtr = new Pointer();
    MemorySegment hostIn = MemorySegment.NULL;
    MemorySegment hostOut = MemorySegment.NULL;
    CUdeviceptr deviceIn;
    CUdeviceptr deviceOut;
    long inCapacity;
    long outCapacity;

    boolean busy;
    long position;
    long len;
    long pad;
    int firstRow;
    int rows;

    Stage(CUstream stream) {
      this.stream = stream;
    }

    void reserve(long inBytes, long outBytes) {
      if (inBytes > inCapacity) {
        free(hostInPtr, deviceIn);
        hostInPtr = new Pointer();
        cuMemHostAlloc(hostInPtr, inBytes, 0);
        hostIn = MemorySegment.ofBuffer(hostInPtr.getByteBuffer(0, inBytes));
        deviceIn = new CUdeviceptr();
        cuMemAlloc(deviceIn, inBytes);
        inCapacity = inBytes;
      }
      if (outBytes > outCapacity) {
        free(hostOutPtr, deviceOut);
        hostOutPtr = new Pointer();
        cuMemHostAlloc(hostOutPtr, outBytes, 0);
        hostOut = MemorySegment.ofBuffer(hostOutPtr.getByteBuffer(0, outBytes));
        deviceOut = new CUdeviceptr();
        cuMemAlloc(deviceOut, outBytes);
        outCapacity = outBytes;
      }
    }

    private static void free(Pointer host, CUdeviceptr device) {
      if (device != null) {
        cuMemFree(device);
        cuMemFreeHost(host);
      }
    }

    void pending(long position, long len, long pad, int firstRow, int rows) {
      this.busy = true;
      this.position = position;
      this.len = len;
      this.pad = pad;
      this.firstRow = firstRow;
      this.rows = rows;
    }

    /** Waits for the chunk in flight, if any, and copies its rows out of the pinned buffer. */
    void finish(MemorySegment[] out) {
      if (!busy) {
        return;
      }
      cuStreamSynchronize(stream);
      for (int r = 0; r < rows; r++) {
        MemorySegment.copy(hostOut, r * pad, out[firstRow + r], position, len);
      }
      busy = false;
    }
  }
}
