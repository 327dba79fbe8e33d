package io.axivon.node.devnet;

import static io.axivon.node.devnet.DevnetFixture.FAST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.axivon.common.crypto.bls.Bls;
import io.axivon.common.crypto.bls.BlsPublicKey;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.HdKeys;
import io.axivon.consensus.evidence.EvidencePool;
import io.axivon.consensus.execution.cluster.Chain0LightClientModule;
import io.axivon.consensus.execution.cluster.CrossChainModule;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.consensus.execution.staking.StakingLedger;
import io.axivon.consensus.execution.staking.StakingModule;
import io.axivon.consensus.execution.system.Abi;
import io.axivon.consensus.execution.tx.DynamicFeeTransaction;
import io.axivon.consensus.execution.tx.TxSigner;
import io.axivon.consensus.mempool.AddResult;
import io.axivon.consensus.node.ValidatorNode;
import io.axivon.consensus.store.StoredBlock;
import io.axivon.consensus.types.BlsSigner;
import io.axivon.consensus.types.Evidence;
import io.axivon.consensus.types.ValidatorSet;
import io.axivon.consensus.types.Vote;
import io.axivon.consensus.types.VoteType;
import io.axivon.node.validator.GenesisFile;
import io.axivon.node.validator.ValidatorKeyFile;
import io.axivon.node.validator.ValidatorService;
import io.axivon.p2p.NodeKey;
import io.axivon.sdk.eth.CallRequest;
import io.axivon.sdk.eth.EthClient;
import io.axivon.sdk.rpc.JsonRpcClient;
import io.prometheus.client.CollectorRegistry;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.generated.Uint16;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * The cluster's shared stake: a delegation on chain 0 changes the validator set at the next epoch
 * boundary, and chain 1, which has no staking of its own, follows through its light client of chain
 * 0 (the change relayed by its proposers, verified against chain 0's certified header).
 */
class ClusterIT {
  @TempDir Path dir;

  @Test
  void aStakeChangeOnChain0ChangesTheSetOfEveryChain() throws Exception {
    try (Devnet devnet = Devnet.start(Devnet.Options.onFreePorts(dir, 4, 2, FAST))) {
      GenesisFile.GenesisValidator target =
          GenesisFile.read(dir.resolve("genesis.json")).validators().get(2);
      Address operator = target.feeAddress().orElseThrow();
      List<ValidatorService> validators = devnet.validators();
      ValidatorNode chain0 = validators.get(0).chains().get(0).node();
      ValidatorNode chain1 = validators.get(0).chains().get(1).node();
      long before = target.power();

      // 50 AXN more behind validator 2: power = stake in whole AXN
      Bytes raw =
          toStaking(
              0,
              50,
              Abi.call(
                  StakingModule.DELEGATE,
                  List.of(new org.web3j.abi.datatypes.Address(operator.bytes().toHexString()))));
      assertThat(chain0.submit(raw)).isInstanceOf(AddResult.Added.class);

      DevnetIT.await(
          () -> powerOf(chain0, target.publicKey()) == before + 50,
          Duration.ofSeconds(90),
          "chain 0 signed by the new set");
      DevnetIT.await(
          () -> powerOf(chain1, target.publicKey()) == before + 50,
          Duration.ofSeconds(90),
          "chain 1 signed by the new set");

      // every validator's chain 1 followed, through the light client in its state
      for (ValidatorService v : validators) {
        var c1 = v.chains().get(1);
        DevnetIT.await(
            () -> powerOf(c1.node(), target.publicKey()) == before + 50,
            Duration.ofSeconds(30),
            "chain 1 of every validator on the new set");
        var module =
            (Chain0LightClientModule)
                c1.evm().orElseThrow().modules().at(Chain0LightClientModule.ADDRESS).orElseThrow();
        // on a view of the committed head: consensus may be executing a block meanwhile
        ValidatorSet trusted =
            c1.evm()
                .orElseThrow()
                .readModuleAtHead(
                    Chain0LightClientModule.ADDRESS, call -> module.trusted(call).validators());
        ValidatorSet chain0Set = latest(chain0).validators();
        assertThat(trusted).isEqualTo(chain0Set);
      }
    }
  }

  @Test
  void aValidatorAddedByStakingOnChain0SignsOnChain1FromTheNextEpoch() throws Exception {
    try (Devnet devnet = Devnet.start(Devnet.Options.onFreePorts(dir, 4, 2, FAST))) {
      BlsSecretKey newcomer = BlsSecretKey.generate(new SecureRandom());
      List<GenesisFile.Contents> genesis =
          List.of(
              GenesisFile.read(dir.resolve("genesis.json")),
              GenesisFile.read(dir.resolve("genesis-1.json")));
      ValidatorNode chain0 = devnet.validators().get(0).chains().get(0).node();
      // dev account 1 registers it with the minimum self-stake (100 AXN: 1/5 of the power, so the
      // four others keep finalizing while it catches up)
      Bytes register =
          Abi.call(
              StakingModule.REGISTER,
              List.of(
                  new DynamicBytes(newcomer.publicKey().toBytes().toArray()),
                  new DynamicBytes(Bls.provePossession(newcomer).toBytes().toArray()),
                  new Uint16(0)));
      Bytes raw = toStaking(1, 100, register);
      assertThat(chain0.submit(raw)).isInstanceOf(AddResult.Added.class);

      // the newcomer's node: both chains, peered with the devnet, a full node until its key is in
      try (ValidatorService fifth =
          ValidatorService.start(
              new ValidatorService.Settings(
                  genesis,
                  dir.resolve("validator-new"),
                  Optional.of(newcomer),
                  NodeKey.generate(),
                  Devnet.NETWORK_ID,
                  "127.0.0.1",
                  0,
                  List.of(devnet.validators().get(0).p2p().localAddress()),
                  FAST,
                  Optional.empty()),
              new CollectorRegistry())) {
        for (int chain = 0; chain < 2; chain++) {
          ValidatorNode node = fifth.chains().get(chain).node();
          DevnetIT.await(
              () -> signedBy(node, newcomer.publicKey()),
              Duration.ofSeconds(120),
              "a block of chain " + chain + " signed by the new validator");
        }
      }
    }
  }

  @Test
  void equivocationOnChain1IsSlashedOnceOnChain0AndTheOffenderLeavesChain1() throws Exception {
    try (Devnet devnet = Devnet.start(Devnet.Options.onFreePorts(dir, 4, 2, FAST))) {
      GenesisFile.GenesisValidator offender =
          GenesisFile.read(dir.resolve("genesis.json")).validators().get(3);
      Address operator = offender.feeAddress().orElseThrow();
      BlsSecretKey key = ValidatorKeyFile.load(dir.resolve("validator-3").resolve("validator.key"));
      ValidatorService.Chain chain0 = devnet.validators().get(0).chains().get(0);
      ValidatorNode chain1 = devnet.validators().get(0).chains().get(1).node();
      StakingModule staking =
          (StakingModule)
              chain0.evm().orElseThrow().modules().at(StakingModule.ADDRESS).orElseThrow();
      BigInteger stakeBefore = stakeOf(chain0, staking, operator);
      DevnetIT.await(() -> chain1.height() >= 2, Duration.ofSeconds(60), "chain 1 at height 2");

      // validator 3's key signs two precommits for different blocks at one height of chain 1
      long h = chain1.height() - 1;
      ValidatorSet signers = chain1.validatorSetAt(h).orElseThrow();
      int index = signers.indexOf(key.publicKey());
      BlsSigner signer = new BlsSigner(key);
      Evidence evidence =
          Evidence.of(
              Vote.sign(
                  chain1.chainId(),
                  signer,
                  VoteType.PRECOMMIT,
                  h,
                  0,
                  Optional.of(Bytes32.repeat((byte) 1)),
                  index),
              Vote.sign(
                  chain1.chainId(),
                  signer,
                  VoteType.PRECOMMIT,
                  h,
                  0,
                  Optional.of(Bytes32.repeat((byte) 2)),
                  index));
      assertThat(chain1.reportEvidence(evidence)).isInstanceOf(EvidencePool.AddResult.Added.class);

      // chain 1 commits it, its proposer relays it, chain 0's staking slashes 5 % and jails
      DevnetIT.await(
          () -> jailed(chain0, staking, operator),
          Duration.ofSeconds(90),
          "validator 3 jailed on chain 0");
      BigInteger slashed =
          stakeBefore.multiply(BigInteger.valueOf(500)).divide(BigInteger.TEN.pow(4));
      assertThat(stakeOf(chain0, staking, operator)).isEqualTo(stakeBefore.subtract(slashed));
      // it leaves every chain's set from the next epoch
      DevnetIT.await(
          () -> powerOf(chain1, key.publicKey()) == 0 && chain1.height() > h + 2,
          Duration.ofSeconds(120),
          "chain 1 signed without validator 3");
      DevnetIT.await(
          () -> powerOf(chain0.node(), key.publicKey()) == 0,
          Duration.ofSeconds(30),
          "chain 0 signed without validator 3");
      // the evidence was used once: the stake did not move again meanwhile
      assertThat(stakeOf(chain0, staking, operator)).isEqualTo(stakeBefore.subtract(slashed));
    }
  }

  @Test
  void aMessageSentOnChain1IsDeliveredOnChain0AndOneFromChain0OnChain1() throws Exception {
    try (Devnet devnet = Devnet.start(Devnet.Options.onFreePorts(dir, 4, 2, FAST))) {
      List<EthClient> rpc =
          devnet.validators().get(0).chains().stream()
              .map(
                  c ->
                      new EthClient(
                          new JsonRpcClient(
                              URI.create(c.rpcUrl().orElseThrow()), Duration.ofSeconds(10))))
              .toList();
      relay(rpc, 1, 0, 3, Bytes.wrap("from chain 1".getBytes()));
      relay(rpc, 0, 1, 4, Bytes.wrap("from chain 0".getBytes()));
    }
  }

  /**
   * Dev account {@code account} sends a message from chain {@code from} to chain {@code to}; a
   * relayer proves it with the source's certified header and eth_getProof, and the destination
   * delivers it once.
   */
  private static void relay(List<EthClient> rpc, int from, int to, int account, Bytes payload)
      throws Exception {
    long fromId = Devnet.NETWORK_ID + from;
    long toId = Devnet.NETWORK_ID + to;
    var key = HdKeys.ethereumAccount(Genesis.DEV_MNEMONIC, "", account);
    Bytes send =
        Abi.call(
            CrossChainModule.SEND, List.of(new Uint256(toId), new DynamicBytes(payload.toArray())));
    var sent =
        rpc.get(from)
            .waitForReceipt(
                rpc.get(from).sendRawTransaction(toModule(fromId, key, send)),
                Duration.ofSeconds(60));
    assertThat(sent.success()).isTrue();
    long m = sent.blockNumber();
    // the first certified header whose state includes block m is m + 1
    DevnetIT.await(
        () ->
            !rpc.get(from)
                .rpc()
                .callRaw("axivon_getCertifiedHeader", EthClient.block(m + 1))
                .isNull(),
        Duration.ofSeconds(30),
        "chain " + from + " certified block " + (m + 1));
    JsonNode certified =
        rpc.get(from).rpc().callRaw("axivon_getCertifiedHeader", EthClient.block(m + 1));
    JsonNode proof =
        rpc.get(from)
            .rpc()
            .callRaw(
                "eth_getProof",
                CrossChainModule.ADDRESS.toString(),
                List.of(CrossChainModule.outboxSlot(BigInteger.ZERO).toHexString()),
                EthClient.block(m));
    Bytes deliver =
        new CrossChainModule.Delivery(
                fromId,
                BigInteger.ZERO,
                key.address(),
                payload,
                Bytes.fromHexString(certified.get("header").asText()),
                Bytes.fromHexString(certified.get("certificate").asText()),
                nodes(proof.get("accountProof")),
                nodes(proof.get("storageProof").get(0).get("proof")))
            .callData();
    var delivered =
        rpc.get(to)
            .waitForReceipt(
                rpc.get(to).sendRawTransaction(toModule(toId, key, deliver)),
                Duration.ofSeconds(60));
    assertThat(delivered.success()).as("delivered on chain " + to).isTrue();
    assertThatThrownBy(
            () ->
                rpc.get(to)
                    .call(
                        new CallRequest(
                            Optional.of(key.address()),
                            CrossChainModule.ADDRESS,
                            BigInteger.ZERO,
                            deliver),
                        "latest"))
        .hasMessageContaining("message already delivered");
  }

  private static List<Bytes> nodes(JsonNode array) {
    List<Bytes> out = new java.util.ArrayList<>();
    array.forEach(n -> out.add(Bytes.fromHexString(n.asText())));
    return out;
  }

  /** A call to the cross-chain module, signed for EVM chain {@code chainId} (first nonce). */
  private static Bytes toModule(
      long chainId, io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey key, Bytes data) {
    return firstCall(chainId, key, CrossChainModule.ADDRESS, BigInteger.ZERO, data);
  }

  /** The first transaction of {@code key} on EVM chain {@code chainId}: a call of {@code to}. */
  private static Bytes firstCall(
      long chainId,
      io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey key,
      Address to,
      BigInteger value,
      Bytes data) {
    BigInteger gwei = BigInteger.TEN.pow(9);
    return TxSigner.sign(
            new DynamicFeeTransaction(
                chainId,
                0,
                gwei.multiply(BigInteger.TWO),
                gwei.multiply(BigInteger.valueOf(100)),
                2_000_000,
                Optional.of(to),
                value,
                data,
                List.of(),
                null),
            key)
        .encode();
  }

  private static BigInteger stakeOf(
      ValidatorService.Chain chain0, StakingModule staking, Address operator) {
    return info(chain0, staking, operator).totalStake();
  }

  private static boolean jailed(
      ValidatorService.Chain chain0, StakingModule staking, Address operator) {
    return info(chain0, staking, operator).jailed();
  }

  /** Read on a view of the committed head: consensus may be executing a block meanwhile. */
  private static StakingLedger.ValidatorInfo info(
      ValidatorService.Chain chain0, StakingModule staking, Address operator) {
    return chain0
        .evm()
        .orElseThrow()
        .readModuleAtHead(
            StakingModule.ADDRESS,
            call -> staking.ledger().validator(call, operator).orElseThrow());
  }

  /** Whether the node's latest block's commit carries {@code key}'s signature. */
  private static boolean signedBy(ValidatorNode node, BlsPublicKey key) {
    if (node.height() < 1) {
      return false;
    }
    StoredBlock b = latest(node);
    int i = b.validators().indexOf(key);
    return i >= 0 && b.commit().signed(i);
  }

  /** A signed call to chain 0's staking module from dev account {@code account} (first nonce). */
  private static Bytes toStaking(int account, long axn, Bytes data) {
    return firstCall(
        Devnet.NETWORK_ID,
        HdKeys.ethereumAccount(Genesis.DEV_MNEMONIC, "", account),
        StakingModule.ADDRESS,
        Genesis.AXN.multiply(BigInteger.valueOf(axn)),
        data);
  }

  private static StoredBlock latest(ValidatorNode node) {
    return node.block(node.height()).orElseThrow();
  }

  /** The power of {@code key} in the set that signed the node's latest block (0 if none yet). */
  private static long powerOf(ValidatorNode node, BlsPublicKey key) {
    if (node.height() < 1) {
      return 0;
    }
    ValidatorSet set = latest(node).validators();
    int i = set.indexOf(key);
    return i < 0 ? 0 : set.power(i);
  }
}
