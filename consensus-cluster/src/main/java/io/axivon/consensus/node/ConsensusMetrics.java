package io.axivon.consensus.node;

import io.axivon.consensus.engine.Effect;
import io.axivon.consensus.engine.State;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.Histogram;

/**
 * The consensus nodes' Prometheus metrics, every series labelled by chain: one instance per
 * registry, shared by all the chains a validator runs.
 */
public final class ConsensusMetrics {
  private final Gauge height;
  private final Gauge round;
  private final Gauge proposer;
  private final Gauge peers;
  private final Gauge mempoolSize;
  private final Histogram commitLatency;
  private final Counter evidenceSeen;
  private final Counter dropped;
  private final Counter synced;
  private final Counter txs;
  private final Counter optimistic;

  public ConsensusMetrics(CollectorRegistry registry) {
    height =
        Gauge.build("axivon_consensus_height", "Height being decided.")
            .labelNames("chain")
            .register(registry);
    round =
        Gauge.build("axivon_consensus_round", "Round of the current height.")
            .labelNames("chain")
            .register(registry);
    proposer =
        Gauge.build(
                "axivon_consensus_last_proposer",
                "Validator index that proposed the last decided block.")
            .labelNames("chain")
            .register(registry);
    peers =
        Gauge.build("axivon_consensus_peers", "Connected peers.")
            .labelNames("chain")
            .register(registry);
    mempoolSize =
        Gauge.build("axivon_mempool_size", "Transactions in the mempool.")
            .labelNames("chain")
            .register(registry);
    commitLatency =
        Histogram.build(
                "axivon_consensus_commit_seconds", "Time from entering a height to deciding it.")
            .buckets(0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5, 10, 30)
            .labelNames("chain")
            .register(registry);
    evidenceSeen =
        Counter.build("axivon_consensus_evidence_total", "Equivocation evidence accepted.")
            .labelNames("chain")
            .register(registry);
    dropped =
        Counter.build("axivon_consensus_dropped_total", "Consensus messages dropped, by reason.")
            .labelNames("chain", "reason")
            .register(registry);
    synced =
        Counter.build("axivon_consensus_synced_blocks_total", "Blocks fetched by block sync.")
            .labelNames("chain")
            .register(registry);
    txs =
        Counter.build("axivon_consensus_transactions_total", "Transactions in decided blocks.")
            .labelNames("chain")
            .register(registry);
    optimistic =
        Counter.build(
                "axivon_consensus_optimistic_executions_total",
                "Proposals executed while their votes were collected, by outcome: used (the block"
                    + " was decided), discarded, failed.")
            .labelNames("chain", "outcome")
            .register(registry);
  }

  /** The metrics of one chain. */
  ChainMetrics chain(String chainId) {
    return new ChainMetrics(chainId);
  }

  /** One chain's view of the shared collectors. */
  final class ChainMetrics {
    private final String chain;

    private ChainMetrics(String chain) {
      this.chain = chain;
    }

    void state(State s) {
      height.labels(chain).set(s.height());
      round.labels(chain).set(s.round());
    }

    void decided(Effect.Decided d, long startedNanos) {
      commitLatency.labels(chain).observe((System.nanoTime() - startedNanos) / 1e9);
      proposer.labels(chain).set(d.block().header().proposerIndex());
      txs.labels(chain).inc(d.block().transactions().size());
    }

    void peers(int n) {
      peers.labels(chain).set(n);
    }

    void optimistic(io.axivon.consensus.app.OptimisticExecution.Outcome outcome) {
      optimistic.labels(chain, outcome.name().toLowerCase(java.util.Locale.ROOT)).inc();
    }

    void mempool(int n) {
      mempoolSize.labels(chain).set(n);
    }

    void evidence() {
      evidenceSeen.labels(chain).inc();
    }

    void dropped(String reason) {
      // Numbers (rounds, indices) would make a label per value: fold them.
      dropped.labels(chain, reason.replaceAll("[0-9]+", "N")).inc();
    }

    void synced() {
      synced.labels(chain).inc();
    }
  }
}
