package io.axivon.consensus.execution.flow;

import static io.axivon.consensus.execution.ExecFixtures.blockHash;
import static io.axivon.consensus.execution.ExecFixtures.key;
import static io.axivon.consensus.execution.ExecFixtures.tx;
import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.consensus.execution.EvmChain;
import io.axivon.consensus.execution.ExecFixtures;
import io.axivon.consensus.execution.block.ExecutedBlock;
import io.axivon.consensus.execution.block.Receipt;
import io.axivon.consensus.execution.evm.MessageResult;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.consensus.execution.system.Abi;
import io.axivon.consensus.execution.system.SystemModules;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flow module inside {@link EvmChain}: signed transactions through the block executor and
 * libevm's module callback, receipts, epochs from the block hook with real block hashes, and the
 * same state root after a restart and on a second node.
 */
class FlowChainTest {
  static final BigInteger PRICE = BigInteger.TEN.pow(9);
  static final long GAS = 1_000_000;

  @TempDir Path dir;

  static EvmChain open(Path d) {
    return EvmChain.open(
        d,
        Genesis.devnet(ExecFixtures.CHAIN_ID),
        SystemModules.of(new FlowModule(new FlowConfig(PRICE, 2))));
  }

  static Submission file(long size, int salt) {
    long padded = Submission.paddedSectors((size + 255) / 256);
    List<Submission.Node> nodes = new ArrayList<>();
    for (int h = 62; h >= 0; h--) {
      if ((padded >>> h & 1) != 0) {
        nodes.add(
            new Submission.Node(
                io.axivon.common.crypto.Hashes.keccak256(Bytes.ofUnsignedInt(salt * 100 + h)),
                BigInteger.valueOf(h)));
      }
    }
    return new Submission(BigInteger.valueOf(size), Bytes.EMPTY, nodes);
  }

  /** The blocks of the script: block n's signed transactions. */
  static List<List<Bytes>> script() {
    long nonce = 0;
    List<List<Bytes>> blocks = new ArrayList<>();
    Submission a = file(700, 1);
    blocks.add(
        List.of(
            tx(
                key(0),
                nonce++,
                Optional.of(FlowModule.ADDRESS),
                PRICE.multiply(BigInteger.valueOf(3 + 5)),
                FlowAbi.submitCall(a),
                GAS)));
    List<Submission> batch = List.of(file(4097, 2), file(1, 3));
    blocks.add(
        List.of(
            tx(
                key(0),
                nonce++,
                Optional.of(FlowModule.ADDRESS),
                PRICE.multiply(BigInteger.valueOf(19)),
                FlowAbi.batchSubmitCall(batch),
                GAS),
            // one sector short: reverts with NotEnoughFee, still mined
            tx(
                key(1),
                0,
                Optional.of(FlowModule.ADDRESS),
                PRICE.multiply(BigInteger.valueOf(17)),
                FlowAbi.submitCall(file(4097, 4)),
                GAS)));
    blocks.add(List.of());
    return blocks;
  }

  static List<ExecutedBlock> run(EvmChain chain, List<List<Bytes>> blocks) {
    List<ExecutedBlock> out = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      long n = i + 1;
      Bytes32 parent = n == 1 ? chain.genesis().hash() : blockHash(n - 1);
      chain.execute(n, blockHash(n), parent, n * 1000, ExecFixtures.COINBASE, blocks.get(i));
      out.add(chain.pendingExecution().orElseThrow());
      chain.commit();
    }
    return out;
  }

  static Bytes view(EvmChain chain, String sig) {
    MessageResult r =
        ExecFixtures.view(
            chain,
            ExecFixtures.CHAIN_ID,
            ExecFixtures.COINBASE,
            key(0).address(),
            FlowModule.ADDRESS,
            Abi.selector(sig),
            1_000_000);
    assertThat(r.success()).as(sig).isTrue();
    return r.returnData();
  }

  @Test
  void submitsThroughTransactionsAndSnapshotsEpochs() {
    BigInteger before;
    List<ExecutedBlock> blocks;
    try (EvmChain chain = open(dir.resolve("a"))) {
      before = chain.state().balance(key(0).address());
      blocks = run(chain, script());
      Receipt first = blocks.get(0).receipts().getFirst();
      assertThat(first.success()).isTrue();
      assertThat(first.logs()).hasSize(1);
      // specs/flow.md section 7: about 140,000 gas for this two-node submit, intrinsic included
      assertThat(first.gasUsed()).isBetween(120_000L, 160_000L);
      assertThat(first.logs().getFirst().topics().getFirst()).isEqualTo(FlowAbi.SUBMIT_TOPIC);
      Receipt batch = blocks.get(1).receipts().get(0);
      assertThat(batch.success()).isTrue();
      assertThat(batch.logs()).hasSize(2);
      Receipt underpaid = blocks.get(1).receipts().get(1);
      assertThat(underpaid.success()).isFalse();
      assertThat(underpaid.logs()).isEmpty();

      // only the fee (3 + 18 + 1 sectors) left the sender, besides gas; the excess came back
      BigInteger gas = BigInteger.ZERO;
      for (Receipt r : List.of(first, batch)) {
        gas = gas.add(r.effectiveGasPrice().multiply(BigInteger.valueOf(r.gasUsed())));
      }
      BigInteger fees = PRICE.multiply(BigInteger.valueOf(22));
      assertThat(chain.state().balance(key(0).address()))
          .isEqualTo(before.subtract(fees).subtract(gas));
      assertThat(chain.state().balance(FlowModule.ADDRESS)).isEqualTo(fees);
      assertThat(view(chain, FlowAbi.REWARD_POOL).toUnsignedBigInteger()).isEqualTo(fees);
      assertThat(view(chain, FlowAbi.NUM_SUBMISSIONS).toUnsignedBigInteger()).isEqualTo(3);
      assertThat(view(chain, FlowAbi.FLOW_LENGTH).toUnsignedBigInteger()).isEqualTo(35);

      // epochs of 2 blocks: block 2 started epoch 1 with the flow after it and its hash
      Bytes ctx = view(chain, FlowAbi.GET_CONTEXT);
      assertThat(ctx.slice(0, 32).toUnsignedBigInteger()).isEqualTo(1);
      assertThat(ctx.slice(32, 32).toUnsignedBigInteger()).isEqualTo(2);
      assertThat(ctx.slice(64, 32)).isEqualTo(view(chain, FlowAbi.ROOT));
      assertThat(ctx.slice(96, 32).toUnsignedBigInteger()).isEqualTo(35);
      assertThat(ctx.slice(128, 32)).isEqualTo(blockHash(2));
    }
  }

  @Test
  void restartAndReplayGiveTheSameStateRoot() {
    Bytes32 root;
    Bytes flowRoot;
    try (EvmChain chain = open(dir.resolve("a"))) {
      run(chain, script());
      root = chain.head().stateRoot();
      flowRoot = view(chain, FlowAbi.ROOT);
    }
    try (EvmChain reopened = open(dir.resolve("a"))) {
      assertThat(reopened.head().number()).isEqualTo(3);
      assertThat(reopened.head().stateRoot()).isEqualTo(root);
      assertThat(view(reopened, FlowAbi.ROOT)).isEqualTo(flowRoot);
    }
    try (EvmChain other = open(dir.resolve("b"))) {
      run(other, script());
      assertThat(other.head().stateRoot()).isEqualTo(root);
    }
  }
}
