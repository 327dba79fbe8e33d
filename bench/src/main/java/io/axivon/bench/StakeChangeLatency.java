package io.axivon.bench;

import io.axivon.common.crypto.bls.BlsPublicKey;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.HdKeys;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.consensus.execution.staking.StakingModule;
import io.axivon.consensus.execution.system.Abi;
import io.axivon.consensus.execution.tx.DynamicFeeTransaction;
import io.axivon.consensus.execution.tx.TxSigner;
import io.axivon.consensus.node.ValidatorNode;
import io.axivon.consensus.types.ValidatorSet;
import io.axivon.node.devnet.Devnet;
import io.axivon.node.validator.GenesisFile;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;

/**
 * The cluster issue's target "a stake change visible on every chain within one epoch + 2 blocks": a
 * devnet (4 validators, 2 chains, 1 s blocks) takes delegations on chain 0, and for each one this
 * counts chain-0 blocks from the block that includes it to the first block of each chain signed by
 * the new set, against the bound (epoch length + 2). The wait depends on where in its epoch the
 * delegation lands, so several are made and the largest counts.
 *
 * <p>Run: {@code bench/load StakeChangeLatency [--changes 3]}.
 */
public final class StakeChangeLatency {
  private StakeChangeLatency() {}

  public static void main(String[] args) throws Exception {
    int changes = 3;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--changes" -> changes = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path dir = Files.createTempDirectory("axivon-stake-latency");
    long epoch = GenesisFile.Staking.devnet().epochLength();
    try (Devnet devnet =
        Devnet.start(Devnet.Options.onFreePorts(dir, 4, 2, Devnet.Options.defaultConsensus()))) {
      GenesisFile.GenesisValidator target =
          GenesisFile.read(dir.resolve("genesis.json")).validators().get(2);
      Address operator = target.feeAddress().orElseThrow();
      ValidatorNode chain0 = devnet.validators().get(0).chains().get(0).node();
      List<ValidatorNode> all =
          devnet.validators().stream()
              .flatMap(v -> v.chains().stream())
              .map(c -> c.node())
              .toList();
      long worst = 0;
      for (int k = 0; k < changes; k++) {
        long before = powerOf(chain0, target.publicKey());
        long submittedAt = chain0.height();
        chain0.submit(delegate(k, operator));
        // the block that included it: the first at which chain 0's staking shows the new stake
        long expected = before + 10;
        long[] seenAt = new long[all.size()];
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
          boolean every = true;
          for (int i = 0; i < all.size(); i++) {
            if (seenAt[i] == 0 && powerOf(all.get(i), target.publicKey()) == expected) {
              seenAt[i] = chain0.height();
            }
            every &= seenAt[i] != 0;
          }
          if (every) {
            break;
          }
          Thread.sleep(20);
        }
        long latest = 0;
        for (long s : seenAt) {
          if (s == 0) {
            throw new IllegalStateException("the stake change did not reach every chain in 120 s");
          }
          latest = Math.max(latest, s);
        }
        long blocks = latest - submittedAt;
        worst = Math.max(worst, blocks);
        System.out.printf(
            "change %d: submitted at chain-0 height %d, every chain signed by the new set at"
                + " chain-0 height %d: %d blocks (bound epoch %d + 2 = %d)%n",
            k + 1, submittedAt, latest, blocks, epoch, epoch + 2);
      }
      System.out.printf(
          "worst: %d chain-0 blocks, bound %d: ratio %.2f (≤ 1 meets the target)%n",
          worst, epoch + 2, worst / (double) (epoch + 2));
    }
  }

  /** 10 AXN more behind the operator from dev account k (its first transaction). */
  private static Bytes delegate(int account, Address operator) {
    BigInteger gwei = BigInteger.TEN.pow(9);
    return TxSigner.sign(
            new DynamicFeeTransaction(
                Devnet.NETWORK_ID,
                0,
                gwei.multiply(BigInteger.TWO),
                gwei.multiply(BigInteger.valueOf(100)),
                1_000_000,
                Optional.of(StakingModule.ADDRESS),
                Genesis.AXN.multiply(BigInteger.TEN),
                Abi.call(
                    StakingModule.DELEGATE,
                    List.of(new org.web3j.abi.datatypes.Address(operator.bytes().toHexString()))),
                List.of(),
                null),
            HdKeys.ethereumAccount(Genesis.DEV_MNEMONIC, "", account))
        .encode();
  }

  /** The power of {@code key} in the set that signed the node's latest block. */
  private static long powerOf(ValidatorNode node, BlsPublicKey key) {
    if (node.height() < 1) {
      return 0;
    }
    ValidatorSet set = node.block(node.height()).orElseThrow().validators();
    int i = set.indexOf(key);
    return i < 0 ? 0 : set.power(i);
  }
}
