package io.axivon.consensus.execution.staking;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.codec.Rlp;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.app.ValidatorUpdate;
import io.axivon.consensus.execution.system.Abi;
import io.axivon.consensus.execution.system.EndBlock;
import io.axivon.consensus.execution.system.MapState;
import io.axivon.consensus.execution.system.ModuleCall;
import io.axivon.consensus.execution.system.ModuleResult;
import io.axivon.consensus.execution.system.SystemModules;
import io.axivon.consensus.types.Evidence;
import io.axivon.consensus.types.Validator;
import io.axivon.consensus.types.ValidatorSet;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * The staking state machine over an in-memory state, driven through its ABI by random sequences of
 * delegations, undelegations, withdrawals, claims, fee rewards, equivocations and blocks. After
 * every step: the module holds at least what it owes, a reverted call changed nothing, the
 * validator set the chain follows is the one the updates describe, and no stake is ever negative.
 */
class StakingLedgerProperties {
  static final BigInteger AXN = StakingConfig.AXN;
  static final List<BlsSecretKey> BLS = StakingChainTest.BLS;
  static final List<Address> OPS = List.of(addr(0xa0), addr(0xa1), addr(0xa2));
  static final List<Address> USERS = List.of(addr(0xb0), addr(0xb1), addr(0xb2), OPS.get(0));

  static final List<Address> ACCOUNTS =
      List.of(addr(0xb0), addr(0xb1), addr(0xb2), addr(0xa0), addr(0xa1), addr(0xa2));

  static Address addr(int b) {
    return Address.fromHex(String.format("0x%040x", b));
  }

  record Op(int kind, int who, int validator, long amount) {}

  @Provide
  Arbitrary<List<Op>> ops() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 7),
            Arbitraries.integers().between(0, USERS.size() - 1),
            Arbitraries.integers().between(0, OPS.size() - 1),
            Arbitraries.longs().between(0, 3_000))
        .as(Op::new)
        .list()
        .ofMaxSize(40);
  }

  @Property(tries = 60)
  void stakingNeverOwesMoreThanItHoldsAndRevertsChangeNothing(@ForAll("ops") List<Op> ops) {
    List<GenesisValidator> gv = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      gv.add(
          new GenesisValidator(
              OPS.get(i),
              BLS.get(i).publicKey(),
              AXN.multiply(BigInteger.valueOf(200 + 100L * i)),
              2000));
    }
    StakingConfig config =
        new StakingConfig("prop", 3, 4, AXN.multiply(BigInteger.valueOf(100)), 3, 1000, 4, gv);
    StakingModule module = new StakingModule(config);
    SystemModules modules = SystemModules.of(module);
    MapState state = new MapState();
    for (Address u : USERS) {
      state.addBalance(u, AXN.multiply(BigInteger.valueOf(10_000)));
    }
    ModuleCall g = ModuleCall.hook(state, StakingModule.ADDRESS, 0);
    module.genesis(g);
    g.flush();
    // the set consensus follows, kept by applying the returned updates
    Map<io.axivon.common.crypto.bls.BlsPublicKey, Long> followed = new HashMap<>();
    List<ValidatorUpdate> pending = List.of();
    for (Validator v :
        module.ledger().setOfEpoch(view(state, 1), 0).orElseThrow().set().validators()) {
      followed.put(v.publicKey(), v.power());
    }
    long height = 1;
    for (Op op : ops) {
      Address who = USERS.get(op.who);
      Address v = OPS.get(op.validator);
      BigInteger amount = AXN.multiply(BigInteger.valueOf(op.amount)).divide(BigInteger.valueOf(7));
      switch (op.kind) {
        case 0, 1 ->
            tx(
                modules,
                state,
                who,
                amount,
                Abi.call(StakingModule.DELEGATE, List.of(w3(v))),
                height);
        case 2 ->
            tx(
                modules,
                state,
                who,
                BigInteger.ZERO,
                Abi.call(StakingModule.UNDELEGATE, List.of(w3(v), new Uint256(amount))),
                height);
        case 3 ->
            tx(
                modules,
                state,
                who,
                BigInteger.ZERO,
                Abi.call(StakingModule.WITHDRAW, List.of()),
                height);
        case 4 ->
            tx(
                modules,
                state,
                who,
                BigInteger.ZERO,
                Abi.call(StakingModule.CLAIM_REWARDS, List.of()),
                height);
        case 5 -> {
          if (op.amount % 10 == 0 && height > 1) { // equivocation of a member of the current set
            ValidatorSet set =
                module.ledger().setAt(view(state, height), height - 1).orElseThrow().set();
            int index = (int) (op.amount % set.size());
            BlsSecretKey k =
                BLS.stream()
                    .filter(b -> b.publicKey().equals(set.get(index).publicKey()))
                    .findFirst()
                    .orElseThrow();
            Evidence e =
                StakingChainTest.equivocation("prop", k, index, height - 1, (int) op.amount % 3);
            tx(
                modules,
                state,
                who,
                BigInteger.ZERO,
                Abi.call(
                    StakingModule.SUBMIT_EVIDENCE,
                    List.of(new DynamicBytes(Rlp.encode(Evidence.CODEC, e).toArray()))),
                height);
          }
        }
        default -> {
          // end the block: fees paid to the module as coinbase, then the hooks
          BigInteger fees = BigInteger.valueOf(op.amount * 1_000_003L);
          state.addBalance(StakingModule.ADDRESS, fees);
          ModuleCall hook = ModuleCall.hook(state, StakingModule.ADDRESS, height);
          List<ValidatorUpdate> updates =
              module.endBlock(
                  hook, new EndBlock(height, op.who % 3, StakingModule.ADDRESS, fees, List.of()));
          hook.flush();
          // consensus applies the updates of block h from h + 2: this block's wait one block
          List<ValidatorUpdate> due = pending;
          pending = updates;
          for (ValidatorUpdate u : due) {
            if (u.power() == 0) {
              followed.remove(u.publicKey());
            } else {
              followed.put(u.publicKey(), u.power());
            }
          }
          height++;
          // the set the chain follows is the one the module says is in force
          Map<io.axivon.common.crypto.bls.BlsPublicKey, Long> stored = new HashMap<>();
          for (Validator x :
              module.ledger().setAt(view(state, height), height).orElseThrow().set().validators()) {
            stored.put(x.publicKey(), x.power());
          }
          assertThat(followed).isEqualTo(stored);
        }
      }
      checkSolvent(module, state, height);
    }
  }

  static void tx(
      SystemModules modules,
      MapState state,
      Address from,
      BigInteger value,
      org.apache.tuweni.bytes.Bytes data,
      long height) {
    MapState before = state.copy();
    if (state.balance(from).compareTo(value) < 0) {
      return; // the EVM would refuse the transfer before calling
    }
    ModuleResult r =
        modules.invoke(state, from, StakingModule.ADDRESS, value, data, 10_000_000, false, height);
    assertThat(r.status()).isNotEqualTo(ModuleResult.Status.FAILED);
    if (!r.success()) {
      assertThat(state).isEqualTo(before);
    }
  }

  static ModuleCall view(MapState state, long height) {
    return new ModuleCall(state, StakingModule.ADDRESS, height, Long.MAX_VALUE, true);
  }

  static org.web3j.abi.datatypes.Address w3(Address a) {
    return new org.web3j.abi.datatypes.Address(a.bytes().toHexString());
  }

  static void checkSolvent(StakingModule module, MapState state, long height) {
    StakingLedger l = module.ledger();
    ModuleCall c = view(state, height);
    BigInteger owed = BigInteger.ZERO;
    BigInteger validatorStake = BigInteger.ZERO;
    for (Address v : l.validators(c)) {
      BigInteger stake = l.validator(c, v).orElseThrow().totalStake();
      assertThat(stake.signum()).isNotNegative();
      validatorStake = validatorStake.add(stake);
      BigInteger delegated = BigInteger.ZERO;
      for (Address u : ACCOUNTS) {
        delegated = delegated.add(l.delegation(c, v, u));
      }
      assertThat(delegated).isLessThanOrEqualTo(stake);
    }
    assertThat(l.totalStake(c)).isEqualTo(validatorStake);
    owed = owed.add(validatorStake);
    for (Address u : ACCOUNTS) {
      BigInteger[] ub = l.unbonding(c, u);
      owed = owed.add(ub[0]).add(ub[1]).add(l.pendingRewards(c, u));
    }
    assertThat(state.balance(StakingModule.ADDRESS))
        .isGreaterThanOrEqualTo(owed.add(l.unallocated(c)));
  }
}
