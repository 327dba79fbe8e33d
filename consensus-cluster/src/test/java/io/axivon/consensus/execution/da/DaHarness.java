package io.axivon.consensus.execution.da;

import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.bls.Bls;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.common.crypto.bls.BlsSignature;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.execution.staking.GenesisValidator;
import io.axivon.consensus.execution.staking.StakingConfig;
import io.axivon.consensus.execution.staking.StakingModule;
import io.axivon.consensus.execution.system.Abi;
import io.axivon.consensus.execution.system.EndBlock;
import io.axivon.consensus.execution.system.MapState;
import io.axivon.consensus.execution.system.ModuleCall;
import io.axivon.consensus.execution.system.ModuleResult;
import io.axivon.consensus.execution.system.SystemModules;
import io.axivon.da.blob.Axis;
import io.axivon.da.blob.ExtendedSquare;
import io.axivon.da.blob.SquareEncoder;
import io.axivon.da.cert.DaCertificate;
import io.axivon.da.cert.DaOperator;
import io.axivon.da.cert.Quorum;
import io.axivon.da.erasure.ReedSolomon;
import io.axivon.da.erasure.ScalarBackend;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.abi.datatypes.generated.Uint64;

/**
 * Staking and the DA module over an in-memory state, called as {@link SystemModules#invoke} calls
 * them from a transaction: revert reasons, gas and state changes are visible.
 */
final class DaHarness {
  static final BigInteger AXN = StakingConfig.AXN;
  static final long EPOCH = 4;
  static final long GAS = 30_000_000;
  static final Address DISPERSER = addr(0xd1);
  static final Address PROVER = addr(0xe1);
  static final Address OUTSIDER = addr(0xf1);

  final MapState state = new MapState();
  final StakingModule staking;
  final DataAvailabilityModule da;
  final SystemModules modules;
  final List<Address> operators = new ArrayList<>();
  final List<BigInteger> stakes = new ArrayList<>();
  final Map<Bytes, BlsSecretKey> daKeys = new HashMap<>();
  long height;

  /** {@code n} genesis validators at 0xa1…, validator i staking {@code stakeAxn[i]} AXN. */
  DaHarness(DaConfig config, long... stakeAxn) {
    List<GenesisValidator> gv = new ArrayList<>();
    for (int i = 0; i < stakeAxn.length; i++) {
      Address op = addr(0xa1 + i);
      operators.add(op);
      BigInteger stake = AXN.multiply(BigInteger.valueOf(stakeAxn[i]));
      stakes.add(stake);
      gv.add(new GenesisValidator(op, blsKey(100 + i).publicKey(), stake, 0));
      state.addBalance(op, AXN.multiply(BigInteger.valueOf(1000)));
    }
    staking =
        new StakingModule(new StakingConfig("da-test", EPOCH, 8, AXN, stakeAxn.length, 500, 8, gv));
    da = new DataAvailabilityModule(config, staking.ledger());
    modules = SystemModules.of(staking, da);
    hook(staking.address(), staking::genesis);
    hook(da.address(), da::genesis);
    state.addBalance(DISPERSER, AXN.multiply(BigInteger.valueOf(1000)));
    state.addBalance(OUTSIDER, AXN.multiply(BigInteger.valueOf(1000)));
  }

  static Address addr(int last) {
    byte[] b = new byte[20];
    b[19] = (byte) last;
    return new Address(Bytes.wrap(b));
  }

  static BlsSecretKey blsKey(int seed) {
    byte[] ikm = new byte[32];
    ikm[0] = (byte) seed;
    ikm[1] = (byte) (seed >> 8);
    return BlsSecretKey.keyGen(Bytes.wrap(ikm));
  }

  static Bytes32 blockHash(long n) {
    return Hashes.keccak256(Bytes.ofUnsignedLong(n));
  }

  void hook(Address self, java.util.function.Consumer<ModuleCall> body) {
    ModuleCall c = ModuleCall.hook(state, self, height);
    body.accept(c);
    c.flush();
  }

  <T> T view(Function<ModuleCall, T> body) {
    return body.apply(new ModuleCall(state, da.address(), height + 1, GAS, true));
  }

  /** Runs the end of blocks until {@code to}, as the executor does after each block. */
  void advanceTo(long to) {
    while (height < to) {
      height++;
      long h = height;
      hook(staking.address(), c -> staking.endBlock(c, endBlock(h)));
      hook(da.address(), c -> da.endBlock(c, endBlock(h)));
    }
  }

  static EndBlock endBlock(long h) {
    return new EndBlock(h, 0, addr(0xcb), BigInteger.ZERO, List.of(), blockHash(h));
  }

  /** A call in the next block (height + 1). */
  ModuleResult call(Address from, BigInteger value, Bytes input) {
    return modules.invoke(state, from, da.address(), value, input, GAS, false, height + 1);
  }

  ModuleResult call(Address from, Bytes input) {
    return call(from, BigInteger.ZERO, input);
  }

  static Bytes registerOperatorCall(BlsSecretKey k, String network) {
    return Abi.call(
        DataAvailabilityModule.REGISTER_OPERATOR,
        List.of(
            new DynamicBytes(k.publicKey().toBytes().toArray()),
            new DynamicBytes(Bls.provePossession(k).toBytes().toArray()),
            new Utf8String(network)));
  }

  /** Validator i registers as DA operator with DA key {@code 200 + i}. */
  ModuleResult registerOperator(int i) {
    BlsSecretKey k = blsKey(200 + i);
    daKeys.put(operators.get(i).bytes(), k);
    return call(operators.get(i), registerOperatorCall(k, "10.0.0." + i + ":3200"));
  }

  ModuleResult bond(Address d, BigInteger value) {
    return call(d, value, Abi.call(DataAvailabilityModule.REGISTER_DISPERSER, List.of()));
  }

  /** Every validator registers, the disperser bonds, and epoch 1 starts with all of them. */
  DaHarness ready() {
    for (int i = 0; i < operators.size(); i++) {
      require(registerOperator(i));
    }
    require(bond(DISPERSER, da.config().minDisperserBond()));
    advanceTo(EPOCH);
    return this;
  }

  static ModuleResult require(ModuleResult r) {
    if (r.status() != ModuleResult.Status.SUCCESS) {
      throw new AssertionError("call failed: " + reason(r) + r.error());
    }
    return r;
  }

  static String reason(ModuleResult r) {
    if (r.status() != ModuleResult.Status.REVERTED) {
      return "";
    }
    return decodeString(r.returnData().slice(4));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static String decodeString(Bytes data) {
    List<org.web3j.abi.datatypes.Type> out =
        org.web3j.abi.FunctionReturnDecoder.decode(
            data.toUnprefixedHexString(),
            (List) List.of(new org.web3j.abi.TypeReference<Utf8String>() {}));
    return (String) out.get(0).getValue();
  }

  /**
   * The quorum recomputed outside the module, from chain data only: the block hash ending the
   * previous epoch and the operators' stakes in gwei.
   */
  Quorum expectedQuorum(long epoch, long quorumId, List<Integer> registered) {
    List<DaOperator> ops = new ArrayList<>();
    for (int i : registered) {
      ops.add(
          new DaOperator(
              operators.get(i).bytes(),
              daKeys.get(operators.get(i).bytes()).publicKey(),
              stakes.get(i).divide(BigInteger.TEN.pow(9)).longValueExact()));
    }
    return Quorum.select(blockHash(epoch * EPOCH), epoch, quorumId, ops, da.config().quorumSize());
  }

  /** The quorum the module draws (through its own view). */
  Quorum quorum(long epoch, long quorumId) {
    return view(c -> da.quorum(c, epoch, quorumId));
  }

  /** A certificate signed by the members at {@code signers} (indices in the quorum). */
  DaCertificate certify(Bytes32 dataRoot, int k, Quorum q, List<Integer> signers) {
    Map<Integer, BlsSignature> sigs = new HashMap<>();
    for (int i : signers) {
      BlsSecretKey key = daKeys.get(q.members().get(i).id());
      sigs.put(i, DaCertificate.sign(key, dataRoot, q.epoch(), q.quorumId()));
    }
    return DaCertificate.aggregate(dataRoot, k, q, sigs);
  }

  static Bytes confirmCall(Bytes cert, Bytes32 dataRoot, int k, long size) {
    return Abi.call(
        DataAvailabilityModule.CONFIRM_BLOB,
        List.of(
            new DynamicBytes(cert.toArray()),
            new org.web3j.abi.datatypes.generated.Bytes32(dataRoot.toArray()),
            new Uint32(k),
            new Uint64(size)));
  }

  ModuleResult confirm(DaCertificate cert, long size) {
    return call(
        DISPERSER,
        da.blobFee(BigInteger.valueOf(size)),
        confirmCall(cert.encode(), cert.dataRoot(), cert.k(), size));
  }

  static Bytes fraudCall(Bytes32 dataRoot, Bytes proof) {
    return Abi.call(
        DataAvailabilityModule.SUBMIT_FRAUD_PROOF,
        List.of(
            new org.web3j.abi.datatypes.generated.Bytes32(dataRoot.toArray()),
            new DynamicBytes(proof.toArray())));
  }

  static SquareEncoder encoder() {
    return new SquareEncoder(new ReedSolomon(new ScalarBackend(), 1), 1);
  }

  static Bytes blob(int size, int seed) {
    byte[] b = new byte[size];
    new java.util.Random(seed).nextBytes(b);
    return Bytes.wrap(b);
  }

  /** {@code square} with one byte of cell (row, col) flipped, committed as it is. */
  static ExtendedSquare corrupt(SquareEncoder enc, ExtendedSquare square, int row, int col) {
    int n = 2 * square.k();
    byte[][] rows = new byte[n][];
    for (int r = 0; r < n; r++) {
      rows[r] = square.line(Axis.ROW, r).toArray();
    }
    rows[row][col * 2048 + 7] ^= 0x5a;
    return enc.commit(square.k(), rows);
  }
}
