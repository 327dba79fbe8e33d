package io.axivon.compute.gateway;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.common.time.Clock;
import io.axivon.sdk.compute.ComputeClient;
import io.axivon.sdk.compute.ComputeHeaders;
import io.axivon.sdk.compute.ResponseReceipt;
import io.axivon.sdk.compute.ServiceInfo;
import io.axivon.sdk.compute.ServingDomain;
import io.axivon.sdk.compute.SignedReceipt;
import io.axivon.sdk.compute.SignedRequest;
import io.axivon.sdk.compute.Verifiability;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.apache.tuweni.bytes.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One paid request end to end, without the HTTP server: admit, journal, forward to the upstream,
 * meter, sign the response when the service is signed-response, and settle when enough is pending.
 * Thread-safe: admission and journal share one lock; forwarding runs outside it.
 */
public final class GatewayService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayService.class);

  /** An HTTP answer for the server to write. */
  public record Reply(int status, Map<String, String> headers, Bytes body) {
    static Reply error(int status, String message) {
      String json = "{\"error\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}\n";
      return new Reply(
          status,
          Map.of("content-type", "application/json"),
          Bytes.wrap(json.getBytes(StandardCharsets.UTF_8)));
    }
  }

  private final GatewayConfig config;
  private final Secp256k1PrivateKey providerKey;
  private final ServiceInfo service;
  private final org.apache.tuweni.bytes.Bytes32 domainSeparator;
  private final AccountCache accounts;
  private final Admission admission;
  private final Journal journal;
  private final Settler settler;
  private final HttpClient http;
  private final ReentrantLock lock = new ReentrantLock();
  private final Set<List<Object>> inFlight = new HashSet<>(); // (user, nonce) being forwarded
  private final ReentrantLock settling = new ReentrantLock();
  // a full batch settles here, off the request's path: settling waits a block for its receipt
  private final Executor settlements;
  private final ExecutorService ownSettlements; // null when the caller gave the executor

  /** One block of chain 0 on the devnet: a user's burst of requests costs one chain read. */
  public static final Duration DEFAULT_ACCOUNT_TTL = Duration.ofSeconds(1);

  public GatewayService(
      GatewayConfig config,
      Secp256k1PrivateKey providerKey,
      ServiceInfo service,
      ServingDomain domain,
      SettlementChain chain,
      HttpClient http)
      throws IOException {
    this(config, providerKey, service, domain, chain, http, Clock.system(), DEFAULT_ACCOUNT_TTL);
  }

  /**
   * @param accountTtl how long a sub-account read from chain is used for admission (see {@link
   *     AccountCache}); {@link Duration#ZERO} reads it on every request
   */
  public GatewayService(
      GatewayConfig config,
      Secp256k1PrivateKey providerKey,
      ServiceInfo service,
      ServingDomain domain,
      SettlementChain chain,
      HttpClient http,
      Clock clock,
      Duration accountTtl)
      throws IOException {
    this(config, providerKey, service, domain, chain, http, clock, accountTtl, null);
  }

  /**
   * @param settlements where a full batch's settlement runs, so the request that fills it does not
   *     wait for the block; null: a thread of the gateway's own (tests pass {@code Runnable::run}
   *     to settle in the request's thread)
   */
  public GatewayService(
      GatewayConfig config,
      Secp256k1PrivateKey providerKey,
      ServiceInfo service,
      ServingDomain domain,
      SettlementChain chain,
      HttpClient http,
      Clock clock,
      Duration accountTtl,
      Executor settlements)
      throws IOException {
    this.ownSettlements =
        settlements == null
            ? Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("gateway-settle").factory())
            : null;
    this.settlements = settlements == null ? ownSettlements : settlements;
    this.config = config;
    this.providerKey = providerKey;
    this.service = service;
    this.domainSeparator = domain.separator();
    this.http = http;
    Address provider = providerKey.address();
    this.accounts = new AccountCache(chain, provider, clock, accountTtl);
    this.admission = new Admission(provider, domain.separator(), service, config.maxBodyBytes());
    this.journal = Journal.open(config.journal(), provider, config.fsync());
    for (SignedRequest s : journal.pending()) {
      admission.restore(s);
    }
    journal.owed().forEach(admission::restoreOwed);
    this.settler =
        new Settler(
            provider,
            new Settler.Pending() {
              @Override
              public List<SignedRequest> snapshot() {
                return settleable();
              }

              @Override
              public void settled(List<SignedRequest> batch) {
                markSettled(batch);
              }
            },
            chain,
            config.batchSize());
  }

  /** Requests accepted and not yet settled. */
  public int pending() {
    lock.lock();
    try {
      return journal.pendingCount();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Handles one request.
   *
   * @param path the path and query after the gateway's root, forwarded as is
   * @param header header values by (case-insensitive) name, null when absent
   */
  public Reply handle(
      String method, String path, Function<String, String> header, String contentType, Bytes body) {
    // the chain read (usually a cache hit) happens before the lock, so one slow RPC does not stall
    // other users
    Address reader = null;
    AccountCache.Read read = null;
    try {
      String user = header.apply(ComputeHeaders.USER);
      if (user != null && body.size() <= config.maxBodyBytes()) {
        reader = Address.fromHex(user);
        read = accounts.get(reader);
      }
    } catch (InvalidInputException e) {
      // admission refuses the header with its reason
    } catch (RuntimeException e) {
      LOG.warn("account read failed: {}", e.toString());
      return Reply.error(503, "cannot read the account on chain: " + e.getMessage());
    }
    Admission.Decision d = admit(header, body, reader, read);
    if (d instanceof Admission.Refused r && r.status() == 402 && read != null && read.cached()) {
      // the cached view may predate a top-up: decide again on a fresh read before refusing
      try {
        read = accounts.fresh(reader);
      } catch (RuntimeException e) {
        LOG.warn("account read failed: {}", e.toString());
        return Reply.error(503, "cannot read the account on chain: " + e.getMessage());
      }
      d = admit(header, body, reader, read);
    }
    return switch (d) {
      case Admission.Refused r -> Reply.error(r.status(), r.message());
      case Admission.Accepted a -> forward(a.request(), method, path, contentType, body);
    };
  }

  /**
   * Admits under the lock; {@code read} (of {@code reader}) is used only if no settlement changed
   * the chain since it was taken, else the account is read again.
   */
  private Admission.Decision admit(
      Function<String, String> header, Bytes body, Address reader, AccountCache.Read read) {
    lock.lock();
    try {
      Admission.Decision d =
          admission.admit(
              header,
              body,
              u ->
                  u.equals(reader) && read != null && read.epoch() == accounts.epoch()
                      ? read.account()
                      : accounts.fresh(u).account());
      if (d instanceof Admission.Accepted a) {
        journal.accepted(a.request());
        inFlight.add(key(a.request()));
      }
      return d;
    } catch (RuntimeException e) {
      LOG.warn("admission failed: {}", e.toString());
      return new Admission.Refused(503, "cannot check the account on chain: " + e.getMessage());
    } finally {
      lock.unlock();
    }
  }

  private Reply forward(
      SignedRequest s, String method, String path, String contentType, Bytes body) {
    HttpResponse<byte[]> resp;
    try {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(config.upstream().toString() + path))
              .timeout(Duration.ofSeconds(60))
              .method(method, HttpRequest.BodyPublishers.ofByteArray(body.toArrayUnsafe()));
      if (contentType != null) {
        b.header("content-type", contentType);
      }
      resp = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      return voided(s, "upstream failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return voided(s, "interrupted");
    }
    if (resp.statusCode() >= 500) {
      return voided(s, "upstream answered " + resp.statusCode());
    }
    Bytes out = Bytes.wrap(resp.body());
    BigInteger owed;
    lock.lock();
    try {
      inFlight.remove(key(s));
      owed = admission.served(s.request().user(), out.size());
      // durably, before the response (and the owed figure in it) goes out
      journal.owed(s.request().user(), owed);
    } finally {
      lock.unlock();
    }
    Map<String, String> headers = new LinkedHashMap<>();
    resp.headers().firstValue("content-type").ifPresent(v -> headers.put("content-type", v));
    // the upstream's own X- headers (e.g. the erasure demo's backend) pass through; X-Axivon- ones
    // are the gateway's to set
    resp.headers()
        .map()
        .forEach(
            (name, values) -> {
              String n = name.toLowerCase(java.util.Locale.ROOT);
              if (n.startsWith("x-") && !n.startsWith("x-axivon-") && !values.isEmpty()) {
                headers.put(name, values.getFirst());
              }
            });
    headers.put(ComputeHeaders.REQUEST_HASH, s.request().requestHash().toHexString());
    headers.put(ComputeHeaders.OUTPUT_UNITS, Long.toString(out.size()));
    headers.put(ComputeHeaders.OWED, owed.toString());
    if (service.verifiability() == Verifiability.SIGNED_RESPONSE) {
      org.apache.tuweni.bytes.Bytes32 responseHash = io.axivon.common.crypto.Hashes.keccak256(out);
      headers.put(ComputeHeaders.RESPONSE_HASH, responseHash.toHexString());
      // the receipt a dispute can hold against this provider (specs/compute.md section 8.1)
      headers.put(
          ComputeHeaders.RECEIPT_SIGNATURE,
          SignedReceipt.sign(
                  ResponseReceipt.of(s.request(), responseHash, out.size()),
                  domainSeparator,
                  providerKey)
              .signature()
              .encode()
              .toHexString());
      headers.put(
          ComputeHeaders.RESPONSE_SIGNATURE,
          providerKey
              .sign(ComputeClient.responseDigest(s.request().requestHash(), out))
              .encode()
              .toHexString());
    }
    if (pending() >= config.batchSize()) {
      try {
        settlements.execute(() -> maybeSettle(false));
      } catch (RejectedExecutionException e) {
        // closing: the journal keeps the batch, and the next start settles it
      }
    }
    return new Reply(resp.statusCode(), headers, out);
  }

  private Reply voided(SignedRequest s, String why) {
    lock.lock();
    try {
      inFlight.remove(key(s));
      if (journal.voided(s)) {
        admission.settled(List.of(s));
      }
    } finally {
      lock.unlock();
    }
    return Reply.error(502, why + "; the request is not charged");
  }

  /**
   * Settles one batch if {@code force} or a full batch is pending; at most one settlement runs at a
   * time (a concurrent call returns at once).
   */
  public void maybeSettle(boolean force) {
    if (!force && pending() < config.batchSize()) {
      return;
    }
    if (!settling.tryLock()) {
      return;
    }
    try {
      settleLocked();
    } finally {
      settling.unlock();
    }
  }

  private void settleLocked() {
    try {
      int n = settler.settleOnce();
      if (n > 0) {
        LOG.info("settled {} requests, {} pending", n, pending());
      }
    } catch (Exception e) {
      LOG.warn("settlement failed, will retry: {}", e.toString());
    }
  }

  private static List<Object> key(SignedRequest s) {
    return List.of(s.request().user(), s.request().nonce());
  }

  /** Pending requests, skipping each user's from its first one still being forwarded. */
  private List<SignedRequest> settleable() {
    lock.lock();
    try {
      Set<Address> blocked = new HashSet<>();
      List<SignedRequest> out = new ArrayList<>();
      for (SignedRequest s : journal.pending()) {
        Address u = s.request().user();
        if (blocked.contains(u) || inFlight.contains(key(s))) {
          blocked.add(u);
        } else {
          out.add(s);
        }
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  private void markSettled(List<SignedRequest> batch) {
    lock.lock();
    try {
      // the chain charged these users: their cached sub-accounts are stale from now on
      batch.forEach(s -> accounts.invalidate(s.request().user()));
      admission.settled(journal.settled(batch));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() throws IOException {
    if (ownSettlements != null) {
      // a settlement under way finishes (its journal entries are written) before the journal closes
      ownSettlements.shutdown();
      try {
        if (!ownSettlements.awaitTermination(30, TimeUnit.SECONDS)) {
          LOG.warn("a settlement is still running at close; the journal resumes it on restart");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    lock.lock();
    try {
      journal.close();
    } finally {
      lock.unlock();
    }
  }
}
