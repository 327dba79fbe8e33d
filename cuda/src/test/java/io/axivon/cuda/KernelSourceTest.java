package io.axivon.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What can be checked of the kernel without a GPU: the built PTX, the source, NVRTC if here. */
class KernelSourceTest {
  @Test
  void prebuiltPtxDeclaresTheEntryPointAndTheCoefficientArray() {
    var ptx = KernelSource.prebuiltPtx();
    assumeTrue(
        ptx.isPresent(),
        "no prebuilt PTX: the build had no nvcc (the cuda-ptx profile needs"
            + " /usr/local/cuda/bin/nvcc); the backend would compile the source with NVRTC");
    String text = ptx.get();
    assertThat(text).contains(".visible .entry " + KernelSource.ENTRY + "(");
    assertThat(text)
        .contains(
            ".const .align 1 .b8 "
                + KernelSource.COEFFICIENTS
                + "["
                + KernelSource.MAX_COEFFICIENTS
                + "]");
    assertThat(text).containsPattern("(?m)^\\.target sm_75");
    // the nine kernel parameters: in, in_stride, out, out_stride, rows, cols, coef_base, words,
    // tables
    String entry = text.substring(text.indexOf(".entry " + KernelSource.ENTRY));
    String params = entry.substring(0, entry.indexOf(')'));
    assertThat(params.split("\\.param", -1)).hasSize(10);
  }

  @Test
  void sourceIsSelfContainedForNvrtcAndAgreesWithTheJavaSide() {
    String source = KernelSource.source();
    // NVRTC has no system headers: an #include would compile with nvcc but not at run time
    assertThat(source).doesNotContainPattern("(?m)^\\s*#\\s*include");
    assertThat(source).contains("extern \"C\" __global__ void " + KernelSource.ENTRY + "(");
    assertThat(define(source, "GF_MAX_COEFS")).isEqualTo(KernelSource.MAX_COEFFICIENTS);
    assertThat(define(source, "GF_LOG_ENTRIES")).isEqualTo(GfTables.LOG_ENTRIES);
    assertThat(define(source, "GF_EXP_ENTRIES")).isEqualTo(GfTables.EXP_ENTRIES);
    assertThat(define(source, "GF_ROW_GROUP")).isEqualTo(KernelEmulation.ROW_GROUP);
    assertThat(source).contains("lg != " + GfTables.ZERO_COEFFICIENT + "u");
  }

  @Test
  void nvrtcCompilesTheSourceWhereItLoads() {
    String reason = Nvrtc.unavailableReason();
    assumeTrue(reason == null, () -> "NVRTC not here, source not compiled at run time: " + reason);
    String ptx = Nvrtc.compile(KernelSource.source(), "compute_75");
    assertThat(ptx).contains(".entry " + KernelSource.ENTRY);
    assertThat(ptx).contains(KernelSource.COEFFICIENTS);
  }

  private static int define(String source, String name) {
    Matcher m = Pattern.compile("(?m)^#define " + name + " (\\d+)$").matcher(source);
    assertThat(m.find()).as("#define %s", name).isTrue();
    return Integer.parseInt(m.group(1));
  }
}
