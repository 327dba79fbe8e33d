package io.axivon.consensus.execution.da;

import static io.axivon.consensus.execution.da.DaHarness.EPOCH;
import static io.axivon.consensus.execution.da.DaHarness.require;
import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.da.cert.Quorum;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * The quorum of every (epoch, quorum id) is reproducible from chain data alone: the hash of the
 * block ending the previous epoch, and the stake of the operators registered before it ended.
 */
class DaQuorumProperties {
  @Property(tries = 15)
  void quorumIsReproducibleFromChainData(
      @ForAll @Size(min = 1, max = 6) List<@LongRange(min = 1, max = 5000) Long> stakes,
      @ForAll @IntRange(min = 1, max = 4) int quorumSize,
      @ForAll @IntRange(min = 1, max = 3) int epochs,
      @ForAll long registerMask) {
    DaConfig base = DaConfig.devnet();
    DaConfig config =
        new DaConfig(
            quorumSize,
            2,
            base.feePerByteWei(),
            base.minDisperserBond(),
            base.bondWithdrawDelay(),
            base.proverRewardBps());
    DaHarness h = new DaHarness(config, stakes.stream().mapToLong(Long::longValue).toArray());
    List<Integer> registered = new ArrayList<>();
    for (int e = 1; e <= epochs; e++) {
      // in each epoch some more validators register; they count from the next epoch on
      for (int i = 0; i < stakes.size(); i++) {
        if (!registered.contains(i) && ((registerMask >> (i + 8 * e)) & 1) != 0) {
          require(h.registerOperator(i));
          registered.add(i);
        }
      }
      h.advanceTo(e * EPOCH);
      for (long quorumId = 0; quorumId < 2; quorumId++) {
        if (registered.isEmpty()) {
          long epoch = e;
          DataAvailabilityModuleTest.refusedView(
              h, () -> h.quorum(epoch, 0), "epoch " + epoch + " has no DA operators");
          continue;
        }
        Quorum onChain = h.quorum(e, quorumId);
        assertThat(onChain).isEqualTo(h.expectedQuorum(e, quorumId, registered));
        assertThat(onChain.members()).hasSize(Math.min(quorumSize, registered.size()));
      }
    }
  }
}
