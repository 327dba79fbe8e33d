/**
 * Prometheus metrics: a per-node registry with the JVM collectors ({@link
 * io.axivon.common.metrics.Metrics}) and the HTTP endpoint that serves it ({@link
 * io.axivon.common.metrics.MetricsServer}).
 */
package io.axivon.common.metrics;
