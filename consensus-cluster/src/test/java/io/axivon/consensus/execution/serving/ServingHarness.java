package io.axivon.consensus.execution.serving;

import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.consensus.execution.system.Abi;
import io.axivon.consensus.execution.system.MapState;
import io.axivon.consensus.execution.system.ModuleResult;
import io.axivon.consensus.execution.system.SystemModules;
import io.axivon.sdk.compute.ServingAbi;
import io.axivon.sdk.compute.ServingDomain;
import io.axivon.sdk.compute.ServingRequest;
import io.axivon.sdk.compute.SignedRequest;
import io.axivon.sdk.compute.SubAccount;
import java.math.BigInteger;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint8;

/** The serving module over an in-memory state, called through {@link SystemModules#invoke}. */
final class ServingHarness {
  static final long CHAIN_ID = 12700;
  static final ServingDomain DOMAIN = ServingDomain.of(CHAIN_ID);
  static final long LOCK = 10;
  static final BigInteger RICH = BigInteger.TEN.pow(24);
  static final long GAS = 100_000_000;

  final MapState state = new MapState();
  final ServingModule module = new ServingModule(new ServingConfig(CHAIN_ID, LOCK, 256));
  final SystemModules modules = SystemModules.of(module);
  long block = 1;

  static Secp256k1PrivateKey key(int n) {
    return Secp256k1PrivateKey.fromBytes(Hashes.keccak256(Bytes.ofUnsignedInt(n + 1)));
  }

  ServingHarness fund(Address a) {
    state.addBalance(a, RICH);
    return this;
  }

  ModuleResult invoke(Address caller, BigInteger value, Bytes input) {
    return modules.invoke(state, caller, ServingModule.ADDRESS, value, input, GAS, false, block);
  }

  ModuleResult invoke(Address caller, Bytes input) {
    return invoke(caller, BigInteger.ZERO, input);
  }

  ModuleResult view(Bytes input) {
    return modules.invoke(
        state,
        Address.fromHex("0x" + "00".repeat(20)),
        ServingModule.ADDRESS,
        BigInteger.ZERO,
        input,
        GAS,
        true,
        block);
  }

  static String reason(ModuleResult r) {
    if (r.returnData().size() < 4 || !r.returnData().slice(0, 4).equals(Abi.ERROR_SELECTOR)) {
      return r.status() + " " + r.returnData() + " " + r.error();
    }
    return (String)
        decode(r.returnData().slice(4), new TypeReference<Utf8String>() {}).get(0).getValue();
  }

  /** Asserts success and returns the result. */
  static ModuleResult ok(ModuleResult r) {
    if (!r.success()) {
      throw new AssertionError("call failed: " + reason(r));
    }
    return r;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static List<Type> decode(Bytes data, TypeReference<?>... types) {
    return FunctionReturnDecoder.decode(data.toUnprefixedHexString(), (List) List.of(types));
  }

  // ------------------------------------------------------------------ calls

  static Bytes addCall(
      String name, String type, String url, String model, long in, long out, int verifiability) {
    return Abi.call(
        ServingAbi.ADD_OR_UPDATE_SERVICE,
        List.of(
            new Utf8String(name),
            new Utf8String(type),
            new Utf8String(url),
            new Utf8String(model),
            new Uint256(in),
            new Uint256(out),
            new Uint8(verifiability)));
  }

  static Bytes removeCall(String name) {
    return Abi.call(ServingAbi.REMOVE_SERVICE, List.of(new Utf8String(name)));
  }

  static Bytes getServiceCall(Address provider, String name) {
    return Abi.call(
        ServingAbi.GET_SERVICE,
        List.of(new org.web3j.abi.datatypes.Address(provider.toLowerHex()), new Utf8String(name)));
  }

  static Bytes depositCall() {
    return ServingAbi.selector(ServingAbi.DEPOSIT);
  }

  static Bytes addressUint(String sig, Address a, BigInteger v) {
    return Abi.call(
        sig, List.of(new org.web3j.abi.datatypes.Address(a.toLowerHex()), new Uint256(v)));
  }

  static Bytes transferCall(Address provider, BigInteger v) {
    return addressUint(ServingAbi.TRANSFER_FUND, provider, v);
  }

  static Bytes refundCall(Address provider, BigInteger v) {
    return addressUint(ServingAbi.REQUEST_REFUND, provider, v);
  }

  static Bytes processRefundCall(Address provider) {
    return Abi.call(
        ServingAbi.PROCESS_REFUND,
        List.of(new org.web3j.abi.datatypes.Address(provider.toLowerHex())));
  }

  static Bytes withdrawCall(BigInteger v) {
    return Abi.call(ServingAbi.WITHDRAW, List.of(new Uint256(v)));
  }

  SubAccount account(Address user, Address provider) {
    return ServingAbi.decodeAccount(
        ok(view(
                Abi.call(
                    ServingAbi.GET_ACCOUNT,
                    List.of(
                        new org.web3j.abi.datatypes.Address(user.toLowerHex()),
                        new org.web3j.abi.datatypes.Address(provider.toLowerHex())))))
            .returnData());
  }

  BigInteger ledger(Address user) {
    return ok(view(
            Abi.call(
                ServingAbi.GET_BALANCE,
                List.of(new org.web3j.abi.datatypes.Address(user.toLowerHex())))))
        .returnData()
        .toUnsignedBigInteger();
  }

  static SignedRequest request(
      Secp256k1PrivateKey user, Address provider, String service, long nonce, BigInteger fee) {
    return SignedRequest.sign(
        new ServingRequest(
            user.address(),
            provider,
            service,
            BigInteger.valueOf(nonce),
            fee,
            Hashes.keccak256(Bytes.ofUnsignedLong(nonce))),
        DOMAIN,
        user);
  }

  ModuleResult settle(Address provider, List<SignedRequest> batch) {
    return invoke(provider, ServingAbi.settleFeesCall(batch));
  }

  /** Deposits {@code amount} for {@code user} and moves it all to {@code provider}. */
  void prepay(Address user, Address provider, BigInteger amount) {
    ok(invoke(user, amount, depositCall()));
    ok(invoke(user, transferCall(provider, amount)));
  }

  static Bytes32 topic(String sig) {
    return ServingAbi.topic(sig);
  }
}
