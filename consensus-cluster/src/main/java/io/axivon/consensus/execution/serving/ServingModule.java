package io.axivon.consensus.execution.serving;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.execution.system.Abi;
import io.axivon.consensus.execution.system.ModuleCall;
import io.axivon.consensus.execution.system.ModuleRevert;
import io.axivon.consensus.execution.system.SystemModule;
import io.axivon.sdk.compute.ResponseReceipt;
import io.axivon.sdk.compute.ServiceInfo;
import io.axivon.sdk.compute.ServingAbi;
import io.axivon.sdk.compute.ServingDomain;
import io.axivon.sdk.compute.ServingRequest;
import io.axivon.sdk.compute.SignedReceipt;
import io.axivon.sdk.compute.SignedRequest;
import io.axivon.sdk.compute.SubAccount;
import io.axivon.sdk.compute.Verifiability;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.apache.tuweni.bytes.MutableBytes32;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * The compute marketplace on chain 0, at {@link #ADDRESS} (specs/compute.md,
 * specs/contracts/IServing.sol): providers register services with prices; users deposit AXN into a
 * ledger, move it into per-provider sub-accounts and take it back through a time-locked refund;
 * providers settle batches of user-signed requests (EIP-712 {@link ServingRequest}) with {@code
 * settleFees}, which checks every signature, requires nonces strictly increasing per (user,
 * provider) — so nothing is settled twice — and charges no sub-account beyond its balance.
 *
 * <p>The module holds every deposited wei on its own address: its balance always equals the sum of
 * the ledger balances and the sub-account balances (the conservation property the tests check).
 */
public final class ServingModule implements SystemModule {
  /** {@code 0x0000000000000000000000000000000000001005} (…1003 mining and …1004 DA reserved). */
  public static final Address ADDRESS = ServingDomain.SERVING_ADDRESS;

  /**
   * Gas per signature recovery: the EVM's ecrecover precompile price, which our recovery (native
   * libsecp256k1, tens of microseconds) matches in cost.
   */
  public static final long ECRECOVER_GAS = 3_000;

  /**
   * What a successful dispute pays the user beyond the request's fee, from the provider's bond:
   * 0.01 AXN, so that disputing a cheap request is still worth its gas.
   */
  public static final BigInteger DISPUTE_PENALTY = BigInteger.TEN.pow(16);

  /** Largest response body a metering dispute may carry (calldata the chain must hash). */
  public static final int MAX_DISPUTE_BODY = 256 * 1024;

  /** {@code Disputed.kind}: two different receipts for one request. */
  public static final int DISPUTE_EQUIVOCATION = 1;

  /** {@code Disputed.kind}: a receipt metering more output units than its body has bytes. */
  public static final int DISPUTE_OVERMETERED = 2;

  /** Balances are kept in 192 bits (beside a 64-bit nonce or block in one slot). */
  static final int BALANCE_BITS = 192;

  private static final Bytes32 UPDATED_TOPIC = ServingAbi.topic(ServingAbi.SERVICE_UPDATED);
  private static final Bytes32 REMOVED_TOPIC = ServingAbi.topic(ServingAbi.SERVICE_REMOVED);
  private static final Bytes32 DEPOSITED_TOPIC = ServingAbi.topic(ServingAbi.DEPOSITED);
  private static final Bytes32 TRANSFERRED_TOPIC = ServingAbi.topic(ServingAbi.TRANSFERRED);
  private static final Bytes32 REFUND_REQUESTED_TOPIC =
      ServingAbi.topic(ServingAbi.REFUND_REQUESTED);
  private static final Bytes32 REFUND_PROCESSED_TOPIC =
      ServingAbi.topic(ServingAbi.REFUND_PROCESSED);
  private static final Bytes32 WITHDRAWN_TOPIC = ServingAbi.topic(ServingAbi.WITHDRAWN);
  private static final Bytes32 FEES_SETTLED_TOPIC = ServingAbi.topic(ServingAbi.FEES_SETTLED);
  private static final Bytes32 BOND_DEPOSITED_TOPIC = ServingAbi.topic(ServingAbi.BOND_DEPOSITED);
  private static final Bytes32 UNBOND_REQUESTED_TOPIC =
      ServingAbi.topic(ServingAbi.UNBOND_REQUESTED);
  private static final Bytes32 BOND_WITHDRAWN_TOPIC = ServingAbi.topic(ServingAbi.BOND_WITHDRAWN);
  private static final Bytes32 DISPUTED_TOPIC = ServingAbi.topic(ServingAbi.DISPUTED);

  private record Method(String signature, boolean payable) {}

  private static final Map<Bytes, Method> METHODS = methods();

  private static Map<Bytes, Method> methods() {
    Map<Bytes, Method> out = new HashMap<>();
    for (Method m :
        List.of(
            new Method(ServingAbi.ADD_OR_UPDATE_SERVICE, false),
            new Method(ServingAbi.REMOVE_SERVICE, false),
            new Method(ServingAbi.GET_SERVICE, false),
            new Method(ServingAbi.LIST_SERVICES, false),
            new Method(ServingAbi.DEPOSIT, true),
            new Method(ServingAbi.TRANSFER_FUND, false),
            new Method(ServingAbi.REQUEST_REFUND, false),
            new Method(ServingAbi.PROCESS_REFUND, false),
            new Method(ServingAbi.WITHDRAW, false),
            new Method(ServingAbi.GET_ACCOUNT, false),
            new Method(ServingAbi.GET_BALANCE, false),
            new Method(ServingAbi.SETTLE_FEES, false),
            new Method(ServingAbi.LOCK_BLOCKS, false),
            new Method(ServingAbi.DEPOSIT_BOND, true),
            new Method(ServingAbi.REQUEST_UNBOND, false),
            new Method(ServingAbi.WITHDRAW_BOND, false),
            new Method(ServingAbi.GET_BOND, false),
            new Method(ServingAbi.DISPUTE_EQUIVOCATION, false),
            new Method(ServingAbi.DISPUTE_METERING, false),
            new Method(ServingAbi.IS_DISPUTED, false))) {
      out.put(ServingAbi.selector(m.signature()), m);
    }
    return Map.copyOf(out);
  }

  private static final List<TypeReference<?>> ADD_ARGS =
      List.of(
          new TypeReference<Utf8String>() {},
          new TypeReference<Utf8String>() {},
          new TypeReference<Utf8String>() {},
          new TypeReference<Utf8String>() {},
          new TypeReference<Uint256>() {},
          new TypeReference<Uint256>() {},
          // uint8 on the wire; read as uint256 so an out-of-range value gets its precise reason
          new TypeReference<Uint256>() {});
  private static final List<TypeReference<?>> STRING_ARG =
      List.of(new TypeReference<Utf8String>() {});
  private static final List<TypeReference<?>> ADDRESS_STRING_ARGS =
      List.of(
          new TypeReference<org.web3j.abi.datatypes.Address>() {},
          new TypeReference<Utf8String>() {});
  private static final List<TypeReference<?>> ADDRESS_UINT_ARGS =
      List.of(
          new TypeReference<org.web3j.abi.datatypes.Address>() {}, new TypeReference<Uint256>() {});
  private static final List<TypeReference<?>> ADDRESS_ARG =
      List.of(new TypeReference<org.web3j.abi.datatypes.Address>() {});
  private static final List<TypeReference<?>> TWO_ADDRESS_ARGS =
      List.of(
          new TypeReference<org.web3j.abi.datatypes.Address>() {},
          new TypeReference<org.web3j.abi.datatypes.Address>() {});
  private static final List<TypeReference<?>> UINT_ARG = List.of(new TypeReference<Uint256>() {});
  private static final List<TypeReference<?>> TWO_ADDRESS_UINT_ARGS =
      List.of(
          new TypeReference<org.web3j.abi.datatypes.Address>() {},
          new TypeReference<org.web3j.abi.datatypes.Address>() {},
          new TypeReference<Uint256>() {});

  private final ServingConfig config;
  private final Bytes32 domainSeparator;

  public ServingModule(ServingConfig config) {
    this.config = config;
    this.domainSeparator = ServingDomain.of(config.chainId()).separator();
  }

  public ServingConfig config() {
    return config;
  }

  @Override
  public Address address() {
    return ADDRESS;
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
    return switch (m.signature()) {
      case ServingAbi.ADD_OR_UPDATE_SERVICE -> addOrUpdateService(c, caller, args);
      case ServingAbi.REMOVE_SERVICE -> {
        String name = string(Abi.decodeArgs(args, STRING_ARG).get(0));
        ServiceRegistry.validateName(name);
        ServiceRegistry.remove(c, caller, name);
        c.log(List.of(REMOVED_TOPIC, word(caller)), Abi.encode(List.of(new Utf8String(name))));
        yield Bytes.EMPTY;
      }
      case ServingAbi.GET_SERVICE -> {
        List<Type> a = Abi.decodeArgs(args, ADDRESS_STRING_ARGS);
        yield ServingAbi.encodeServiceReturn(
            ServiceRegistry.get(c, address(a.get(0)), string(a.get(1))));
      }
      case ServingAbi.LIST_SERVICES -> {
        Abi.decodeArgs(args, List.of());
        yield ServingAbi.encodeServicesReturn(ServiceRegistry.list(c));
      }
      case ServingAbi.DEPOSIT -> {
        Abi.decodeArgs(args, List.of());
        deposit(c, caller, value);
        yield Bytes.EMPTY;
      }
      case ServingAbi.TRANSFER_FUND -> {
        List<Type> a = Abi.decodeArgs(args, ADDRESS_UINT_ARGS);
        transferFund(c, caller, address(a.get(0)), uint(a.get(1)));
        yield Bytes.EMPTY;
      }
      case ServingAbi.REQUEST_REFUND -> {
        List<Type> a = Abi.decodeArgs(args, ADDRESS_UINT_ARGS);
        requestRefund(c, caller, address(a.get(0)), uint(a.get(1)));
        yield Bytes.EMPTY;
      }
      case ServingAbi.PROCESS_REFUND -> {
        List<Type> a = Abi.decodeArgs(args, ADDRESS_ARG);
        yield ServingAbi.uint(processRefund(c, caller, address(a.get(0))));
      }
      case ServingAbi.WITHDRAW -> {
        withdraw(c, caller, uint(Abi.decodeArgs(args, UINT_ARG).get(0)));
        yield Bytes.EMPTY;
      }
      case ServingAbi.GET_ACCOUNT -> {
        List<Type> a = Abi.decodeArgs(args, TWO_ADDRESS_ARGS);
        yield ServingAbi.encodeAccount(account(c, address(a.get(0)), address(a.get(1))));
      }
      case ServingAbi.GET_BALANCE ->
          ServingAbi.uint(ledger(c, address(Abi.decodeArgs(args, ADDRESS_ARG).get(0))));
      case ServingAbi.LOCK_BLOCKS -> {
        Abi.decodeArgs(args, List.of());
        yield ServingAbi.uint(config.lockBlocks());
      }
      case ServingAbi.SETTLE_FEES -> ServingAbi.uint(settleFees(c, caller, args));
      case ServingAbi.DEPOSIT_BOND -> {
        Abi.decodeArgs(args, List.of());
        depositBond(c, caller, value);
        yield Bytes.EMPTY;
      }
      case ServingAbi.REQUEST_UNBOND -> {
        requestUnbond(c, caller, uint(Abi.decodeArgs(args, UINT_ARG).get(0)));
        yield Bytes.EMPTY;
      }
      case ServingAbi.WITHDRAW_BOND -> {
        Abi.decodeArgs(args, List.of());
        yield ServingAbi.uint(withdrawBond(c, caller));
      }
      case ServingAbi.GET_BOND -> {
        Address provider = address(Abi.decodeArgs(args, ADDRESS_ARG).get(0));
        Unbond u = Unbond.load(c, provider);
        BigInteger bond = bond(c, provider);
        yield ServingAbi.encodeBond(
            new io.axivon.sdk.compute.Bond(bond, u.pending.min(bond), u.unlockBlock));
      }
      case ServingAbi.DISPUTE_EQUIVOCATION -> ServingAbi.uint(disputeEquivocation(c, args));
      case ServingAbi.DISPUTE_METERING -> ServingAbi.uint(disputeMetering(c, args));
      case ServingAbi.IS_DISPUTED -> {
        List<Type> a = Abi.decodeArgs(args, TWO_ADDRESS_UINT_ARGS);
        yield c.load(disputedKey(address(a.get(0)), address(a.get(1)), uint(a.get(2))));
      }
      default -> throw new IllegalStateException("unhandled " + m.signature());
    };
  }

  // ------------------------------------------------------------------ services

  private Bytes addOrUpdateService(ModuleCall c, Address provider, Bytes args) {
    List<Type> a = Abi.decodeArgs(args, ADD_ARGS);
    String name = string(a.get(0));
    String type = string(a.get(1));
    String url = string(a.get(2));
    String model = string(a.get(3));
    BigInteger inputPrice = uint(a.get(4));
    BigInteger outputPrice = uint(a.get(5));
    BigInteger v = uint(a.get(6));
    ServiceRegistry.validate(name, type, url, model, inputPrice, outputPrice);
    Verifiability verifiability;
    try {
      verifiability = Verifiability.of(v.bitLength() > 31 ? -1 : v.intValueExact());
    } catch (InvalidInputException e) {
      throw new ModuleRevert(
          "verifiability must be 0 (none), 1 (signed-response) or 2 (tee-attested), got " + v);
    }
    ServiceInfo s =
        new ServiceInfo(
            provider,
            name,
            type,
            url,
            model,
            inputPrice,
            outputPrice,
            verifiability,
            c.blockNumber());
    ServiceRegistry.put(c, s);
    // the event's data is the tuple's fields after the provider (indexed): name … verifiability
    c.log(
        List.of(UPDATED_TOPIC, word(provider)),
        Abi.encode(
            List.of(
                new Utf8String(name),
                new Utf8String(type),
                new Utf8String(url),
                new Utf8String(model),
                new Uint256(inputPrice),
                new Uint256(outputPrice),
                new Uint256(verifiability.code()))));
    return Bytes.EMPTY;
  }

  // ------------------------------------------------------------------ ledger

  private void deposit(ModuleCall c, Address user, BigInteger value) {
    if (value.signum() == 0) {
      throw new ModuleRevert("deposit of zero wei");
    }
    BigInteger balance = ledger(c, user).add(value);
    checkBalance(balance);
    c.transfer(user, ADDRESS, value);
    setLedger(c, user, balance);
    c.log(
        List.of(DEPOSITED_TOPIC, word(user)),
        Bytes.concatenate(ServingAbi.uint(value), ServingAbi.uint(balance)));
  }

  private void transferFund(ModuleCall c, Address user, Address provider, BigInteger amount) {
    positive(amount, "transfer");
    BigInteger balance = ledger(c, user);
    if (balance.compareTo(amount) < 0) {
      throw new ModuleRevert(
          "ledger balance of " + balance + " wei is below the " + amount + " wei to transfer");
    }
    Sub sub = Sub.load(c, user, provider);
    BigInteger subBalance = sub.balance.add(amount);
    checkBalance(subBalance);
    setLedger(c, user, balance.subtract(amount));
    new Sub(sub.nonce, subBalance).store(c, user, provider);
    c.log(List.of(TRANSFERRED_TOPIC, word(user), word(provider)), ServingAbi.uint(amount));
  }

  private void requestRefund(ModuleCall c, Address user, Address provider, BigInteger amount) {
    positive(amount, "refund");
    Sub sub = Sub.load(c, user, provider);
    Refund r = Refund.load(c, user, provider);
    BigInteger free = sub.balance.subtract(r.pending.min(sub.balance));
    if (free.compareTo(amount) < 0) {
      throw new ModuleRevert(
          "sub-account has "
              + free
              + " wei not already being refunded, below the "
              + amount
              + " wei asked");
    }
    long unlock = c.blockNumber() + config.lockBlocks();
    BigInteger pending = r.pending.min(sub.balance).add(amount);
    new Refund(unlock, pending).store(c, user, provider);
    c.log(
        List.of(REFUND_REQUESTED_TOPIC, word(user), word(provider)),
        Bytes.concatenate(ServingAbi.uint(amount), ServingAbi.uint(unlock)));
  }

  /** Returns what it moved back to the ledger: the pending refund, less what was settled since. */
  private BigInteger processRefund(ModuleCall c, Address user, Address provider) {
    Refund r = Refund.load(c, user, provider);
    if (r.pending.signum() == 0) {
      throw new ModuleRevert("no refund pending from provider " + provider);
    }
    if (c.blockNumber() < r.unlockBlock) {
      throw new ModuleRevert(
          "refund unlocks at block " + r.unlockBlock + ", now block " + c.blockNumber());
    }
    Sub sub = Sub.load(c, user, provider);
    BigInteger amount = r.pending.min(sub.balance);
    new Sub(sub.nonce, sub.balance.subtract(amount)).store(c, user, provider);
    new Refund(0, BigInteger.ZERO).store(c, user, provider);
    setLedger(c, user, ledger(c, user).add(amount));
    c.log(List.of(REFUND_PROCESSED_TOPIC, word(user), word(provider)), ServingAbi.uint(amount));
    return amount;
  }

  private void withdraw(ModuleCall c, Address user, BigInteger amount) {
    positive(amount, "withdrawal");
    BigInteger balance = ledger(c, user);
    if (balance.compareTo(amount) < 0) {
      throw new ModuleRevert(
          "ledger balance of " + balance + " wei is below the " + amount + " wei to withdraw");
    }
    setLedger(c, user, balance.subtract(amount));
    c.transfer(ADDRESS, user, amount);
    c.log(List.of(WITHDRAWN_TOPIC, word(user)), ServingAbi.uint(amount));
  }

  private static SubAccount account(ModuleCall c, Address user, Address provider) {
    Sub s = Sub.load(c, user, provider);
    Refund r = Refund.load(c, user, provider);
    return new SubAccount(
        s.balance, BigInteger.valueOf(s.nonce), r.pending.min(s.balance), r.unlockBlock);
  }

  // ------------------------------------------------------------------ settlement

  /** Per user of a batch: the sub-account as it evolves, and what the batch charged it. */
  private static final class Charge {
    long nonce;
    BigInteger balance;
    BigInteger total = BigInteger.ZERO;
    int count;

    Charge(Sub s) {
      this.nonce = s.nonce;
      this.balance = s.balance;
    }
  }

  /**
   * Verifies and charges a batch; returns the total paid to the provider. All or nothing: any bad
   * request reverts the whole call.
   */
  private BigInteger settleFees(ModuleCall c, Address provider, Bytes args) {
    List<SignedRequest> batch;
    try {
      batch = ServingAbi.decodeSettleFeesArgs(args, provider, config.maxBatch());
    } catch (InvalidInputException e) {
      throw new ModuleRevert(e.getMessage());
    }
    if (batch.isEmpty()) {
      throw new ModuleRevert("empty batch");
    }
    Map<Address, Charge> charges = new LinkedHashMap<>();
    BigInteger grand = BigInteger.ZERO;
    for (int i = 0; i < batch.size(); i++) {
      SignedRequest s = batch.get(i);
      ServingRequest r = s.request();
      // EIP-712 hashing as the EVM would price it: struct (7 words), service string, digest (66 B)
      c.charge(keccakGas(224) + keccakGas(utf8(r.service())) + keccakGas(66) + ECRECOVER_GAS);
      Address signer;
      try {
        signer = s.signer(domainSeparator);
      } catch (InvalidInputException e) {
        throw new ModuleRevert("request " + i + ": signature does not recover: " + e.getMessage());
      }
      if (!signer.equals(r.user())) {
        throw new ModuleRevert(
            "request " + i + ": signed by " + signer + ", not by its user " + r.user());
      }
      if (r.nonce().bitLength() > 63) {
        throw new ModuleRevert("request " + i + ": nonce must be below 2^63");
      }
      Charge ch = charges.get(r.user());
      if (ch == null) {
        ch = new Charge(Sub.load(c, r.user(), provider));
        charges.put(r.user(), ch);
      }
      long nonce = r.nonce().longValueExact();
      if (nonce <= ch.nonce) {
        throw new ModuleRevert(
            "request "
                + i
                + ": nonce "
                + nonce
                + " of user "
                + r.user()
                + " is not above "
                + ch.nonce
                + " (already settled or out of order)");
      }
      if (ch.balance.compareTo(r.fee()) < 0) {
        throw new ModuleRevert(
            "request "
                + i
                + ": fee of "
                + r.fee()
                + " wei is above the "
                + ch.balance
                + " wei left in the sub-account of user "
                + r.user());
      }
      ch.nonce = nonce;
      ch.balance = ch.balance.subtract(r.fee());
      ch.total = ch.total.add(r.fee());
      ch.count++;
      grand = grand.add(r.fee());
    }
    for (Map.Entry<Address, Charge> e : charges.entrySet()) {
      Charge ch = e.getValue();
      // read at the batch's first request of this user: a warm rewrite of an existing slot
      c.update(Sub.key(e.getKey(), provider), pack(ch.nonce, ch.balance));
      c.log(
          List.of(FEES_SETTLED_TOPIC, word(e.getKey()), word(provider)),
          Bytes.concatenate(
              ServingAbi.uint(ch.count), ServingAbi.uint(ch.total), ServingAbi.uint(ch.nonce)));
    }
    if (grand.signum() > 0) {
      c.transfer(ADDRESS, provider, grand);
    }
    return grand;
  }

  // ------------------------------------------------------------------ bonds and disputes

  private void depositBond(ModuleCall c, Address provider, BigInteger value) {
    if (value.signum() == 0) {
      throw new ModuleRevert("bond deposit of zero wei");
    }
    BigInteger bond = bond(c, provider).add(value);
    checkBalance(bond);
    c.transfer(provider, ADDRESS, value);
    setBond(c, provider, bond);
    c.log(
        List.of(BOND_DEPOSITED_TOPIC, word(provider)),
        Bytes.concatenate(ServingAbi.uint(value), ServingAbi.uint(bond)));
  }

  private void requestUnbond(ModuleCall c, Address provider, BigInteger amount) {
    positive(amount, "unbond");
    BigInteger bond = bond(c, provider);
    Unbond u = Unbond.load(c, provider);
    BigInteger free = bond.subtract(u.pending.min(bond));
    if (free.compareTo(amount) < 0) {
      throw new ModuleRevert(
          "bond of "
              + bond
              + " wei has "
              + free
              + " wei not already unbonding, below the "
              + amount
              + " wei asked");
    }
    long unlock = c.blockNumber() + config.lockBlocks();
    new Unbond(unlock, u.pending.min(bond).add(amount)).store(c, provider);
    c.log(
        List.of(UNBOND_REQUESTED_TOPIC, word(provider)),
        Bytes.concatenate(ServingAbi.uint(amount), ServingAbi.uint(unlock)));
  }

  /** Pays out the unlocked unbonding amount, less what disputes took from the bond since. */
  private BigInteger withdrawBond(ModuleCall c, Address provider) {
    Unbond u = Unbond.load(c, provider);
    if (u.pending.signum() == 0) {
      throw new ModuleRevert("no unbonding pending for provider " + provider);
    }
    if (c.blockNumber() < u.unlockBlock) {
      throw new ModuleRevert(
          "bond unlocks at block " + u.unlockBlock + ", now block " + c.blockNumber());
    }
    BigInteger bond = bond(c, provider);
    BigInteger amount = u.pending.min(bond);
    setBond(c, provider, bond.subtract(amount));
    new Unbond(0, BigInteger.ZERO).store(c, provider);
    if (amount.signum() > 0) {
      c.transfer(ADDRESS, provider, amount);
    }
    c.log(List.of(BOND_WITHDRAWN_TOPIC, word(provider)), ServingAbi.uint(amount));
    return amount;
  }

  /** Verifies a receipt's provider signature, charging what the EVM would for the work. */
  private void checkReceipt(ModuleCall c, SignedReceipt s, String what) {
    ResponseReceipt r = s.receipt();
    // EIP-712 hashing: struct (9 words), service string, digest (66 bytes); then ecrecover
    c.charge(keccakGas(288) + keccakGas(utf8(r.service())) + keccakGas(66) + ECRECOVER_GAS);
    Address signer;
    try {
      signer = s.signer(domainSeparator);
    } catch (InvalidInputException e) {
      throw new ModuleRevert(what + ": signature does not recover: " + e.getMessage());
    }
    if (!signer.equals(r.provider())) {
      throw new ModuleRevert(
          what + ": signed by " + signer + ", not by its provider " + r.provider());
    }
  }

  private BigInteger disputeEquivocation(ModuleCall c, Bytes args) {
    List<SignedReceipt> two;
    try {
      two = ServingAbi.decodeDisputeEquivocationArgs(args);
    } catch (InvalidInputException e) {
      throw new ModuleRevert(e.getMessage());
    }
    SignedReceipt a = two.get(0);
    SignedReceipt b = two.get(1);
    checkReceipt(c, a, "receipt A");
    checkReceipt(c, b, "receipt B");
    if (!a.receipt().sameRequest(b.receipt())) {
      throw new ModuleRevert(
          "the receipts answer different requests (user, provider, service, nonce and request hash"
              + " must all match)");
    }
    if (a.receipt().equals(b.receipt())) {
      throw new ModuleRevert("the receipts state the same response: no equivocation");
    }
    return payDispute(
        c, a.receipt(), a.receipt().fee().min(b.receipt().fee()), DISPUTE_EQUIVOCATION);
  }

  private BigInteger disputeMetering(ModuleCall c, Bytes args) {
    ServingAbi.MeteringEvidence e;
    try {
      e = ServingAbi.decodeDisputeMeteringArgs(args, MAX_DISPUTE_BODY);
    } catch (InvalidInputException ex) {
      throw new ModuleRevert(ex.getMessage());
    }
    ResponseReceipt r = e.receipt().receipt();
    checkReceipt(c, e.receipt(), "receipt");
    c.charge(keccakGas(e.body().size()));
    Bytes32 hash = io.axivon.common.crypto.Hashes.keccak256(e.body());
    if (!hash.equals(r.responseHash())) {
      throw new ModuleRevert(
          "the body hashes to " + hash + ", not the receipt's response hash " + r.responseHash());
    }
    if (r.outputUnits().compareTo(BigInteger.valueOf(e.body().size())) <= 0) {
      throw new ModuleRevert(
          "the receipt meters "
              + r.outputUnits()
              + " output units for a body of "
              + e.body().size()
              + " bytes: no overcharge");
    }
    return payDispute(c, r, r.fee(), DISPUTE_OVERMETERED);
  }

  /**
   * Pays the request's user the refund plus {@link #DISPUTE_PENALTY} (at most the bond) from the
   * provider's bond into the user's ledger balance, and marks the request disputed.
   */
  private BigInteger payDispute(ModuleCall c, ResponseReceipt r, BigInteger refund, int kind) {
    Bytes32 key = disputedKey(r.user(), r.provider(), r.nonce());
    if (!c.load(key).isZero()) {
      throw new ModuleRevert(
          "request "
              + r.nonce()
              + " of user "
              + r.user()
              + " with provider "
              + r.provider()
              + " was already disputed");
    }
    BigInteger bond = bond(c, r.provider());
    if (bond.signum() == 0) {
      throw new ModuleRevert("provider " + r.provider() + " has no bond to pay a dispute from");
    }
    BigInteger paid = bond.min(refund.add(DISPUTE_PENALTY));
    BigInteger ledger = ledger(c, r.user()).add(paid);
    checkBalance(ledger);
    setBond(c, r.provider(), bond.subtract(paid));
    setLedger(c, r.user(), ledger);
    c.store(key, ServingAbi.uint(1));
    c.log(
        List.of(DISPUTED_TOPIC, word(r.user()), word(r.provider())),
        Bytes.concatenate(
            ServingAbi.uint(r.nonce()), ServingAbi.uint(kind), ServingAbi.uint(paid)));
    return paid;
  }

  private static Bytes32 disputedKey(Address user, Address provider, BigInteger nonce) {
    return ServingSlots.key(
        ServingSlots.DISPUTED, user.bytes(), provider.bytes(), ServingAbi.uint(nonce));
  }

  static BigInteger bond(ModuleCall c, Address provider) {
    return c.load(ServingSlots.key(ServingSlots.BOND, provider.bytes())).toUnsignedBigInteger();
  }

  private static void setBond(ModuleCall c, Address provider, BigInteger v) {
    c.store(ServingSlots.key(ServingSlots.BOND, provider.bytes()), ServingAbi.uint(v));
  }

  /** A pending unbond slot: the block it unlocks at and its amount. */
  private record Unbond(long unlockBlock, BigInteger pending) {
    static Unbond load(ModuleCall c, Address provider) {
      Bytes32 w = c.load(ServingSlots.key(ServingSlots.UNBOND, provider.bytes()));
      return new Unbond(w.slice(0, 8).toLong(), w.slice(8).toUnsignedBigInteger());
    }

    void store(ModuleCall c, Address provider) {
      c.store(ServingSlots.key(ServingSlots.UNBOND, provider.bytes()), pack(unlockBlock, pending));
    }
  }

  /** The EVM's KECCAK256 price for {@code bytes} of input: 30 + 6 per 32-byte word. */
  static long keccakGas(int bytes) {
    return 30 + 6L * ((bytes + 31) / 32);
  }

  // ------------------------------------------------------------------ storage

  /** A sub-account slot: the last settled nonce and the balance. */
  private record Sub(long nonce, BigInteger balance) {
    static Bytes32 key(Address user, Address provider) {
      return ServingSlots.key(ServingSlots.SUB_ACCOUNT, user.bytes(), provider.bytes());
    }

    static Sub load(ModuleCall c, Address user, Address provider) {
      Bytes32 w = c.load(key(user, provider));
      return new Sub(w.slice(0, 8).toLong(), w.slice(8).toUnsignedBigInteger());
    }

    void store(ModuleCall c, Address user, Address provider) {
      c.store(key(user, provider), pack(nonce, balance));
    }
  }

  /** A pending refund slot: the block it unlocks at and its amount. */
  private record Refund(long unlockBlock, BigInteger pending) {
    static Refund load(ModuleCall c, Address user, Address provider) {
      Bytes32 w = c.load(ServingSlots.key(ServingSlots.REFUND, user.bytes(), provider.bytes()));
      return new Refund(w.slice(0, 8).toLong(), w.slice(8).toUnsignedBigInteger());
    }

    void store(ModuleCall c, Address user, Address provider) {
      c.store(
          ServingSlots.key(ServingSlots.REFUND, user.bytes(), provider.bytes()),
          pack(unlockBlock, pending));
    }
  }

  private static Bytes32 pack(long high, BigInteger low) {
    MutableBytes32 w = MutableBytes32.create();
    w.set(0, Bytes.ofUnsignedLong(high));
    Bytes v = Bytes.wrap(low.toByteArray()).trimLeadingZeros();
    w.set(32 - v.size(), v);
    return w;
  }

  static BigInteger ledger(ModuleCall c, Address user) {
    return c.load(ServingSlots.key(ServingSlots.LEDGER, user.bytes())).toUnsignedBigInteger();
  }

  private static void setLedger(ModuleCall c, Address user, BigInteger v) {
    c.store(ServingSlots.key(ServingSlots.LEDGER, user.bytes()), ServingAbi.uint(v));
  }

  private static void checkBalance(BigInteger v) {
    if (v.bitLength() > BALANCE_BITS) {
      throw new ModuleRevert("balance would exceed 2^192 wei");
    }
  }

  private static void positive(BigInteger amount, String what) {
    if (amount.signum() == 0) {
      throw new ModuleRevert(what + " of zero wei");
    }
  }

  private static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static Bytes32 word(Address a) {
    return Bytes32.leftPad(a.bytes());
  }

  private static String string(Type<?> t) {
    return (String) t.getValue();
  }

  private static BigInteger uint(Type<?> t) {
    return (BigInteger) t.getValue();
  }

  private static Address address(Type<?> t) {
    return Address.fromHex(((org.web3j.abi.datatypes.Address) t).getValue());
  }
}
