package io.axivon.common.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildJvmTest {
  /** The child: prints its arguments as lines, then either exits with a complaint or waits. */
  public static void main(String[] args) throws InterruptedException {
    for (String a : args) {
      System.out.println(a);
    }
    System.out.flush();
    if (args.length > 0 && args[args.length - 1].equals("fail")) {
      System.err.println("the disk is full");
      System.exit(3);
    }
    Thread.sleep(600_000);
  }

  @Test
  void aChildThatDiesEarlySaysWhy(@TempDir Path dir) throws Exception {
    try (ChildJvm child = ChildJvm.start(dir.resolve("err"), ChildJvmTest.class, "one", "fail")) {
      assertThat(child.readLine()).isEqualTo("one");
      assertThat(child.readLine()).isEqualTo("fail");
      assertThatThrownBy(child::readLine)
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("exit code 3")
          .hasMessageContaining("the disk is full");
    }
  }

  @Test
  void linesThatDoNotMatchAreSkippedAndKillEndsTheChild(@TempDir Path dir) throws Exception {
    try (ChildJvm child =
        ChildJvm.start(dir.resolve("err"), ChildJvmTest.class, "INFO started", "17", "18")) {
      assertThat(child.readLineMatching("\\d+")).isEqualTo("17");
      child.kill();
      assertThat(ProcessHandle.of(child.pid()).filter(ProcessHandle::isAlive)).isEmpty();
    }
  }
}
