package io.axivon.consensus.execution.staking;

import io.axivon.common.InvalidInputException;
import io.axivon.common.codec.Rlp;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.app.ValidatorUpdate;
import io.axivon.consensus.execution.system.Abi;
import io.axivon.consensus.execution.system.EndBlock;
import io.axivon.consensus.execution.system.ModuleCall;
import io.axivon.consensus.execution.system.ModuleRevert;
import io.axivon.consensus.execution.system.SystemModule;
import io.axivon.consensus.types.ChainEvidence;
import io.axivon.consensus.types.Evidence;
import io.axivon.consensus.types.ValidatorSet;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint16;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * Staking and slashing on chain 0, at {@link #ADDRESS}, with the ABI of
 * specs/contracts/IStaking.sol. The state machine is {@link StakingLedger}; this class decodes
 * calls, checks value and caller, and encodes results. Block fees are paid to this address as
 * coinbase and credited to the proposer's pool after each block; block evidence is slashed; every
 * epoch boundary recomputes the validator set and hands its changes to consensus.
 */
public final class StakingModule implements SystemModule {
  /** {@code 0x0000000000000000000000000000000000001000}. */
  public static final Address ADDRESS =
      new Address(Bytes.fromHexString("0x" + "00".repeat(18) + "1000"));

  public static final String REGISTER = "registerValidator(bytes,bytes,uint16)";
  public static final String DELEGATE = "delegate(address)";
  public static final String UNDELEGATE = "undelegate(address,uint256)";
  public static final String WITHDRAW = "withdraw()";
  public static final String CLAIM_REWARDS = "claimRewards()";
  public static final String SUBMIT_EVIDENCE = "submitEvidence(bytes)";
  public static final String SUBMIT_CHAIN_EVIDENCE = "submitChainEvidence(bytes)";
  public static final String GET_VALIDATOR = "getValidator(address)";
  public static final String GET_DELEGATION = "getDelegation(address,address)";
  public static final String TOTAL_STAKE = "totalStake()";
  public static final String CURRENT_VALIDATORS = "currentValidators()";
  public static final String PENDING_REWARDS = "pendingRewards(address)";
  public static final String UNBONDING = "unbonding(address)";
  public static final String EPOCH_INFO = "epochInfo()";
  public static final String EVIDENCE_USED = "evidenceUsed(bytes32)";

  private static final TypeReference<org.web3j.abi.datatypes.Address> ADDR =
      new TypeReference<>() {};
  private static final TypeReference<Uint256> UINT256 = new TypeReference<>() {};
  private static final TypeReference<DynamicBytes> BYTES = new TypeReference<>() {};

  private record Method(String signature, List<TypeReference<?>> args, boolean payable) {}

  private static final Map<Bytes, Method> METHODS = methods();

  private static Map<Bytes, Method> methods() {
    List<Method> all =
        List.of(
            new Method(REGISTER, List.of(BYTES, BYTES, new TypeReference<Uint16>() {}), true),
            new Method(DELEGATE, List.of(ADDR), true),
            new Method(UNDELEGATE, List.of(ADDR, UINT256), false),
            new Method(WITHDRAW, List.of(), false),
            new Method(CLAIM_REWARDS, List.of(), false),
            new Method(SUBMIT_EVIDENCE, List.of(BYTES), false),
            new Method(SUBMIT_CHAIN_EVIDENCE, List.of(BYTES), false),
            new Method(GET_VALIDATOR, List.of(ADDR), false),
            new Method(GET_DELEGATION, List.of(ADDR, ADDR), false),
            new Method(TOTAL_STAKE, List.of(), false),
            new Method(CURRENT_VALIDATORS, List.of(), false),
            new Method(PENDING_REWARDS, List.of(ADDR), false),
            new Method(UNBONDING, List.of(ADDR), false),
            new Method(EPOCH_INFO, List.of(), false),
            new Method(
                EVIDENCE_USED,
                List.of(new TypeReference<org.web3j.abi.datatypes.generated.Bytes32>() {}),
                false));
    Map<Bytes, Method> out = new java.util.HashMap<>();
    for (Method m : all) {
      out.put(Abi.selector(m.signature), m);
    }
    return Map.copyOf(out);
  }

  private final StakingLedger ledger;

  public StakingModule(StakingConfig config) {
    this.ledger = new StakingLedger(config);
  }

  public StakingLedger ledger() {
    return ledger;
  }

  @Override
  public Address address() {
    return ADDRESS;
  }

  /** The cluster's recent validator sets as chain 0 defines them (for cross-chain proofs). */
  public io.axivon.consensus.execution.cluster.ClusterSets clusterSets() {
    return new io.axivon.consensus.execution.cluster.ClusterSets() {
      @Override
      public Address module() {
        return ADDRESS;
      }

      @Override
      public Optional<ValidatorSet> byHash(ModuleCall c, Bytes32 hash) {
        return ledger.recentSetByHash(c, hash);
      }
    };
  }

  @Override
  public boolean collectsFees() {
    return true;
  }

  @Override
  public void genesis(ModuleCall call) {
    ledger.genesis(call);
  }

  @Override
  public Bytes call(ModuleCall c, Address caller, BigInteger value, Bytes input) {
    if (input.size() < 4) {
      throw new ModuleRevert("no function selector");
    }
    Method m = METHODS.get(input.slice(0, 4));
    if (m == null) {
      throw new ModuleRevert("unknown function selector " + input.slice(0, 4).toHexString());
    }
    if (!m.payable && value.signum() != 0) {
      throw new ModuleRevert("function is not payable");
    }
    List<Type> a = Abi.decodeArgs(input.slice(4), m.args);
    return switch (m.signature) {
      case REGISTER -> {
        ledger.register(
            c,
            caller,
            bytes(a.get(0)),
            bytes(a.get(1)),
            ((Uint16) a.get(2)).getValue().intValueExact(),
            value);
        yield Bytes.EMPTY;
      }
      case DELEGATE -> {
        ledger.delegate(c, address(a.get(0)), caller, value);
        yield Bytes.EMPTY;
      }
      case UNDELEGATE -> {
        long done = ledger.undelegate(c, address(a.get(0)), caller, uint(a.get(1)));
        yield Abi.encode(List.of(new Uint256(done)));
      }
      case WITHDRAW -> Abi.encode(List.of(new Uint256(ledger.withdraw(c, caller))));
      case CLAIM_REWARDS -> Abi.encode(List.of(new Uint256(ledger.claimRewards(c, caller))));
      case SUBMIT_EVIDENCE -> {
        Evidence e;
        try {
          e = Rlp.decode(Evidence.CODEC, bytes(a.get(0)));
        } catch (InvalidInputException | IllegalArgumentException ex) {
          throw new ModuleRevert("malformed evidence: " + ex.getMessage());
        }
        yield Abi.encode(List.of(new Uint256(ledger.slash(c, e))));
      }
      case SUBMIT_CHAIN_EVIDENCE -> {
        ChainEvidence e;
        try {
          e = ChainEvidence.decode(bytes(a.get(0)));
        } catch (InvalidInputException | IllegalArgumentException ex) {
          throw new ModuleRevert("malformed chain evidence: " + ex.getMessage());
        }
        yield Abi.encode(List.of(new Uint256(ledger.slashChain(c, e))));
      }
      case GET_VALIDATOR -> {
        StakingLedger.ValidatorInfo v =
            ledger
                .validator(c, address(a.get(0)))
                .orElseThrow(() -> new ModuleRevert("unknown validator"));
        yield Abi.encode(
            List.of(
                new DynamicBytes(v.publicKey().toBytes().toArray()),
                new Uint16(v.commissionBps()),
                new Uint256(v.totalStake()),
                new Uint256(v.selfStake()),
                new Bool(v.jailed())));
      }
      case GET_DELEGATION ->
          Abi.encode(
              List.of(new Uint256(ledger.delegation(c, address(a.get(0)), address(a.get(1))))));
      case TOTAL_STAKE -> Abi.encode(List.of(new Uint256(ledger.totalStake(c))));
      case CURRENT_VALIDATORS -> {
        StakingLedger.ActiveSet s = ledger.setAt(c, c.blockNumber()).orElseThrow();
        List<org.web3j.abi.datatypes.Address> ops = new ArrayList<>();
        List<Uint256> powers = new ArrayList<>();
        for (int i = 0; i < s.set().size(); i++) {
          ops.add(new org.web3j.abi.datatypes.Address(s.operators().get(i).bytes().toHexString()));
          powers.add(new Uint256(s.set().power(i)));
        }
        yield Abi.encode(
            List.of(
                new DynamicArray<>(org.web3j.abi.datatypes.Address.class, ops),
                new DynamicArray<>(Uint256.class, powers)));
      }
      case PENDING_REWARDS ->
          Abi.encode(List.of(new Uint256(ledger.pendingRewards(c, address(a.get(0))))));
      case UNBONDING -> {
        BigInteger[] u = ledger.unbonding(c, address(a.get(0)));
        yield Abi.encode(List.of(new Uint256(u[0]), new Uint256(u[1])));
      }
      case EPOCH_INFO -> {
        long e = ledger.config().epochLength();
        long epoch = ledger.epochOf(c.blockNumber());
        yield Abi.encode(List.of(new Uint256(e), new Uint256(epoch), new Uint256((epoch + 1) * e)));
      }
      case EVIDENCE_USED ->
          Abi.encode(
              List.of(
                  new Bool(
                      ledger.evidenceUsed(
                          c,
                          Bytes32.wrap(
                              ((org.web3j.abi.datatypes.generated.Bytes32) a.get(0))
                                  .getValue())))));
      default -> throw new IllegalStateException("unhandled " + m.signature);
    };
  }

  /**
   * After each block: credit its priority fees to the proposer's pool (when they were paid here),
   * slash the equivocations it carries (evidence that fails the on-chain checks — expired,
   * replayed, already jailed — is skipped), and at an epoch boundary recompute the set.
   */
  @Override
  public List<ValidatorUpdate> endBlock(ModuleCall c, EndBlock block) {
    if (block.coinbase().equals(ADDRESS)) {
      ledger.reward(c, block.height(), block.proposerIndex(), block.fees());
    }
    for (Evidence e : block.evidence()) {
      try {
        ledger.slash(c, e);
      } catch (ModuleRevert skipped) {
        // consensus accepted it, but the chain's own record says no (e.g. replay): no change
      }
    }
    return ledger.endEpoch(c, block.height());
  }

  @Override
  public List<ValidatorUpdate> validatorUpdatesOf(ModuleCall c, long height) {
    return ledger.updatesAt(c, height);
  }

  private static Bytes bytes(Type<?> t) {
    return Bytes.wrap(((DynamicBytes) t).getValue());
  }

  private static BigInteger uint(Type<?> t) {
    return ((Uint256) t).getValue();
  }

  private static Address address(Type<?> t) {
    String hex = ((org.web3j.abi.datatypes.Address) t).getValue();
    return new Address(Bytes32.leftPad(Bytes.fromHexStringLenient(hex)).slice(12));
  }
}
