package io.axivon.consensus.execution.staking;

import static io.axivon.consensus.execution.ExecFixtures.blockHash;
import static io.axivon.consensus.execution.ExecFixtures.key;
import static io.axivon.consensus.execution.ExecFixtures.tx;
import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.codec.Rlp;
import io.axivon.common.crypto.bls.Bls;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.consensus.app.ValidatorUpdate;
import io.axivon.consensus.execution.EvmChain;
import io.axivon.consensus.execution.ExecFixtures;
import io.axivon.consensus.execution.block.ExecutedBlock;
import io.axivon.consensus.execution.block.Receipt;
import io.axivon.consensus.execution.evm.BlockEnv;
import io.axivon.consensus.execution.evm.Message;
import io.axivon.consensus.execution.evm.MessageResult;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.consensus.execution.system.Abi;
import io.axivon.consensus.execution.system.SystemModules;
import io.axivon.consensus.types.BlsSigner;
import io.axivon.consensus.types.ChainEvidence;
import io.axivon.consensus.types.Evidence;
import io.axivon.consensus.types.ValidatorSet;
import io.axivon.consensus.types.Vote;
import io.axivon.consensus.types.VoteType;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint16;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * Staking through real signed transactions to the staking address, executed by {@link EvmChain}
 * (block executor, libevm, the module callback), with epochs of 4 blocks.
 */
class StakingChainTest {
  static final String CONSENSUS_CHAIN = "staking-test";
  static final BigInteger AXN = StakingConfig.AXN;
  static final long GAS = 500_000;
  static final List<BlsSecretKey> BLS = blsKeys(4);

  @TempDir Path dir;
  EvmChain chain;
  StakingModule module;
  // genesis validators: operator 0 is dev account 2 (it can send transactions), 1 and 2 are plain
  final List<Address> operators =
      List.of(
          key(2).address(),
          Address.fromHex("0x00000000000000000000000000000000000000a1"),
          Address.fromHex("0x00000000000000000000000000000000000000a2"));
  final long[] nonces = new long[3];

  static List<BlsSecretKey> blsKeys(int n) {
    List<BlsSecretKey> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] ikm = new byte[32];
      ikm[0] = (byte) (i + 11);
      out.add(BlsSecretKey.keyGen(Bytes.wrap(ikm)));
    }
    return out;
  }

  @BeforeEach
  void open() {
    List<GenesisValidator> gv = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      gv.add(
          new GenesisValidator(
              operators.get(i),
              BLS.get(i).publicKey(),
              AXN.multiply(BigInteger.valueOf(1000)),
              1000));
    }
    StakingConfig config =
        new StakingConfig(
            CONSENSUS_CHAIN, 4, 6, AXN.multiply(BigInteger.valueOf(100)), 3, 500, 6, gv);
    module = new StakingModule(config);
    chain = EvmChain.open(dir, Genesis.devnet(ExecFixtures.CHAIN_ID), SystemModules.of(module));
  }

  @AfterEach
  void close() {
    chain.close();
  }

  Bytes send(int account, BigInteger value, Bytes data) {
    Secp256k1PrivateKey k = key(account);
    return tx(k, nonces[account]++, Optional.of(StakingModule.ADDRESS), value, data, GAS);
  }

  record Run(ExecutedBlock executed, List<ValidatorUpdate> updates) {}

  Run block(long n, List<Evidence> evidence, Bytes... txs) {
    Bytes32 parent = n == 1 ? chain.genesis().hash() : blockHash(n - 1);
    chain.execute(
        n,
        blockHash(n),
        parent,
        n * 1000,
        chain.feeCollector().orElseThrow(),
        List.of(txs),
        0,
        evidence);
    Run r = new Run(chain.pendingExecution().orElseThrow(), chain.pendingValidatorUpdates());
    chain.commit();
    return r;
  }

  Run block(long n, Bytes... txs) {
    return block(n, List.of(), txs);
  }

  /** Runs a view through the EVM (as eth_call would) and returns its return data. */
  MessageResult view(String sig, List<? extends Type> args) {
    return ExecFixtures.view(
        chain,
        ExecFixtures.CHAIN_ID,
        chain.feeCollector().orElseThrow(),
        key(0).address(),
        StakingModule.ADDRESS,
        Abi.call(sig, args),
        1_000_000);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static List<Type> decode(Bytes data, TypeReference<?>... types) {
    return FunctionReturnDecoder.decode(data.toUnprefixedHexString(), (List) List.of(types));
  }

  BigInteger uintView(String sig, List<? extends Type> args) {
    MessageResult r = view(sig, args);
    assertThat(r.success()).as(sig).isTrue();
    return (BigInteger) decode(r.returnData(), new TypeReference<Uint256>() {}).get(0).getValue();
  }

  static org.web3j.abi.datatypes.Address w3(Address a) {
    return new org.web3j.abi.datatypes.Address(a.bytes().toHexString());
  }

  static Bytes registerCall(BlsSecretKey k, int commission) {
    return Abi.call(
        StakingModule.REGISTER,
        List.of(
            new DynamicBytes(k.publicKey().toBytes().toArray()),
            new DynamicBytes(Bls.provePossession(k).toBytes().toArray()),
            new Uint16(commission)));
  }

  Receipt only(Run r) {
    assertThat(r.executed().skipped()).isEmpty();
    assertThat(r.executed().receipts()).hasSize(1);
    return r.executed().receipts().getFirst();
  }

  @Test
  void genesisValidatorsArePreRegistered() {
    assertThat(chain.state().code(StakingModule.ADDRESS)).isEqualTo(SystemModules.MARKER_CODE);
    assertThat(chain.state().balance(StakingModule.ADDRESS))
        .isEqualTo(AXN.multiply(BigInteger.valueOf(3000)));
    assertThat(uintView(StakingModule.TOTAL_STAKE, List.of()))
        .isEqualTo(AXN.multiply(BigInteger.valueOf(3000)));
    MessageResult r = view(StakingModule.GET_VALIDATOR, List.of(w3(operators.get(1))));
    assertThat(r.success()).isTrue();
    List<Type> v =
        decode(
            r.returnData(),
            new TypeReference<DynamicBytes>() {},
            new TypeReference<Uint16>() {},
            new TypeReference<Uint256>() {},
            new TypeReference<Uint256>() {},
            new TypeReference<org.web3j.abi.datatypes.Bool>() {});
    assertThat(Bytes.wrap((byte[]) v.get(0).getValue()))
        .isEqualTo(BLS.get(1).publicKey().toBytes());
    assertThat(v.get(2).getValue()).isEqualTo(AXN.multiply(BigInteger.valueOf(1000)));
    assertThat(v.get(4).getValue()).isEqualTo(false);
    assertThat(module.ledger().setOfEpoch(hook(), 0).orElseThrow().set())
        .isEqualTo(module.ledger().config().genesisValidatorSet());
  }

  @Test
  void registeredValidatorJoinsTheSetAtTheNextEpochBoundary() {
    BlsSecretKey k = BLS.get(3);
    Receipt reg =
        only(block(1, send(0, AXN.multiply(BigInteger.valueOf(2000)), registerCall(k, 500))));
    assertThat(reg.success()).isTrue();
    assertThat(reg.logs()).hasSize(2);
    assertThat(reg.logs().get(0).topics().get(0))
        .isEqualTo(Abi.eventTopic(StakingEvents.REGISTERED));
    assertThat(reg.logs().get(0).address()).isEqualTo(StakingModule.ADDRESS);
    assertThat(block(2).updates()).isEmpty();
    assertThat(block(3).updates()).isEmpty();
    List<ValidatorUpdate> updates = block(4).updates();
    // max 3 validators: the newcomer (2000) enters, the last of the three 1000s in key order leaves
    ValidatorSet genesisSet =
        module.ledger().config().genesisValidators().stream()
            .map(g -> new io.axivon.consensus.types.Validator(g.publicKey(), 1000))
            .collect(
                java.util.stream.Collectors.collectingAndThen(
                    java.util.stream.Collectors.toList(), ValidatorSet::of));
    assertThat(updates)
        .containsExactly(
            new ValidatorUpdate(genesisSet.get(2).publicKey(), 0),
            new ValidatorUpdate(k.publicKey(), 2000));
    // recomputed from the state for a committed block
    assertThat(chain.validatorUpdatesOf(4)).isEqualTo(updates);
    assertThat(chain.validatorUpdatesOf(3)).isEmpty();
    // a second registration with the same key is refused
    assertThat(
            only(block(5, send(1, AXN.multiply(BigInteger.valueOf(200)), registerCall(k, 0))))
                .success())
        .isFalse();
  }

  @Test
  void registrationWithABadProofOrTooLittleStakeIsRefused() {
    Bytes badPop =
        Abi.call(
            StakingModule.REGISTER,
            List.of(
                new DynamicBytes(BLS.get(3).publicKey().toBytes().toArray()),
                new DynamicBytes(Bls.provePossession(BLS.get(0)).toBytes().toArray()),
                new Uint16(0)));
    BigInteger before = chain.state().balance(key(0).address());
    Run r =
        block(
            1,
            send(0, AXN.multiply(BigInteger.valueOf(500)), badPop),
            send(0, AXN.multiply(BigInteger.valueOf(99)), registerCall(BLS.get(3), 0)));
    assertThat(r.executed().receipts()).extracting(Receipt::success).containsExactly(false, false);
    // only gas was spent: the value stayed with the sender
    assertThat(before.subtract(chain.state().balance(key(0).address())))
        .isLessThan(AXN.divide(BigInteger.valueOf(100)));
    assertThat(uintView(StakingModule.TOTAL_STAKE, List.of()))
        .isEqualTo(AXN.multiply(BigInteger.valueOf(3000)));
  }

  @Test
  void delegateUndelegateAndWithdrawAfterTheUnbondingPeriod() {
    Address v = operators.get(1);
    Address bob = key(1).address();
    BigInteger fiveHundred = AXN.multiply(BigInteger.valueOf(500));
    Receipt d =
        only(block(1, send(1, fiveHundred, Abi.call(StakingModule.DELEGATE, List.of(w3(v))))));
    assertThat(d.success()).isTrue();
    assertThat(d.logs().getFirst().topics())
        .containsExactly(
            Abi.eventTopic(StakingEvents.DELEGATED),
            StakingEvents.topic(v),
            StakingEvents.topic(bob));
    assertThat(uintView(StakingModule.GET_DELEGATION, List.of(w3(v), w3(bob))))
        .isEqualTo(fiveHundred);
    BigInteger twoHundred = AXN.multiply(BigInteger.valueOf(200));
    Receipt u =
        only(
            block(
                2,
                send(
                    1,
                    BigInteger.ZERO,
                    Abi.call(StakingModule.UNDELEGATE, List.of(w3(v), new Uint256(twoHundred))))));
    assertThat(u.success()).isTrue(); // completes at 2 + 6 = 8
    assertThat(uintView(StakingModule.GET_DELEGATION, List.of(w3(v), w3(bob))))
        .isEqualTo(AXN.multiply(BigInteger.valueOf(300)));
    // the set follows at the boundary: 1000 + 300
    assertThat(block(3).updates()).isEmpty();
    assertThat(block(4).updates())
        .containsExactly(new ValidatorUpdate(BLS.get(1).publicKey(), 1300));
    // too early: reverted with a reason
    MessageResult early = view(StakingModule.WITHDRAW, List.of());
    assertThat(early.status()).isEqualTo(MessageResult.Status.REVERTED);
    assertThat(revertReason(early.returnData())).isEqualTo("nothing to withdraw");
    assertThat(
            only(block(5, send(1, BigInteger.ZERO, Abi.call(StakingModule.WITHDRAW, List.of()))))
                .success())
        .isFalse();
    block(6);
    block(7);
    BigInteger before = chain.state().balance(bob);
    Receipt w =
        only(block(8, send(1, BigInteger.ZERO, Abi.call(StakingModule.WITHDRAW, List.of()))));
    assertThat(w.success()).isTrue();
    BigInteger gasCost = w.effectiveGasPrice().multiply(BigInteger.valueOf(w.gasUsed()));
    assertThat(chain.state().balance(bob)).isEqualTo(before.add(twoHundred).subtract(gasCost));
    assertThat(w.logs().getFirst().topics().getFirst())
        .isEqualTo(Abi.eventTopic(StakingEvents.WITHDRAWN));
  }

  @Test
  void feesRewardTheProposerPoolAndAreClaimable() {
    // block 1 carries a delegation; its priority fee goes to the proposer (index 0) pool
    Address v = operators.get(1);
    block(
        1,
        send(
            1,
            AXN.multiply(BigInteger.valueOf(1000)),
            Abi.call(StakingModule.DELEGATE, List.of(w3(v)))));
    ValidatorSet set = module.ledger().setAt(hook(), 1).orElseThrow().set();
    Address proposer = module.ledger().setAt(hook(), 1).orElseThrow().operators().get(0);
    assertThat(set.size()).isEqualTo(3);
    BigInteger owed = uintView(StakingModule.PENDING_REWARDS, List.of(w3(proposer)));
    assertThat(owed).isPositive();
    // module solvency: balance covers stake + rewards + unallocated
    BigInteger bal = chain.state().balance(StakingModule.ADDRESS);
    assertThat(bal).isGreaterThanOrEqualTo(module.ledger().totalStake(hook()).add(owed));
    if (proposer.equals(operators.get(0))) { // dev account 2 can claim
      BigInteger before = chain.state().balance(proposer);
      Receipt c =
          only(
              block(2, send(2, BigInteger.ZERO, Abi.call(StakingModule.CLAIM_REWARDS, List.of()))));
      assertThat(c.success()).isTrue();
      BigInteger gasCost = c.effectiveGasPrice().multiply(BigInteger.valueOf(c.gasUsed()));
      assertThat(chain.state().balance(proposer)).isEqualTo(before.add(owed).subtract(gasCost));
    }
  }

  io.axivon.consensus.execution.system.ModuleCall hook() {
    return new io.axivon.consensus.execution.system.ModuleCall(
        new io.axivon.consensus.execution.system.ExecutorModuleState(chain.state()),
        StakingModule.ADDRESS,
        chain.head().number() + 1,
        Long.MAX_VALUE,
        true);
  }

  static Evidence equivocation(BlsSecretKey k, int index, long height, int round) {
    return equivocation(CONSENSUS_CHAIN, k, index, height, round);
  }

  static Evidence equivocation(String chainId, BlsSecretKey k, int index, long height, int round) {
    BlsSigner s = new BlsSigner(k);
    Vote a =
        Vote.sign(
            chainId, s, VoteType.PRECOMMIT, height, round, Optional.of(blockHash(100)), index);
    Vote b =
        Vote.sign(
            chainId, s, VoteType.PRECOMMIT, height, round, Optional.of(blockHash(101)), index);
    return Evidence.of(a, b);
  }

  @Test
  void equivocatorIsSlashedFromBlockEvidenceOnceAndLeavesAtTheBoundary() {
    ValidatorSet set = module.ledger().setAt(hook(), 1).orElseThrow().set();
    int index = set.indexOf(BLS.get(1).publicKey());
    Evidence ev = equivocation(BLS.get(1), index, 1, 0);
    block(1);
    block(2, List.of(ev));
    BigInteger slashed = AXN.multiply(BigInteger.valueOf(50)); // 5 % of 1000
    assertThat(module.ledger().validator(hook(), operators.get(1)).orElseThrow().totalStake())
        .isEqualTo(AXN.multiply(BigInteger.valueOf(1000)).subtract(slashed));
    assertThat(module.ledger().validator(hook(), operators.get(1)).orElseThrow().jailed()).isTrue();
    assertThat(chain.state().balance(StakingModule.ADDRESS))
        .isLessThanOrEqualTo(AXN.multiply(BigInteger.valueOf(3000)).subtract(slashed).add(AXN));
    // replayed in a block: skipped; replayed in a transaction: reverted
    block(3, List.of(ev));
    Bytes submit =
        Abi.call(
            StakingModule.SUBMIT_EVIDENCE,
            List.of(new DynamicBytes(Rlp.encode(Evidence.CODEC, ev).toArray())));
    MessageResult replay =
        view(
            StakingModule.SUBMIT_EVIDENCE,
            List.of(new DynamicBytes(Rlp.encode(Evidence.CODEC, ev).toArray())));
    assertThat(revertReason(replay.returnData())).isEqualTo("evidence already used");
    assertThat(only(block(4, List.of(), send(0, BigInteger.ZERO, submit))).success()).isFalse();
    assertThat(module.ledger().validator(hook(), operators.get(1)).orElseThrow().totalStake())
        .isEqualTo(AXN.multiply(BigInteger.valueOf(1000)).subtract(slashed));
    // block 4 was the boundary: the jailed validator left the set
    assertThat(chain.validatorUpdatesOf(4))
        .containsExactly(new ValidatorUpdate(BLS.get(1).publicKey(), 0));
  }

  @Test
  void evidenceSubmittedInATransactionSlashesAndEmitsEvents() {
    ValidatorSet set = module.ledger().setAt(hook(), 1).orElseThrow().set();
    int index = set.indexOf(BLS.get(2).publicKey());
    block(1);
    Evidence ev = equivocation(BLS.get(2), index, 1, 3);
    Bytes submit =
        Abi.call(
            StakingModule.SUBMIT_EVIDENCE,
            List.of(new DynamicBytes(Rlp.encode(Evidence.CODEC, ev).toArray())));
    Receipt r = only(block(2, send(0, BigInteger.ZERO, submit)));
    assertThat(r.success()).isTrue();
    assertThat(r.logs())
        .extracting(l -> l.topics().getFirst())
        .containsExactly(
            Abi.eventTopic(StakingEvents.SLASHED), Abi.eventTopic(StakingEvents.JAILED));
    // a forged signature (votes signed by another key) is refused
    Evidence forged = equivocation(BLS.get(0), set.indexOf(BLS.get(1).publicKey()), 1, 0);
    MessageResult bad =
        view(
            StakingModule.SUBMIT_EVIDENCE,
            List.of(new DynamicBytes(Rlp.encode(Evidence.CODEC, forged).toArray())));
    assertThat(revertReason(bad.returnData())).isEqualTo("evidence signature does not verify");
    // expired: height 1 evidence at block 8 (max age 6)
    for (long n = 3; n <= 7; n++) {
      block(n);
    }
    Evidence old = equivocation(BLS.get(1), set.indexOf(BLS.get(1).publicKey()), 1, 0);
    MessageResult expired =
        view(
            StakingModule.SUBMIT_EVIDENCE,
            List.of(new DynamicBytes(Rlp.encode(Evidence.CODEC, old).toArray())));
    assertThat(revertReason(expired.returnData())).isEqualTo("evidence expired");
  }

  MessageResult chainEvidenceView(Bytes encoded) {
    return view(StakingModule.SUBMIT_CHAIN_EVIDENCE, List.of(new DynamicBytes(encoded.toArray())));
  }

  @Test
  void evidenceFromAnotherChainSlashesOnceAgainstTheSetItNamesByHash() {
    String other = "axivon-other";
    ValidatorSet genesisSet = module.ledger().setAt(hook(), 1).orElseThrow().set();
    int one = genesisSet.indexOf(BLS.get(1).publicKey());
    block(1);
    // height 57 of the other chain: its heights are its own, not chain 0's
    ChainEvidence ce =
        new ChainEvidence(other, genesisSet.hash(), equivocation(other, BLS.get(1), one, 57, 0));
    Bytes submit =
        Abi.call(
            StakingModule.SUBMIT_CHAIN_EVIDENCE, List.of(new DynamicBytes(ce.encode().toArray())));
    Receipt r = only(block(2, send(0, BigInteger.ZERO, submit)));
    assertThat(r.success()).isTrue();
    assertThat(r.logs())
        .extracting(l -> l.topics().getFirst())
        .containsExactly(
            Abi.eventTopic(StakingEvents.SLASHED), Abi.eventTopic(StakingEvents.JAILED));
    BigInteger slashed = AXN.multiply(BigInteger.valueOf(50)); // 5 % of 1000
    assertThat(module.ledger().validator(hook(), operators.get(1)).orElseThrow().totalStake())
        .isEqualTo(AXN.multiply(BigInteger.valueOf(1000)).subtract(slashed));
    assertThat(module.ledger().validator(hook(), operators.get(1)).orElseThrow().jailed()).isTrue();

    // the same votes again: used, however the set is named
    assertThat(revertReason(chainEvidenceView(ce.encode()).returnData()))
        .isEqualTo("evidence already used");
    Bytes32 unknown = Bytes32.fromHexString("0x" + "ab".repeat(32));
    assertThat(
            revertReason(
                chainEvidenceView(new ChainEvidence(other, unknown, ce.evidence()).encode())
                    .returnData()))
        .isEqualTo("unknown validator set " + unknown.toHexString());
    // votes signed for one chain do not count as another chain's
    int two = genesisSet.indexOf(BLS.get(2).publicKey());
    Evidence ofOther = equivocation(other, BLS.get(2), two, 9, 0);
    assertThat(
            revertReason(
                chainEvidenceView(
                        new ChainEvidence("axivon-third", genesisSet.hash(), ofOther).encode())
                    .returnData()))
        .isEqualTo("evidence signature does not verify");
    // chain 0's own votes take the chain-0 path (heights are chain 0's there)
    Evidence own = equivocation(BLS.get(2), two, 50, 0);
    assertThat(
            revertReason(
                chainEvidenceView(
                        new ChainEvidence(CONSENSUS_CHAIN, genesisSet.hash(), own).encode())
                    .returnData()))
        .isEqualTo("evidence is not from an earlier height");
    assertThat(revertReason(chainEvidenceView(Bytes.fromHexString("0xc0")).returnData()))
        .startsWith("malformed chain evidence: ");

    // block 4 ends epoch 0: the jailed validator leaves, so the genesis set signs up to height 5
    // and its evidence expires after 5 + maxEvidenceAge (6): a view runs as block head + 1
    for (long n = 3; n <= 10; n++) {
      block(n);
    }
    ChainEvidence late = new ChainEvidence(other, genesisSet.hash(), ofOther);
    assertThat(chainEvidenceView(late.encode()).success()).isTrue();
    block(11);
    assertThat(revertReason(chainEvidenceView(late.encode()).returnData()))
        .isEqualTo("evidence expired");
    // the set now in force is fresh: evidence signed by it is accepted
    ValidatorSet current = module.ledger().setAt(hook(), 12).orElseThrow().set();
    ChainEvidence fresh =
        new ChainEvidence(
            other,
            current.hash(),
            equivocation(other, BLS.get(2), current.indexOf(BLS.get(2).publicKey()), 3, 1));
    assertThat(chainEvidenceView(fresh.encode()).success()).isTrue();
  }

  @Test
  void applicationHandsEpochUpdatesAndBlockEvidenceToConsensus() {
    io.axivon.consensus.execution.EvmApplication app =
        new io.axivon.consensus.execution.EvmApplication(
            chain,
            max -> List.of(),
            new io.axivon.common.time.ManualClock(1_000),
            h -> ExecFixtures.COINBASE);
    ValidatorSet set = module.ledger().setAt(hook(), 1).orElseThrow().set();
    int offender = set.indexOf(BLS.get(0).publicKey());
    Evidence ev = equivocation(BLS.get(0), offender, 1, 0);
    List<io.axivon.consensus.app.FinalizeResult> results = new ArrayList<>();
    for (long h = 1; h <= 4; h++) {
      List<Bytes> txs =
          h == 1
              ? List.of(
                  send(1, AXN, Abi.call(StakingModule.DELEGATE, List.of(w3(operators.get(1))))))
              : List.of();
      List<Evidence> evidence = h == 3 ? List.of(ev) : List.of();
      io.axivon.consensus.types.Block b =
          new io.axivon.consensus.types.Block(
              new io.axivon.consensus.types.BlockHeader(
                  CONSENSUS_CHAIN,
                  h,
                  h * 1000,
                  chain.head().hash(),
                  io.axivon.consensus.types.Block.txRoot(txs, evidence),
                  chain.head().stateRoot(),
                  set.hash(),
                  set.hash(),
                  1),
              txs,
              evidence);
      results.add(app.finalizeBlock(b));
      app.commit();
    }
    assertThat(results.subList(0, 3)).allMatch(r -> r.validatorUpdates().isEmpty());
    // the offender leaves; validator 1 grew by the 1 AXN delegated at height 1
    assertThat(results.get(3).validatorUpdates())
        .containsExactlyInAnyOrder(
            new ValidatorUpdate(BLS.get(0).publicKey(), 0),
            new ValidatorUpdate(BLS.get(1).publicKey(), 1001));
    // block 1's priority fee went to the module and was credited to proposer index 1's pool
    assertThat(chain.index().block(1).orElseThrow().miner()).isEqualTo(StakingModule.ADDRESS);
    Address proposer = module.ledger().setAt(hook(), 1).orElseThrow().operators().get(1);
    assertThat(uintView(StakingModule.PENDING_REWARDS, List.of(w3(proposer)))).isPositive();
  }

  @Test
  void contractsCallTheModuleToo() {
    // runtime code: STATICCALL totalStake() on 0x...1000, return its 32 bytes
    Bytes sel = Abi.selector(StakingModule.TOTAL_STAKE);
    Bytes code =
        Bytes.concatenate(
            Bytes.fromHexString("0x63"),
            sel,
            Bytes.fromHexString(
                "0x60e01b600052" + "6020600060046000611000" + "5afa50" + "60206000f3"));
    Address contract = Address.fromHex("0x00000000000000000000000000000000000c0de0");
    BlockEnv env =
        new BlockEnv(
            ExecFixtures.CHAIN_ID,
            1,
            1,
            StakingModule.ADDRESS,
            30_000_000,
            BigInteger.ZERO,
            Bytes32.ZERO);
    MessageResult r =
        chain
            .state()
            .speculate(
                ex -> {
                  ex.setCode(contract, code);
                  return ex.run(
                      new Message(
                          key(0).address(),
                          Optional.of(contract),
                          BigInteger.ZERO,
                          Bytes.EMPTY,
                          200_000,
                          BigInteger.ZERO,
                          List.of()),
                      env);
                });
    assertThat(r.success()).isTrue();
    assertThat(r.returnData().toUnsignedBigInteger())
        .isEqualTo(AXN.multiply(BigInteger.valueOf(3000)));
  }

  @Test
  void unbondingStakeFromBeforeTheOffenceIsSlashedToo() {
    Address v = operators.get(1);
    Address bob = key(1).address();
    BigInteger hundred = AXN.multiply(BigInteger.valueOf(100));
    block(1, send(1, hundred, Abi.call(StakingModule.DELEGATE, List.of(w3(v)))));
    // bob starts unbonding at height 2, within the epoch (heights 1-4) in which the validator
    // equivocates at height 3: that stake still counted in the set that signed
    block(
        2,
        send(
            1,
            BigInteger.ZERO,
            Abi.call(StakingModule.UNDELEGATE, List.of(w3(v), new Uint256(hundred)))));
    ValidatorSet set = module.ledger().setAt(hook(), 3).orElseThrow().set();
    Evidence ev = equivocation(BLS.get(1), set.indexOf(BLS.get(1).publicKey()), 3, 0);
    block(3);
    block(4, List.of(ev));
    BigInteger[] u = module.ledger().unbonding(hook(), bob);
    assertThat(u[1]).isEqualTo(AXN.multiply(BigInteger.valueOf(95))); // 5 % off
    assertThat(module.ledger().delegation(hook(), v, v))
        .isEqualTo(AXN.multiply(BigInteger.valueOf(950)));
    // a jailed validator takes no new delegation
    assertThat(
            only(block(5, send(1, hundred, Abi.call(StakingModule.DELEGATE, List.of(w3(v))))))
                .success())
        .isFalse();
  }

  @Test
  void stakingStateSurvivesARestart() {
    block(1, send(1, AXN, Abi.call(StakingModule.DELEGATE, List.of(w3(operators.get(2))))));
    for (long n = 2; n <= 4; n++) {
      block(n);
    }
    List<ValidatorUpdate> atBoundary = chain.validatorUpdatesOf(4);
    assertThat(atBoundary).containsExactly(new ValidatorUpdate(BLS.get(2).publicKey(), 1001));
    Bytes32 root = chain.head().stateRoot();
    chain.close();
    module = new StakingModule(module.ledger().config());
    chain = EvmChain.open(dir, Genesis.devnet(ExecFixtures.CHAIN_ID), SystemModules.of(module));
    assertThat(chain.head().stateRoot()).isEqualTo(root);
    assertThat(chain.validatorUpdatesOf(4)).isEqualTo(atBoundary);
    assertThat(
            uintView(
                StakingModule.GET_DELEGATION, List.of(w3(operators.get(2)), w3(key(1).address()))))
        .isEqualTo(AXN);
    // the set computed at the end of block 4 signs from height 6 (changes apply two heights on)
    assertThat(module.ledger().setAt(hook(), 5).orElseThrow().set().power(0)).isNotEqualTo(1001);
    assertThat(module.ledger().setAt(hook(), 6).orElseThrow().set().power(0)).isEqualTo(1001);
  }

  static String revertReason(Bytes data) {
    assertThat(data.slice(0, 4)).isEqualTo(Abi.ERROR_SELECTOR);
    return (String) decode(data.slice(4), new TypeReference<Utf8String>() {}).get(0).getValue();
  }
}
