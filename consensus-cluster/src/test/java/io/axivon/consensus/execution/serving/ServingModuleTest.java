package io.axivon.consensus.execution.serving;

import static io.axivon.consensus.execution.serving.ServingHarness.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.consensus.execution.evm.Log;
import io.axivon.consensus.execution.system.MapState;
import io.axivon.consensus.execution.system.ModuleResult;
import io.axivon.consensus.execution.tx.IntrinsicGas;
import io.axivon.sdk.compute.ServiceInfo;
import io.axivon.sdk.compute.ServingAbi;
import io.axivon.sdk.compute.ServingRequest;
import io.axivon.sdk.compute.SignedRequest;
import io.axivon.sdk.compute.SubAccount;
import io.axivon.sdk.compute.Verifiability;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServingModuleTest {
  static final Secp256k1PrivateKey ALICE = key(1);
  static final Secp256k1PrivateKey BOB = key(2);
  static final Address PROVIDER = key(100).address();
  static final Address OTHER_PROVIDER = key(101).address();
  static final BigInteger E18 = BigInteger.TEN.pow(18);

  ServingHarness h;

  @BeforeEach
  void setUp() {
    h = new ServingHarness().fund(ALICE.address()).fund(BOB.address()).fund(PROVIDER);
  }

  ServiceInfo service(Address provider, String name) {
    return ServingAbi.decodeServiceReturn(ok(h.view(getServiceCall(provider, name))).returnData());
  }

  List<ServiceInfo> services() {
    return ServingAbi.decodeServicesReturn(
        ok(h.view(ServingAbi.selector(ServingAbi.LIST_SERVICES))).returnData());
  }

  // ------------------------------------------------------------------ services

  @Test
  void providerAddsUpdatesAndRemovesServices() {
    ModuleResult r =
        ok(
            h.invoke(
                PROVIDER,
                addCall("llama", "chatbot", "https://gpu.example/v1", "llama-3-8b", 5, 7, 1)));
    Log log = r.logs().getFirst();
    assertThat(log.topics())
        .containsExactly(topic(ServingAbi.SERVICE_UPDATED), Bytes32.leftPad(PROVIDER.bytes()));
    assertThat(service(PROVIDER, "llama"))
        .isEqualTo(
            new ServiceInfo(
                PROVIDER,
                "llama",
                "chatbot",
                "https://gpu.example/v1",
                "llama-3-8b",
                BigInteger.valueOf(5),
                BigInteger.valueOf(7),
                Verifiability.SIGNED_RESPONSE,
                1));

    h.block = 5;
    ok(
        h.invoke(
            PROVIDER, addCall("erasure", "erasure-encode", "http://127.0.0.1:9000", "", 1, 0, 0)));
    ok(h.invoke(OTHER_PROVIDER, addCall("llama", "chatbot", "https://b.example", "m", 1, 1, 2)));
    // update keeps the list position, replaces every field (a shorter url too)
    ok(h.invoke(PROVIDER, addCall("llama", "chatbot", "http://a.b", "llama-3-70b", 9, 9, 0)));
    assertThat(services())
        .extracting(ServiceInfo::name, ServiceInfo::provider, ServiceInfo::url)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("llama", PROVIDER, "http://a.b"),
            org.assertj.core.groups.Tuple.tuple("erasure", PROVIDER, "http://127.0.0.1:9000"),
            org.assertj.core.groups.Tuple.tuple("llama", OTHER_PROVIDER, "https://b.example"));
    assertThat(service(PROVIDER, "llama").updatedAt()).isEqualTo(5);

    ModuleResult rm = ok(h.invoke(PROVIDER, removeCall("llama")));
    assertThat(rm.logs().getFirst().topics().getFirst())
        .isEqualTo(topic(ServingAbi.SERVICE_REMOVED));
    // the last entry took the removed one's place
    assertThat(services())
        .extracting(ServiceInfo::name, ServiceInfo::provider)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("llama", OTHER_PROVIDER),
            org.assertj.core.groups.Tuple.tuple("erasure", PROVIDER));
    assertThat(reason(h.view(getServiceCall(PROVIDER, "llama"))))
        .isEqualTo("no service 'llama' of provider " + PROVIDER);
    assertThat(reason(h.invoke(PROVIDER, removeCall("llama"))))
        .isEqualTo("no service 'llama' of provider " + PROVIDER);
    ok(h.invoke(OTHER_PROVIDER, removeCall("llama")));
    ok(h.invoke(PROVIDER, removeCall("erasure")));
    assertThat(services()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|chatbot|http://h|m|0|service name must be 1 to 64 bytes, got 0",
        "a b|chatbot|http://h|m|0|service name may hold only A-Z a-z 0-9 . _ -, got 'a b'",
        "x|Chat|http://h|m|0|service type must be 1 to 32 characters of a-z 0-9 -, got 'Chat'",
        "x|''|http://h|m|0|service type must be 1 to 32 characters of a-z 0-9 -, got ''",
        "x|chatbot|ftp://h|m|0|service url must start with http:// or https://, got 'ftp://h'",
        "x|chatbot|''|m|0|service url must be 1 to 256 bytes, got 0",
        "x|chatbot|http://a b|m|0|service url must be printable ASCII without spaces",
        "x|chatbot|http://|m|0|service url is not a valid URI: Expected authority",
        "x|chatbot|http:///p|m|0|service url has no host: 'http:///p'",
        "x|chatbot|http://h|a\u0001b|0|service model must be printable ASCII",
        "x|chatbot|http://h|m|3|verifiability must be 0 (none), 1 (signed-response) or 2 (tee-attested), got 3",
      })
  void malformedRegistrationsAreRefusedWithTheirReason(
      String name, String type, String url, String model, int v, String reason) {
    MapState before = h.state.copy();
    ModuleResult r = h.invoke(PROVIDER, addCall(name, type, url, model, 1, 1, v));
    assertThat(r.status()).isEqualTo(ModuleResult.Status.REVERTED);
    assertThat(reason(r)).isEqualTo(reason);
    assertThat(h.state).isEqualTo(before);
  }

  @Test
  void oversizeFieldsAndPricesAreRefused() {
    assertThat(reason(h.invoke(PROVIDER, addCall("n".repeat(65), "t", "http://h", "", 1, 1, 0))))
        .isEqualTo("service name must be 1 to 64 bytes, got 65");
    assertThat(
            reason(
                h.invoke(PROVIDER, addCall("n", "t", "http://h/" + "p".repeat(250), "", 1, 1, 0))))
        .isEqualTo("service url must be 1 to 256 bytes, got 259");
    assertThat(reason(h.invoke(PROVIDER, addCall("n", "t", "http://h", "m".repeat(129), 1, 1, 0))))
        .isEqualTo("service model must be at most 128 bytes, got 129");
    Bytes big =
        io.axivon.consensus.execution.system.Abi.call(
            ServingAbi.ADD_OR_UPDATE_SERVICE,
            List.of(
                new org.web3j.abi.datatypes.Utf8String("n"),
                new org.web3j.abi.datatypes.Utf8String("t"),
                new org.web3j.abi.datatypes.Utf8String("http://h"),
                new org.web3j.abi.datatypes.Utf8String(""),
                new org.web3j.abi.datatypes.generated.Uint256(BigInteger.TWO.pow(128)),
                new org.web3j.abi.datatypes.generated.Uint256(1),
                new org.web3j.abi.datatypes.generated.Uint8(0)));
    assertThat(reason(h.invoke(PROVIDER, big)))
        .isEqualTo("service inputPrice must be below 2^128 wei per unit");
    assertThat(
            reason(
                h.invoke(
                    PROVIDER,
                    Bytes.concatenate(addCall("n", "t", "http://h", "", 1, 1, 0), Bytes.of(0)))))
        .isEqualTo("malformed call data");
    assertThat(
            reason(h.invoke(PROVIDER, BigInteger.ONE, addCall("n", "t", "http://h", "", 1, 1, 0))))
        .isEqualTo("function is not payable");
    assertThat(reason(h.invoke(PROVIDER, Bytes.fromHexString("0xdeadbeef"))))
        .isEqualTo("unknown function selector 0xdeadbeef");
  }

  // ------------------------------------------------------------------ ledger

  @Test
  void depositTransferRefundWithdraw() {
    Address a = ALICE.address();
    ModuleResult d = ok(h.invoke(a, E18.multiply(BigInteger.TEN), depositCall()));
    assertThat(d.logs().getFirst().topics().getFirst()).isEqualTo(topic(ServingAbi.DEPOSITED));
    assertThat(h.ledger(a)).isEqualTo(E18.multiply(BigInteger.TEN));
    assertThat(h.state.balance(ServingModule.ADDRESS)).isEqualTo(E18.multiply(BigInteger.TEN));

    ok(h.invoke(a, transferCall(PROVIDER, E18.multiply(BigInteger.valueOf(4)))));
    assertThat(h.ledger(a)).isEqualTo(E18.multiply(BigInteger.valueOf(6)));
    assertThat(h.account(a, PROVIDER))
        .isEqualTo(
            new SubAccount(
                E18.multiply(BigInteger.valueOf(4)), BigInteger.ZERO, BigInteger.ZERO, 0));
    assertThat(reason(h.invoke(a, transferCall(PROVIDER, E18.multiply(BigInteger.valueOf(7))))))
        .isEqualTo(
            "ledger balance of 6000000000000000000 wei is below the 7000000000000000000 wei to transfer");

    h.block = 20;
    ok(h.invoke(a, refundCall(PROVIDER, E18)));
    assertThat(h.account(a, PROVIDER).pendingRefund()).isEqualTo(E18);
    assertThat(h.account(a, PROVIDER).refundUnlockBlock()).isEqualTo(20 + LOCK);
    assertThat(reason(h.invoke(a, refundCall(PROVIDER, E18.multiply(BigInteger.valueOf(4))))))
        .isEqualTo(
            "sub-account has 3000000000000000000 wei not already being refunded, below the 4000000000000000000 wei asked");
    h.block = 29;
    assertThat(reason(h.invoke(a, processRefundCall(PROVIDER))))
        .isEqualTo("refund unlocks at block 30, now block 29");
    h.block = 30;
    ok(h.invoke(a, processRefundCall(PROVIDER)));
    assertThat(h.ledger(a)).isEqualTo(E18.multiply(BigInteger.valueOf(7)));
    assertThat(h.account(a, PROVIDER))
        .isEqualTo(
            new SubAccount(
                E18.multiply(BigInteger.valueOf(3)), BigInteger.ZERO, BigInteger.ZERO, 0));
    assertThat(reason(h.invoke(a, processRefundCall(PROVIDER))))
        .isEqualTo("no refund pending from provider " + PROVIDER);

    BigInteger wallet = h.state.balance(a);
    ok(h.invoke(a, withdrawCall(E18.multiply(BigInteger.valueOf(7)))));
    assertThat(h.state.balance(a)).isEqualTo(wallet.add(E18.multiply(BigInteger.valueOf(7))));
    assertThat(h.ledger(a)).isZero();
    assertThat(reason(h.invoke(a, withdrawCall(BigInteger.ONE))))
        .isEqualTo("ledger balance of 0 wei is below the 1 wei to withdraw");
    assertThat(reason(h.invoke(a, BigInteger.ZERO, depositCall())))
        .isEqualTo("deposit of zero wei");
    assertThat(reason(h.invoke(a, withdrawCall(BigInteger.ZERO))))
        .isEqualTo("withdrawal of zero wei");
    assertThat(h.state.balance(ServingModule.ADDRESS))
        .isEqualTo(E18.multiply(BigInteger.valueOf(3)));
  }

  @Test
  void providerCanStillSettleDuringTheRefundLockAndTheRefundShrinks() {
    Address a = ALICE.address();
    h.prepay(a, PROVIDER, BigInteger.valueOf(1_000));
    ok(h.invoke(a, refundCall(PROVIDER, BigInteger.valueOf(800))));
    ok(h.settle(PROVIDER, List.of(request(ALICE, PROVIDER, "llama", 1, BigInteger.valueOf(500)))));
    assertThat(h.account(a, PROVIDER).pendingRefund()).isEqualTo(BigInteger.valueOf(500));
    h.block += LOCK;
    ModuleResult r = ok(h.invoke(a, processRefundCall(PROVIDER)));
    assertThat(r.returnData().toUnsignedBigInteger()).isEqualTo(BigInteger.valueOf(500));
    assertThat(h.ledger(a)).isEqualTo(BigInteger.valueOf(500));
    assertThat(h.account(a, PROVIDER).balance()).isZero();
  }

  // ------------------------------------------------------------------ settlement

  @Test
  void settlementPaysTheProviderAndAdvancesNonces() {
    h.prepay(ALICE.address(), PROVIDER, BigInteger.valueOf(1_000));
    h.prepay(BOB.address(), PROVIDER, BigInteger.valueOf(1_000));
    BigInteger before = h.state.balance(PROVIDER);
    ModuleResult r =
        ok(
            h.settle(
                PROVIDER,
                List.of(
                    request(ALICE, PROVIDER, "llama", 1, BigInteger.valueOf(100)),
                    request(BOB, PROVIDER, "llama", 5, BigInteger.valueOf(10)),
                    request(ALICE, PROVIDER, "llama", 3, BigInteger.valueOf(200)))));
    assertThat(r.returnData().toUnsignedBigInteger()).isEqualTo(BigInteger.valueOf(310));
    assertThat(h.state.balance(PROVIDER)).isEqualTo(before.add(BigInteger.valueOf(310)));
    assertThat(h.account(ALICE.address(), PROVIDER))
        .isEqualTo(
            new SubAccount(BigInteger.valueOf(700), BigInteger.valueOf(3), BigInteger.ZERO, 0));
    assertThat(h.account(BOB.address(), PROVIDER).nonce()).isEqualTo(BigInteger.valueOf(5));
    assertThat(r.logs()).hasSize(2);
    Log alice = r.logs().getFirst();
    assertThat(alice.topics())
        .containsExactly(
            topic(ServingAbi.FEES_SETTLED),
            Bytes32.leftPad(ALICE.address().bytes()),
            Bytes32.leftPad(PROVIDER.bytes()));
    assertThat(alice.data())
        .isEqualTo(Bytes.concatenate(ServingAbi.uint(2), ServingAbi.uint(300), ServingAbi.uint(3)));
  }

  /** Each refused batch leaves the state exactly as it was. */
  void assertRefused(List<SignedRequest> batch, String reason) {
    assertRefused(PROVIDER, batch, reason);
  }

  void assertRefused(Address provider, List<SignedRequest> batch, String reason) {
    MapState before = h.state.copy();
    ModuleResult r = h.settle(provider, batch);
    assertThat(r.status()).isEqualTo(ModuleResult.Status.REVERTED);
    assertThat(reason(r)).isEqualTo(reason);
    assertThat(h.state).isEqualTo(before);
  }

  @Test
  void replayedForgedAndOverBalanceBatchesAreRefusedWithoutChangingState() {
    Address a = ALICE.address();
    h.prepay(a, PROVIDER, BigInteger.valueOf(1_000));
    List<SignedRequest> first =
        List.of(
            request(ALICE, PROVIDER, "llama", 1, BigInteger.valueOf(100)),
            request(ALICE, PROVIDER, "llama", 2, BigInteger.valueOf(100)));
    ok(h.settle(PROVIDER, first));

    assertRefused(
        first,
        "request 0: nonce 1 of user " + a + " is not above 2 (already settled or out of order)");
    assertRefused(
        List.of(
            request(ALICE, PROVIDER, "llama", 3, BigInteger.ONE),
            request(ALICE, PROVIDER, "llama", 3, BigInteger.ONE)),
        "request 1: nonce 3 of user " + a + " is not above 3 (already settled or out of order)");
    // a batch for another provider: the signature covers the provider, so it does not verify
    SignedRequest forOther = request(ALICE, OTHER_PROVIDER, "llama", 3, BigInteger.ONE);
    ModuleResult wrongProvider = h.settle(PROVIDER, List.of(forOther));
    assertThat(reason(wrongProvider))
        .startsWith("request 0: signed by ")
        .endsWith(", not by its user " + a);
    // forged: BOB signs a request charging ALICE
    ServingRequest charged =
        new ServingRequest(
            a, PROVIDER, "llama", BigInteger.valueOf(3), BigInteger.TEN, Bytes32.ZERO);
    SignedRequest forged = new SignedRequest(charged, BOB.sign(charged.digest(DOMAIN)));
    assertRefused(
        List.of(forged), "request 0: signed by " + BOB.address() + ", not by its user " + a);
    // a raised fee after signing
    SignedRequest honest = request(ALICE, PROVIDER, "llama", 3, BigInteger.ONE);
    SignedRequest raised =
        new SignedRequest(
            new ServingRequest(
                a,
                PROVIDER,
                "llama",
                BigInteger.valueOf(3),
                BigInteger.valueOf(500),
                honest.request().requestHash()),
            honest.signature());
    assertThat(reason(h.settle(PROVIDER, List.of(raised)))).startsWith("request 0: signed by ");
    // over balance: 800 left, two requests of 500
    assertRefused(
        List.of(
            request(ALICE, PROVIDER, "llama", 3, BigInteger.valueOf(500)),
            request(ALICE, PROVIDER, "llama", 4, BigInteger.valueOf(500))),
        "request 1: fee of 500 wei is above the 300 wei left in the sub-account of user " + a);
    // another user without funds
    assertRefused(
        List.of(request(BOB, PROVIDER, "llama", 1, BigInteger.ONE)),
        "request 0: fee of 1 wei is above the 0 wei left in the sub-account of user "
            + BOB.address());
    assertRefused(List.of(), "empty batch");
    // and the good next request still settles
    ok(h.settle(PROVIDER, List.of(honest)));
    assertThat(h.account(a, PROVIDER).balance()).isEqualTo(BigInteger.valueOf(799));
  }

  @Test
  void malformedSettlementCallDataIsRefused() {
    h.prepay(ALICE.address(), PROVIDER, BigInteger.valueOf(1_000));
    Bytes call =
        ServingAbi.settleFeesCall(List.of(request(ALICE, PROVIDER, "llama", 1, BigInteger.ONE)));
    assertThat(reason(h.invoke(PROVIDER, Bytes.concatenate(call, Bytes.of(1)))))
        .isEqualTo("malformed call data");
    assertThat(reason(h.invoke(PROVIDER, call.slice(0, call.size() - 40))))
        .isEqualTo("request 0: malformed call data: length exceeds the data");
    // v = 29 in the signature
    byte[] b = call.toArray();
    b[b.length - 32] = 29; // v: the signature's 65th byte starts the last padded word
    assertThat(reason(h.invoke(PROVIDER, Bytes.wrap(b))))
        .isEqualTo("request 0: signature v must be 27, 28, 0 or 1, got 29");
  }

  // ------------------------------------------------------------------ gas

  /**
   * Gas per request of a 100-request batch, calldata (the transaction's intrinsic gas) included.
   */
  long gasPerRequest(int users) {
    List<Secp256k1PrivateKey> keys = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      Secp256k1PrivateKey k = key(1_000 + u);
      keys.add(k);
      h.fund(k.address());
      h.prepay(k.address(), PROVIDER, E18);
    }
    List<SignedRequest> batch = new ArrayList<>();
    long[] nonces = new long[users];
    for (int i = 0; i < 100; i++) {
      int u = i % users;
      batch.add(
          request(
              keys.get(u),
              PROVIDER,
              "llama-3-8b-instruct",
              ++nonces[u],
              BigInteger.valueOf(1_234_567_890_123L)));
    }
    Bytes call = ServingAbi.settleFeesCall(batch);
    ModuleResult r = ok(h.settle(PROVIDER, batch));
    long calldata = 0;
    for (byte x : call.toArrayUnsafe()) {
      calldata += x == 0 ? IntrinsicGas.ZERO_BYTE : IntrinsicGas.NONZERO_BYTE;
    }
    long total = IntrinsicGas.TX + calldata + r.gasUsed();
    System.out.printf(
        "settleFees batch of 100, %d user(s): module %d gas, calldata %d gas, tx total %d gas, %d gas/request%n",
        users, r.gasUsed(), calldata, total, total / 100);
    return total / 100;
  }

  @Test
  void settlementOfOneUsersBatchOfHundredIsWithinTarget() {
    assertThat(gasPerRequest(1)).isLessThanOrEqualTo(30_000);
  }

  @Test
  void settlementOfTenUsersBatchOfHundredIsWithinTarget() {
    assertThat(gasPerRequest(10)).isLessThanOrEqualTo(30_000);
  }

  @Test
  void settlementOfHundredDistinctUsersIsWithinTarget() {
    // each user costs a cold read, a warm rewrite of the existing sub-account and one event
    assertThat(gasPerRequest(100)).isLessThanOrEqualTo(30_000);
  }
}
