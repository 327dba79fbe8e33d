package io.axivon.compute.gateway;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1Signature;
import io.axivon.sdk.compute.ComputeHeaders;
import io.axivon.sdk.compute.ServiceInfo;
import io.axivon.sdk.compute.ServingRequest;
import io.axivon.sdk.compute.SignedRequest;
import io.axivon.sdk.compute.SubAccount;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The gateway's pure core: decides whether a paid request may be forwarded, and keeps per user the
 * last nonce accepted, the fees accepted but not yet settled, and the output owed. No I/O: the
 * caller passes the sub-account read from chain.
 *
 * <p>Pricing (specs/compute.md section 7): a request's signed fee must cover its input ({@code
 * inputPrice × input units}) plus the output of earlier responses not yet paid for ({@code owed}),
 * as in 0G's serving network, where output is only known after the response.
 */
public final class Admission {
  /** The outcome of {@link #admit}. */
  public sealed interface Decision {}

  public record Accepted(SignedRequest request) implements Decision {}

  /**
   * @param status the HTTP status: 400 malformed, 401 unsigned or mis-signed, 402 underpaid or
   *     underfunded, 404 unknown service, 409 replayed nonce, 413 too large
   */
  public record Refused(int status, String message) implements Decision {}

  private static final class User {
    long lastNonce;
    BigInteger unsettled = BigInteger.ZERO;
    BigInteger owed = BigInteger.ZERO;
  }

  private final Address provider;
  private final Bytes32 domainSeparator;
  private final ServiceInfo service;
  private final long maxBodyBytes;
  private final Map<Address, User> users = new HashMap<>();

  public Admission(
      Address provider, Bytes32 domainSeparator, ServiceInfo service, long maxBodyBytes) {
    this.provider = provider;
    this.domainSeparator = domainSeparator;
    this.service = service;
    this.maxBodyBytes = maxBodyBytes;
  }

  public ServiceInfo service() {
    return service;
  }

  /** Input units of a body: its size in bytes (generic HTTP services). */
  public static long inputUnits(Bytes body) {
    return body.size();
  }

  /**
   * Decides on one request.
   *
   * @param header the request's header values by name (null when absent)
   * @param account the user's sub-account with this provider as the chain has it now
   */
  public Decision admit(
      Function<String, String> header, Bytes body, Function<Address, SubAccount> account) {
    if (body.size() > maxBodyBytes) {
      return new Refused(
          413, "request body of " + body.size() + " bytes exceeds the limit of " + maxBodyBytes);
    }
    for (String h :
        List.of(
            ComputeHeaders.USER,
            ComputeHeaders.SERVICE,
            ComputeHeaders.NONCE,
            ComputeHeaders.FEE,
            ComputeHeaders.SIGNATURE)) {
      if (header.apply(h) == null) {
        return new Refused(401, "missing header " + h + ": requests must be signed");
      }
    }
    if (!service.name().equals(header.apply(ComputeHeaders.SERVICE))) {
      return new Refused(
          404,
          "no service '"
              + header.apply(ComputeHeaders.SERVICE)
              + "' at this gateway (it serves '"
              + service.name()
              + "')");
    }
    SignedRequest signed;
    try {
      Address user = Address.fromHex(header.apply(ComputeHeaders.USER));
      BigInteger nonce = decimal(header.apply(ComputeHeaders.NONCE), ComputeHeaders.NONCE);
      BigInteger fee = decimal(header.apply(ComputeHeaders.FEE), ComputeHeaders.FEE);
      Bytes32 requestHash = Hashes.keccak256(body);
      signed =
          new SignedRequest(
              new ServingRequest(user, provider, service.name(), nonce, fee, requestHash),
              Secp256k1Signature.decode(
                  Bytes.fromHexString(header.apply(ComputeHeaders.SIGNATURE))));
    } catch (InvalidInputException | IllegalArgumentException e) {
      return new Refused(400, "malformed request headers: " + e.getMessage());
    }
    ServingRequest r = signed.request();
    if (!signed.verify(domainSeparator)) {
      return new Refused(
          401,
          "signature is not "
              + r.user()
              + "'s over this request (provider "
              + provider
              + ", service, nonce, fee and body hash)");
    }
    if (r.nonce().bitLength() > 63) {
      return new Refused(400, "nonce must be below 2^63");
    }
    SubAccount acc = account.apply(r.user());
    User u = users.computeIfAbsent(r.user(), k -> new User());
    long last = Math.max(u.lastNonce, acc.nonce().longValueExact());
    long nonce = r.nonce().longValueExact();
    if (nonce <= last) {
      return new Refused(409, "nonce " + nonce + " already used: the next must be above " + last);
    }
    BigInteger due =
        service.inputPrice().multiply(BigInteger.valueOf(inputUnits(body))).add(u.owed);
    if (r.fee().compareTo(due) < 0) {
      return new Refused(
          402,
          "fee of "
              + r.fee()
              + " wei is below the "
              + due
              + " wei due ("
              + inputUnits(body)
              + " input units at "
              + service.inputPrice()
              + " wei plus "
              + u.owed
              + " wei owed for output)");
    }
    BigInteger available = acc.balance().subtract(acc.pendingRefund());
    BigInteger needed = u.unsettled.add(r.fee());
    if (available.compareTo(needed) < 0) {
      return new Refused(
          402,
          "sub-account of "
              + r.user()
              + " with provider "
              + provider
              + " holds "
              + available
              + " wei not being refunded, below the "
              + needed
              + " wei of unsettled fees with this request: transfer more funds");
    }
    u.lastNonce = nonce;
    u.unsettled = needed;
    u.owed = BigInteger.ZERO;
    return new Accepted(signed);
  }

  /** Records the output of a forwarded request; returns what the user now owes. */
  public BigInteger served(Address user, long outputUnits) {
    User u = users.computeIfAbsent(user, k -> new User());
    u.owed = u.owed.add(service.outputPrice().multiply(BigInteger.valueOf(outputUnits)));
    return u.owed;
  }

  /** Re-admits a request from the journal after a restart (already verified when accepted). */
  public void restore(SignedRequest s) {
    User u = users.computeIfAbsent(s.request().user(), k -> new User());
    u.lastNonce = Math.max(u.lastNonce, s.request().nonce().longValueExact());
    u.unsettled = u.unsettled.add(s.request().fee());
  }

  /** Restores what {@code user} owes for output, from the journal after a restart. */
  public void restoreOwed(Address user, BigInteger wei) {
    users.computeIfAbsent(user, k -> new User()).owed = wei;
  }

  /** Settled (or found settled on chain): no longer counted as unsettled. */
  public void settled(List<SignedRequest> batch) {
    for (SignedRequest s : batch) {
      User u = users.get(s.request().user());
      if (u != null) {
        u.unsettled = u.unsettled.subtract(s.request().fee()).max(BigInteger.ZERO);
      }
    }
  }

  /** Fees accepted from {@code user} and not yet settled. */
  public BigInteger unsettled(Address user) {
    User u = users.get(user);
    return u == null ? BigInteger.ZERO : u.unsettled;
  }

  private static BigInteger decimal(String s, String name) {
    if (s.isEmpty() || s.length() > 78 || !s.chars().allMatch(Character::isDigit)) {
      throw new InvalidInputException(name + " must be a decimal integer, got '" + s + "'");
    }
    BigInteger v = new BigInteger(s);
    if (v.bitLength() > 256) {
      throw new InvalidInputException(name + " must be a uint256");
    }
    return v;
  }
}
