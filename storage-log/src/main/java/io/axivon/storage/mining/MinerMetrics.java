package io.axivon.storage.mining;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;

/** The miner's metrics: hashes/s is {@code rate(axivon_pora_hashes_total)}. */
public final class MinerMetrics {
  final Counter hashes;
  final Counter answers;
  final Counter rewardsWei;
  final Counter resealed;
  final Counter accepted;
  final Counter refused;
  final Gauge sealedUnits;
  final Gauge hashRate;

  public MinerMetrics(CollectorRegistry registry) {
    hashes =
        Counter.build("axivon_pora_hashes_total", "PoRA quality hashes computed")
            .register(registry);
    answers =
        Counter.build("axivon_pora_answers_total", "Answers found and checked locally")
            .register(registry);
    rewardsWei =
        Counter.build("axivon_pora_rewards_wei_total", "Rewards paid for answers, in wei")
            .register(registry);
    resealed =
        Counter.build("axivon_pora_resealed_units_total", "Corrupt sealed units sealed again")
            .register(registry);
    accepted =
        Counter.build("axivon_pora_answers_accepted_total", "Answers the chain accepted and paid")
            .register(registry);
    refused =
        Counter.build("axivon_pora_answers_refused_total", "Answers the chain refused")
            .register(registry);
    hashRate =
        Gauge.build("axivon_pora_hashes_per_second", "PoRA hashes per second in the last round")
            .register(registry);
    sealedUnits =
        Gauge.build("axivon_pora_sealed_units", "Units of the recall range sealed and held")
            .register(registry);
  }

  public double hashes() {
    return hashes.get();
  }

  public double answers() {
    return answers.get();
  }

  /** Records a reward the chain paid (the receipt's return value). */
  public void rewarded(java.math.BigInteger wei) {
    rewardsWei.inc(wei.doubleValue());
  }
}
