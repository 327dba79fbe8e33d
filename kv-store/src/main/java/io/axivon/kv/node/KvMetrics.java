package io.axivon.kv.node;

import io.axivon.kv.replay.TxResult;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.Histogram;
import java.util.Objects;
import java.util.Set;

/** The KV node's Prometheus metrics: replay progress and outcomes, and its kv_* RPC. */
public final class KvMetrics {
  /** Methods counted under their own name; anything else is "other" (labels stay bounded). */
  static final Set<String> METHODS =
      Set.of(
          "kv_getStatus",
          "kv_getValue",
          "kv_getNext",
          "kv_getPrev",
          "kv_getFirst",
          "kv_getLast",
          "kv_getTransactionResult",
          "kv_getHoldingStreamIds",
          "kv_hasWritePermission",
          "kv_isAdmin",
          "kv_IsAdmin",
          "kv_isSpecialKey",
          "kv_isWriterOfKey",
          "kv_isWriterOfStream");

  private final Counter submissions;
  private final Counter results;
  private final Gauge lag;
  private final Gauge nextTxSeq;
  private final Counter requests;
  private final Histogram latency;

  public KvMetrics(CollectorRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    submissions =
        Counter.build()
            .name("axivon_kv_replayed_submissions_total")
            .help("Flow submissions the KV node handled, by kind (kv: a KV transaction, skip)")
            .labelNames("kind")
            .register(registry);
    results =
        Counter.build()
            .name("axivon_kv_tx_results_total")
            .help("Replayed KV transactions by result (Commit or the abort reason)")
            .labelNames("result")
            .register(registry);
    lag =
        Gauge.build()
            .name("axivon_kv_replay_lag_submissions")
            .help("Flow submissions known to the KV node but not replayed yet")
            .register(registry);
    nextTxSeq =
        Gauge.build()
            .name("axivon_kv_replay_next_tx_seq")
            .help("The first flow submission the KV node has not replayed")
            .register(registry);
    requests =
        Counter.build()
            .name("axivon_kv_rpc_requests_total")
            .help("kv_* JSON-RPC calls by method (a batch counts each call)")
            .labelNames("method")
            .register(registry);
    latency =
        Histogram.build()
            .name("axivon_kv_rpc_request_seconds")
            .help("kv_* JSON-RPC request handling time (a whole batch is one request)")
            .buckets(0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1)
            .register(registry);
  }

  /** Metrics that go nowhere (tests, tools). */
  public static KvMetrics unregistered() {
    return new KvMetrics(new CollectorRegistry());
  }

  void skipped(int n) {
    if (n > 0) {
      submissions.labels("skip").inc(n);
    }
  }

  void replayed(TxResult result) {
    submissions.labels("kv").inc();
    results.labels(reason(result)).inc();
  }

  void progress(long next, long flowNext) {
    nextTxSeq.set(next);
    lag.set(Math.max(0, flowNext - next));
  }

  void request(String method) {
    requests.labels(METHODS.contains(method) ? method : "other").inc();
  }

  void requestSeconds(double seconds) {
    latency.observe(seconds);
  }

  /** "Commit" or the abort reason's name (its text carries details that would unbound labels). */
  static String reason(TxResult result) {
    return result.committed() ? "Commit" : result.getClass().getSimpleName();
  }
}
