package io.axivon.consensus.execution.flow;

import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.app.ValidatorUpdate;
import io.axivon.consensus.execution.system.Abi;
import io.axivon.consensus.execution.system.EndBlock;
import io.axivon.consensus.execution.system.ModuleCall;
import io.axivon.consensus.execution.system.ModuleRevert;
import io.axivon.consensus.execution.system.SystemModule;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * The storage log's flow on chain 0, at {@link #ADDRESS}, speaking 0G's Flow ABI
 * (specs/contracts/IFlow.sol, specs/flow.md) so 0G's SDK can submit to it: {@code submit} and
 * {@code batchSubmit} append a file's submission nodes to the flow at aligned positions, charge
 * {@code pricePerSector} per padded sector into the storage reward pool and emit {@code Submit};
 * the flow's Merkle root is kept as a {@link FlowAccumulator} frontier in storage, and every {@code
 * epochBlocks} blocks the mining context (epoch, root, length, block hash) is snapshotted. The
 * module is its own market: {@code market()} returns this address and {@code pricePerSector()} is
 * answered here.
 */
public final class FlowModule implements SystemModule {
  /** {@code 0x0000000000000000000000000000000000001001}, next to staking's {@code …1000}. */
  public static final Address ADDRESS =
      new Address(Bytes.fromHexString("0x" + "00".repeat(18) + "1001"));

  /** Most submissions in one {@code batchSubmit}. */
  public static final int MAX_BATCH = 64;

  // Storage layout (specs/flow.md): plain slot numbers, this address holds nothing else.
  static final int NUM_SUBMISSIONS = 0;
  static final int FLOW_LENGTH = 1;
  static final int REWARD_POOL = 2;
  static final int CTX_EPOCH = 3;
  static final int CTX_MINE_START = 4;
  static final int CTX_FLOW_ROOT = 5;
  static final int CTX_FLOW_LENGTH = 6;
  static final int CTX_BLOCK_DIGEST = 7;
  static final int FRONTIER = 0x100; // + level, 0..62

  private record Method(String signature, boolean payable) {}

  private static final Map<Bytes, Method> METHODS = methods();

  private static Map<Bytes, Method> methods() {
    Map<Bytes, Method> out = new HashMap<>();
    for (Method m :
        List.of(
            new Method(FlowAbi.SUBMIT, true),
            new Method(FlowAbi.BATCH_SUBMIT, true),
            new Method(FlowAbi.SUBMIT_WITH_SUBMITTER, true),
            new Method(FlowAbi.BATCH_SUBMIT_WITH_SUBMITTER, true),
            new Method(FlowAbi.MARKET, false),
            new Method(FlowAbi.PRICE_PER_SECTOR, false),
            new Method(FlowAbi.NUM_SUBMISSIONS, false),
            new Method(FlowAbi.EPOCH, false),
            new Method(FlowAbi.ROOT, false),
            new Method(FlowAbi.FLOW_LENGTH, false),
            new Method(FlowAbi.GET_CONTEXT, false),
            new Method(FlowAbi.REWARD_POOL, false))) {
      out.put(Abi.selector(m.signature()), m);
    }
    return Map.copyOf(out);
  }

  /** What {@code submit} returns for one submission (and the event carries). */
  public record Receipt(long index, Bytes32 identity, long startPos, long sectors) {}

  /** The mining context of the current epoch ({@code getContext()}). */
  public record Context(
      long epoch, long mineStart, Bytes32 flowRoot, long flowLength, Bytes32 blockDigest) {
    /** {@code keccak256(abi.encode(epoch, mineStart, flowRoot, flowLength, blockDigest))}. */
    public Bytes32 digest() {
      return Hashes.keccak256(
          Bytes.concatenate(
              FlowAbi.uint(BigInteger.valueOf(epoch)),
              FlowAbi.uint(BigInteger.valueOf(mineStart)),
              flowRoot,
              FlowAbi.uint(BigInteger.valueOf(flowLength)),
              blockDigest));
    }
  }

  private final FlowConfig config;

  public FlowModule(FlowConfig config) {
    this.config = config;
  }

  public FlowConfig config() {
    return config;
  }

  @Override
  public Address address() {
    return ADDRESS;
  }

  /** Epoch 0's context: the empty flow from block 0. */
  @Override
  public void genesis(ModuleCall c) {
    c.store(slot(CTX_FLOW_ROOT), FlowAccumulator.root(frontier(c), 0));
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
    if (!m.payable() && value.signum() != 0) {
      throw new ModuleRevert("function is not payable");
    }
    Bytes args = input.slice(4);
    if (!m.payable()) {
      Abi.decodeArgs(args, List.of()); // views take no arguments
    }
    return switch (m.signature()) {
      case FlowAbi.SUBMIT, FlowAbi.SUBMIT_WITH_SUBMITTER -> {
        Submission s =
            m.signature().equals(FlowAbi.SUBMIT)
                ? FlowAbi.decodeSubmitArgs(args)
                : FlowAbi.decodeSubmitWithSubmitterArgs(args).submission();
        Receipt r = submit(c, caller, value, List.of(s)).getFirst();
        yield Bytes.concatenate(u(r.index()), r.identity(), u(r.startPos()), u(r.sectors()));
      }
      case FlowAbi.BATCH_SUBMIT, FlowAbi.BATCH_SUBMIT_WITH_SUBMITTER -> {
        // The submitter a caller names is not used: Submit's sender is always the caller, so no
        // one can submit (and so write KV streams) as another account.
        List<Submission> all =
            m.signature().equals(FlowAbi.BATCH_SUBMIT)
                ? FlowAbi.decodeBatchArgs(args, MAX_BATCH)
                : FlowAbi.decodeBatchWithSubmitterArgs(args, MAX_BATCH).stream()
                    .map(FlowAbi.Submitted::submission)
                    .toList();
        List<Receipt> rs = submit(c, caller, value, all);
        List<Uint256> idx = new ArrayList<>();
        List<org.web3j.abi.datatypes.generated.Bytes32> ids = new ArrayList<>();
        List<Uint256> starts = new ArrayList<>();
        List<Uint256> lengths = new ArrayList<>();
        for (Receipt r : rs) {
          idx.add(new Uint256(r.index()));
          ids.add(new org.web3j.abi.datatypes.generated.Bytes32(r.identity().toArray()));
          starts.add(new Uint256(r.startPos()));
          lengths.add(new Uint256(r.sectors()));
        }
        yield Abi.encode(
            List.of(
                new DynamicArray<>(Uint256.class, idx),
                new DynamicArray<>(org.web3j.abi.datatypes.generated.Bytes32.class, ids),
                new DynamicArray<>(Uint256.class, starts),
                new DynamicArray<>(Uint256.class, lengths)));
      }
      case FlowAbi.MARKET -> Bytes32.leftPad(ADDRESS.bytes());
      case FlowAbi.PRICE_PER_SECTOR -> FlowAbi.uint(config.pricePerSector());
      case FlowAbi.NUM_SUBMISSIONS -> c.load(slot(NUM_SUBMISSIONS));
      case FlowAbi.FLOW_LENGTH -> c.load(slot(FLOW_LENGTH));
      case FlowAbi.REWARD_POOL -> c.load(slot(REWARD_POOL));
      case FlowAbi.EPOCH -> c.load(slot(CTX_EPOCH));
      case FlowAbi.ROOT -> root(c);
      case FlowAbi.GET_CONTEXT -> {
        Context x = context(c);
        yield Bytes.concatenate(
            u(x.epoch()),
            u(x.mineStart()),
            x.flowRoot(),
            u(x.flowLength()),
            x.blockDigest(),
            x.digest());
      }
      default -> throw new IllegalStateException("unhandled " + m.signature());
    };
  }

  /**
   * Validates every submission, charges their fee (refunding any excess by moving only the fee),
   * appends their nodes and emits one {@code Submit} each.
   */
  private List<Receipt> submit(
      ModuleCall c, Address caller, BigInteger value, List<Submission> submissions) {
    List<int[]> heights = new ArrayList<>();
    BigInteger amount = BigInteger.ZERO;
    for (int i = 0; i < submissions.size(); i++) {
      try {
        int[] h = submissions.get(i).validate();
        heights.add(h);
        amount = amount.add(BigInteger.valueOf(Submission.sectors(h)));
      } catch (ModuleRevert e) {
        throw submissions.size() == 1
            ? e
            : new ModuleRevert("submission " + i + ": " + e.getMessage());
      }
    }
    BigInteger fee = config.pricePerSector().multiply(amount);
    if (value.compareTo(fee) < 0) {
      throw new ModuleRevert(
          "not enough fee: " + fee + " wei needed, " + value + " paid",
          FlowAbi.notEnoughFee(config.pricePerSector(), amount, value));
    }
    if (fee.signum() > 0) {
      c.transfer(caller, ADDRESS, fee);
      store(c, REWARD_POOL, c.load(slot(REWARD_POOL)).toUnsignedBigInteger().add(fee));
    }
    long index = c.load(slot(NUM_SUBMISSIONS)).toUnsignedBigInteger().longValueExact();
    long length = c.load(slot(FLOW_LENGTH)).toUnsignedBigInteger().longValueExact();
    FlowAccumulator.Frontier f = frontier(c);
    List<Receipt> out = new ArrayList<>();
    for (int i = 0; i < submissions.size(); i++) {
      Submission s = submissions.get(i);
      int[] h = heights.get(i);
      long start = FlowAccumulator.startOf(length, h[0]);
      try {
        for (int k = 0; k < h.length; k++) {
          length = FlowAccumulator.append(f, length, s.nodes().get(k).root(), h[k]);
        }
      } catch (IllegalArgumentException e) {
        throw new ModuleRevert("flow is full: " + e.getMessage());
      }
      Receipt r = new Receipt(index, s.identity(), start, Submission.sectors(h));
      c.log(
          List.of(FlowAbi.SUBMIT_TOPIC, Bytes32.leftPad(caller.bytes()), r.identity()),
          FlowAbi.encodeSubmitEventData(r.index(), r.startPos(), r.sectors(), s));
      out.add(r);
      index++;
    }
    c.store(slot(NUM_SUBMISSIONS), u(index));
    c.store(slot(FLOW_LENGTH), u(length));
    return out;
  }

  /**
   * At every multiple of {@code epochBlocks}, starts the next epoch's mining context: this block's
   * number and hash, and the flow's root and length after it.
   */
  @Override
  public List<ValidatorUpdate> endBlock(ModuleCall c, EndBlock block) {
    if (block.height() > 0 && block.height() % config.epochBlocks() == 0) {
      c.store(slot(CTX_EPOCH), u(block.height() / config.epochBlocks()));
      c.store(slot(CTX_MINE_START), u(block.height()));
      c.store(slot(CTX_FLOW_ROOT), root(c));
      c.store(slot(CTX_FLOW_LENGTH), c.load(slot(FLOW_LENGTH)));
      c.store(slot(CTX_BLOCK_DIGEST), block.hash());
    }
    return List.of();
  }

  /** The current root of the whole flow. */
  public static Bytes32 root(ModuleCall c) {
    return FlowAccumulator.root(
        frontier(c), c.load(slot(FLOW_LENGTH)).toUnsignedBigInteger().longValueExact());
  }

  /** The current epoch's mining context (also read by the mining module, from its own call). */
  public static Context context(ModuleCall c) {
    return new Context(
        c.loadOf(ADDRESS, slot(CTX_EPOCH)).toUnsignedBigInteger().longValueExact(),
        c.loadOf(ADDRESS, slot(CTX_MINE_START)).toUnsignedBigInteger().longValueExact(),
        c.loadOf(ADDRESS, slot(CTX_FLOW_ROOT)),
        c.loadOf(ADDRESS, slot(CTX_FLOW_LENGTH)).toUnsignedBigInteger().longValueExact(),
        c.loadOf(ADDRESS, slot(CTX_BLOCK_DIGEST)));
  }

  /** The storage reward pool in wei: the fees paid since the mining module last swept it. */
  public static BigInteger rewardPool(ModuleCall c) {
    return c.loadOf(ADDRESS, slot(REWARD_POOL)).toUnsignedBigInteger();
  }

  /** The flow's current length in sectors. */
  public static long flowLength(ModuleCall c) {
    return c.loadOf(ADDRESS, slot(FLOW_LENGTH)).toUnsignedBigInteger().longValueExact();
  }

  /**
   * Empties the reward pool into {@code c.self()} (the mining module's sweep, specs/pora.md section
   * 10) and returns the amount moved.
   */
  public static BigInteger takeRewardPool(ModuleCall c) {
    BigInteger pool = rewardPool(c);
    if (pool.signum() > 0) {
      c.transfer(ADDRESS, c.self(), pool);
      c.storeOf(ADDRESS, slot(REWARD_POOL), Bytes32.ZERO);
    }
    return pool;
  }

  private static FlowAccumulator.Frontier frontier(ModuleCall c) {
    return new FlowAccumulator.Frontier() {
      @Override
      public Bytes32 get(int level) {
        return c.load(slot(FRONTIER + level));
      }

      @Override
      public void set(int level, Bytes32 value) {
        c.store(slot(FRONTIER + level), value);
      }
    };
  }

  static Bytes32 slot(int n) {
    return Bytes32.leftPad(Bytes.ofUnsignedInt(n));
  }

  private static void store(ModuleCall c, int n, BigInteger v) {
    c.store(slot(n), FlowAbi.uint(v));
  }

  private static Bytes32 u(long v) {
    return FlowAbi.uint(BigInteger.valueOf(v));
  }
}
