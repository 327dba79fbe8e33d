package io.axivon.node.cli;

import java.util.concurrent.CountDownLatch;

/**
 * Keeps a service command in the foreground until Ctrl-C or SIGTERM, then closes the service from
 * the JVM's shutdown hook, so every socket and file is released before the process exits.
 */
public final class UntilStopped {
  private UntilStopped() {}

  public static void run(AutoCloseable service, Runnable onStopped) {
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              try {
                service.close();
                onStopped.run();
              } catch (Exception e) {
                System.err.println("axivon: error while stopping: " + e.getMessage());
              } finally {
                stopped.countDown();
              }
            },
            "axivon-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stopped.await(); // returns only once the hook has closed the service
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
