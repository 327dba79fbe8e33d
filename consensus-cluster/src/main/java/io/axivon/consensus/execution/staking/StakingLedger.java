package io.axivon.consensus.execution.staking;

import io.axivon.common.InvalidInputException;
import io.axivon.common.codec.Rlp;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.bls.Bls;
import io.axivon.common.crypto.bls.BlsPublicKey;
import io.axivon.common.crypto.bls.BlsSignature;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.app.ValidatorUpdate;
import io.axivon.consensus.execution.system.ModuleCall;
import io.axivon.consensus.execution.system.ModuleRevert;
import io.axivon.consensus.types.BlsSigner;
import io.axivon.consensus.types.ChainEvidence;
import io.axivon.consensus.types.Evidence;
import io.axivon.consensus.types.SignatureVerifier;
import io.axivon.consensus.types.Validator;
import io.axivon.consensus.types.ValidatorSet;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The staking and slashing state machine over the module's storage (layout in specs/staking.md).
 *
 * <p>Stake is share-based: a delegation holds shares of its validator's pool, worth {@code shares *
 * stake / totalShares}, so a slash lowers the pool's stake and every delegation (the operator's
 * self-stake included) loses the same fraction without touching each one. Rewards use an
 * accumulated reward per share ({@code acc}, scaled by {@link #PRECISION}): a delegation is owed
 * {@code (shares * acc - debt) / PRECISION} with {@code debt} kept scaled, settled into its
 * account's claimable rewards whenever its shares change or it claims. Every division rounds
 * against the claimant, so the module always holds at least what it owes (property-tested).
 *
 * <p>Every method reverts ({@link ModuleRevert}) with a precise reason on bad input; the caller's
 * {@link ModuleCall} then discards all writes.
 */
public final class StakingLedger {
  static final BigInteger PRECISION = BigInteger.TEN.pow(18);

  /** Keeps total power within {@link Validator#MAX_TOTAL_POWER} even with 10,000 validators. */
  static final long MAX_POWER = Validator.MAX_TOTAL_POWER / Validator.MAX_VALIDATORS;

  // Storage namespaces: slot = keccak256(ns || key) + field.
  private static final int GLOBAL = 0; // fields: 0 validator count, 1 total bonded, 2 unallocated
  private static final int VALIDATOR_AT = 1; // key index: 0 operator
  private static final int VALIDATOR = 2; // key operator: see V_*
  private static final int KEY_OWNER = 3; // key BLS key: 0 operator
  private static final int DELEGATION = 4; // key validator||delegator: 0 shares, 1 debt, 2 listed
  private static final int REWARDS = 5; // key account: 0 claimable wei
  private static final int UNBONDING = 6; // key delegator: 0 count
  private static final int UNBONDING_AT = 7; // key delegator||index: validator, amount, done, made
  private static final int UNBONDERS = 8; // key validator: 0 count
  private static final int UNBONDER_AT = 9; // key validator||index: 0 delegator
  private static final int UNBONDER_SEEN = 10; // key validator||delegator: 0 flag
  private static final int EPOCH_SET = 11; // key epoch: blob RLP(ValidatorSet)
  private static final int EVIDENCE = 12; // key evidence hash: 0 block number it was used in
  private static final int DELEGATED_TO = 13; // key delegator: 0 count
  private static final int DELEGATED_TO_AT = 14; // key delegator||index: 0 validator
  private static final int SET_EPOCH = 15; // key set hash: 0 latest epoch naming it, plus one

  private static final int V_REGISTERED = 0;
  private static final int V_KEY = 1; // two slots: 48 bytes
  private static final int V_COMMISSION = 3;
  private static final int V_STAKE = 4;
  private static final int V_SHARES = 5;
  private static final int V_ACC = 6;
  private static final int V_JAILED = 7;

  private final StakingConfig config;
  private final SignatureVerifier voteVerifier;
  // Decoded sets by encoding: decoding checks every key's subgroup, too slow for every block.
  private final Map<Bytes, ValidatorSet> decoded = new HashMap<>();

  public StakingLedger(StakingConfig config) {
    this(config, BlsSigner.VERIFIER);
  }

  /**
   * A ledger that checks evidence votes with {@code voteVerifier} instead of BLS: only for the
   * simulator, whose validators sign with stand-in signatures (see {@code sim.SimKeys}).
   */
  public StakingLedger(StakingConfig config, SignatureVerifier voteVerifier) {
    this.config = config;
    this.voteVerifier = voteVerifier;
  }

  public StakingConfig config() {
    return config;
  }

  /** Validator info: the view {@code getValidator}. */
  public record ValidatorInfo(
      BlsPublicKey publicKey,
      int commissionBps,
      BigInteger totalStake,
      BigInteger selfStake,
      boolean jailed) {}

  /** The set in force at a height, with each member's operator. */
  public record ActiveSet(ValidatorSet set, List<Address> operators) {}

  // ---------------------------------------------------------------- genesis

  public void genesis(ModuleCall c) {
    for (GenesisValidator g : config.genesisValidators()) {
      c.mint(c.self(), g.stake());
      create(c, g.operator(), g.publicKey(), g.commissionBps());
      bond(c, g.operator(), g.operator(), g.stake());
    }
    ValidatorSet set = computeSet(c).orElseThrow(() -> new IllegalStateException("no set"));
    storeEpochSet(c, 0, set);
  }

  /**
   * Stores epoch {@code epoch}'s set and indexes it by hash: evidence from the other chains of the
   * cluster names the set that signed it by hash ({@link #slashChain}).
   */
  private void storeEpochSet(ModuleCall c, long epoch, ValidatorSet set) {
    putBlob(c, EPOCH_SET, u(epoch), Rlp.encode(ValidatorSet.CODEC, set));
    put(c, SET_EPOCH, set.hash(), 0, BigInteger.valueOf(epoch + 1));
  }

  // ---------------------------------------------------------------- transactions

  public void register(
      ModuleCall c, Address operator, Bytes key, Bytes pop, int commissionBps, BigInteger value) {
    if (registered(c, operator)) {
      throw new ModuleRevert("validator already registered");
    }
    if (commissionBps < 0 || commissionBps > StakingConfig.BPS) {
      throw new ModuleRevert("commission above 10000 bps");
    }
    if (value.compareTo(config.minSelfStake()) < 0) {
      throw new ModuleRevert("self-stake below the minimum of " + config.minSelfStake() + " wei");
    }
    BlsPublicKey pk;
    BlsSignature proof;
    try {
      pk = BlsPublicKey.fromBytes(key);
      proof = BlsSignature.fromBytes(pop);
    } catch (InvalidInputException e) {
      throw new ModuleRevert(e.getMessage());
    }
    if (!addressAt(c, KEY_OWNER, pk.toBytes(), 0).equals(ZERO_ADDRESS)) {
      throw new ModuleRevert("BLS key already registered");
    }
    c.charge(ModuleCall.BLS_VERIFY_GAS);
    if (!Bls.verifyPossession(pk, proof)) {
      throw new ModuleRevert("invalid proof of possession");
    }
    c.transfer(operator, c.self(), value);
    create(c, operator, pk, commissionBps);
    bond(c, operator, operator, value);
    StakingEvents.registered(c, operator, pk, commissionBps);
    StakingEvents.delegated(c, operator, operator, value);
  }

  public void delegate(ModuleCall c, Address validator, Address delegator, BigInteger value) {
    requireValidator(c, validator);
    if (value.signum() <= 0) {
      throw new ModuleRevert("delegation needs a value");
    }
    if (jailed(c, validator)) {
      throw new ModuleRevert("validator is jailed");
    }
    c.transfer(delegator, c.self(), value);
    bond(c, validator, delegator, value);
    StakingEvents.delegated(c, validator, delegator, value);
  }

  /** Starts unbonding {@code amount} wei; returns the height from which it can be withdrawn. */
  public long undelegate(ModuleCall c, Address validator, Address delegator, BigInteger amount) {
    requireValidator(c, validator);
    if (amount.signum() <= 0) {
      throw new ModuleRevert("amount must be positive");
    }
    Bytes dk = Bytes.concatenate(validator.bytes(), delegator.bytes());
    BigInteger shares = get(c, DELEGATION, dk, 0);
    BigInteger stake = get(c, VALIDATOR, validator.bytes(), V_STAKE);
    BigInteger totalShares = get(c, VALIDATOR, validator.bytes(), V_SHARES);
    BigInteger worth = worth(shares, stake, totalShares);
    if (amount.compareTo(worth) > 0) {
      throw new ModuleRevert("amount exceeds the delegation of " + worth + " wei");
    }
    settle(c, validator, delegator);
    BigInteger burned =
        amount.equals(worth)
            ? shares
            : ceilDiv(amount.multiply(totalShares), stake).min(shares); // never round in its favour
    BigInteger left = shares.subtract(burned);
    put(c, DELEGATION, dk, 0, left);
    put(c, DELEGATION, dk, 1, left.multiply(acc(c, validator)));
    put(c, VALIDATOR, validator.bytes(), V_STAKE, stake.subtract(amount));
    put(c, VALIDATOR, validator.bytes(), V_SHARES, totalShares.subtract(burned));
    put(c, GLOBAL, Bytes.EMPTY, 1, get(c, GLOBAL, Bytes.EMPTY, 1).subtract(amount));
    long done = c.blockNumber() + config.unbondingPeriod();
    Bytes ub = delegator.bytes();
    long n = get(c, UNBONDING, ub, 0).longValueExact();
    Bytes ek = Bytes.concatenate(ub, u(n));
    putAddress(c, UNBONDING_AT, ek, 0, validator);
    put(c, UNBONDING_AT, ek, 1, amount);
    put(c, UNBONDING_AT, ek, 2, BigInteger.valueOf(done));
    put(c, UNBONDING_AT, ek, 3, BigInteger.valueOf(c.blockNumber()));
    put(c, UNBONDING, ub, 0, BigInteger.valueOf(n + 1));
    Bytes seen = Bytes.concatenate(validator.bytes(), delegator.bytes());
    if (get(c, UNBONDER_SEEN, seen, 0).signum() == 0) {
      put(c, UNBONDER_SEEN, seen, 0, BigInteger.ONE);
      long m = get(c, UNBONDERS, validator.bytes(), 0).longValueExact();
      putAddress(c, UNBONDER_AT, Bytes.concatenate(validator.bytes(), u(m)), 0, delegator);
      put(c, UNBONDERS, validator.bytes(), 0, BigInteger.valueOf(m + 1));
    }
    StakingEvents.undelegated(c, validator, delegator, amount, done);
    return done;
  }

  /** Pays out every unbonding entry of {@code delegator} that has completed. */
  public BigInteger withdraw(ModuleCall c, Address delegator) {
    Bytes ub = delegator.bytes();
    long n = get(c, UNBONDING, ub, 0).longValueExact();
    BigInteger paid = BigInteger.ZERO;
    long kept = 0;
    for (long i = 0; i < n; i++) {
      Bytes ek = Bytes.concatenate(ub, u(i));
      BigInteger amount = get(c, UNBONDING_AT, ek, 1);
      long done = get(c, UNBONDING_AT, ek, 2).longValueExact();
      if (done <= c.blockNumber()) {
        paid = paid.add(amount);
      } else {
        if (kept != i) { // compact: move the entry down
          Bytes to = Bytes.concatenate(ub, u(kept));
          for (int f = 0; f < 4; f++) {
            c.store(slot(UNBONDING_AT, to, f), c.load(slot(UNBONDING_AT, ek, f)));
          }
        }
        kept++;
      }
    }
    if (paid.signum() == 0) {
      throw new ModuleRevert("nothing to withdraw");
    }
    for (long i = kept; i < n; i++) {
      Bytes ek = Bytes.concatenate(ub, u(i));
      for (int f = 0; f < 4; f++) {
        c.store(slot(UNBONDING_AT, ek, f), Bytes32.ZERO);
      }
    }
    put(c, UNBONDING, ub, 0, BigInteger.valueOf(kept));
    c.transfer(c.self(), delegator, paid);
    StakingEvents.withdrawn(c, delegator, paid);
    return paid;
  }

  public BigInteger claimRewards(ModuleCall c, Address account) {
    long n = get(c, DELEGATED_TO, account.bytes(), 0).longValueExact();
    for (long i = 0; i < n; i++) {
      settle(
          c, addressAt(c, DELEGATED_TO_AT, Bytes.concatenate(account.bytes(), u(i)), 0), account);
    }
    BigInteger owed = get(c, REWARDS, account.bytes(), 0);
    if (owed.signum() == 0) {
      throw new ModuleRevert("no rewards to claim");
    }
    put(c, REWARDS, account.bytes(), 0, BigInteger.ZERO);
    c.transfer(c.self(), account, owed);
    StakingEvents.rewardsClaimed(c, account, owed);
    return owed;
  }

  /**
   * Slashes and jails the equivocating validator named by {@code e} (votes of this chain), once;
   * returns the amount slashed (burned).
   */
  public BigInteger slash(ModuleCall c, Evidence e) {
    long h = e.first().height();
    if (h >= c.blockNumber()) {
      throw new ModuleRevert("evidence is not from an earlier height");
    }
    if (c.blockNumber() - h > config.maxEvidenceAge()) {
      throw new ModuleRevert("evidence expired");
    }
    Bytes32 hash = Hashes.keccak256(Rlp.encode(Evidence.CODEC, e));
    ActiveSet active =
        setAt(c, h).orElseThrow(() -> new ModuleRevert("no validator set for that height"));
    return slashVerified(c, config.consensusChainId(), e, hash, active, signingEpochOf(h));
  }

  /**
   * Slashes and jails a validator that equivocated on another chain of the cluster, once. That
   * chain's heights are its own, so the set that signed is found by its hash among the sets this
   * ledger defined, and the age is the age of that set: evidence expires {@code maxEvidenceAge}
   * blocks after the last chain-0 height its set signed. Evidence of this chain itself takes the
   * {@link #slash} path.
   */
  public BigInteger slashChain(ModuleCall c, ChainEvidence ce) {
    if (ce.chainId().equals(config.consensusChainId())) {
      return slash(c, ce.evidence());
    }
    long plusOne = get(c, SET_EPOCH, ce.validatorsHash(), 0).longValueExact();
    if (plusOne == 0) {
      throw new ModuleRevert("unknown validator set " + ce.validatorsHash().toHexString());
    }
    long epoch = plusOne - 1;
    long lastSigned = (epoch + 1) * config.epochLength() + 1;
    if (c.blockNumber() - lastSigned > config.maxEvidenceAge()) {
      throw new ModuleRevert("evidence expired");
    }
    ActiveSet active = setOfEpoch(c, epoch).orElseThrow();
    return slashVerified(c, ce.chainId(), ce.evidence(), ce.replayKey(), active, epoch);
  }

  private BigInteger slashVerified(
      ModuleCall c, String chainId, Evidence e, Bytes32 hash, ActiveSet active, long epoch) {
    if (get(c, EVIDENCE, hash, 0).signum() != 0) {
      throw new ModuleRevert("evidence already used");
    }
    if (e.validatorIndex() >= active.set().size()) {
      throw new ModuleRevert("unknown validator index " + e.validatorIndex());
    }
    c.charge(2 * ModuleCall.BLS_VERIFY_GAS);
    if (!e.first().verify(chainId, active.set(), voteVerifier)
        || !e.second().verify(chainId, active.set(), voteVerifier)) {
      throw new ModuleRevert("evidence signature does not verify");
    }
    Address offender = active.operators().get(e.validatorIndex());
    if (jailed(c, offender)) {
      throw new ModuleRevert("validator already jailed");
    }
    put(c, EVIDENCE, hash, 0, BigInteger.valueOf(c.blockNumber()));
    BigInteger stake = get(c, VALIDATOR, offender.bytes(), V_STAKE);
    BigInteger cut = fraction(stake);
    put(c, VALIDATOR, offender.bytes(), V_STAKE, stake.subtract(cut));
    put(c, GLOBAL, Bytes.EMPTY, 1, get(c, GLOBAL, Bytes.EMPTY, 1).subtract(cut));
    BigInteger total = cut;
    // Stake that started unbonding during the infraction's epoch or later still counted in the set
    // that signed the votes (sets change only at boundaries): it is at stake too.
    long since = epoch * config.epochLength() + 1;
    long m = get(c, UNBONDERS, offender.bytes(), 0).longValueExact();
    for (long j = 0; j < m; j++) {
      Address d = addressAt(c, UNBONDER_AT, Bytes.concatenate(offender.bytes(), u(j)), 0);
      long n = get(c, UNBONDING, d.bytes(), 0).longValueExact();
      for (long i = 0; i < n; i++) {
        Bytes ek = Bytes.concatenate(d.bytes(), u(i));
        if (addressAt(c, UNBONDING_AT, ek, 0).equals(offender)
            && get(c, UNBONDING_AT, ek, 3).longValueExact() >= since) {
          BigInteger amount = get(c, UNBONDING_AT, ek, 1);
          BigInteger cutE = fraction(amount);
          put(c, UNBONDING_AT, ek, 1, amount.subtract(cutE));
          total = total.add(cutE);
        }
      }
    }
    put(c, VALIDATOR, offender.bytes(), V_JAILED, BigInteger.ONE);
    c.burn(c.self(), total);
    StakingEvents.slashed(c, offender, total, e.first().height(), hash);
    StakingEvents.jailed(c, offender);
    return total;
  }

  // ---------------------------------------------------------------- block hooks

  /**
   * Credits a block's priority fees to its proposer's pool: the commission to the operator, the
   * rest to the pool's shares. Fees of an unknown proposer stay unallocated (counted), rounding
   * dust stays in the module (not counted).
   */
  public void reward(ModuleCall c, long height, int proposerIndex, BigInteger fees) {
    if (fees.signum() <= 0) {
      return;
    }
    Optional<ActiveSet> active = setAt(c, height);
    if (active.isEmpty() || proposerIndex < 0 || proposerIndex >= active.get().set().size()) {
      addUnallocated(c, fees);
      return;
    }
    Address v = active.get().operators().get(proposerIndex);
    BigInteger shares = get(c, VALIDATOR, v.bytes(), V_SHARES);
    BigInteger commission =
        shares.signum() == 0
            ? fees
            : fees.multiply(get(c, VALIDATOR, v.bytes(), V_COMMISSION))
                .divide(BigInteger.valueOf(StakingConfig.BPS));
    credit(c, v, commission);
    BigInteger rest = fees.subtract(commission);
    if (rest.signum() > 0) {
      // Rounded down: the shares can never claim more than rest; the dust stays in the module.
      BigInteger inc = rest.multiply(PRECISION).divide(shares);
      put(c, VALIDATOR, v.bytes(), V_ACC, acc(c, v).add(inc));
    }
  }

  /**
   * At an epoch boundary ({@code height} a multiple of the epoch length) computes the next epoch's
   * set, stores it, and returns the changes from the current one; elsewhere returns nothing.
   */
  public List<ValidatorUpdate> endEpoch(ModuleCall c, long height) {
    if (height == 0 || height % config.epochLength() != 0) {
      return List.of();
    }
    long epoch = height / config.epochLength();
    ValidatorSet previous = setOfEpoch(c, epoch - 1).orElseThrow().set();
    // No eligible validator at all: keep the current set rather than halt the chain.
    ValidatorSet next = computeSet(c).orElse(previous);
    storeEpochSet(c, epoch, next);
    return diff(previous, next);
  }

  /** The updates {@link #endEpoch} returned at {@code height}, from the stored sets. */
  public List<ValidatorUpdate> updatesAt(ModuleCall c, long height) {
    if (height == 0 || height % config.epochLength() != 0) {
      return List.of();
    }
    long epoch = height / config.epochLength();
    Optional<ActiveSet> prev = setOfEpoch(c, epoch - 1);
    Optional<ActiveSet> next = setOfEpoch(c, epoch);
    return prev.isPresent() && next.isPresent()
        ? diff(prev.get().set(), next.get().set())
        : List.of();
  }

  static List<ValidatorUpdate> diff(ValidatorSet before, ValidatorSet after) {
    List<ValidatorUpdate> out = new ArrayList<>();
    for (Validator v : before.validators()) {
      if (after.indexOf(v.publicKey()) < 0) {
        out.add(new ValidatorUpdate(v.publicKey(), 0));
      }
    }
    for (Validator v : after.validators()) {
      int i = before.indexOf(v.publicKey());
      if (i < 0 || before.power(i) != v.power()) {
        out.add(new ValidatorUpdate(v.publicKey(), v.power()));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- views

  /** The epoch whose set is in force at {@code height} (epoch 0, the genesis set, up to E). */
  public long epochOf(long height) {
    return height <= 0 ? 0 : (height - 1) / config.epochLength();
  }

  /**
   * The epoch whose set signs {@code height}. Epoch k's set is computed at the end of block k·E and
   * consensus applies a change two heights on, so it signs heights k·E + 2 to (k+1)·E + 1; the
   * genesis set signs up to E + 1.
   */
  public long signingEpochOf(long height) {
    return height <= 1 ? 0 : (height - 2) / config.epochLength();
  }

  /**
   * A set this ledger defined, by hash, while it is recent enough that its stake is still bonded:
   * it signed chain 0 within the last {@code unbondingPeriod} blocks (a set whose stake may have
   * left could sign anything at no cost).
   */
  public Optional<ValidatorSet> recentSetByHash(ModuleCall c, Bytes32 hash) {
    long plusOne = get(c, SET_EPOCH, hash, 0).longValueExact();
    if (plusOne == 0) {
      return Optional.empty();
    }
    long epoch = plusOne - 1;
    long lastSigned = (epoch + 1) * config.epochLength() + 1;
    if (c.blockNumber() - lastSigned > config.unbondingPeriod()) {
      return Optional.empty();
    }
    return setOfEpoch(c, epoch).map(ActiveSet::set);
  }

  /** The set that signs {@code height}. */
  public Optional<ActiveSet> setAt(ModuleCall c, long height) {
    return setOfEpoch(c, signingEpochOf(height));
  }

  public Optional<ActiveSet> setOfEpoch(ModuleCall c, long epoch) {
    if (epoch < 0) {
      return Optional.empty();
    }
    Bytes blob = blob(c, EPOCH_SET, u(epoch));
    if (blob.isEmpty()) {
      return Optional.empty();
    }
    ValidatorSet set = decoded.computeIfAbsent(blob, b -> Rlp.decode(ValidatorSet.CODEC, b));
    if (decoded.size() > 64) {
      decoded.clear();
      decoded.put(blob, set);
    }
    List<Address> ops = new ArrayList<>(set.size());
    for (Validator v : set.validators()) {
      ops.add(addressAt(c, KEY_OWNER, v.publicKey().toBytes(), 0));
    }
    return Optional.of(new ActiveSet(set, ops));
  }

  public Optional<ValidatorInfo> validator(ModuleCall c, Address operator) {
    if (!registered(c, operator)) {
      return Optional.empty();
    }
    Bytes k = operator.bytes();
    Bytes key =
        Bytes.concatenate(c.load(slot(VALIDATOR, k, V_KEY)), c.load(slot(VALIDATOR, k, V_KEY + 1)))
            .slice(0, BlsPublicKey.SIZE);
    return Optional.of(
        new ValidatorInfo(
            BlsPublicKey.fromBytes(key),
            get(c, VALIDATOR, k, V_COMMISSION).intValueExact(),
            get(c, VALIDATOR, k, V_STAKE),
            delegation(c, operator, operator),
            jailed(c, operator)));
  }

  /** What {@code delegator}'s delegation to {@code validator} is worth, in wei. */
  public BigInteger delegation(ModuleCall c, Address validator, Address delegator) {
    BigInteger shares =
        get(c, DELEGATION, Bytes.concatenate(validator.bytes(), delegator.bytes()), 0);
    return worth(
        shares,
        get(c, VALIDATOR, validator.bytes(), V_STAKE),
        get(c, VALIDATOR, validator.bytes(), V_SHARES));
  }

  public BigInteger totalStake(ModuleCall c) {
    return get(c, GLOBAL, Bytes.EMPTY, 1);
  }

  public BigInteger unallocated(ModuleCall c) {
    return get(c, GLOBAL, Bytes.EMPTY, 2);
  }

  public List<Address> validators(ModuleCall c) {
    long n = get(c, GLOBAL, Bytes.EMPTY, 0).longValueExact();
    List<Address> out = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      out.add(addressAt(c, VALIDATOR_AT, u(i), 0));
    }
    return out;
  }

  /** Claimable rewards of {@code account}, settled or not. */
  public BigInteger pendingRewards(ModuleCall c, Address account) {
    BigInteger total = get(c, REWARDS, account.bytes(), 0);
    long n = get(c, DELEGATED_TO, account.bytes(), 0).longValueExact();
    for (long i = 0; i < n; i++) {
      Address v = addressAt(c, DELEGATED_TO_AT, Bytes.concatenate(account.bytes(), u(i)), 0);
      total = total.add(owed(c, v, account));
    }
    return total;
  }

  /** {@code [withdrawable now, still unbonding]} of {@code delegator}. */
  public BigInteger[] unbonding(ModuleCall c, Address delegator) {
    long n = get(c, UNBONDING, delegator.bytes(), 0).longValueExact();
    BigInteger ready = BigInteger.ZERO;
    BigInteger waiting = BigInteger.ZERO;
    for (long i = 0; i < n; i++) {
      Bytes ek = Bytes.concatenate(delegator.bytes(), u(i));
      BigInteger amount = get(c, UNBONDING_AT, ek, 1);
      if (get(c, UNBONDING_AT, ek, 2).longValueExact() <= c.blockNumber()) {
        ready = ready.add(amount);
      } else {
        waiting = waiting.add(amount);
      }
    }
    return new BigInteger[] {ready, waiting};
  }

  public boolean evidenceUsed(ModuleCall c, Bytes32 hash) {
    return get(c, EVIDENCE, hash, 0).signum() != 0;
  }

  // ---------------------------------------------------------------- internals

  private void create(ModuleCall c, Address operator, BlsPublicKey pk, int commissionBps) {
    long n = get(c, GLOBAL, Bytes.EMPTY, 0).longValueExact();
    putAddress(c, VALIDATOR_AT, u(n), 0, operator);
    put(c, GLOBAL, Bytes.EMPTY, 0, BigInteger.valueOf(n + 1));
    Bytes k = operator.bytes();
    put(c, VALIDATOR, k, V_REGISTERED, BigInteger.ONE);
    Bytes key = pk.toBytes();
    c.store(slot(VALIDATOR, k, V_KEY), Bytes32.wrap(key.slice(0, 32)));
    c.store(slot(VALIDATOR, k, V_KEY + 1), Bytes32.rightPad(key.slice(32)));
    put(c, VALIDATOR, k, V_COMMISSION, BigInteger.valueOf(commissionBps));
    putAddress(c, KEY_OWNER, key, 0, operator);
  }

  private void bond(ModuleCall c, Address validator, Address delegator, BigInteger amount) {
    BigInteger stake = get(c, VALIDATOR, validator.bytes(), V_STAKE);
    BigInteger totalShares = get(c, VALIDATOR, validator.bytes(), V_SHARES);
    if (totalShares.signum() > 0 && stake.signum() == 0) {
      throw new ModuleRevert("validator has no stake left");
    }
    BigInteger minted =
        totalShares.signum() == 0 ? amount : amount.multiply(totalShares).divide(stake);
    if (minted.signum() == 0) {
      throw new ModuleRevert("delegation too small");
    }
    settle(c, validator, delegator);
    Bytes dk = Bytes.concatenate(validator.bytes(), delegator.bytes());
    BigInteger shares = get(c, DELEGATION, dk, 0).add(minted);
    put(c, DELEGATION, dk, 0, shares);
    put(c, DELEGATION, dk, 1, shares.multiply(acc(c, validator)));
    put(c, VALIDATOR, validator.bytes(), V_STAKE, stake.add(amount));
    put(c, VALIDATOR, validator.bytes(), V_SHARES, totalShares.add(minted));
    put(c, GLOBAL, Bytes.EMPTY, 1, get(c, GLOBAL, Bytes.EMPTY, 1).add(amount));
    if (get(c, DELEGATION, dk, 2).signum() == 0) { // first delegation: list it for claims
      put(c, DELEGATION, dk, 2, BigInteger.ONE);
      Bytes a = delegator.bytes();
      long n = get(c, DELEGATED_TO, a, 0).longValueExact();
      putAddress(c, DELEGATED_TO_AT, Bytes.concatenate(a, u(n)), 0, validator);
      put(c, DELEGATED_TO, a, 0, BigInteger.valueOf(n + 1));
    }
  }

  private BigInteger owed(ModuleCall c, Address validator, Address delegator) {
    Bytes dk = Bytes.concatenate(validator.bytes(), delegator.bytes());
    BigInteger accrued = get(c, DELEGATION, dk, 0).multiply(acc(c, validator));
    return accrued.subtract(get(c, DELEGATION, dk, 1)).divide(PRECISION).max(BigInteger.ZERO);
  }

  /** Moves what a delegation has accrued into its account's rewards; resets its debt. */
  private void settle(ModuleCall c, Address validator, Address delegator) {
    BigInteger owed = owed(c, validator, delegator);
    if (owed.signum() > 0) {
      credit(c, delegator, owed);
      Bytes dk = Bytes.concatenate(validator.bytes(), delegator.bytes());
      // the debt stays scaled, so the sub-wei remainder is paid later, never twice
      put(c, DELEGATION, dk, 1, get(c, DELEGATION, dk, 1).add(owed.multiply(PRECISION)));
    }
  }

  private void credit(ModuleCall c, Address account, BigInteger amount) {
    if (amount.signum() > 0) {
      put(c, REWARDS, account.bytes(), 0, get(c, REWARDS, account.bytes(), 0).add(amount));
    }
  }

  private void addUnallocated(ModuleCall c, BigInteger amount) {
    if (amount.signum() > 0) {
      put(c, GLOBAL, Bytes.EMPTY, 2, get(c, GLOBAL, Bytes.EMPTY, 2).add(amount));
    }
  }

  private BigInteger acc(ModuleCall c, Address validator) {
    return get(c, VALIDATOR, validator.bytes(), V_ACC);
  }

  private BigInteger fraction(BigInteger amount) {
    return amount
        .multiply(BigInteger.valueOf(config.slashBps()))
        .divide(BigInteger.valueOf(StakingConfig.BPS));
  }

  /** The eligible validators' top {@code maxValidators} by stake, or empty if none. */
  private Optional<ValidatorSet> computeSet(ModuleCall c) {
    List<Validator> eligible = new ArrayList<>();
    for (Address op : validators(c)) {
      Bytes k = op.bytes();
      if (jailed(c, op) || delegation(c, op, op).compareTo(config.minSelfStake()) < 0) {
        continue;
      }
      long power =
          get(c, VALIDATOR, k, V_STAKE)
              .divide(StakingConfig.AXN)
              .min(BigInteger.valueOf(MAX_POWER))
              .longValueExact();
      if (power >= 1) {
        eligible.add(new Validator(validator(c, op).orElseThrow().publicKey(), power));
      }
    }
    if (eligible.isEmpty()) {
      return Optional.empty();
    }
    eligible.sort(ValidatorSet.ORDER);
    return Optional.of(
        new ValidatorSet(eligible.subList(0, Math.min(eligible.size(), config.maxValidators()))));
  }

  private boolean registered(ModuleCall c, Address operator) {
    return get(c, VALIDATOR, operator.bytes(), V_REGISTERED).signum() != 0;
  }

  private void requireValidator(ModuleCall c, Address validator) {
    if (!registered(c, validator)) {
      throw new ModuleRevert("unknown validator " + validator.bytes().toHexString());
    }
  }

  private boolean jailed(ModuleCall c, Address operator) {
    return get(c, VALIDATOR, operator.bytes(), V_JAILED).signum() != 0;
  }

  private static BigInteger worth(BigInteger shares, BigInteger stake, BigInteger totalShares) {
    return totalShares.signum() == 0 ? BigInteger.ZERO : shares.multiply(stake).divide(totalShares);
  }

  private static BigInteger ceilDiv(BigInteger a, BigInteger b) {
    BigInteger[] qr = a.divideAndRemainder(b);
    return qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
  }

  // ---------------------------------------------------------------- storage

  private static final Address ZERO_ADDRESS = new Address(Bytes.wrap(new byte[Address.SIZE]));
  private static final BigInteger TWO_256 = BigInteger.ONE.shiftLeft(256);

  static Bytes32 slot(int ns, Bytes key, long field) {
    Bytes32 base = Hashes.keccak256(Bytes.concatenate(Bytes.of(ns), key));
    if (field == 0) {
      return base;
    }
    BigInteger s = base.toUnsignedBigInteger().add(BigInteger.valueOf(field)).mod(TWO_256);
    return Bytes32.leftPad(Bytes.wrap(unsigned(s)));
  }

  private static byte[] unsigned(BigInteger v) {
    byte[] b = v.toByteArray();
    return b.length > 1 && b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
  }

  private static Bytes u(long n) {
    return Bytes32.leftPad(Bytes.ofUnsignedLong(n));
  }

  private static BigInteger get(ModuleCall c, int ns, Bytes key, int field) {
    return c.load(slot(ns, key, field)).toUnsignedBigInteger();
  }

  private static void put(ModuleCall c, int ns, Bytes key, int field, BigInteger v) {
    if (v.signum() < 0 || v.bitLength() > 256) {
      throw new IllegalStateException("stored value out of uint256 range: " + v);
    }
    c.store(slot(ns, key, field), Bytes32.leftPad(Bytes.wrap(unsigned(v))));
  }

  private static Address addressAt(ModuleCall c, int ns, Bytes key, int field) {
    return new Address(c.load(slot(ns, key, field)).slice(12));
  }

  private static void putAddress(ModuleCall c, int ns, Bytes key, int field, Address a) {
    c.store(slot(ns, key, field), Bytes32.leftPad(a.bytes()));
  }

  /** A byte string: its length in field 0, its 32-byte words in fields 1... */
  private static Bytes blob(ModuleCall c, int ns, Bytes key) {
    return c.loadBlob(slot(ns, key, 0), i -> slot(ns, key, 1 + i));
  }

  private static void putBlob(ModuleCall c, int ns, Bytes key, Bytes value) {
    c.storeBlob(slot(ns, key, 0), i -> slot(ns, key, 1 + i), value);
  }
}
