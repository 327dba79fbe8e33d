package io.axivon.consensus.execution.serving;

import static io.axivon.consensus.execution.serving.ServingHarness.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.consensus.execution.evm.Log;
import io.axivon.consensus.execution.system.MapState;
import io.axivon.consensus.execution.system.ModuleResult;
import io.axivon.sdk.compute.Bond;
import io.axivon.sdk.compute.ResponseReceipt;
import io.axivon.sdk.compute.ServingAbi;
import io.axivon.sdk.compute.SignedReceipt;
import java.math.BigInteger;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Provider bonds and the two disputes the serving module verifies (specs/compute.md 8.1). */
class ServingDisputeTest {
  static final Secp256k1PrivateKey ALICE = key(1);
  static final Secp256k1PrivateKey PROVIDER = key(100);
  static final Secp256k1PrivateKey OTHER = key(101);
  static final Address P = PROVIDER.address();
  static final BigInteger BOND = ServingModule.DISPUTE_PENALTY.multiply(BigInteger.TEN);
  static final Bytes BODY =
      Bytes.wrap("the answer".getBytes(java.nio.charset.StandardCharsets.UTF_8));
  static final Bytes32 SEP = DOMAIN.separator();

  ServingHarness h;

  @BeforeEach
  void setUp() {
    h = new ServingHarness().fund(ALICE.address()).fund(P).fund(OTHER.address());
  }

  static ResponseReceipt receipt(long nonce, long fee, Bytes body, long units) {
    return new ResponseReceipt(
        ALICE.address(),
        P,
        "svc",
        BigInteger.valueOf(nonce),
        BigInteger.valueOf(fee),
        Hashes.keccak256(Bytes.ofUnsignedLong(nonce)),
        Hashes.keccak256(body),
        BigInteger.valueOf(units));
  }

  static SignedReceipt signed(ResponseReceipt r) {
    return SignedReceipt.sign(r, SEP, PROVIDER);
  }

  ModuleResult bond(BigInteger amount) {
    return h.invoke(P, amount, ServingAbi.selector(ServingAbi.DEPOSIT_BOND));
  }

  Bond bondOf(Address provider) {
    return ServingAbi.decodeBond(
        ok(h.view(
                Bytes.concatenate(
                    ServingAbi.selector(ServingAbi.GET_BOND), ServingAbi.word(provider))))
            .returnData());
  }

  ModuleResult equivocation(SignedReceipt a, SignedReceipt b) {
    return h.invoke(ALICE.address(), ServingAbi.disputeEquivocationCall(a, b));
  }

  ModuleResult metering(SignedReceipt r, Bytes body) {
    return h.invoke(ALICE.address(), ServingAbi.disputeMeteringCall(r, body));
  }

  void assertRefused(ModuleResult r, String reason, MapState before) {
    assertThat(r.success()).isFalse();
    assertThat(reason(r)).isEqualTo(reason);
    assertThat(h.state).isEqualTo(before);
  }

  boolean disputed(long nonce) {
    return !ok(h.view(
            Bytes.concatenate(
                ServingAbi.selector(ServingAbi.IS_DISPUTED),
                ServingAbi.word(ALICE.address()),
                ServingAbi.word(P),
                ServingAbi.uint(nonce))))
        .returnData()
        .isZero();
  }

  @Test
  void bondDepositUnbondAndWithdrawAfterTheLock() {
    ModuleResult r = ok(bond(BOND));
    Log log = r.logs().getFirst();
    assertThat(log.topics().getFirst()).isEqualTo(topic(ServingAbi.BOND_DEPOSITED));
    assertThat(bondOf(P)).isEqualTo(new Bond(BOND, BigInteger.ZERO, 0));
    assertThat(h.state.balance(ServingModule.ADDRESS)).isEqualTo(BOND);

    BigInteger half = BOND.divide(BigInteger.TWO);
    ok(h.invoke(P, unbondCall(half)));
    assertThat(bondOf(P)).isEqualTo(new Bond(BOND, half, h.block + LOCK));
    MapState before = h.state.copy();
    assertRefused(
        h.invoke(P, ServingAbi.selector(ServingAbi.WITHDRAW_BOND)),
        "bond unlocks at block " + (h.block + LOCK) + ", now block " + h.block,
        before);
    assertRefused(
        h.invoke(P, unbondCall(BOND)),
        "bond of "
            + BOND
            + " wei has "
            + half
            + " wei not already unbonding, below the "
            + BOND
            + " wei asked",
        before);
    h.block += LOCK;
    BigInteger wallet = h.state.balance(P);
    ModuleResult w = ok(h.invoke(P, ServingAbi.selector(ServingAbi.WITHDRAW_BOND)));
    assertThat(w.returnData().toUnsignedBigInteger()).isEqualTo(half);
    assertThat(h.state.balance(P)).isEqualTo(wallet.add(half));
    assertThat(bondOf(P)).isEqualTo(new Bond(half, BigInteger.ZERO, 0));
    before = h.state.copy();
    assertRefused(
        h.invoke(P, ServingAbi.selector(ServingAbi.WITHDRAW_BOND)),
        "no unbonding pending for provider " + P,
        before);
    assertRefused(bond(BigInteger.ZERO), "bond deposit of zero wei", before);
    assertRefused(h.invoke(P, unbondCall(BigInteger.ZERO)), "unbond of zero wei", before);
  }

  static Bytes unbondCall(BigInteger amount) {
    return Bytes.concatenate(
        ServingAbi.selector(ServingAbi.REQUEST_UNBOND), ServingAbi.uint(amount));
  }

  @Test
  void twoReceiptsForOneRequestPayTheUserFromTheBondOnce() {
    ok(bond(BOND));
    SignedReceipt a = signed(receipt(7, 500, BODY, BODY.size()));
    SignedReceipt b = signed(receipt(7, 500, Bytes.of(1), 1));
    BigInteger ledger = h.ledger(ALICE.address());
    ModuleResult r = ok(equivocation(a, b));
    BigInteger paid = BigInteger.valueOf(500).add(ServingModule.DISPUTE_PENALTY);
    assertThat(r.returnData().toUnsignedBigInteger()).isEqualTo(paid);
    assertThat(h.ledger(ALICE.address())).isEqualTo(ledger.add(paid));
    assertThat(bondOf(P).amount()).isEqualTo(BOND.subtract(paid));
    Log log = r.logs().getFirst();
    assertThat(log.topics())
        .containsExactly(
            topic(ServingAbi.DISPUTED),
            Bytes32.leftPad(ALICE.address().bytes()),
            Bytes32.leftPad(P.bytes()));
    assertThat(log.data())
        .isEqualTo(
            Bytes.concatenate(
                ServingAbi.uint(7),
                ServingAbi.uint(ServingModule.DISPUTE_EQUIVOCATION),
                ServingAbi.uint(paid)));
    assertThat(disputed(7)).isTrue();
    assertThat(disputed(8)).isFalse();

    MapState before = h.state.copy();
    assertRefused(
        equivocation(b, a),
        "request 7 of user " + ALICE.address() + " with provider " + P + " was already disputed",
        before);
    // nor through the other kind of dispute
    assertRefused(
        metering(signed(receipt(7, 500, BODY, BODY.size() + 1)), BODY),
        "request 7 of user " + ALICE.address() + " with provider " + P + " was already disputed",
        before);
  }

  @Test
  void equivocationRefusals() {
    ok(bond(BOND));
    MapState before = h.state.copy();
    SignedReceipt a = signed(receipt(3, 10, BODY, BODY.size()));
    assertRefused(
        equivocation(a, a), "the receipts state the same response: no equivocation", before);
    assertRefused(
        equivocation(a, signed(receipt(4, 10, Bytes.of(1), 1))),
        "the receipts answer different requests (user, provider, service, nonce and request hash"
            + " must all match)",
        before);
    ResponseReceipt other = receipt(3, 10, Bytes.of(1), 1);
    SignedReceipt forged = new SignedReceipt(other, OTHER.sign(other.digest(SEP)));
    assertRefused(
        equivocation(a, forged),
        "receipt B: signed by " + OTHER.address() + ", not by its provider " + P,
        before);
    Bytes call = ServingAbi.disputeEquivocationCall(a, signed(other));
    assertRefused(
        h.invoke(ALICE.address(), Bytes.concatenate(call, Bytes.of(0))),
        "malformed call data",
        before);
    assertRefused(
        h.invoke(ALICE.address(), call.slice(0, 100)),
        "receipt A: malformed call data: offset out of range",
        before);
  }

  @Test
  void overmeteredReceiptPaysTheUser() {
    ok(bond(BOND));
    SignedReceipt r = signed(receipt(9, 40, BODY, BODY.size() + 5));
    ModuleResult ok = ok(metering(r, BODY));
    BigInteger paid = BigInteger.valueOf(40).add(ServingModule.DISPUTE_PENALTY);
    assertThat(ok.returnData().toUnsignedBigInteger()).isEqualTo(paid);
    assertThat(ok.logs().getFirst().data().slice(32, 32))
        .isEqualTo(ServingAbi.uint(ServingModule.DISPUTE_OVERMETERED));
    assertThat(disputed(9)).isTrue();
  }

  @Test
  void meteringRefusals() {
    ok(bond(BOND));
    MapState before = h.state.copy();
    SignedReceipt fair = signed(receipt(2, 40, BODY, BODY.size()));
    assertRefused(
        metering(fair, BODY),
        "the receipt meters "
            + BODY.size()
            + " output units for a body of "
            + BODY.size()
            + " bytes: no overcharge",
        before);
    SignedReceipt over = signed(receipt(2, 40, BODY, BODY.size() + 1));
    assertRefused(
        metering(over, Bytes.of(1)),
        "the body hashes to "
            + Hashes.keccak256(Bytes.of(1))
            + ", not the receipt's response hash "
            + Hashes.keccak256(BODY),
        before);
    ResponseReceipt rr = over.receipt();
    assertRefused(
        metering(new SignedReceipt(rr, OTHER.sign(rr.digest(SEP))), BODY),
        "receipt: signed by " + OTHER.address() + ", not by its provider " + P,
        before);
    Bytes big = Bytes.wrap(new byte[ServingModule.MAX_DISPUTE_BODY + 1]);
    assertRefused(
        metering(signed(receipt(2, 40, big, big.size() + 1)), big),
        "response body of "
            + big.size()
            + " bytes exceeds the limit of "
            + ServingModule.MAX_DISPUTE_BODY,
        before);
  }

  @Test
  void noBondNoDisputeAndThePaymentIsCappedByTheBond() {
    SignedReceipt over = signed(receipt(2, 40, BODY, BODY.size() + 1));
    MapState before = h.state.copy();
    assertRefused(
        metering(over, BODY), "provider " + P + " has no bond to pay a dispute from", before);
    ok(bond(BigInteger.valueOf(1000)));
    ModuleResult r = ok(metering(over, BODY));
    assertThat(r.returnData().toUnsignedBigInteger()).isEqualTo(BigInteger.valueOf(1000));
    assertThat(bondOf(P).amount()).isZero();
    assertThat(h.state.balance(ServingModule.ADDRESS)).isEqualTo(h.ledger(ALICE.address()));
  }

  @Test
  void unbondingDoesNotShieldTheBondFromDisputes() {
    ok(bond(BOND));
    ok(h.invoke(P, unbondCall(BOND)));
    ok(metering(signed(receipt(2, 40, BODY, BODY.size() + 1)), BODY));
    BigInteger left = BOND.subtract(BigInteger.valueOf(40).add(ServingModule.DISPUTE_PENALTY));
    assertThat(bondOf(P)).isEqualTo(new Bond(left, left, h.block + LOCK));
    h.block += LOCK;
    assertThat(
            ok(h.invoke(P, ServingAbi.selector(ServingAbi.WITHDRAW_BOND)))
                .returnData()
                .toUnsignedBigInteger())
        .isEqualTo(left);
  }

  /** A dispute's whole transaction: 21,000 + calldata + the module's gas. */
  static long txGas(Bytes call, ModuleResult r) {
    long calldata = 0;
    for (byte x : call.toArrayUnsafe()) {
      calldata +=
          x == 0
              ? io.axivon.consensus.execution.tx.IntrinsicGas.ZERO_BYTE
              : io.axivon.consensus.execution.tx.IntrinsicGas.NONZERO_BYTE;
    }
    return io.axivon.consensus.execution.tx.IntrinsicGas.TX + calldata + r.gasUsed();
  }

  @Test
  void disputesCostWhatAnEvmContractWouldRoughly() {
    ok(bond(BOND));
    Bytes eq =
        ServingAbi.disputeEquivocationCall(
            signed(receipt(5, 10, BODY, BODY.size())), signed(receipt(5, 10, Bytes.of(1), 1)));
    long eqGas = txGas(eq, ok(h.invoke(ALICE.address(), eq)));
    Bytes me = ServingAbi.disputeMeteringCall(signed(receipt(6, 10, BODY, BODY.size() + 1)), BODY);
    long meGas = txGas(me, ok(h.invoke(ALICE.address(), me)));
    System.out.printf(
        "disputeEquivocation %d gas, disputeMetering (10-byte body) %d gas%n", eqGas, meGas);
    // mostly three slot writes (bond, ledger, the disputed mark) at 20,000, plus the recoveries
    assertThat(eqGas).isBetween(50_000L, 150_000L);
    assertThat(meGas).isBetween(40_000L, 150_000L);
  }
}
