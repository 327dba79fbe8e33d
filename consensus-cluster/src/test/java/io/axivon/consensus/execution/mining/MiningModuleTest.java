package io.axivon.consensus.execution.mining;

import static io.axivon.consensus.execution.mining.MiningHarness.ALICE;
import static io.axivon.consensus.execution.mining.MiningHarness.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.crypto.Hashes;
import io.axivon.consensus.execution.flow.FlowModule;
import io.axivon.consensus.execution.system.Abi;
import io.axivon.consensus.execution.system.MapState;
import io.axivon.consensus.execution.system.ModuleCall;
import io.axivon.consensus.execution.system.ModuleResult;
import io.axivon.sdk.mining.Answer;
import io.axivon.sdk.mining.AnswerCodec;
import io.axivon.sdk.mining.Pora;
import java.math.BigInteger;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.apache.tuweni.bytes.MutableBytes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MiningModuleTest {
  static final BigInteger EASY = BigInteger.ONE.shiftLeft(256 - 6); // one step in 64
  static final long PPM = 100_000; // 10 % per epoch

  MiningHarness h;
  Bytes32 bobId;
  MiningHarness.Miner miner;

  @BeforeEach
  void setUp() {
    h = new MiningHarness(new MiningConfig(EASY, 1, PPM));
    h.upload(64 * 1024); // 256 sectors at 0
    h.upload(1000); // 4 sectors at 256: flow length 260
    h.nextEpoch(); // epoch 1: its context covers both files
    bobId = h.register(BOB, Bytes32.fromHexString("0x5a17"));
    miner = h.new Miner(bobId, h.context().digest());
  }

  ModuleResult submit(Answer a) {
    return h.call(BOB, AnswerCodec.encodeCall(a));
  }

  String refusal(Answer a) {
    ModuleResult r = submit(a);
    assertThat(r.success()).isFalse();
    assertThat(r.status()).isEqualTo(ModuleResult.Status.REVERTED);
    return MiningHarness.reason(r);
  }

  @Test
  void selectorsAndTopicsAreTheSpecs() {
    assertThat(Abi.selector(MiningModule.REGISTER_MINER).toHexString()).isEqualTo("0x57278e76");
    assertThat(Abi.selector(MiningModule.SUBMIT_ANSWER)).isEqualTo(AnswerCodec.SELECTOR);
    assertThat(AnswerCodec.SELECTOR.toHexString()).isEqualTo("0xbc275b12");
    assertThat(Abi.selector(MiningModule.MINER_OF).toHexString()).isEqualTo("0xbc5f11a5");
    assertThat(Abi.selector(MiningModule.TARGET).toHexString()).isEqualTo("0xd4b83992");
    assertThat(Abi.selector(MiningModule.ANSWERS).toHexString()).isEqualTo("0xe1145e4b");
    assertThat(Abi.selector(MiningModule.REWARDED).toHexString()).isEqualTo("0x4f8acb48");
    assertThat(Abi.selector(MiningModule.PRICING_CHUNK).toHexString()).isEqualTo("0x9d096a30");
    assertThat(Abi.selector(MiningModule.TOTALS).toHexString()).isEqualTo("0xc038a38e");
    assertThat(Abi.selector(MiningModule.MINER_STATS).toHexString()).isEqualTo("0xe080c796");
    assertThat(MiningModule.MINER_REGISTERED.toHexString()).startsWith("0xf449a7d1");
    assertThat(MiningModule.ANSWER_ACCEPTED.toHexString()).startsWith("0xf8062282");
    assertThat(MiningModule.DIFFICULTY_ADJUSTED.toHexString()).startsWith("0x693ece4e");
    assertThat(MiningModule.ADDRESS.toString()).endsWith("1003");
  }

  @Test
  void valueAndUnknownSelectorsAreRefused() {
    ModuleResult paid =
        h.modules.invoke(
            h.state,
            BOB,
            MiningModule.ADDRESS,
            BigInteger.ONE,
            Abi.call(MiningModule.TARGET, List.of()),
            1_000_000,
            false,
            h.height + 1);
    assertThat(MiningHarness.reason(paid)).isEqualTo("function is not payable");
    assertThat(MiningHarness.reason(h.call(BOB, Bytes.fromHexString("0x01020304"))))
        .isEqualTo("unknown function selector 0x01020304");
  }

  @Test
  void theFlowRootIsTheRootOfTheUnitTree() {
    FlowModule.Context ctx = h.context();
    assertThat(ctx.epoch()).isEqualTo(1);
    assertThat(ctx.flowLength()).isEqualTo(260);
    assertThat(miner.units.root()).isEqualTo(ctx.flowRoot());
  }

  @Test
  void aValidAnswerIsPaidFromTheReleasedFees() {
    Answer a = miner.answer(h.target(), 0);
    BigInteger before = h.state.balance(BOB);
    ModuleResult r = submit(a);
    assertThat(r.success()).as(() -> MiningHarness.reason(r)).isTrue();
    BigInteger reward = r.returnData().toUnsignedBigInteger();
    // all fees sit in chunk 0, deposited in epoch 0 and settled in epoch 1: 10 % released
    BigInteger fees = h.feesPaid;
    assertThat(reward).isEqualTo(fees.subtract(ChunkRewards.remaining(fees, 1, PPM))).isPositive();
    assertThat(h.state.balance(BOB)).isEqualTo(before.add(reward));
    assertThat(r.logs()).hasSize(1);
    assertThat(r.logs().getFirst().topics())
        .containsExactly(
            MiningModule.ANSWER_ACCEPTED, bobId, Bytes32.leftPad(Bytes.ofUnsignedLong(1)));
    Bytes answers = h.view(Abi.call(MiningModule.ANSWERS, List.of()));
    assertThat(answers.slice(0, 32).toLong()).isEqualTo(1);
    assertThat(answers.slice(32).toUnsignedBigInteger()).isEqualTo(BigInteger.ONE);
    Bytes rewarded =
        h.view(
            Abi.call(
                MiningModule.REWARDED,
                List.of(MiningHarness.b32(a.contextDigest()), MiningHarness.b32(bobId))));
    assertThat(rewarded.toUnsignedBigInteger()).isEqualTo(BigInteger.ONE);
    assertThat(r.gasUsed()).isLessThan(300_000);
  }

  @Test
  void aReplayOrASecondAnswerInTheSameContextIsRefused() {
    Answer a = miner.answer(EASY, 0);
    assertThat(submit(a).success()).isTrue();
    String expected =
        "replay: miner " + bobId + " was already rewarded for context " + a.contextDigest();
    assertThat(refusal(a)).isEqualTo(expected);
    long next = a.nonce().slice(24).toLong() + 1;
    assertThat(refusal(miner.answer(EASY, next))).isEqualTo(expected);
  }

  @Test
  void anUnregisteredMinerIsRefused() {
    Bytes32 stranger = Bytes32.fromHexString("0x0bad");
    MiningHarness.Miner m = h.new Miner(stranger, miner.sealContext);
    assertThat(refusal(m.answer(EASY, 0)))
        .isEqualTo("unregistered miner: miner " + stranger + " is not registered");
  }

  @Test
  void aStaleContextIsRefused() {
    Answer a = miner.answer(EASY, 0);
    h.nextEpoch();
    assertThat(refusal(a))
        .isEqualTo(
            "stale context: answer is for "
                + a.contextDigest()
                + ", the current context is "
                + h.context().digest());
  }

  @Test
  void aWrongProofOrSealIsRefused() {
    Answer a = miner.answer(EASY, 0);
    List<Bytes32> proof = new java.util.ArrayList<>(a.proof());
    proof.set(2, Bytes32.wrap(proof.get(2).not()));
    assertThat(refusal(withProof(a, proof)))
        .isEqualTo("wrong proof: proof does not lead to the context's flow root");
    assertThat(refusal(withProof(a, proof.subList(0, 4))))
        .isEqualTo("wrong proof: proof has 4 siblings, the flow tree needs 5");
    MutableBytes sealed = a.sealedData().mutableCopy();
    sealed.set(100, (byte) (sealed.get(100) ^ 1));
    assertThat(refusal(withSealed(a, sealed)))
        .isEqualTo("wrong seal: sealed data does not unseal to the proven unit");
  }

  @Test
  void unsealedDataIsAWrongSeal() {
    Answer a = miner.answer(EASY, 0);
    int u = (int) (a.recallPosition() / Pora.UNIT_SECTORS);
    Bytes plain = Bytes.wrap(h.flowData, u * Pora.UNIT_BYTES, Pora.UNIT_BYTES);
    assertThat(refusal(withSealed(a, plain))).startsWith("wrong seal: ");
  }

  @Test
  void aQualityAboveTheTargetIsRefused() {
    // a nonce whose quality misses the (easy) target
    Answer a = null;
    for (long n = 0; a == null; n++) {
      Answer hit = miner.answer(EASY, n);
      long found = hit.nonce().slice(24).toLong();
      if (found != n) { // nonce n missed: use it with its own recall position
        Bytes32 nonce = Bytes32.leftPad(Bytes.ofUnsignedLong(n));
        long recall =
            new Pora()
                .recallPosition(
                    bobId.toArrayUnsafe(),
                    nonce.toArrayUnsafe(),
                    hit.contextDigest().toArrayUnsafe(),
                    0,
                    hit.rangeLength());
        a = miner.answerFor(nonce, recall, hit.rangeLength());
      }
    }
    assertThat(refusal(a)).startsWith("quality above target: quality 0x");
  }

  @Test
  void aWrongRecallPositionOrUnknownSealContextIsRefused() {
    Answer a = miner.answer(EASY, 0);
    long other = (a.recallPosition() + 16) % 256;
    Answer moved = miner.answerFor(a.nonce(), other, a.rangeLength());
    assertThat(refusal(moved)).startsWith("wrong recall position: nonce gives ");
    MiningHarness.Miner unsealed = h.new Miner(bobId, Bytes32.fromHexString("0x01"));
    assertThat(refusal(unsealed.answer(EASY, 0)))
        .isEqualTo(
            "bad seal context: seal context " + Bytes32.fromHexString("0x01") + " is unknown");
  }

  @Test
  void aMalformedAnswerChargesOnlyTheCallAndChangesNothing() {
    MapState before = h.state.copy();
    Bytes call = AnswerCodec.encodeCall(miner.answer(EASY, 0));
    ModuleResult r = h.call(BOB, call.slice(0, call.size() - 1));
    assertThat(r.status()).isEqualTo(ModuleResult.Status.REVERTED);
    assertThat(MiningHarness.reason(r))
        .isEqualTo("malformed answer: call data is 4675 bytes, expected 4676 for 5 proof nodes");
    assertThat(r.gasUsed()).isEqualTo(ModuleCall.CALL_GAS);
    assertThat(h.state).isEqualTo(before);
  }

  @Test
  void registrationBindsTheIdToTheAccountOnce() {
    Bytes32 salt = Bytes32.fromHexString("0x5a17");
    assertThat(bobId)
        .isEqualTo(Hashes.keccak256(Bytes.concatenate(Bytes32.leftPad(BOB.bytes()), salt)));
    Bytes owner = h.view(Abi.call(MiningModule.MINER_OF, List.of(MiningHarness.b32(bobId))));
    assertThat(owner).isEqualTo(Bytes32.leftPad(BOB.bytes()));
    ModuleResult again =
        h.call(BOB, Abi.call(MiningModule.REGISTER_MINER, List.of(MiningHarness.b32(salt))));
    assertThat(MiningHarness.reason(again)).isEqualTo("miner " + bobId + " is already registered");
    // the same salt from another account is another id
    assertThat(h.register(ALICE, salt)).isNotEqualTo(bobId);
  }

  @Test
  void theTargetGrowsWhileNobodyAnswersAndShrinksWhenTooManyDo() {
    assertThat(h.target()).isEqualTo(EASY.shiftLeft(2)); // epoch 0 had no answers
    h.nextEpoch(); // nor had epoch 1
    assertThat(h.target()).isEqualTo(EASY.shiftLeft(4));
    // three miners answer in one epoch, one is wanted: the target falls to a third
    BigInteger t = h.target();
    for (int i = 0; i < 3; i++) {
      Bytes32 id = h.register(BOB, Bytes32.leftPad(Bytes.ofUnsignedInt(100 + i)));
      MiningHarness.Miner m = h.new Miner(id, h.context().digest());
      ModuleResult r = submit(m.answer(t, 0));
      assertThat(r.success()).as(() -> MiningHarness.reason(r)).isTrue();
    }
    h.nextEpoch();
    assertThat(h.target()).isEqualTo(t.divide(BigInteger.valueOf(3)));
  }

  static Answer withProof(Answer a, List<Bytes32> proof) {
    return new Answer(
        a.contextDigest(),
        a.minerId(),
        a.nonce(),
        a.rangeStart(),
        a.rangeLength(),
        a.recallPosition(),
        a.sealContextDigest(),
        a.unitRoot(),
        a.sealedData(),
        proof);
  }

  static Answer withSealed(Answer a, Bytes sealed) {
    return new Answer(
        a.contextDigest(),
        a.minerId(),
        a.nonce(),
        a.rangeStart(),
        a.rangeLength(),
        a.recallPosition(),
        a.sealContextDigest(),
        a.unitRoot(),
        sealed,
        a.proof());
  }
}
