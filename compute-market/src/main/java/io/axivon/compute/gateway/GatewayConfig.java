package io.axivon.compute.gateway;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A provider gateway's settings.
 *
 * @param port where it listens (8090 by default)
 * @param upstream the provider's own service; a request to {@code /x} goes to {@code upstream/x}
 * @param maxBodyBytes the largest request body forwarded (larger: 413)
 * @param batchSize settle once this many requests are pending, and at most this many at once
 * @param settleInterval also settle whatever is pending this often
 * @param journal the file of accepted, not yet settled requests
 * @param fsync whether each journal line is forced to disk before the request is forwarded: a
 *     written line already survives the gateway process being killed (it is in the kernel's page
 *     cache); forcing it also survives the machine losing power, at the cost of a disk flush per
 *     request
 */
public record GatewayConfig(
    int port,
    URI upstream,
    long maxBodyBytes,
    int batchSize,
    Duration settleInterval,
    Path journal,
    boolean fsync) {
  public static final int DEFAULT_PORT = 8090;

  public GatewayConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in [0, 65535]");
    }
    if (maxBodyBytes < 1 || maxBodyBytes > 64L << 20) {
      throw new IllegalArgumentException("maxBodyBytes must be in [1, 64 MiB]");
    }
    if (batchSize < 1 || batchSize > 256) {
      throw new IllegalArgumentException("batchSize must be in [1, 256]");
    }
  }
}
