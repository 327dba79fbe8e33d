package io.axivon.consensus.execution.mining;

import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.merkle.MerkleTree;
import io.axivon.common.merkle.Subtree;
import io.axivon.consensus.execution.flow.FlowAbi;
import io.axivon.consensus.execution.flow.FlowConfig;
import io.axivon.consensus.execution.flow.FlowModule;
import io.axivon.consensus.execution.flow.Submission;
import io.axivon.consensus.execution.system.Abi;
import io.axivon.consensus.execution.system.EndBlock;
import io.axivon.consensus.execution.system.MapState;
import io.axivon.consensus.execution.system.ModuleCall;
import io.axivon.consensus.execution.system.ModuleResult;
import io.axivon.consensus.execution.system.SystemModule;
import io.axivon.consensus.execution.system.SystemModules;
import io.axivon.sdk.mining.Answer;
import io.axivon.sdk.mining.Pora;
import io.axivon.sdk.mining.PoraSearch;
import io.axivon.sdk.mining.Seal;
import io.axivon.sdk.mining.UnitTree;
import io.axivon.sdk.storage.layout.FileTree;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Utf8String;

/**
 * Chain 0's flow and mining modules over an in-memory state, with the flow's data kept here so a
 * test miner can seal, search and prove: blocks are run by calling both block hooks in module
 * order.
 */
final class MiningHarness {
  static final BigInteger PRICE = BigInteger.valueOf(1_000_000);
  static final long EPOCH_BLOCKS = 4;
  static final Address ALICE = Address.fromHex("0x00000000000000000000000000000000000000a1");
  static final Address BOB = Address.fromHex("0x00000000000000000000000000000000000000b0");
  static final BigInteger RICH = BigInteger.TEN.pow(24);

  final MapState state = new MapState();
  final FlowModule flow = new FlowModule(new FlowConfig(PRICE, EPOCH_BLOCKS));
  final MiningModule mining;
  final SystemModules modules;
  byte[] flowData = new byte[0]; // sectors of the flow, zero padding included
  long height;
  BigInteger feesPaid = BigInteger.ZERO;
  final Random random = new Random(11);

  MiningHarness(MiningConfig config) {
    mining = new MiningModule(config);
    modules = SystemModules.of(flow, mining);
    state.addBalance(ALICE, RICH);
    for (SystemModule m : modules.all()) {
      ModuleCall g = ModuleCall.hook(state, m.address(), 0);
      m.genesis(g);
      g.flush();
    }
  }

  /** Uploads a file of random bytes to the flow (its data is kept here). */
  void upload(int size) {
    byte[] data = new byte[size];
    random.nextBytes(data);
    FileTree tree = FileTree.of(data);
    List<Submission.Node> nodes = new ArrayList<>();
    long sectors = 0;
    for (Subtree s : tree.submission().nodes()) {
      nodes.add(new Submission.Node(s.root(), BigInteger.valueOf(s.height())));
      sectors += 1L << s.height();
    }
    Submission s = new Submission(BigInteger.valueOf(size), Bytes.EMPTY, nodes);
    BigInteger fee = PRICE.multiply(BigInteger.valueOf(sectors));
    ModuleResult r =
        modules.invoke(
            state,
            ALICE,
            FlowModule.ADDRESS,
            fee,
            FlowAbi.submitCall(s),
            10_000_000,
            false,
            height + 1);
    if (!r.success()) {
      throw new AssertionError(reason(r));
    }
    feesPaid = feesPaid.add(fee);
    long start = r.returnData().slice(64, 32).toLong();
    byte[] grown = new byte[(int) ((start + sectors) * Pora.SECTOR)];
    System.arraycopy(flowData, 0, grown, 0, flowData.length);
    System.arraycopy(data, 0, grown, (int) (start * Pora.SECTOR), size);
    flowData = grown;
  }

  /** Runs the block hooks of the next block (flow first, as the modules are listed). */
  void endBlock() {
    height++;
    EndBlock b =
        new EndBlock(
            height,
            0,
            ALICE,
            BigInteger.ZERO,
            List.of(),
            Hashes.keccak256(Bytes.ofUnsignedLong(height)));
    for (SystemModule m : modules.all()) {
      ModuleCall c = ModuleCall.hook(state, m.address(), height);
      m.endBlock(c, b);
      c.flush();
    }
  }

  /** Runs blocks up to and including the next epoch boundary. */
  void nextEpoch() {
    do {
      endBlock();
    } while (height % EPOCH_BLOCKS != 0);
  }

  ModuleResult call(Address from, Bytes input) {
    return modules.invoke(
        state, from, MiningModule.ADDRESS, BigInteger.ZERO, input, 10_000_000, false, height + 1);
  }

  Bytes view(Bytes input) {
    ModuleResult r =
        modules.invoke(
            state,
            ALICE,
            MiningModule.ADDRESS,
            BigInteger.ZERO,
            input,
            10_000_000,
            true,
            height + 1);
    if (!r.success()) {
      throw new AssertionError(reason(r));
    }
    return r.returnData();
  }

  Bytes32 register(Address from, Bytes32 salt) {
    ModuleResult r = call(from, Abi.call(MiningModule.REGISTER_MINER, List.of(b32(salt))));
    if (!r.success()) {
      throw new AssertionError(reason(r));
    }
    return Bytes32.wrap(r.returnData());
  }

  /** The flow's current context as the flow module reports it. */
  FlowModule.Context context() {
    ModuleCall c = new ModuleCall(state, MiningModule.ADDRESS, height, Long.MAX_VALUE, true);
    return FlowModule.context(c);
  }

  BigInteger target() {
    return view(Abi.call(MiningModule.TARGET, List.of())).toUnsignedBigInteger();
  }

  /** A miner holding the whole flow, sealed with {@code sealContext}. */
  final class Miner {
    final Bytes32 minerId;
    final Bytes32 sealContext;
    final byte[] sealed;
    final MerkleTree units;
    final FlowModule.Context ctx;

    Miner(Bytes32 minerId, Bytes32 sealContext) {
      this.minerId = minerId;
      this.sealContext = sealContext;
      this.ctx = context();
      int k = UnitTree.height(ctx.flowLength());
      byte[] tree = new byte[(int) ((1L << k) * Pora.SECTOR)];
      // the context's flow only: later appends are zero sectors in its tree
      long known = Math.min(flowData.length, ctx.flowLength() * Pora.SECTOR);
      System.arraycopy(flowData, 0, tree, 0, (int) known);
      List<Bytes32> roots = new ArrayList<>();
      for (int u = 0; u < tree.length / Pora.UNIT_BYTES; u++) {
        roots.add(UnitTree.unitRoot(tree, u * Pora.UNIT_BYTES));
      }
      units = MerkleTree.ofLeafHashes(roots);
      sealed = tree;
      Seal s = new Seal();
      for (int u = 0; u < tree.length / Pora.UNIT_BYTES; u++) {
        s.seal(
            minerId.toArrayUnsafe(), sealContext.toArrayUnsafe(), u, sealed, u * Pora.UNIT_BYTES);
      }
    }

    /** The first answer from nonce {@code first} on over the whole range, for {@code target}. */
    Answer answer(BigInteger target, long first) {
      long range = Pora.maxRange(ctx.flowLength());
      PoraSearch search = new PoraSearch(minerId, ctx.digest(), ctx.flowLength(), 0, range, target);
      Optional<PoraSearch.Hit> hit =
          search.search(
              Bytes32.ZERO,
              first,
              1 << 22,
              (u, out) -> {
                System.arraycopy(sealed, (int) u * Pora.UNIT_BYTES, out, 0, Pora.UNIT_BYTES);
                return true;
              });
      return answerFor(hit.orElseThrow().nonce(), hit.get().recallPosition(), range);
    }

    /** The first answer of a miner holding only shard {@code shardId} of {@code numShard}. */
    Answer answer(BigInteger target, long range, long shardId, long numShard) {
      PoraSearch search =
          new PoraSearch(
              minerId, ctx.digest(), ctx.flowLength(), 0, range, shardId, numShard, target);
      Optional<PoraSearch.Hit> hit =
          search.search(
              Bytes32.ZERO,
              0,
              1 << 22,
              (u, out) -> {
                if (!Pora.inShard(u * Pora.UNIT_SECTORS, shardId, numShard)) {
                  return false; // not held
                }
                System.arraycopy(sealed, (int) u * Pora.UNIT_BYTES, out, 0, Pora.UNIT_BYTES);
                return true;
              });
      return answerFor(
          hit.orElseThrow().nonce(), hit.get().recallPosition(), range, shardId, numShard);
    }

    Answer answerFor(Bytes32 nonce, long recall, long range) {
      return answerFor(nonce, recall, range, 0, 1);
    }

    Answer answerFor(Bytes32 nonce, long recall, long range, long shardId, long numShard) {
      int u = (int) (recall / Pora.UNIT_SECTORS);
      return new Answer(
          ctx.digest(),
          minerId,
          nonce,
          0,
          range,
          shardId,
          numShard,
          recall,
          sealContext,
          units.leafHash(u),
          Bytes.wrap(sealed, u * Pora.UNIT_BYTES, Pora.UNIT_BYTES).copy(),
          units.inclusionProof(u).siblings());
    }
  }

  static org.web3j.abi.datatypes.generated.Bytes32 b32(Bytes32 v) {
    return new org.web3j.abi.datatypes.generated.Bytes32(v.toArray());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static String reason(ModuleResult r) {
    if (r.returnData().size() < 4 || !r.returnData().slice(0, 4).equals(Abi.ERROR_SELECTOR)) {
      return r.status() + " " + r.returnData();
    }
    List<org.web3j.abi.datatypes.Type> v =
        FunctionReturnDecoder.decode(
            r.returnData().slice(4).toUnprefixedHexString(),
            (List) List.of(new TypeReference<Utf8String>() {}));
    return (String) v.get(0).getValue();
  }
}
