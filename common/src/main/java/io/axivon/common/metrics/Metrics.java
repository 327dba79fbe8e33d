package io.axivon.common.metrics;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.Histogram;
import io.prometheus.client.hotspot.DefaultExports;

/**
 * The metrics of one node (or one test): its own {@link CollectorRegistry}, never Prometheus's
 * static default one, so two nodes in one JVM, or two tests, never collide. Components take a
 * {@code Metrics} and register what they measure on it.
 */
public final class Metrics {
  private final CollectorRegistry registry;

  private Metrics(CollectorRegistry registry) {
    this.registry = registry;
  }

  /** A registry with the JVM collectors (memory, GC, threads, class loading, process...). */
  public static Metrics withJvmCollectors() {
    Metrics metrics = empty();
    DefaultExports.register(metrics.registry);
    return metrics;
  }

  /** A registry with nothing in it, for tests and embedded use. */
  public static Metrics empty() {
    return new Metrics(new CollectorRegistry(true));
  }

  public CollectorRegistry registry() {
    return registry;
  }

  /** Registers a counter; the name gets the {@code _total} suffix in the exposition. */
  public Counter counter(String name, String help, String... labelNames) {
    return Counter.build(name, help).labelNames(labelNames).register(registry);
  }

  public Gauge gauge(String name, String help, String... labelNames) {
    return Gauge.build(name, help).labelNames(labelNames).register(registry);
  }

  /** Registers a histogram with the given bucket upper bounds (in the metric's unit). */
  public Histogram histogram(String name, String help, double[] buckets, String... labelNames) {
    return Histogram.build(name, help).buckets(buckets).labelNames(labelNames).register(registry);
  }
}
