package io.axivon.consensus.execution.da;

import static io.axivon.consensus.execution.da.DaHarness.DISPERSER;
import static io.axivon.consensus.execution.da.DaHarness.EPOCH;
import static io.axivon.consensus.execution.da.DaHarness.OUTSIDER;
import static io.axivon.consensus.execution.da.DaHarness.PROVER;
import static io.axivon.consensus.execution.da.DaHarness.reason;
import static io.axivon.consensus.execution.da.DaHarness.require;
import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.crypto.bls.Bls;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.common.crypto.bls.BlsSignature;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.execution.system.Abi;
import io.axivon.consensus.execution.system.MapState;
import io.axivon.consensus.execution.system.ModuleResult;
import io.axivon.da.blob.Axis;
import io.axivon.da.blob.BadEncodingProof;
import io.axivon.da.blob.ExtendedSquare;
import io.axivon.da.blob.SquareEncoder;
import io.axivon.da.cert.DaCertificate;
import io.axivon.da.cert.Quorum;
import java.math.BigInteger;
import java.util.List;
import java.util.function.Supplier;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Utf8String;

class DataAvailabilityModuleTest {
  static final long[] STAKES = {1000, 2000, 3000, 4000};

  static DaHarness ready() {
    return new DaHarness(DaConfig.devnet(), STAKES).ready();
  }

  /** Runs the call and asserts it reverts with exactly {@code expected}, changing nothing. */
  static void refused(DaHarness h, Supplier<ModuleResult> call, String expected) {
    MapState before = h.state.copy();
    ModuleResult r = call.get();
    assertThat(r.status()).isEqualTo(ModuleResult.Status.REVERTED);
    assertThat(reason(r)).isEqualTo(expected);
    assertThat(h.state).isEqualTo(before);
  }

  static void refusedStartingWith(DaHarness h, Supplier<ModuleResult> call, String prefix) {
    MapState before = h.state.copy();
    ModuleResult r = call.get();
    assertThat(r.status()).isEqualTo(ModuleResult.Status.REVERTED);
    assertThat(reason(r)).startsWith(prefix);
    assertThat(h.state).isEqualTo(before);
  }

  // ------------------------------------------------------------ operators

  @Test
  void operatorsRegisterUpdateAndDeregister() {
    DaHarness h = new DaHarness(DaConfig.devnet(), STAKES);
    refused(
        h,
        () -> h.call(OUTSIDER, DaHarness.registerOperatorCall(DaHarness.blsKey(9), "x:1")),
        "caller is not a staking validator");
    BlsSecretKey k = DaHarness.blsKey(200);
    Bytes badPop =
        Abi.call(
            DataAvailabilityModule.REGISTER_OPERATOR,
            List.of(
                new DynamicBytes(k.publicKey().toBytes().toArray()),
                new DynamicBytes(Bls.provePossession(DaHarness.blsKey(9)).toBytes().toArray()),
                new Utf8String("x:1")));
    refused(h, () -> h.call(h.operators.get(0), badPop), "invalid proof of possession");
    refused(
        h,
        () -> h.call(h.operators.get(0), DaHarness.registerOperatorCall(k, "")),
        "network address must be 1..256 bytes, got 0");
    ModuleResult ok = require(h.registerOperator(0));
    assertThat(ok.logs()).hasSize(1);
    assertThat(ok.logs().getFirst().topics().getFirst())
        .isEqualTo(Abi.eventTopic(DataAvailabilityModule.OPERATOR_REGISTERED));
    refused(h, () -> h.registerOperator(0), "operator already registered");
    refused(
        h,
        () -> h.call(h.operators.get(1), DaHarness.registerOperatorCall(k, "y:2")),
        "BLS key already registered");
    require(h.registerOperator(1));
    require(
        h.call(
            h.operators.get(0),
            Abi.call(DataAvailabilityModule.UPDATE_OPERATOR, List.of(new Utf8String("z:3")))));
    refused(
        h,
        () ->
            h.call(
                OUTSIDER,
                Abi.call(DataAvailabilityModule.UPDATE_OPERATOR, List.of(new Utf8String("z:3")))),
        "not a registered operator");
    assertThat(h.view(DataAvailabilityModule::operatorList))
        .containsExactly(h.operators.get(0), h.operators.get(1));
    require(
        h.call(
            h.operators.get(0), Abi.call(DataAvailabilityModule.DEREGISTER_OPERATOR, List.of())));
    assertThat(h.view(DataAvailabilityModule::operatorList)).containsExactly(h.operators.get(1));
    refused(
        h,
        () ->
            h.call(
                h.operators.get(0),
                Abi.call(DataAvailabilityModule.DEREGISTER_OPERATOR, List.of())),
        "not a registered operator");
    // its key is free again
    require(h.registerOperator(0));
  }

  @Test
  void epochSnapshotFixesSeedAndOperators() {
    DaHarness h = new DaHarness(DaConfig.devnet(), STAKES);
    require(h.registerOperator(0));
    require(h.registerOperator(2));
    refusedView(h, () -> h.quorum(0, 0), "epoch 0 has no DA operators");
    refusedView(h, () -> h.quorum(1, 0), "epoch 1 has not started");
    h.advanceTo(EPOCH);
    assertThat(h.quorum(1, 0)).isEqualTo(h.expectedQuorum(1, 0, List.of(0, 2)));
    refusedView(h, () -> h.quorum(1, 1), "unknown quorum 1 (quorums 0..0)");
    // registering mid-epoch changes the next epoch, not this one
    require(h.registerOperator(1));
    h.advanceTo(EPOCH + 1);
    assertThat(h.quorum(1, 0)).isEqualTo(h.expectedQuorum(1, 0, List.of(0, 2)));
    h.advanceTo(2 * EPOCH);
    assertThat(h.quorum(2, 0)).isEqualTo(h.expectedQuorum(2, 0, List.of(0, 2, 1)));
  }

  static void refusedView(DaHarness h, Runnable view, String expected) {
    try {
      view.run();
      throw new AssertionError("expected a revert: " + expected);
    } catch (io.axivon.consensus.execution.system.ModuleRevert e) {
      assertThat(
              reason(
                  new ModuleResult(ModuleResult.Status.REVERTED, e.revertData(), 0, List.of(), "")))
          .isEqualTo(expected);
    }
  }

  // ------------------------------------------------------------ dispersers

  @Test
  void disperserBondsUnbondsAndWithdrawsAfterTheDelay() {
    DaHarness h = new DaHarness(DaConfig.devnet(), STAKES);
    BigInteger min = DaConfig.devnet().minDisperserBond();
    refused(
        h,
        () -> h.bond(DISPERSER, min.subtract(BigInteger.ONE)),
        "disperser bond of "
            + min.subtract(BigInteger.ONE)
            + " wei is below the minimum of "
            + min
            + " wei");
    BigInteger before = h.state.balance(DISPERSER);
    require(h.bond(DISPERSER, min));
    assertThat(h.state.balance(DISPERSER)).isEqualTo(before.subtract(min));
    assertThat(h.state.balance(DataAvailabilityModule.ADDRESS)).isEqualTo(min);
    Bytes unbond = Abi.call(DataAvailabilityModule.UNBOND_DISPERSER, List.of());
    Bytes withdraw = Abi.call(DataAvailabilityModule.WITHDRAW_DISPERSER_BOND, List.of());
    refused(h, () -> h.call(OUTSIDER, unbond), "not a disperser");
    refused(h, () -> h.call(DISPERSER, withdraw), "disperser is not unbonding");
    require(h.call(DISPERSER, unbond));
    long at = 1 + DaConfig.devnet().bondWithdrawDelay();
    refused(h, () -> h.call(DISPERSER, withdraw), "the bond can be withdrawn from block " + at);
    refused(h, () -> h.bond(DISPERSER, min), "disperser is unbonding");
    h.height = at - 1;
    require(h.call(DISPERSER, withdraw));
    assertThat(h.state.balance(DISPERSER)).isEqualTo(before);
    assertThat(h.state.balance(DataAvailabilityModule.ADDRESS)).isZero();
  }

  // ------------------------------------------------------------ certification

  private static List<BigInteger> operatorBalances(DaHarness h, Quorum q) {
    return q.members().stream().map(m -> h.state.balance(new Address(m.id()))).toList();
  }

  /** Each signer got fee · stake / signers' stake, rounded down; the others nothing; none > fee. */
  private static void assertPaidByStake(
      Quorum q,
      List<Integer> signers,
      BigInteger fee,
      List<BigInteger> before,
      List<BigInteger> after) {
    BigInteger signerStake = BigInteger.ZERO;
    for (int i : signers) {
      signerStake = signerStake.add(BigInteger.valueOf(q.members().get(i).stake()));
    }
    BigInteger paid = BigInteger.ZERO;
    for (int i = 0; i < q.members().size(); i++) {
      BigInteger got = after.get(i).subtract(before.get(i));
      BigInteger expected =
          signers.contains(i)
              ? fee.multiply(BigInteger.valueOf(q.members().get(i).stake())).divide(signerStake)
              : BigInteger.ZERO;
      assertThat(got).as("operator %d's share", i).isEqualTo(expected);
      paid = paid.add(got);
    }
    assertThat(paid).isLessThanOrEqualTo(fee);
    assertThat(fee.subtract(paid)).isLessThan(BigInteger.valueOf(signers.size()));
  }

  static final int K = 4;
  static final long SIZE = 20_000; // k = 4: 8 coded rows, 6 certify

  @Test
  void onlyTheSignersArePaidAndByStake() {
    DaHarness h = ready();
    Quorum q = h.quorum(1, 0);
    int[] rows = q.rowCounts(K);
    // leave out the member with the fewest rows, if the rest still certify
    int smallest = 0;
    for (int i = 1; i < rows.length; i++) {
      if (rows[i] < rows[smallest]) {
        smallest = i;
      }
    }
    List<Integer> signers = new java.util.ArrayList<>(List.of(0, 1, 2, 3));
    signers.remove(Integer.valueOf(smallest));
    int signed = 0;
    for (int i : signers) {
      signed += rows[i];
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(signed >= 6, "the others hold too few rows");
    DaCertificate cert = h.certify(Bytes32.random(), K, q, signers);
    BigInteger fee = h.da.blobFee(BigInteger.valueOf(SIZE));
    BigInteger supplyBefore = h.state.totalBalance();
    List<BigInteger> before = operatorBalances(h, q);
    require(h.confirm(cert, SIZE));
    assertPaidByStake(q, signers, fee, before, operatorBalances(h, q));
    // what was not paid is the only AXN that left the supply
    BigInteger paid = BigInteger.ZERO;
    List<BigInteger> after = operatorBalances(h, q);
    for (int i = 0; i < after.size(); i++) {
      paid = paid.add(after.get(i).subtract(before.get(i)));
    }
    assertThat(supplyBefore.subtract(h.state.totalBalance())).isEqualTo(fee.subtract(paid));
  }

  @Test
  void validCertificateConfirmsAndTheBlobIsAvailable() {
    DaHarness h = ready();
    Quorum q = h.quorum(1, 0);
    assertThat(q.members()).hasSize(4);
    Bytes32 root = Bytes32.random();
    DaCertificate cert = h.certify(root, K, q, List.of(0, 1, 2, 3));
    BigInteger fee = h.da.blobFee(BigInteger.valueOf(SIZE));
    assertThat(fee).isEqualTo(BigInteger.TEN.pow(9).multiply(BigInteger.valueOf(SIZE)));
    BigInteger before = h.state.balance(DISPERSER);
    assertThat(h.view(c -> DataAvailabilityModule.blobRecord(c, root)).status())
        .isEqualTo(DataAvailabilityModule.NONE);
    List<BigInteger> operatorsBefore = operatorBalances(h, q);
    ModuleResult r = require(h.confirm(cert, SIZE));
    // the fee goes to the signers by stake, the rounding dust is burned
    assertThat(h.state.balance(DISPERSER)).isEqualTo(before.subtract(fee));
    assertThat(h.state.balance(DataAvailabilityModule.ADDRESS))
        .isEqualTo(DaConfig.devnet().minDisperserBond());
    assertPaidByStake(q, List.of(0, 1, 2, 3), fee, operatorsBefore, operatorBalances(h, q));
    assertThat(r.logs()).hasSize(1);
    assertThat(r.logs().getFirst().topics())
        .containsExactly(
            Abi.eventTopic(DataAvailabilityModule.BLOB_CERTIFIED),
            root,
            Bytes32.leftPad(DISPERSER.bytes()));
    DataAvailabilityModule.BlobRecord rec = h.view(c -> DataAvailabilityModule.blobRecord(c, root));
    assertThat(rec)
        .isEqualTo(
            new DataAvailabilityModule.BlobRecord(
                DataAvailabilityModule.AVAILABLE, DISPERSER, 1, 0, K, SIZE, EPOCH + 1));
    refused(h, () -> h.confirm(cert, SIZE), "blob already certified");
    // a certificate of the previous epoch is still accepted in the next one
    DaCertificate prev = h.certify(Bytes32.random(), K, q, List.of(0, 1, 2, 3));
    h.advanceTo(2 * EPOCH);
    require(h.confirm(prev, SIZE));
  }

  @Test
  void certificatesThatDoNotHoldAreRefusedPrecisely() {
    DaHarness h = ready();
    Quorum q = h.quorum(1, 0);
    Bytes32 root = Bytes32.random();
    DaCertificate good = h.certify(root, K, q, List.of(0, 1, 2, 3));
    BigInteger fee = h.da.blobFee(BigInteger.valueOf(SIZE));

    // unpaid or wrongly paid fee
    refused(
        h,
        () ->
            h.call(DISPERSER, BigInteger.ZERO, DaHarness.confirmCall(good.encode(), root, K, SIZE)),
        "the blob fee is " + fee + " wei, sent 0");
    // not a disperser
    refused(
        h,
        () -> h.call(OUTSIDER, fee, DaHarness.confirmCall(good.encode(), root, K, SIZE)),
        "caller is not a disperser");
    // wrong dataRoot named beside the certificate
    Bytes32 other = Bytes32.random();
    refused(
        h,
        () -> h.call(DISPERSER, fee, DaHarness.confirmCall(good.encode(), other, K, SIZE)),
        "the certificate is for dataRoot " + root.toHexString() + ", not " + other.toHexString());
    // a certificate claiming another dataRoot than its signatures sign
    DaCertificate forged = new DaCertificate(other, K, 1, 0, good.signers(), good.signature());
    refused(
        h,
        () -> h.confirm(forged, SIZE),
        "the certificate does not verify: aggregate signature does not verify for the signers' keys");
    // size and k disagree
    refused(h, () -> h.confirm(good, 5000), "a blob of 5000 bytes has k = 2, not 4");
    // a signer bit beyond the quorum
    DaCertificate beyond = new DaCertificate(root, K, 1, 0, Bytes.of(0x1f), good.signature());
    refused(
        h,
        () -> h.confirm(beyond, SIZE),
        "the certificate does not verify: signer 4 is not a member: the quorum has 4 members");
    // a non-member's signature in place of a member's
    BlsSecretKey outsider = DaHarness.blsKey(999);
    List<BlsSignature> sigs = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      sigs.add(DaCertificate.sign(h.daKeys.get(q.members().get(i).id()), root, 1, 0));
    }
    sigs.add(DaCertificate.sign(outsider, root, 1, 0));
    DaCertificate nonMember = new DaCertificate(root, K, 1, 0, Bytes.of(0x0f), Bls.aggregate(sigs));
    refused(
        h,
        () -> h.confirm(nonMember, SIZE),
        "the certificate does not verify: aggregate signature does not verify for the signers' keys");
    // too few rows signed
    int[] rows = q.rowCounts(K);
    int smallest = 0;
    for (int i = 1; i < rows.length; i++) {
      if (rows[i] < rows[smallest]) {
        smallest = i;
      }
    }
    DaCertificate few = h.certify(root, K, q, List.of(smallest));
    refused(
        h,
        () -> h.confirm(few, SIZE),
        "the certificate does not verify: signers hold "
            + rows[smallest]
            + " of 8 coded rows, 6 are needed");
    // an epoch that has not started, a stale one, an unknown quorum
    DaCertificate future = new DaCertificate(root, K, 2, 0, good.signers(), good.signature());
    refused(h, () -> h.confirm(future, SIZE), "epoch 2 has not started");
    DaCertificate quorum1 = new DaCertificate(root, K, 1, 1, good.signers(), good.signature());
    refused(h, () -> h.confirm(quorum1, SIZE), "unknown quorum 1 (quorums 0..0)");
    h.advanceTo(3 * EPOCH);
    refused(
        h,
        () -> h.confirm(good, SIZE),
        "stale epoch: the certificate is for epoch 1, the current epoch is 3");
    // a malformed certificate
    refusedStartingWith(
        h,
        () -> h.call(DISPERSER, fee, DaHarness.confirmCall(Bytes.of(1, 2, 3), root, K, SIZE)),
        "malformed certificate: ");
    assertThat(h.view(c -> DataAvailabilityModule.blobRecord(c, root)).status())
        .isEqualTo(DataAvailabilityModule.NONE);
  }

  @Test
  void unbondingDisperserCannotConfirm() {
    DaHarness h = ready();
    require(h.call(DISPERSER, Abi.call(DataAvailabilityModule.UNBOND_DISPERSER, List.of())));
    DaCertificate cert = h.certify(Bytes32.random(), K, h.quorum(1, 0), List.of(0, 1, 2, 3));
    refused(h, () -> h.confirm(cert, SIZE), "disperser is unbonding");
  }

  // ------------------------------------------------------------ fraud proofs

  @Test
  void fraudProofInvalidatesABadlyEncodedBlobAndSlashesOnce() {
    DaHarness h = ready();
    Quorum q = h.quorum(1, 0);
    try (SquareEncoder enc = DaHarness.encoder()) {
      ExtendedSquare honest = enc.encode(DaHarness.blob((int) SIZE, 1));
      assertThat(honest.k()).isEqualTo(K);
      ExtendedSquare bad = DaHarness.corrupt(enc, honest, 1, K + 2);
      // a colluding quorum certifies the badly encoded square; the honest one is certified too
      require(h.confirm(h.certify(bad.dataRoot(), K, q, List.of(0, 1, 2, 3)), SIZE));
      require(h.confirm(h.certify(honest.dataRoot(), K, q, List.of(0, 1, 2, 3)), SIZE));

      // a proof against the correct blob is refused
      Bytes honestProof = BadEncodingProof.build(honest, Axis.ROW, 1).encode();
      refused(
          h,
          () -> h.call(PROVER, DaHarness.fraudCall(honest.dataRoot(), honestProof)),
          "the proof does not show a bad encoding");
      // a valid proof for one blob does not convict another
      Bytes proof = BadEncodingProof.build(bad, Axis.ROW, 1).encode();
      refused(
          h,
          () -> h.call(PROVER, DaHarness.fraudCall(honest.dataRoot(), proof)),
          "the proof does not show a bad encoding");
      refused(
          h,
          () -> h.call(PROVER, DaHarness.fraudCall(Bytes32.ZERO, proof)),
          "unknown blob " + Bytes32.ZERO.toHexString());
      refusedStartingWith(
          h,
          () -> h.call(PROVER, DaHarness.fraudCall(bad.dataRoot(), Bytes.of(0xc0))),
          "malformed proof: ");

      BigInteger bond = DaConfig.devnet().minDisperserBond();
      ModuleResult r = require(h.call(PROVER, DaHarness.fraudCall(bad.dataRoot(), proof)));
      BigInteger reward = bond.divide(BigInteger.TWO);
      assertThat(h.state.balance(PROVER)).isEqualTo(reward);
      assertThat(h.state.balance(DataAvailabilityModule.ADDRESS)).isZero();
      assertThat(r.logs().getFirst().topics())
          .containsExactly(
              Abi.eventTopic(DataAvailabilityModule.BLOB_INVALIDATED),
              bad.dataRoot(),
              Bytes32.leftPad(PROVER.bytes()));
      assertThat(h.view(c -> DataAvailabilityModule.blobRecord(c, bad.dataRoot())).status())
          .isEqualTo(DataAvailabilityModule.INVALID);
      assertThat(h.view(c -> DataAvailabilityModule.blobRecord(c, honest.dataRoot())).status())
          .isEqualTo(DataAvailabilityModule.AVAILABLE);
      refused(
          h,
          () -> h.call(PROVER, DaHarness.fraudCall(bad.dataRoot(), proof)),
          "blob already invalidated");
      // with its bond slashed the disperser cannot confirm more until it bonds again
      DaCertificate next = h.certify(Bytes32.random(), K, q, List.of(0, 1, 2, 3));
      refused(h, () -> h.confirm(next, SIZE), "caller is not a disperser");
    }
  }
}
