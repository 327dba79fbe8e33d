package io.axivon.cuda;

import jcuda.nvrtc.JNvrtc;
import jcuda.nvrtc.nvrtcProgram;

/**
 * CUDA's run-time compiler through JCuda: the fallback when the jar has no PTX, or the driver
 * rejects its PTX version (PTX from a newer nvcc than the driver). Needs no GPU, only libnvrtc of
 * the CUDA major version JCuda was built for (12).
 */
public final class Nvrtc {
  private Nvrtc() {}

  /** Null when NVRTC loads here, else why not. */
  public static String unavailableReason() {
    try {
      JNvrtc.setExceptionsEnabled(true);
      int[] major = {0};
      int[] minor = {0};
      JNvrtc.nvrtcVersion(major, minor);
      return null;
    } catch (Throwable t) { // UnsatisfiedLinkError, CudaException: either means "not here"
      return "NVRTC did not load (JCuda 12.6 needs libnvrtc.so.12): " + CudaBackend.linkProblem(t);
    }
  }

  /** Compiles {@code source} to PTX for a virtual architecture such as {@code compute_90}. */
  public static String compile(String source, String arch) {
    JNvrtc.setExceptionsEnabled(true);
    nvrtcProgram program = new nvrtcProgram();
    JNvrtc.nvrtcCreateProgram(program, source, KernelSource.SOURCE_RESOURCE, 0, null, null);
    try {
      try {
        JNvrtc.nvrtcCompileProgram(program, 1, new String[] {"--gpu-architecture=" + arch});
      } catch (RuntimeException e) {
        String[] log = {""};
        JNvrtc.nvrtcGetProgramLog(program, log);
        throw new IllegalStateException(
            "NVRTC could not compile " + KernelSource.SOURCE_RESOURCE + ": " + log[0], e);
      }
      String[] ptx = {null};
      JNvrtc.nvrtcGetPTX(program, ptx);
      return ptx[0];
    } finally {
      JNvrtc.nvrtcDestroyProgram(program);
    }
  }
}
