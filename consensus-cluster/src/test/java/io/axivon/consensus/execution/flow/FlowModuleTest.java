package io.axivon.consensus.execution.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.crypto.Hashes;
import io.axivon.consensus.execution.evm.Log;
import io.axivon.consensus.execution.system.Abi;
import io.axivon.consensus.execution.system.EndBlock;
import io.axivon.consensus.execution.system.MapState;
import io.axivon.consensus.execution.system.ModuleCall;
import io.axivon.consensus.execution.system.ModuleResult;
import io.axivon.consensus.execution.system.SystemModules;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;

/** The flow module through {@link SystemModules#invoke}, over an in-memory state. */
class FlowModuleTest {
  static final BigInteger PRICE = BigInteger.valueOf(1_000);
  static final io.axivon.common.crypto.secp256k1.Address ALICE =
      io.axivon.common.crypto.secp256k1.Address.fromHex(
          "0x00000000000000000000000000000000000000a1");
  static final BigInteger RICH = BigInteger.TEN.pow(24);

  MapState state;
  FlowModule module;
  SystemModules modules;
  int seed;

  @BeforeEach
  void setUp() {
    state = new MapState();
    state.addBalance(ALICE, RICH);
    module = new FlowModule(new FlowConfig(PRICE, 4));
    modules = SystemModules.of(module);
    ModuleCall g = ModuleCall.hook(state, FlowModule.ADDRESS, 0);
    module.genesis(g);
    g.flush();
  }

  /** A valid submission for a file of {@code size} bytes, with made-up node roots. */
  Submission file(long size, Bytes tags) {
    long n = (size + 255) / 256;
    long padded = Submission.paddedSectors(n);
    List<Submission.Node> nodes = new ArrayList<>();
    for (int h = 63; h >= 0; h--) {
      if ((padded >>> h & 1) != 0) {
        nodes.add(new Submission.Node(root(), BigInteger.valueOf(h)));
      }
    }
    return new Submission(BigInteger.valueOf(size), tags, nodes);
  }

  Submission file(long size) {
    return file(size, Bytes.EMPTY);
  }

  Bytes32 root() {
    return Hashes.keccak256(Bytes.ofUnsignedInt(++seed));
  }

  static BigInteger fee(Submission s) {
    BigInteger sectors = BigInteger.ZERO;
    for (Submission.Node n : s.nodes()) {
      sectors = sectors.add(BigInteger.ONE.shiftLeft(n.height().intValueExact()));
    }
    return PRICE.multiply(sectors);
  }

  ModuleResult invoke(BigInteger value, Bytes input) {
    return modules.invoke(state, ALICE, FlowModule.ADDRESS, value, input, 10_000_000, false, 7);
  }

  ModuleResult view(String sig) {
    return modules.invoke(
        state, ALICE, FlowModule.ADDRESS, BigInteger.ZERO, Abi.selector(sig), 10_000_000, true, 7);
  }

  BigInteger uintView(String sig) {
    ModuleResult r = view(sig);
    assertThat(r.success()).as(sig).isTrue();
    return r.returnData().toUnsignedBigInteger();
  }

  ModuleResult submit(Submission s) {
    ModuleResult r = invoke(fee(s), FlowAbi.submitCall(s));
    assertThat(r.success()).as(() -> revertReason(r)).isTrue();
    return r;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static List<Type> decode(Bytes data, TypeReference<?>... types) {
    return FunctionReturnDecoder.decode(data.toUnprefixedHexString(), (List) List.of(types));
  }

  static String revertReason(ModuleResult r) {
    if (!r.returnData().slice(0, 4).equals(Abi.ERROR_SELECTOR)) {
      return r.status() + " " + r.returnData();
    }
    return (String)
        decode(r.returnData().slice(4), new TypeReference<Utf8String>() {}).get(0).getValue();
  }

  static BigInteger word(Bytes data, int i) {
    return data.slice(32 * i, 32).toUnsignedBigInteger();
  }

  /**
   * Decodes Submit's data with web3j for the head and the tuple's scalar fields, and the node array
   * by offset arithmetic (web3j 5 has no tuple types).
   */
  static Submission decodeEventSubmission(Bytes data) {
    List<Type> head =
        decode(
            data,
            new TypeReference<Uint256>() {},
            new TypeReference<Uint256>() {},
            new TypeReference<Uint256>() {},
            new TypeReference<Uint256>() {});
    int tuple = ((BigInteger) head.get(3).getValue()).intValueExact();
    Bytes t = data.slice(tuple);
    // (uint256, bytes, <offset>) decodes the tuple's head and tags with web3j
    List<Type> inner =
        decode(
            t,
            new TypeReference<Uint256>() {},
            new TypeReference<DynamicBytes>() {},
            new TypeReference<Uint256>() {});
    int nodesAt = ((BigInteger) inner.get(2).getValue()).intValueExact();
    int k = word(t, nodesAt / 32).intValueExact();
    List<Submission.Node> nodes = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      int at = nodesAt + 32 + 64 * i;
      nodes.add(
          new Submission.Node(
              Bytes32.wrap(t.slice(at, 32)), t.slice(at + 32, 32).toUnsignedBigInteger()));
    }
    return new Submission(
        (BigInteger) inner.get(0).getValue(), Bytes.wrap((byte[]) inner.get(1).getValue()), nodes);
  }

  @Test
  void selectorsAndTopicAreZeroGs() {
    assertThat(Abi.selector(FlowAbi.SUBMIT).toHexString()).isEqualTo("0xef3e12dc");
    assertThat(Abi.selector(FlowAbi.BATCH_SUBMIT).toHexString()).isEqualTo("0x9e62a38e");
    assertThat(Abi.selector(FlowAbi.MARKET).toHexString()).isEqualTo("0x80f55605");
    assertThat(Abi.selector(FlowAbi.PRICE_PER_SECTOR).toHexString()).isEqualTo("0x61ec5082");
    assertThat(FlowAbi.SUBMIT_TOPIC)
        .isEqualTo(
            Hashes.keccak256(
                Bytes.wrap(
                    ("Submit(address,bytes32,uint256,uint256,uint256,"
                            + "(uint256,bytes,(bytes32,uint256)[]))")
                        .getBytes(StandardCharsets.US_ASCII))));
    assertThat(FlowAbi.SUBMIT_TOPIC.toHexString())
        .isEqualTo("0x167ce04d2aa1981994d3a31695da0d785373335b1078cec239a1a3a2c7675555");
  }

  @Test
  void submissionEncodingIsTheCanonicalAbiLayout() {
    Bytes32 r = Bytes32.fromHexString("0x" + "11".repeat(32));
    Submission s =
        new Submission(
            BigInteger.valueOf(300),
            Bytes.fromHexString("0xabcd"),
            List.of(new Submission.Node(r, BigInteger.ONE)));
    String w = "%064x";
    String expected =
        String.format(w, 0x20) // offset of the tuple
            + String.format(w, 300) // length
            + String.format(w, 0x60) // offset of tags within the tuple
            + String.format(w, 0xa0) // offset of nodes: 3 head words + tags (len + 1 word)
            + String.format(w, 2)
            + "abcd"
            + "00".repeat(30)
            + String.format(w, 1)
            + "11".repeat(32)
            + String.format(w, 1);
    assertThat(FlowAbi.encodeSubmitArgs(s).toUnprefixedHexString()).isEqualTo(expected);
    assertThat(FlowAbi.decodeSubmitArgs(FlowAbi.encodeSubmitArgs(s))).isEqualTo(s);
  }

  @Test
  void submitChargesAppendsAndEmitsSubmit() {
    Submission s = file(700, Bytes.fromHexString("0x0102")); // 3 sectors: heights 1, 0
    assertThat(s.nodes()).hasSize(2);
    ModuleResult r = submit(s);
    Bytes32 identity =
        Hashes.keccak256(Bytes.concatenate(s.nodes().get(0).root(), s.nodes().get(1).root()));
    // returns (index, identity, startPos, length)
    assertThat(word(r.returnData(), 0)).isZero();
    assertThat(r.returnData().slice(32, 32)).isEqualTo(identity);
    assertThat(word(r.returnData(), 2)).isZero();
    assertThat(word(r.returnData(), 3)).isEqualTo(3);

    assertThat(r.logs()).hasSize(1);
    Log log = r.logs().getFirst();
    assertThat(log.address()).isEqualTo(FlowModule.ADDRESS);
    assertThat(log.topics())
        .containsExactly(FlowAbi.SUBMIT_TOPIC, Bytes32.leftPad(ALICE.bytes()), identity);
    List<Type> head =
        decode(
            log.data(),
            new TypeReference<Uint256>() {},
            new TypeReference<Uint256>() {},
            new TypeReference<Uint256>() {});
    assertThat(head)
        .extracting(Type::getValue)
        .containsExactly(BigInteger.ZERO, BigInteger.ZERO, BigInteger.valueOf(3));
    assertThat(decodeEventSubmission(log.data())).isEqualTo(s);

    assertThat(uintView(FlowAbi.NUM_SUBMISSIONS)).isEqualTo(1);
    assertThat(uintView(FlowAbi.FLOW_LENGTH)).isEqualTo(3);
    assertThat(uintView(FlowAbi.REWARD_POOL)).isEqualTo(PRICE.multiply(BigInteger.valueOf(3)));
    assertThat(state.balance(FlowModule.ADDRESS)).isEqualTo(PRICE.multiply(BigInteger.valueOf(3)));
  }

  @Test
  void indexesIncrementAndNodesLandAligned() {
    long[][] cases = {
      // size in bytes, expected startPos, expected flow length after
      {700, 0, 3}, // heights 1, 0
      {1, 3, 4}, // height 0 fits right after
      {4097, 16, 34}, // 18 sectors: heights 4, 1; padded from 4 to 16
      {256 * 5, 36, 41}, // 5 sectors: heights 2, 0; aligned to 4 after 34
    };
    FlowAccumulator.MemoryFrontier mirror = new FlowAccumulator.MemoryFrontier();
    long mirrorLength = 0;
    for (int i = 0; i < cases.length; i++) {
      Submission s = file(cases[i][0]);
      ModuleResult r = submit(s);
      assertThat(word(r.returnData(), 0)).as("index").isEqualTo(i);
      assertThat(word(r.returnData(), 2)).as("startPos of " + i).isEqualTo(cases[i][1]);
      assertThat(uintView(FlowAbi.FLOW_LENGTH)).isEqualTo(cases[i][2]);
      List<Type> head = decode(r.logs().getFirst().data(), new TypeReference<Uint256>() {});
      assertThat(head.getFirst().getValue()).isEqualTo(BigInteger.valueOf(i));
      for (Submission.Node n : s.nodes()) {
        mirrorLength =
            FlowAccumulator.append(mirror, mirrorLength, n.root(), n.height().intValueExact());
      }
    }
    assertThat(uintView(FlowAbi.NUM_SUBMISSIONS)).isEqualTo(4);
    assertThat(view(FlowAbi.ROOT).returnData())
        .isEqualTo(FlowAccumulator.root(mirror, mirrorLength));
  }

  @Test
  void tooLittleFeeRevertsWithNotEnoughFee() {
    Submission s = file(4097); // 18 sectors
    MapState before = state.copy();
    BigInteger paid = fee(s).subtract(BigInteger.ONE);
    ModuleResult r = invoke(paid, FlowAbi.submitCall(s));
    assertThat(r.status()).isEqualTo(ModuleResult.Status.REVERTED);
    assertThat(r.returnData().slice(0, 4))
        .isEqualTo(Abi.selector("NotEnoughFee(uint256,uint256,uint256)"));
    List<Type> args =
        decode(
            r.returnData().slice(4),
            new TypeReference<Uint256>() {},
            new TypeReference<Uint256>() {},
            new TypeReference<Uint256>() {});
    assertThat(args)
        .extracting(Type::getValue)
        .containsExactly(PRICE, BigInteger.valueOf(18), paid);
    assertThat(state).isEqualTo(before);
  }

  @Test
  void excessValueIsRefunded() {
    Submission s = file(256);
    ModuleResult r = invoke(fee(s).add(BigInteger.TEN.pow(18)), FlowAbi.submitCall(s));
    assertThat(r.success()).isTrue();
    assertThat(state.balance(ALICE)).isEqualTo(RICH.subtract(PRICE));
    assertThat(state.balance(FlowModule.ADDRESS)).isEqualTo(PRICE);
    assertThat(uintView(FlowAbi.REWARD_POOL)).isEqualTo(PRICE);
  }

  Submission raw(long length, Bytes tags, long... heights) {
    List<Submission.Node> nodes = new ArrayList<>();
    for (long h : heights) {
      nodes.add(new Submission.Node(root(), BigInteger.valueOf(h)));
    }
    return new Submission(BigInteger.valueOf(length), tags, nodes);
  }

  String rejected(Submission s) {
    MapState before = state.copy();
    ModuleResult r = invoke(RICH.divide(BigInteger.TWO), FlowAbi.submitCall(s));
    assertThat(r.status()).isEqualTo(ModuleResult.Status.REVERTED);
    assertThat(state).isEqualTo(before);
    return revertReason(r);
  }

  @Test
  void badSubmissionsRevertWithTheirReason() {
    assertThat(rejected(raw(100, Bytes.EMPTY))).isEqualTo("submission has no nodes");
    assertThat(rejected(raw(0, Bytes.EMPTY, 0))).isEqualTo("submission length is zero");
    assertThat(rejected(raw(700, Bytes.EMPTY, 0, 1)))
        .isEqualTo("node heights must strictly decrease: node 1 has height 1 after 0");
    assertThat(rejected(raw(700, Bytes.EMPTY, 1, 1)))
        .isEqualTo("node heights must strictly decrease: node 1 has height 1 after 1");
    assertThat(rejected(raw(700, Bytes.EMPTY, 2)))
        .isEqualTo("submission length 700 pads to 3 sectors, nodes cover 4");
    assertThat(rejected(raw(1025, Bytes.EMPTY, 2)))
        .isEqualTo("submission length 1025 needs 5 sectors, nodes cover 4");
    assertThat(rejected(raw(4097, Bytes.EMPTY, 5)))
        .isEqualTo("submission length 4097 pads to 18 sectors, nodes cover 32");
    assertThat(rejected(raw(1, Bytes.EMPTY, 62))).isEqualTo("node 0 height 62 is not below 62");
    assertThat(rejected(raw(1, Bytes.wrap(new byte[Submission.MAX_TAGS + 1]), 0)))
        .isEqualTo("submission tags are 4097 bytes, at most 4096");
    // uint256 extremes revert with a reason, never an arithmetic error
    BigInteger huge = BigInteger.ONE.shiftLeft(255);
    assertThat(
            rejected(
                new Submission(
                    huge, Bytes.EMPTY, List.of(new Submission.Node(root(), BigInteger.TEN)))))
        .isEqualTo(
            "submission length "
                + huge
                + " needs "
                + huge.shiftRight(8)
                + " sectors, nodes cover 1024");
    assertThat(
            rejected(
                new Submission(
                    BigInteger.ONE, Bytes.EMPTY, List.of(new Submission.Node(root(), huge)))))
        .isEqualTo("node 0 height " + huge + " is not below 62");
    // the limit itself is fine
    assertThat(invoke(PRICE, FlowAbi.submitCall(raw(1, Bytes.wrap(new byte[4096]), 0))).success())
        .isTrue();
  }

  @Test
  void malformedCallsRevert() {
    Bytes good = FlowAbi.submitCall(file(300));
    assertThat(revertReason(invoke(PRICE.shiftLeft(4), good.slice(0, good.size() - 1))))
        .isEqualTo("malformed call data");
    assertThat(revertReason(invoke(PRICE.shiftLeft(4), Bytes.concatenate(good, Bytes.of(0)))))
        .isEqualTo("malformed call data");
    // a huge array length must not allocate: it is bounded by the data
    Bytes hugeCount =
        Bytes.concatenate(
            Abi.selector(FlowAbi.BATCH_SUBMIT),
            FlowAbi.uint(BigInteger.valueOf(32)),
            FlowAbi.uint(BigInteger.ONE.shiftLeft(200)));
    assertThat(revertReason(invoke(BigInteger.ZERO, hugeCount))).isEqualTo("malformed call data");
    assertThat(revertReason(invoke(BigInteger.ONE, Abi.selector(FlowAbi.MARKET))))
        .isEqualTo("function is not payable");
    assertThat(revertReason(invoke(BigInteger.ZERO, Bytes.fromHexString("0x12345678"))))
        .isEqualTo("unknown function selector 0x12345678");
  }

  @Test
  void theSubmitterFormOfTheLater0gSdkSubmitsTheSameWay() {
    // 0G's TypeScript SDK 1.x wraps the submission with a submitter address
    assertThat(Abi.selector(FlowAbi.SUBMIT_WITH_SUBMITTER).toHexString()).isEqualTo("0xbc8c11f8");
    assertThat(Abi.selector(FlowAbi.BATCH_SUBMIT_WITH_SUBMITTER).toHexString())
        .isEqualTo("0x49aa3395");
    io.axivon.common.crypto.secp256k1.Address other =
        io.axivon.common.crypto.secp256k1.Address.fromHex(
            "0x00000000000000000000000000000000000000b2");
    Submission s = file(700, Bytes.fromHexString("0x0102"));
    FlowAbi.Submitted wrapped = new FlowAbi.Submitted(s, other);
    Bytes args = FlowAbi.encodeSubmitWithSubmitterArgs(wrapped);
    // offset 0x20, then the outer tuple: offset of the submission (0x40), the address, it
    assertThat(word(args, 0)).isEqualTo(32);
    assertThat(word(args, 1)).isEqualTo(64);
    assertThat(args.slice(64, 32)).isEqualTo(Bytes32.leftPad(other.bytes()));
    assertThat(args.slice(96)).isEqualTo(FlowAbi.encode(s));
    assertThat(FlowAbi.decodeSubmitWithSubmitterArgs(args)).isEqualTo(wrapped);

    ModuleResult r = invoke(fee(s), FlowAbi.submitWithSubmitterCall(wrapped));
    assertThat(r.success()).as(() -> revertReason(r)).isTrue();
    assertThat(word(r.returnData(), 0)).isZero();
    assertThat(word(r.returnData(), 3)).isEqualTo(3);
    Log log = r.logs().getFirst();
    // the event's sender is the caller, never the named submitter: no one submits as another
    assertThat(log.topics())
        .containsExactly(FlowAbi.SUBMIT_TOPIC, Bytes32.leftPad(ALICE.bytes()), s.identity());
    assertThat(decodeEventSubmission(log.data())).isEqualTo(s);

    List<FlowAbi.Submitted> batch =
        List.of(new FlowAbi.Submitted(file(1), ALICE), new FlowAbi.Submitted(file(4097), other));
    BigInteger total = fee(batch.get(0).submission()).add(fee(batch.get(1).submission()));
    ModuleResult b = invoke(total, FlowAbi.batchSubmitWithSubmitterCall(batch));
    assertThat(b.success()).as(() -> revertReason(b)).isTrue();
    assertThat(b.logs()).hasSize(2);
    assertThat(decodeEventSubmission(b.logs().get(1).data())).isEqualTo(batch.get(1).submission());
    assertThat(uintView(FlowAbi.NUM_SUBMISSIONS)).isEqualTo(3);
    assertThat(
            FlowAbi.decodeBatchWithSubmitterArgs(
                FlowAbi.batchSubmitWithSubmitterCall(batch).slice(4), FlowModule.MAX_BATCH))
        .isEqualTo(batch);

    // not enough fee and a dirty address word revert as for the plain form
    assertThat(
            invoke(fee(s).subtract(BigInteger.ONE), FlowAbi.submitWithSubmitterCall(wrapped))
                .success())
        .isFalse();
    Bytes dirty = FlowAbi.submitWithSubmitterCall(wrapped).mutableCopy();
    ((org.apache.tuweni.bytes.MutableBytes) dirty).set(4 + 64, (byte) 1);
    assertThat(revertReason(invoke(fee(s), dirty))).isEqualTo("malformed call data");
    Bytes good = FlowAbi.submitWithSubmitterCall(wrapped);
    assertThat(revertReason(invoke(fee(s), good.slice(0, good.size() - 1))))
        .isEqualTo("malformed call data");
  }

  @Test
  void batchSubmitAppendsEachAndChargesTheSum() {
    List<Submission> batch = List.of(file(700), file(4097), file(1));
    BigInteger total = fee(batch.get(0)).add(fee(batch.get(1))).add(fee(batch.get(2)));
    ModuleResult low = invoke(total.subtract(BigInteger.ONE), FlowAbi.batchSubmitCall(batch));
    assertThat(low.returnData())
        .isEqualTo(
            FlowAbi.notEnoughFee(
                PRICE, BigInteger.valueOf(3 + 18 + 1), total.subtract(BigInteger.ONE)));
    ModuleResult r = invoke(total, FlowAbi.batchSubmitCall(batch));
    assertThat(r.success()).as(() -> revertReason(r)).isTrue();
    assertThat(r.logs()).hasSize(3);
    List<Type> out =
        decode(
            r.returnData(),
            new TypeReference<DynamicArray<Uint256>>() {},
            new TypeReference<DynamicArray<org.web3j.abi.datatypes.generated.Bytes32>>() {},
            new TypeReference<DynamicArray<Uint256>>() {},
            new TypeReference<DynamicArray<Uint256>>() {});
    assertThat(values(out.get(0))).containsExactly(0L, 1L, 2L);
    assertThat(values(out.get(2))).containsExactly(0L, 16L, 34L);
    assertThat(values(out.get(3))).containsExactly(3L, 18L, 1L);
    for (int i = 0; i < 3; i++) {
      assertThat(decodeEventSubmission(r.logs().get(i).data())).isEqualTo(batch.get(i));
      assertThat(r.logs().get(i).topics().get(2)).isEqualTo(batch.get(i).identity());
    }
    assertThat(uintView(FlowAbi.NUM_SUBMISSIONS)).isEqualTo(3);
    // one bad submission reverts the whole batch, naming it
    List<Submission> bad = List.of(file(1), raw(0, Bytes.EMPTY, 0));
    assertThat(revertReason(invoke(total, FlowAbi.batchSubmitCall(bad))))
        .isEqualTo("submission 1: submission length is zero");
    assertThat(uintView(FlowAbi.NUM_SUBMISSIONS)).isEqualTo(3);
  }

  @SuppressWarnings("unchecked")
  static List<Long> values(Type<?> array) {
    return ((DynamicArray<Type<?>>) array)
        .getValue().stream()
            .map(t -> t.getValue() instanceof BigInteger b ? b.longValueExact() : Long.valueOf(-1))
            .toList();
  }

  @Test
  void marketIsItselfAndPriceIsConfigured() {
    List<Type> market = decode(view(FlowAbi.MARKET).returnData(), new TypeReference<Address>() {});
    assertThat(market.getFirst().toString()).isEqualToIgnoringCase(FlowModule.ADDRESS.toLowerHex());
    assertThat(uintView(FlowAbi.PRICE_PER_SECTOR)).isEqualTo(PRICE);
    assertThat(view(FlowAbi.ROOT).returnData()).isEqualTo(FlowAccumulator.zero(0));
    assertThat(uintView(FlowAbi.EPOCH)).isZero();
    assertThat(
            revertReason(
                invoke(
                    BigInteger.ZERO, Bytes.concatenate(Abi.selector(FlowAbi.ROOT), Bytes.of(1)))))
        .isEqualTo("unexpected call data after the selector");
  }

  void endBlock(long height, Bytes32 hash) {
    ModuleCall c = ModuleCall.hook(state, FlowModule.ADDRESS, height);
    module.endBlock(c, new EndBlock(height, 0, ALICE, BigInteger.ZERO, List.of(), hash));
    c.flush();
  }

  @Test
  void endBlockSnapshotsTheMiningContextEveryEpoch() {
    Bytes ctx0 = view(FlowAbi.GET_CONTEXT).returnData();
    assertThat(word(ctx0, 0)).isZero(); // epoch
    assertThat(ctx0.slice(64, 32)).isEqualTo(FlowAccumulator.zero(0)); // empty flow
    submit(file(4097));
    Bytes32 rootNow = Bytes32.wrap(view(FlowAbi.ROOT).returnData());
    for (long h = 1; h <= 3; h++) {
      endBlock(h, Bytes32.leftPad(Bytes.ofUnsignedLong(h)));
    }
    assertThat(view(FlowAbi.GET_CONTEXT).returnData()).isEqualTo(ctx0); // not yet a boundary
    Bytes32 hash4 = Hashes.keccak256(Bytes.of(4));
    endBlock(4, hash4);
    submit(file(1)); // after the snapshot: the context does not move
    Bytes ctx = view(FlowAbi.GET_CONTEXT).returnData();
    assertThat(word(ctx, 0)).isEqualTo(1);
    assertThat(word(ctx, 1)).isEqualTo(4);
    assertThat(ctx.slice(64, 32)).isEqualTo(rootNow);
    assertThat(word(ctx, 3)).isEqualTo(18);
    assertThat(ctx.slice(128, 32)).isEqualTo(hash4);
    assertThat(ctx.slice(160, 32)).isEqualTo(Hashes.keccak256(ctx.slice(0, 160)));
    assertThat(uintView(FlowAbi.EPOCH)).isEqualTo(1);
    endBlock(8, Hashes.keccak256(Bytes.of(8)));
    assertThat(uintView(FlowAbi.EPOCH)).isEqualTo(2);
    assertThat(word(view(FlowAbi.GET_CONTEXT).returnData(), 3)).isEqualTo(19);
  }

  @Test
  void sameCallsGiveTheSameState() {
    MapState a = runScript();
    MapState b = runScript();
    assertThat(a).isEqualTo(b);
  }

  MapState runScript() {
    setUp();
    seed = 0;
    submit(file(700));
    endBlock(4, Bytes32.ZERO);
    invoke(PRICE.shiftLeft(10), FlowAbi.batchSubmitCall(List.of(file(5000), file(1))));
    endBlock(8, Bytes32.ZERO);
    return state;
  }
}
