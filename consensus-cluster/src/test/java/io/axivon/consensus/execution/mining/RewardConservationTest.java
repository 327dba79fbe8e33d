package io.axivon.consensus.execution.mining;

import static io.axivon.consensus.execution.mining.MiningHarness.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.consensus.execution.flow.FlowAbi;
import io.axivon.consensus.execution.flow.FlowModule;
import io.axivon.consensus.execution.flow.Submission;
import io.axivon.consensus.execution.system.Abi;
import io.axivon.consensus.execution.system.ModuleResult;
import io.axivon.sdk.mining.AnswerCodec;
import io.axivon.sdk.mining.Pora;
import java.math.BigInteger;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;

/** Over many epochs of uploads and answers, every wei of fees is paid out or still pooled. */
class RewardConservationTest {
  @Test
  void feesArePaidOrPooledAndNothingIsCreated() {
    MiningHarness h = new MiningHarness(new MiningConfig(BigInteger.ONE.shiftLeft(250), 2, 50_000));
    h.upload(64 * 1024);
    h.nextEpoch();
    BigInteger supplyBefore = supply(h);
    BigInteger paid = BigInteger.ZERO;
    Bytes32 a = h.register(BOB, Bytes32.fromHexString("0x01"));
    Bytes32 b = h.register(MiningHarness.ALICE, Bytes32.fromHexString("0x02"));
    for (int epoch = 0; epoch < 12; epoch++) {
      if (epoch % 3 == 0) {
        h.upload(4096 * (1 + epoch)); // more fees, a longer flow
        h.endBlock();
      }
      for (Bytes32 id : List.of(a, b)) {
        MiningHarness.Miner m = h.new Miner(id, h.context().digest());
        if (m.ctx.flowLength() < Pora.UNIT_SECTORS) {
          continue;
        }
        ModuleResult r = h.call(BOB, AnswerCodec.encodeCall(m.answer(h.target(), 1000L * epoch)));
        assertThat(r.success()).as(() -> MiningHarness.reason(r)).isTrue();
        paid = paid.add(r.returnData().toUnsignedBigInteger());
      }
      h.nextEpoch();
    }
    // a submission past the first pricing chunk: its fees spread over chunks 0 and 1 by sectors
    bigSubmission(h, 25);
    h.nextEpoch();
    h.nextEpoch();

    Bytes totals = h.view(Abi.call(MiningModule.TOTALS, List.of()));
    BigInteger swept = totals.slice(0, 32).toUnsignedBigInteger();
    BigInteger totalPaid = totals.slice(32).toUnsignedBigInteger();
    assertThat(totalPaid).isEqualTo(paid).isPositive();
    assertThat(swept).isEqualTo(h.feesPaid); // every fee reached the mining module
    assertThat(h.state.balance(FlowModule.ADDRESS)).isZero();
    BigInteger pooled = chunk(h, 0).add(chunk(h, 1));
    assertThat(h.state.balance(MiningModule.ADDRESS)).isEqualTo(pooled);
    assertThat(swept).isEqualTo(totalPaid.add(pooled));
    assertThat(chunk(h, 1)).isPositive();
    assertThat(supply(h)).isEqualTo(supplyBefore); // no AXN created or destroyed
  }

  private static BigInteger chunk(MiningHarness h, long c) {
    Bytes r =
        h.view(
            Abi.call(
                MiningModule.PRICING_CHUNK,
                List.of(new org.web3j.abi.datatypes.generated.Uint256(c))));
    return r.slice(0, 32).toUnsignedBigInteger().add(r.slice(32, 32).toUnsignedBigInteger());
  }

  private static BigInteger supply(MiningHarness h) {
    return h.state
        .balance(MiningHarness.ALICE)
        .add(h.state.balance(BOB))
        .add(h.state.balance(FlowModule.ADDRESS))
        .add(h.state.balance(MiningModule.ADDRESS));
  }

  // A node of 2^height made-up sectors (the flow checks no data).
  private static void bigSubmission(MiningHarness h, int height) {
    Submission s =
        new Submission(
            BigInteger.ONE.shiftLeft(height + 8),
            Bytes.EMPTY,
            List.of(
                new Submission.Node(Bytes32.fromHexString("0x77"), BigInteger.valueOf(height))));
    BigInteger fee = MiningHarness.PRICE.shiftLeft(height);
    ModuleResult r =
        h.modules.invoke(
            h.state,
            MiningHarness.ALICE,
            FlowModule.ADDRESS,
            fee,
            FlowAbi.submitCall(s),
            10_000_000,
            false,
            h.height + 1);
    assertThat(r.success()).isTrue();
    h.feesPaid = h.feesPaid.add(fee);
  }
}
