package io.axivon.node.devnet;

import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exposes several services' registries as one, with a {@code node} label added to every sample, so
 * several services of the same kind in one JVM (devnet) share one {@code /metrics} without their
 * metric names clashing. Each service keeps its own registry, as it would in its own process.
 */
final class NodeLabelledCollector extends Collector {
  private final Map<String, CollectorRegistry> registriesByNode;

  NodeLabelledCollector(Map<String, CollectorRegistry> registriesByNode) {
    this.registriesByNode = Map.copyOf(registriesByNode);
  }

  @Override
  public List<MetricFamilySamples> collect() {
    // One family per name (Prometheus wants each name once), holding the samples of every node.
    Map<String, MetricFamilySamples> families = new LinkedHashMap<>();
    for (var entry : registriesByNode.entrySet()) {
      for (MetricFamilySamples family : Collections.list(entry.getValue().metricFamilySamples())) {
        MetricFamilySamples merged =
            families.computeIfAbsent(
                family.name,
                name ->
                    new MetricFamilySamples(
                        name, family.unit, family.type, family.help, new ArrayList<>()));
        for (MetricFamilySamples.Sample s : family.samples) {
          List<String> names = new ArrayList<>(s.labelNames);
          List<String> values = new ArrayList<>(s.labelValues);
          names.add("node");
          values.add(entry.getKey());
          merged.samples.add(
              new MetricFamilySamples.Sample(
                  s.name, names, values, s.value, s.exemplar, s.timestampMs));
        }
      }
    }
    return new ArrayList<>(families.values());
  }
}
