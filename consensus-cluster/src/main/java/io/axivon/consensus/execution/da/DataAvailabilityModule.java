package io.axivon.consensus.execution.da;

import io.axivon.common.InvalidInputException;
import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.bls.Bls;
import io.axivon.common.crypto.bls.BlsPublicKey;
import io.axivon.common.crypto.bls.BlsSignature;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.app.ValidatorUpdate;
import io.axivon.consensus.execution.staking.StakingConfig;
import io.axivon.consensus.execution.staking.StakingLedger;
import io.axivon.consensus.execution.staking.StakingModule;
import io.axivon.consensus.execution.system.Abi;
import io.axivon.consensus.execution.system.EndBlock;
import io.axivon.consensus.execution.system.ModuleCall;
import io.axivon.consensus.execution.system.ModuleRevert;
import io.axivon.consensus.execution.system.SystemModule;
import io.axivon.da.blob.BadEncodingProof;
import io.axivon.da.blob.BlobSquare;
import io.axivon.da.cert.DaCertificate;
import io.axivon.da.cert.DaOperator;
import io.axivon.da.cert.Quorum;
import io.axivon.da.erasure.ErasureCoder;
import io.axivon.da.erasure.ReedSolomon;
import io.axivon.da.erasure.ScalarBackend;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.abi.datatypes.generated.Uint8;

/**
 * The on-chain side of data availability (specs/da.md §11), on chain 0: DA operators (staking
 * validators with a BLS key and a network address), the per-epoch snapshot and seed their quorums
 * are drawn from, disperser bonds, blob certification by a {@link DaCertificate} and invalidation
 * by a {@link BadEncodingProof}.
 *
 * <p>ABI: {@code specs/contracts/IDataAvailability.sol}.
 */
public final class DataAvailabilityModule implements SystemModule {
  public static final Address ADDRESS =
      new Address(Bytes.fromHexString("0x" + "00".repeat(18) + "1004"));

  public static final String REGISTER_OPERATOR = "registerOperator(bytes,bytes,string)";
  public static final String UPDATE_OPERATOR = "updateOperator(string)";
  public static final String DEREGISTER_OPERATOR = "deregisterOperator()";
  public static final String REGISTER_DISPERSER = "registerDisperser()";
  public static final String UNBOND_DISPERSER = "unbondDisperser()";
  public static final String WITHDRAW_DISPERSER_BOND = "withdrawDisperserBond()";
  public static final String CONFIRM_BLOB = "confirmBlob(bytes,bytes32,uint32,uint64)";
  public static final String SUBMIT_FRAUD_PROOF = "submitFraudProof(bytes32,bytes)";
  public static final String IS_AVAILABLE = "isAvailable(bytes32)";
  public static final String BLOB = "blob(bytes32)";
  public static final String QUORUM = "quorum(uint64,uint64,uint32)";
  public static final String OPERATOR = "operator(address)";
  public static final String OPERATORS = "operators()";
  public static final String DISPERSER = "disperser(address)";
  public static final String EPOCH_INFO = "epochInfo()";
  public static final String EPOCH_SEED = "epochSeed(uint64)";
  public static final String BLOB_FEE = "blobFee(uint64)";

  public static final String OPERATOR_REGISTERED = "OperatorRegistered(address,bytes,string)";
  public static final String OPERATOR_UPDATED = "OperatorUpdated(address,string)";
  public static final String OPERATOR_DEREGISTERED = "OperatorDeregistered(address)";
  public static final String DISPERSER_BONDED = "DisperserBonded(address,uint256)";
  public static final String DISPERSER_UNBONDING = "DisperserUnbonding(address,uint64)";
  public static final String DISPERSER_WITHDRAWN = "DisperserWithdrawn(address,uint256)";
  public static final String BLOB_CERTIFIED = "BlobCertified(bytes32,uint64,uint64,address,uint64)";
  public static final String BLOB_INVALIDATED = "BlobInvalidated(bytes32,address,uint256,uint256)";

  /** Blob status in {@code blob(dataRoot)}. */
  public static final int NONE = 0;

  public static final int AVAILABLE = 1;
  public static final int INVALID = 2;

  /** Longest network address an operator may register. */
  public static final int MAX_NETWORK_ADDRESS = 256;

  /** Stake counts in gwei as DA weight, so a weight fits a long up to 9.2e9 AXN. */
  static final BigInteger WEIGHT_UNIT = BigInteger.TEN.pow(9);

  /** Gas per aggregated signer key (a G1 addition, as EIP-2537's G1ADD). */
  public static final long KEY_AGGREGATE_GAS = 375;

  /** Gas per operator drawn in a quorum selection (one SHA-256 of ~90 bytes, then a sort). */
  public static final long DRAW_GAS = 200;

  /**
   * Byte-operations of the RS work in a fraud proof (GF(2^8) table multiply-adds, on the scalar
   * backend so every validator computes it the same way without native code) per gas.
   */
  public static final long DECODE_BYTES_PER_GAS = 4;

  private static final TypeReference<DynamicBytes> BYTES = new TypeReference<>() {};
  private static final TypeReference<Utf8String> STRING = new TypeReference<>() {};
  private static final TypeReference<org.web3j.abi.datatypes.generated.Bytes32> B32 =
      new TypeReference<>() {};
  private static final TypeReference<Uint32> U32 = new TypeReference<>() {};
  private static final TypeReference<Uint64> U64 = new TypeReference<>() {};
  private static final TypeReference<org.web3j.abi.datatypes.Address> ADDR =
      new TypeReference<>() {};

  private static final Bytes32 OPERATOR_COUNT = slot("operators");

  private final DaConfig config;
  private final StakingLedger staking;
  private final ErasureCoder coder = new ReedSolomon(new ScalarBackend(), 1);

  /**
   * @param staking the ledger of the staking module at {@link StakingModule#ADDRESS} (read only,
   *     through {@link ModuleCall#readOther}): operators' stake and jailing, the epoch length
   */
  public DataAvailabilityModule(DaConfig config, StakingLedger staking) {
    this.config = config;
    this.staking = staking;
  }

  public DaConfig config() {
    return config;
  }

  @Override
  public Address address() {
    return ADDRESS;
  }

  // ---------------------------------------------------------------- epochs

  /** What an epoch's quorums are drawn from, fixed at the epoch's start. */
  public record Snapshot(Bytes32 seed, List<DaOperator> operators) {
    public Snapshot {
      operators = List.copyOf(operators);
    }
  }

  private static final RlpCodec<DaOperator> OPERATOR_CODEC =
      RlpCodec.struct(
          (w, o) -> w.writeBytes(o.id()).writeBytes(o.publicKey().toBytes()).writeUInt64(o.stake()),
          r ->
              new DaOperator(
                  r.readFixedBytes(Address.SIZE),
                  BlsPublicKey.fromBytes(r.readFixedBytes(BlsPublicKey.SIZE)),
                  r.readUInt64()));

  static final RlpCodec<Snapshot> SNAPSHOT_CODEC =
      RlpCodec.struct(
          (w, s) -> w.writeBytes(s.seed()).writeListOf(s.operators(), OPERATOR_CODEC),
          r -> new Snapshot(r.readBytes32(), r.readListOf(OPERATOR_CODEC)));

  /** Epoch 0's seed: no block hash exists before it, and no operator is registered at genesis. */
  public static final Bytes32 GENESIS_SEED =
      Hashes.keccak256(Bytes.wrap("axivon/da-genesis-seed".getBytes(StandardCharsets.US_ASCII)));

  @Override
  public void genesis(ModuleCall c) {
    storeSnapshot(c, 0, new Snapshot(GENESIS_SEED, List.of()));
  }

  /**
   * At the last block of an epoch ({@code height} a multiple of the staking epoch length), fixes
   * the next epoch's seed (this block's hash) and operators (registered DA operators whose
   * validator is not jailed, weighted by its total stake in gwei).
   */
  @Override
  public List<ValidatorUpdate> endBlock(ModuleCall c, EndBlock block) {
    long length = staking.config().epochLength();
    if (block.height() > 0 && block.height() % length == 0) {
      storeSnapshot(c, block.height() / length, new Snapshot(block.hash(), eligible(c)));
    }
    return List.of();
  }

  private List<DaOperator> eligible(ModuleCall c) {
    List<DaOperator> out = new ArrayList<>();
    for (Address op : operatorList(c)) {
      Optional<StakingLedger.ValidatorInfo> v =
          c.readOther(StakingModule.ADDRESS, view -> staking.validator(view, op));
      if (v.isEmpty() || v.get().jailed()) {
        continue;
      }
      BigInteger weight = v.get().totalStake().divide(WEIGHT_UNIT);
      if (weight.signum() > 0) {
        long w = weight.bitLength() > 63 ? Long.MAX_VALUE : weight.longValueExact();
        out.add(new DaOperator(op.bytes(), operatorKey(c, op), w));
      }
    }
    return out;
  }

  private static void storeSnapshot(ModuleCall c, long epoch, Snapshot s) {
    c.storeBlob(
        slot("epoch", u64(epoch)),
        i -> slot("epoch", u64(epoch), u64(i)),
        Rlp.encode(SNAPSHOT_CODEC, s));
  }

  /** The snapshot of {@code epoch}, if it has started. */
  public Optional<Snapshot> snapshot(ModuleCall c, long epoch) {
    Bytes b = c.loadBlob(slot("epoch", u64(epoch)), i -> slot("epoch", u64(epoch), u64(i)));
    return b.isEmpty() ? Optional.empty() : Optional.of(Rlp.decode(SNAPSHOT_CODEC, b));
  }

  /** The epoch of the block being executed (staking's epochs). */
  public long currentEpoch(ModuleCall c) {
    return staking.epochOf(c.blockNumber());
  }

  /**
   * Quorum {@code quorumId} of {@code epoch}: {@link Quorum#select} over the epoch's snapshot.
   *
   * @throws ModuleRevert if the epoch has not started, the quorum id is unknown or the epoch has no
   *     operator with stake
   */
  public Quorum quorum(ModuleCall c, long epoch, long quorumId) {
    if (quorumId < 0 || quorumId >= config.quorumCount()) {
      throw new ModuleRevert(
          "unknown quorum " + quorumId + " (quorums 0.." + (config.quorumCount() - 1) + ")");
    }
    Snapshot s =
        snapshot(c, epoch)
            .orElseThrow(() -> new ModuleRevert("epoch " + epoch + " has not started"));
    if (s.operators().isEmpty()) {
      throw new ModuleRevert("epoch " + epoch + " has no DA operators");
    }
    c.charge(DRAW_GAS * s.operators().size());
    return Quorum.select(s.seed(), epoch, quorumId, s.operators(), config.quorumSize());
  }

  // ---------------------------------------------------------------- dispatch

  @Override
  public Bytes call(ModuleCall c, Address caller, BigInteger value, Bytes input) {
    if (input.size() < 4) {
      throw new ModuleRevert("no function selector");
    }
    Bytes selector = input.slice(0, 4);
    Bytes args = input.slice(4);
    boolean payable =
        selector.equals(Abi.selector(REGISTER_DISPERSER))
            || selector.equals(Abi.selector(CONFIRM_BLOB));
    if (!payable && value.signum() != 0) {
      throw new ModuleRevert("function is not payable");
    }
    if (selector.equals(Abi.selector(REGISTER_OPERATOR))) {
      List<Type> a = Abi.decodeArgs(args, List.of(BYTES, BYTES, STRING));
      registerOperator(c, caller, bytes(a.get(0)), bytes(a.get(1)), string(a.get(2)));
      return Bytes.EMPTY;
    }
    if (selector.equals(Abi.selector(UPDATE_OPERATOR))) {
      List<Type> a = Abi.decodeArgs(args, List.of(STRING));
      updateOperator(c, caller, string(a.get(0)));
      return Bytes.EMPTY;
    }
    if (selector.equals(Abi.selector(DEREGISTER_OPERATOR))) {
      Abi.decodeArgs(args, List.of());
      deregisterOperator(c, caller);
      return Bytes.EMPTY;
    }
    if (selector.equals(Abi.selector(REGISTER_DISPERSER))) {
      Abi.decodeArgs(args, List.of());
      registerDisperser(c, caller, value);
      return Bytes.EMPTY;
    }
    if (selector.equals(Abi.selector(UNBOND_DISPERSER))) {
      Abi.decodeArgs(args, List.of());
      unbondDisperser(c, caller);
      return Bytes.EMPTY;
    }
    if (selector.equals(Abi.selector(WITHDRAW_DISPERSER_BOND))) {
      Abi.decodeArgs(args, List.of());
      return Abi.encode(List.of(new Uint256(withdrawDisperserBond(c, caller))));
    }
    if (selector.equals(Abi.selector(CONFIRM_BLOB))) {
      List<Type> a = Abi.decodeArgs(args, List.of(BYTES, B32, U32, U64));
      confirmBlob(
          c,
          caller,
          value,
          bytes(a.get(0)),
          b32(a.get(1)),
          ((Uint32) a.get(2)).getValue().longValueExact(),
          ((Uint64) a.get(3)).getValue());
      return Bytes.EMPTY;
    }
    if (selector.equals(Abi.selector(SUBMIT_FRAUD_PROOF))) {
      List<Type> a = Abi.decodeArgs(args, List.of(B32, BYTES));
      submitFraudProof(c, caller, b32(a.get(0)), bytes(a.get(1)));
      return Bytes.EMPTY;
    }
    if (selector.equals(Abi.selector(IS_AVAILABLE))) {
      List<Type> a = Abi.decodeArgs(args, List.of(B32));
      return Abi.encode(List.of(new Bool(blobRecord(c, b32(a.get(0))).status() == AVAILABLE)));
    }
    if (selector.equals(Abi.selector(BLOB))) {
      List<Type> a = Abi.decodeArgs(args, List.of(B32));
      BlobRecord r = blobRecord(c, b32(a.get(0)));
      return Abi.encode(
          List.of(
              new Uint8(r.status()),
              w3(r.disperser()),
              new Uint64(r.epoch()),
              new Uint64(r.quorumId()),
              new Uint32(r.k()),
              new Uint64(r.size()),
              new Uint64(r.confirmedAt())));
    }
    if (selector.equals(Abi.selector(QUORUM))) {
      List<Type> a = Abi.decodeArgs(args, List.of(U64, U64, U32));
      int k = ((Uint32) a.get(2)).getValue().intValue();
      if (!isWidth(((Uint32) a.get(2)).getValue())) {
        throw new ModuleRevert("k must be a power of two in 1..128, got " + a.get(2).getValue());
      }
      Quorum q = quorum(c, u64(a.get(0), "epoch"), u64(a.get(1), "quorum id"));
      int[] rows = q.rowCounts(k);
      List<org.web3j.abi.datatypes.Address> members = new ArrayList<>();
      List<Uint64> weights = new ArrayList<>();
      List<Uint32> counts = new ArrayList<>();
      Bytes keys = Bytes.EMPTY;
      for (int i = 0; i < q.members().size(); i++) {
        DaOperator m = q.members().get(i);
        members.add(new org.web3j.abi.datatypes.Address(m.id().toHexString()));
        keys = Bytes.concatenate(keys, m.publicKey().toBytes());
        weights.add(new Uint64(m.stake()));
        counts.add(new Uint32(rows[i]));
      }
      return Abi.encode(
          List.of(
              new DynamicArray<>(org.web3j.abi.datatypes.Address.class, members),
              new DynamicBytes(keys.toArrayUnsafe()),
              new DynamicArray<>(Uint64.class, weights),
              new DynamicArray<>(Uint32.class, counts)));
    }
    if (selector.equals(Abi.selector(OPERATOR))) {
      List<Type> a = Abi.decodeArgs(args, List.of(ADDR));
      Address op = address(a.get(0));
      boolean registered = isOperator(c, op);
      return Abi.encode(
          List.of(
              new Bool(registered),
              new DynamicBytes(
                  registered ? operatorKey(c, op).toBytes().toArrayUnsafe() : new byte[0]),
              new Utf8String(registered ? networkAddress(c, op) : "")));
    }
    if (selector.equals(Abi.selector(OPERATORS))) {
      Abi.decodeArgs(args, List.of());
      return Abi.encode(
          List.of(
              new DynamicArray<>(
                  org.web3j.abi.datatypes.Address.class,
                  operatorList(c).stream().map(DataAvailabilityModule::w3).toList())));
    }
    if (selector.equals(Abi.selector(DISPERSER))) {
      List<Type> a = Abi.decodeArgs(args, List.of(ADDR));
      Address d = address(a.get(0));
      BigInteger bond = c.load(slot("bond", d.bytes())).toUnsignedBigInteger();
      long unbondAt = c.load(slot("unbond", d.bytes())).toLong();
      return Abi.encode(
          List.of(
              new Uint256(bond),
              new Uint64(unbondAt),
              new Bool(unbondAt == 0 && bond.compareTo(config.minDisperserBond()) >= 0)));
    }
    if (selector.equals(Abi.selector(EPOCH_INFO))) {
      Abi.decodeArgs(args, List.of());
      long epoch = currentEpoch(c);
      Snapshot s = snapshot(c, epoch).orElseThrow();
      return Abi.encode(
          List.of(
              new Uint64(epoch),
              new org.web3j.abi.datatypes.generated.Bytes32(s.seed().toArray()),
              new Uint256(s.operators().size())));
    }
    if (selector.equals(Abi.selector(EPOCH_SEED))) {
      List<Type> a = Abi.decodeArgs(args, List.of(U64));
      long epoch = u64(a.get(0), "epoch");
      Snapshot s =
          snapshot(c, epoch)
              .orElseThrow(() -> new ModuleRevert("epoch " + epoch + " has not started"));
      return Abi.encode(List.of(new org.web3j.abi.datatypes.generated.Bytes32(s.seed().toArray())));
    }
    if (selector.equals(Abi.selector(BLOB_FEE))) {
      List<Type> a = Abi.decodeArgs(args, List.of(U64));
      return Abi.encode(List.of(new Uint256(blobFee(((Uint64) a.get(0)).getValue()))));
    }
    throw new ModuleRevert("unknown function selector " + selector.toHexString());
  }

  // ---------------------------------------------------------------- operators

  void registerOperator(ModuleCall c, Address caller, Bytes key, Bytes pop, String network) {
    Optional<StakingLedger.ValidatorInfo> v =
        c.readOther(StakingModule.ADDRESS, view -> staking.validator(view, caller));
    if (v.isEmpty()) {
      throw new ModuleRevert("caller is not a staking validator");
    }
    if (v.get().jailed()) {
      throw new ModuleRevert("validator is jailed");
    }
    if (isOperator(c, caller)) {
      throw new ModuleRevert("operator already registered");
    }
    checkNetworkAddress(network);
    BlsPublicKey pk;
    BlsSignature proof;
    try {
      pk = BlsPublicKey.fromBytes(key);
      proof = BlsSignature.fromBytes(pop);
    } catch (InvalidInputException e) {
      throw new ModuleRevert(e.getMessage());
    }
    Bytes32 owner = slot("keyOwner", pk.toBytes());
    if (!c.load(owner).isZero()) {
      throw new ModuleRevert("BLS key already registered");
    }
    c.charge(ModuleCall.BLS_VERIFY_GAS);
    if (!Bls.verifyPossession(pk, proof)) {
      throw new ModuleRevert("invalid proof of possession");
    }
    long n = c.load(OPERATOR_COUNT).toLong();
    c.store(OPERATOR_COUNT, word(n + 1));
    c.store(slot("operatorAt", u64(n)), Bytes32.leftPad(caller.bytes()));
    c.store(slot("op.index", caller.bytes()), word(n + 1));
    Bytes k = pk.toBytes();
    c.store(slot("op.key", caller.bytes(), u64(0)), Bytes32.wrap(k.slice(0, 32)));
    c.store(slot("op.key", caller.bytes(), u64(1)), Bytes32.rightPad(k.slice(32)));
    c.store(owner, Bytes32.leftPad(caller.bytes()));
    storeNetworkAddress(c, caller, network);
    c.log(
        List.of(Abi.eventTopic(OPERATOR_REGISTERED), Bytes32.leftPad(caller.bytes())),
        Abi.encode(List.of(new DynamicBytes(k.toArray()), new Utf8String(network))));
  }

  void updateOperator(ModuleCall c, Address caller, String network) {
    if (!isOperator(c, caller)) {
      throw new ModuleRevert("not a registered operator");
    }
    checkNetworkAddress(network);
    storeNetworkAddress(c, caller, network);
    c.log(
        List.of(Abi.eventTopic(OPERATOR_UPDATED), Bytes32.leftPad(caller.bytes())),
        Abi.encode(List.of(new Utf8String(network))));
  }

  /** Leaves the operator list; quorums of epochs already started keep the operator. */
  void deregisterOperator(ModuleCall c, Address caller) {
    long index = c.load(slot("op.index", caller.bytes())).toLong();
    if (index == 0) {
      throw new ModuleRevert("not a registered operator");
    }
    long n = c.load(OPERATOR_COUNT).toLong();
    Bytes32 last = c.load(slot("operatorAt", u64(n - 1)));
    // swap-remove: the last operator takes the leaver's place
    c.store(slot("operatorAt", u64(index - 1)), last);
    c.store(slot("op.index", last.slice(12)), word(index));
    c.store(slot("operatorAt", u64(n - 1)), Bytes32.ZERO);
    c.store(slot("op.index", caller.bytes()), Bytes32.ZERO);
    c.store(OPERATOR_COUNT, word(n - 1));
    c.store(slot("keyOwner", operatorKey(c, caller).toBytes()), Bytes32.ZERO);
    c.log(
        List.of(Abi.eventTopic(OPERATOR_DEREGISTERED), Bytes32.leftPad(caller.bytes())),
        Bytes.EMPTY);
  }

  private static void checkNetworkAddress(String network) {
    int len = network.getBytes(StandardCharsets.UTF_8).length;
    if (len < 1 || len > MAX_NETWORK_ADDRESS) {
      throw new ModuleRevert(
          "network address must be 1.." + MAX_NETWORK_ADDRESS + " bytes, got " + len);
    }
  }

  private static void storeNetworkAddress(ModuleCall c, Address op, String network) {
    c.storeBlob(
        slot("op.net", op.bytes()),
        i -> slot("op.net", op.bytes(), u64(i)),
        Bytes.wrap(network.getBytes(StandardCharsets.UTF_8)));
  }

  private static String networkAddress(ModuleCall c, Address op) {
    return new String(
        c.loadBlob(slot("op.net", op.bytes()), i -> slot("op.net", op.bytes(), u64(i)))
            .toArrayUnsafe(),
        StandardCharsets.UTF_8);
  }

  private static boolean isOperator(ModuleCall c, Address op) {
    return !c.load(slot("op.index", op.bytes())).isZero();
  }

  private static BlsPublicKey operatorKey(ModuleCall c, Address op) {
    return BlsPublicKey.fromBytes(
        Bytes.concatenate(
                c.load(slot("op.key", op.bytes(), u64(0))),
                c.load(slot("op.key", op.bytes(), u64(1))))
            .slice(0, BlsPublicKey.SIZE));
  }

  /** The registered operators, in list order. */
  public static List<Address> operatorList(ModuleCall c) {
    long n = c.load(OPERATOR_COUNT).toLong();
    List<Address> out = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      out.add(new Address(c.load(slot("operatorAt", u64(i))).slice(12)));
    }
    return out;
  }

  // ---------------------------------------------------------------- dispersers

  void registerDisperser(ModuleCall c, Address caller, BigInteger value) {
    if (c.load(slot("unbond", caller.bytes())).toLong() != 0) {
      throw new ModuleRevert("disperser is unbonding");
    }
    Bytes32 bondSlot = slot("bond", caller.bytes());
    BigInteger bond = c.load(bondSlot).toUnsignedBigInteger().add(value);
    if (bond.compareTo(config.minDisperserBond()) < 0) {
      throw new ModuleRevert(
          "disperser bond of "
              + bond
              + " wei is below the minimum of "
              + config.minDisperserBond()
              + " wei");
    }
    c.transfer(caller, c.self(), value);
    c.store(bondSlot, word(bond));
    c.log(
        List.of(Abi.eventTopic(DISPERSER_BONDED), Bytes32.leftPad(caller.bytes())),
        Abi.encode(List.of(new Uint256(bond))));
  }

  void unbondDisperser(ModuleCall c, Address caller) {
    if (c.load(slot("bond", caller.bytes())).isZero()) {
      throw new ModuleRevert("not a disperser");
    }
    Bytes32 unbondSlot = slot("unbond", caller.bytes());
    if (c.load(unbondSlot).toLong() != 0) {
      throw new ModuleRevert("disperser is unbonding");
    }
    long at = c.blockNumber() + config.bondWithdrawDelay();
    c.store(unbondSlot, word(at));
    c.log(
        List.of(Abi.eventTopic(DISPERSER_UNBONDING), Bytes32.leftPad(caller.bytes())),
        Abi.encode(List.of(new Uint64(at))));
  }

  BigInteger withdrawDisperserBond(ModuleCall c, Address caller) {
    Bytes32 unbondSlot = slot("unbond", caller.bytes());
    long at = c.load(unbondSlot).toLong();
    if (at == 0) {
      throw new ModuleRevert("disperser is not unbonding");
    }
    if (c.blockNumber() < at) {
      throw new ModuleRevert("the bond can be withdrawn from block " + at);
    }
    Bytes32 bondSlot = slot("bond", caller.bytes());
    BigInteger bond = c.load(bondSlot).toUnsignedBigInteger();
    c.store(bondSlot, Bytes32.ZERO);
    c.store(unbondSlot, Bytes32.ZERO);
    c.transfer(c.self(), caller, bond);
    c.log(
        List.of(Abi.eventTopic(DISPERSER_WITHDRAWN), Bytes32.leftPad(caller.bytes())),
        Abi.encode(List.of(new Uint256(bond))));
    return bond;
  }

  // ---------------------------------------------------------------- blobs

  /** A blob as {@code blob(dataRoot)} returns it. */
  public record BlobRecord(
      int status,
      Address disperser,
      long epoch,
      long quorumId,
      int k,
      long size,
      long confirmedAt) {}

  /** The fee of a blob of {@code size} declared bytes. */
  public BigInteger blobFee(BigInteger size) {
    return config.feePerByteWei().multiply(size);
  }

  void confirmBlob(
      ModuleCall c,
      Address caller,
      BigInteger value,
      Bytes certificate,
      Bytes32 dataRoot,
      long k,
      BigInteger size) {
    BigInteger bond = c.load(slot("bond", caller.bytes())).toUnsignedBigInteger();
    if (bond.signum() == 0) {
      throw new ModuleRevert("caller is not a disperser");
    }
    if (c.load(slot("unbond", caller.bytes())).toLong() != 0) {
      throw new ModuleRevert("disperser is unbonding");
    }
    if (bond.compareTo(config.minDisperserBond()) < 0) {
      throw new ModuleRevert(
          "disperser bond of "
              + bond
              + " wei is below the minimum of "
              + config.minDisperserBond()
              + " wei");
    }
    if (size.signum() == 0 || size.compareTo(BigInteger.valueOf(BlobSquare.MAX_BLOB_SIZE)) > 0) {
      throw new ModuleRevert(
          "blob size must be 1.." + BlobSquare.MAX_BLOB_SIZE + " bytes, got " + size);
    }
    int width = BlobSquare.widthFor(size.longValueExact());
    if (k != width) {
      throw new ModuleRevert("a blob of " + size + " bytes has k = " + width + ", not " + k);
    }
    BigInteger fee = blobFee(size);
    if (value.compareTo(fee) != 0) {
      throw new ModuleRevert("the blob fee is " + fee + " wei, sent " + value);
    }
    c.charge(30 + 6L * ((certificate.size() + 31) / 32));
    DaCertificate cert;
    try {
      cert = DaCertificate.decode(certificate);
    } catch (InvalidInputException | IllegalArgumentException e) {
      throw new ModuleRevert("malformed certificate: " + e.getMessage());
    }
    if (!cert.dataRoot().equals(dataRoot)) {
      throw new ModuleRevert(
          "the certificate is for dataRoot "
              + cert.dataRoot().toHexString()
              + ", not "
              + dataRoot.toHexString());
    }
    if (cert.k() != k) {
      throw new ModuleRevert("the certificate is for k = " + cert.k() + ", not " + k);
    }
    long current = currentEpoch(c);
    if (cert.epoch() > current) {
      throw new ModuleRevert("epoch " + cert.epoch() + " has not started");
    }
    if (cert.epoch() + 1 < current) {
      throw new ModuleRevert(
          "stale epoch: the certificate is for epoch "
              + cert.epoch()
              + ", the current epoch is "
              + current);
    }
    Bytes32 a = slot("blob.a", dataRoot);
    if (!c.load(a).isZero()) {
      throw new ModuleRevert("blob already certified");
    }
    Quorum q = quorum(c, cert.epoch(), cert.quorumId());
    c.charge(ModuleCall.BLS_VERIFY_GAS + KEY_AGGREGATE_GAS * cert.signerIndices().size());
    try {
      cert.verify(q);
    } catch (InvalidInputException e) {
      throw new ModuleRevert("the certificate does not verify: " + e.getMessage());
    }
    payOperators(c, caller, fee, q, cert.signerIndices());
    c.store(a, packA(caller, AVAILABLE, (int) k));
    c.store(
        slot("blob.b", dataRoot),
        Bytes32.wrap(
            Bytes.concatenate(
                u64(cert.epoch()),
                u64(cert.quorumId()),
                u64(size.longValueExact()),
                u64(c.blockNumber()))));
    c.log(
        List.of(Abi.eventTopic(BLOB_CERTIFIED), dataRoot, Bytes32.leftPad(caller.bytes())),
        Abi.encode(
            List.of(new Uint64(cert.epoch()), new Uint64(cert.quorumId()), new Uint64(size))));
  }

  /**
   * Splits a blob's fee among the operators who signed its certificate, by stake (their weight in
   * the quorum): they stored and verified the rows. Each share is rounded down; the few wei left
   * over are burned, so nothing is created.
   */
  private static void payOperators(
      ModuleCall c, Address disperser, BigInteger fee, Quorum q, List<Integer> signers) {
    BigInteger total = BigInteger.ZERO;
    for (int i : signers) {
      total = total.add(BigInteger.valueOf(q.members().get(i).stake()));
    }
    BigInteger paid = BigInteger.ZERO;
    if (total.signum() > 0) {
      for (int i : signers) {
        DaOperator m = q.members().get(i);
        BigInteger share = fee.multiply(BigInteger.valueOf(m.stake())).divide(total);
        if (share.signum() > 0) {
          c.transfer(disperser, new Address(m.id()), share);
          paid = paid.add(share);
        }
      }
    }
    c.burn(disperser, fee.subtract(paid));
  }

  /** The record of {@code dataRoot} (status {@link #NONE} if never certified). */
  public static BlobRecord blobRecord(ModuleCall c, Bytes32 dataRoot) {
    Bytes32 a = c.load(slot("blob.a", dataRoot));
    if (a.isZero()) {
      return new BlobRecord(NONE, new Address(Bytes.wrap(new byte[20])), 0, 0, 0, 0, 0);
    }
    Bytes32 b = c.load(slot("blob.b", dataRoot));
    return new BlobRecord(
        a.get(0) & 0xff,
        new Address(a.slice(12)),
        b.slice(0, 8).toLong(),
        b.slice(8, 8).toLong(),
        a.get(1) & 0xff,
        b.slice(16, 8).toLong(),
        b.slice(24, 8).toLong());
  }

  /** Status byte, k's byte, 10 zero bytes, then the disperser. */
  private static Bytes32 packA(Address disperser, int status, int k) {
    return Bytes32.wrap(
        Bytes.concatenate(
            Bytes.of((byte) status, (byte) k), Bytes.wrap(new byte[10]), disperser.bytes()));
  }

  void submitFraudProof(ModuleCall c, Address caller, Bytes32 dataRoot, Bytes proof) {
    BlobRecord r = blobRecord(c, dataRoot);
    if (r.status() == NONE) {
      throw new ModuleRevert("unknown blob " + dataRoot.toHexString());
    }
    if (r.status() == INVALID) {
      throw new ModuleRevert("blob already invalidated");
    }
    c.charge(30 + 6L * ((proof.size() + 31) / 32));
    BadEncodingProof p;
    try {
      p = BadEncodingProof.decode(proof);
    } catch (InvalidInputException | IllegalArgumentException e) {
      throw new ModuleRevert("malformed proof: " + e.getMessage());
    }
    if (p.k() != r.k()) {
      throw new ModuleRevert("the proof is for k = " + p.k() + ", the blob has k = " + r.k());
    }
    c.charge(fraudProofGas(p.k()));
    if (!p.verify(dataRoot, r.k(), coder)) {
      throw new ModuleRevert("the proof does not show a bad encoding");
    }
    Bytes32 bondSlot = slot("bond", r.disperser().bytes());
    BigInteger bond = c.load(bondSlot).toUnsignedBigInteger();
    BigInteger reward =
        bond.multiply(BigInteger.valueOf(config.proverRewardBps()))
            .divide(BigInteger.valueOf(StakingConfig.BPS));
    c.store(bondSlot, Bytes32.ZERO);
    c.transfer(c.self(), caller, reward);
    c.burn(c.self(), bond.subtract(reward));
    c.store(slot("blob.a", dataRoot), packA(r.disperser(), INVALID, r.k()));
    c.log(
        List.of(Abi.eventTopic(BLOB_INVALIDATED), dataRoot, Bytes32.leftPad(caller.bytes())),
        Abi.encode(List.of(new Uint256(bond), new Uint256(reward))));
  }

  /**
   * The work of verifying a bad-encoding proof of width k, priced as the EVM prices Keccak (30 + 6
   * per word per hash) for every hash it may compute, plus {@link #DECODE_BYTES_PER_GAS} for the RS
   * work of decoding and re-encoding the line (2k² · 2048 GF(2^8) multiply-adds at most).
   */
  public static long fraudProofGas(int k) {
    long depth = Integer.numberOfTrailingZeros(2 * k) + Integer.numberOfTrailingZeros(4 * k);
    long shares = k * (keccakGas(BlobSquare.SHARE_SIZE) + depth * keccakGas(64));
    long lineProof = Integer.numberOfTrailingZeros(4 * k) * keccakGas(64);
    long root = 2L * k * keccakGas(BlobSquare.SHARE_SIZE) + (2L * k - 1) * keccakGas(64);
    long decode = 2L * k * k * BlobSquare.SHARE_SIZE / DECODE_BYTES_PER_GAS;
    return shares + lineProof + root + decode;
  }

  private static long keccakGas(long bytes) {
    return 30 + 6 * ((bytes + 31) / 32);
  }

  // ---------------------------------------------------------------- helpers

  static Bytes32 slot(String name, Bytes... parts) {
    Bytes prefix = Bytes.wrap(("axivon.da." + name).getBytes(StandardCharsets.US_ASCII));
    Bytes[] all = new Bytes[parts.length + 1];
    all[0] = prefix;
    System.arraycopy(parts, 0, all, 1, parts.length);
    return Hashes.keccak256(Bytes.concatenate(all));
  }

  private static Bytes u64(long v) {
    return Bytes.ofUnsignedLong(v);
  }

  private static Bytes32 word(long v) {
    return Bytes32.leftPad(Bytes.ofUnsignedLong(v));
  }

  private static Bytes32 word(BigInteger v) {
    return Bytes32.leftPad(Bytes.wrap(v.toByteArray()).trimLeadingZeros());
  }

  private static boolean isWidth(BigInteger k) {
    return k.signum() > 0 && k.bitCount() == 1 && k.intValueExact() <= BlobSquare.MAX_K;
  }

  private static long u64(Type<?> t, String what) {
    BigInteger v = ((Uint64) t).getValue();
    if (v.bitLength() > 63) {
      throw new ModuleRevert(what + " " + v + " is too large");
    }
    return v.longValueExact();
  }

  private static Bytes bytes(Type<?> t) {
    return Bytes.wrap(((DynamicBytes) t).getValue());
  }

  private static Bytes32 b32(Type<?> t) {
    return Bytes32.wrap(((org.web3j.abi.datatypes.generated.Bytes32) t).getValue());
  }

  private static String string(Type<?> t) {
    return ((Utf8String) t).getValue();
  }

  private static Address address(Type<?> t) {
    String hex = ((org.web3j.abi.datatypes.Address) t).getValue();
    return new Address(Bytes32.leftPad(Bytes.fromHexStringLenient(hex)).slice(12));
  }

  private static org.web3j.abi.datatypes.Address w3(Address a) {
    return new org.web3j.abi.datatypes.Address(a.bytes().toHexString());
  }
}
