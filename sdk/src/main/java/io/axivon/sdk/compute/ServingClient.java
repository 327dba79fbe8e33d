package io.axivon.sdk.compute;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.sdk.eth.CallRequest;
import io.axivon.sdk.eth.Eip1559Transaction;
import io.axivon.sdk.eth.EthClient;
import io.axivon.sdk.eth.ExecutionRevertedException;
import io.axivon.sdk.eth.Receipt;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The serving module over Ethereum JSON-RPC: views by {@code eth_call}, writes as signed EIP-1559
 * transactions (dry-run first, so a refusal comes back with the module's reason).
 */
public final class ServingClient {
  private final EthClient eth;
  private final Address serving;
  private final Duration receiptTimeout;

  public ServingClient(EthClient eth, Address serving, Duration receiptTimeout) {
    this.eth = eth;
    this.serving = serving;
    this.receiptTimeout = receiptTimeout;
  }

  /** The module at its fixed address, waiting up to 30 s for receipts. */
  public ServingClient(EthClient eth) {
    this(eth, ServingDomain.SERVING_ADDRESS, Duration.ofSeconds(30));
  }

  public EthClient eth() {
    return eth;
  }

  // ------------------------------------------------------------------ views

  public List<ServiceInfo> listServices() {
    return ServingAbi.decodeServicesReturn(view(call(ServingAbi.LIST_SERVICES)));
  }

  public ServiceInfo getService(Address provider, String name) {
    return ServingAbi.decodeServiceReturn(
        view(call(ServingAbi.GET_SERVICE, ServingAbi.word(provider), ServingAbi.dynamic(name))));
  }

  public SubAccount account(Address user, Address provider) {
    return ServingAbi.decodeAccount(
        view(call(ServingAbi.GET_ACCOUNT, ServingAbi.word(user), ServingAbi.word(provider))));
  }

  /** The user's ledger balance (not yet given to any provider). */
  public BigInteger balance(Address user) {
    return view(call(ServingAbi.GET_BALANCE, ServingAbi.word(user))).toUnsignedBigInteger();
  }

  /** A provider's bond (what disputes are paid from). */
  public Bond bond(Address provider) {
    return ServingAbi.decodeBond(view(call(ServingAbi.GET_BOND, ServingAbi.word(provider))));
  }

  /** Whether the request {@code nonce} of (user, provider) was already disputed. */
  public boolean isDisputed(Address user, Address provider, BigInteger nonce) {
    return view(call(
                ServingAbi.IS_DISPUTED,
                ServingAbi.word(user),
                ServingAbi.word(provider),
                ServingAbi.uint(nonce)))
            .toUnsignedBigInteger()
            .signum()
        != 0;
  }

  public long lockBlocks() {
    return view(call(ServingAbi.LOCK_BLOCKS)).toUnsignedBigInteger().longValueExact();
  }

  // ------------------------------------------------------------------ writes

  public Receipt deposit(Secp256k1PrivateKey key, BigInteger amount) throws InterruptedException {
    return send(key, call(ServingAbi.DEPOSIT), amount);
  }

  public Receipt transferFund(Secp256k1PrivateKey key, Address provider, BigInteger amount)
      throws InterruptedException {
    return send(
        key,
        call(ServingAbi.TRANSFER_FUND, ServingAbi.word(provider), ServingAbi.uint(amount)),
        BigInteger.ZERO);
  }

  public Receipt requestRefund(Secp256k1PrivateKey key, Address provider, BigInteger amount)
      throws InterruptedException {
    return send(
        key,
        call(ServingAbi.REQUEST_REFUND, ServingAbi.word(provider), ServingAbi.uint(amount)),
        BigInteger.ZERO);
  }

  public Receipt processRefund(Secp256k1PrivateKey key, Address provider)
      throws InterruptedException {
    return send(key, call(ServingAbi.PROCESS_REFUND, ServingAbi.word(provider)), BigInteger.ZERO);
  }

  public Receipt withdraw(Secp256k1PrivateKey key, BigInteger amount) throws InterruptedException {
    return send(key, call(ServingAbi.WITHDRAW, ServingAbi.uint(amount)), BigInteger.ZERO);
  }

  /** Adds or updates the key's service (its provider field is ignored: the signer provides). */
  public Receipt addOrUpdateService(Secp256k1PrivateKey key, ServiceInfo s)
      throws InterruptedException {
    return send(key, addOrUpdateServiceCall(s), BigInteger.ZERO);
  }

  public Receipt removeService(Secp256k1PrivateKey key, String name) throws InterruptedException {
    return send(key, call(ServingAbi.REMOVE_SERVICE, ServingAbi.dynamic(name)), BigInteger.ZERO);
  }

  /** Settles a batch as its provider {@code key}. */
  public Receipt settleFees(Secp256k1PrivateKey key, List<SignedRequest> batch)
      throws InterruptedException {
    return send(key, ServingAbi.settleFeesCall(batch), BigInteger.ZERO);
  }

  /** Adds {@code amount} to the key's provider bond. */
  public Receipt depositBond(Secp256k1PrivateKey key, BigInteger amount)
      throws InterruptedException {
    return send(key, call(ServingAbi.DEPOSIT_BOND), amount);
  }

  /** Asks {@code amount} of the key's bond back; withdrawable after the lock period. */
  public Receipt requestUnbond(Secp256k1PrivateKey key, BigInteger amount)
      throws InterruptedException {
    return send(key, call(ServingAbi.REQUEST_UNBOND, ServingAbi.uint(amount)), BigInteger.ZERO);
  }

  /** Takes the unlocked unbonding amount back to the key's wallet. */
  public Receipt withdrawBond(Secp256k1PrivateKey key) throws InterruptedException {
    return send(key, call(ServingAbi.WITHDRAW_BOND), BigInteger.ZERO);
  }

  /**
   * Submits two different receipts the provider signed for one request; the module pays the
   * request's user from the provider's bond. Anyone may submit: the payment goes to the user.
   */
  public Receipt disputeEquivocation(Secp256k1PrivateKey key, SignedReceipt a, SignedReceipt b)
      throws InterruptedException {
    return send(key, ServingAbi.disputeEquivocationCall(a, b), BigInteger.ZERO);
  }

  /**
   * Submits a receipt metering more output units than the response body it signed has; the module
   * pays the request's user from the provider's bond.
   */
  public Receipt disputeMetering(Secp256k1PrivateKey key, SignedReceipt r, Bytes body)
      throws InterruptedException {
    return send(key, ServingAbi.disputeMeteringCall(r, body), BigInteger.ZERO);
  }

  public static Bytes addOrUpdateServiceCall(ServiceInfo s) {
    return call(
        ServingAbi.ADD_OR_UPDATE_SERVICE,
        ServingAbi.dynamic(s.name()),
        ServingAbi.dynamic(s.serviceType()),
        ServingAbi.dynamic(s.url()),
        ServingAbi.dynamic(s.model()),
        ServingAbi.uint(s.inputPrice()),
        ServingAbi.uint(s.outputPrice()),
        ServingAbi.uint(s.verifiability().code()));
  }

  /** A call's data: selector, then the arguments encoded as a tuple. */
  static Bytes call(String signature, Object... args) {
    return Bytes.concatenate(ServingAbi.selector(signature), ServingAbi.tuple(List.of(args)));
  }

  private Bytes view(Bytes data) {
    try {
      return eth.call(CallRequest.of(serving, data), "latest");
    } catch (ExecutionRevertedException e) {
      throw new ComputeException("the serving module refuses: " + reason(e.revertData()), e);
    }
  }

  private Receipt send(Secp256k1PrivateKey key, Bytes data, BigInteger value)
      throws InterruptedException {
    Address from = key.address();
    CallRequest call = new CallRequest(Optional.of(from), serving, value, data);
    long gas;
    try {
      eth.call(call, "latest");
      gas = eth.estimateGas(call) * 5 / 4;
    } catch (ExecutionRevertedException e) {
      throw new ComputeException("the serving module refuses: " + reason(e.revertData()), e);
    }
    BigInteger tip = eth.maxPriorityFeePerGas();
    Eip1559Transaction tx =
        new Eip1559Transaction(
            eth.chainId(),
            eth.getTransactionCount(from, "pending"),
            tip,
            eth.gasPrice().shiftLeft(1).max(tip),
            gas,
            Optional.of(serving),
            value,
            data);
    Bytes32 hash = eth.sendRawTransaction(tx.sign(key).raw());
    Receipt receipt;
    try {
      receipt = eth.waitForReceipt(hash, receiptTimeout);
    } catch (TimeoutException e) {
      throw new ComputeException("transaction " + hash + " got no receipt: " + e.getMessage(), e);
    }
    if (!receipt.success()) {
      throw new ComputeException(
          "transaction " + hash + " reverted in block " + receipt.blockNumber());
    }
    return receipt;
  }

  /** The reason inside {@code Error(string)} revert data, else its hex. */
  public static String reason(Bytes revertData) {
    if (revertData != null
        && revertData.size() >= 4 + 64
        && revertData.slice(0, 4).equals(ServingAbi.selector("Error(string)"))) {
      Bytes body = revertData.slice(4);
      int len = body.slice(32, 32).toUnsignedBigInteger().intValue();
      if (64 + len <= body.size()) {
        return new String(body.slice(64, len).toArrayUnsafe(), StandardCharsets.UTF_8);
      }
    }
    return revertData == null ? "(no data)" : revertData.toHexString();
  }
}
