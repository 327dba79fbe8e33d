package io.axivon.compute.mcp;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.sdk.compute.ComputeClient;
import io.axivon.sdk.compute.ComputeException;
import io.axivon.sdk.compute.ResponseReceipt;
import io.axivon.sdk.compute.ServiceInfo;
import io.axivon.sdk.compute.ServingClient;
import io.axivon.sdk.compute.ServingDomain;
import io.axivon.sdk.compute.SubAccount;
import io.axivon.sdk.compute.Verifiability;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.tuweni.bytes.Bytes;

/**
 * The MCP tools over chain 0's serving module and the providers' gateways. {@code call_service}
 * pays with the configured user key: it signs each request with a nonce above the last one it used
 * (and above the chain's settled one), and a fee of the input price times the input bytes plus what
 * the provider said was owed for the previous answer's output.
 */
public final class ComputeMcpTools implements McpTools {
  private final ServingClient chain;
  private final ServingDomain domain;
  private final Optional<Secp256k1PrivateKey> user;
  private final Address provider;
  private final String service;
  private final String defaultPath;
  private final HttpClient http;
  private final Map<Address, Long> lastNonce = new HashMap<>();
  private final Map<Address, BigInteger> owed = new HashMap<>();

  /**
   * @param provider this gateway's provider, the default of provider arguments
   * @param service this gateway's service, the default of call_service's
   * @param defaultPath the path call_service posts to when none is given
   */
  public ComputeMcpTools(
      ServingClient chain,
      ServingDomain domain,
      Optional<Secp256k1PrivateKey> user,
      Address provider,
      String service,
      String defaultPath,
      HttpClient http) {
    this.chain = chain;
    this.domain = domain;
    this.user = user;
    this.provider = provider;
    this.service = service;
    this.defaultPath = defaultPath;
    this.http = http;
  }

  @Override
  public Object listServices(Map<String, Object> args) {
    only(args, Set.of());
    return Map.of("services", chain.listServices().stream().map(ComputeMcpTools::info).toList());
  }

  @Override
  public Object describeService(Map<String, Object> args) {
    only(args, Set.of("provider", "service"));
    return info(service(args));
  }

  @Override
  public Object getBalance(Map<String, Object> args) {
    only(args, Set.of("user", "provider"));
    Address u =
        args.containsKey("user")
            ? address(args, "user")
            : user.map(Secp256k1PrivateKey::address)
                .orElseThrow(
                    () ->
                        new ToolException("this gateway has no user key configured: give 'user'"));
    Address p = args.containsKey("provider") ? address(args, "provider") : provider;
    SubAccount a = chain.account(u, p);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("user", u.toString());
    out.put("balance", chain.balance(u).toString());
    out.put("provider", p.toString());
    out.put(
        "account",
        Map.of(
            "balance", a.balance().toString(),
            "nonce", a.nonce().toString(),
            "pendingRefund", a.pendingRefund().toString(),
            "refundUnlockBlock", a.refundUnlockBlock()));
    return out;
  }

  @Override
  public Object callService(Map<String, Object> args) {
    only(args, Set.of("input", "provider", "service", "path"));
    Secp256k1PrivateKey key =
        user.orElseThrow(
            () -> new ToolException("this gateway has no user key configured to pay with"));
    Object input = args.get("input");
    if (!(input instanceof String text)) {
      throw new ToolException("'input' must be a string");
    }
    String path = args.containsKey("path") ? string(args, "path") : defaultPath;
    if (!path.startsWith("/")) {
      throw new ToolException("'path' must start with /");
    }
    ServiceInfo s = service(args);
    Bytes body = Bytes.wrap(text.getBytes(StandardCharsets.UTF_8));
    ComputeClient.Response r;
    long nonce;
    BigInteger fee;
    // one paid call at a time: nonces and what is owed follow each other
    synchronized (this) {
      long settled = chain.account(key.address(), s.provider()).nonce().longValueExact();
      nonce =
          Math.max(
              Math.max(settled, lastNonce.getOrDefault(s.provider(), 0L)) + 1,
              System.currentTimeMillis() * 1000);
      fee =
          s.inputPrice()
              .multiply(BigInteger.valueOf(body.size()))
              .add(owed.getOrDefault(s.provider(), BigInteger.ZERO));
      try {
        r =
            new ComputeClient(http, key, domain, Duration.ofSeconds(60))
                .post(
                    URI.create(s.url().replaceAll("/+$", "") + path),
                    s.provider(),
                    s.name(),
                    nonce,
                    fee,
                    body);
      } catch (ComputeException e) {
        throw new ToolException(e.getMessage());
      } catch (IOException e) {
        throw new ToolException("cannot reach the gateway at " + s.url() + ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ToolException("interrupted");
      } catch (IllegalArgumentException e) {
        throw new ToolException("bad service url " + s.url() + ": " + e.getMessage());
      }
      lastNonce.put(s.provider(), nonce);
      owed.put(s.provider(), r.owed());
    }
    boolean verified =
        r.signature().isPresent()
            && ComputeClient.verifyResponse(
                s.provider(), r.requestHash(), r.body(), r.signature().get());
    if (s.verifiability() == Verifiability.SIGNED_RESPONSE && !verified) {
      throw new ToolException(
          "the answer is not signed by the provider although the service is signed-response");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("status", r.status());
    out.put("output", new String(r.body().toArrayUnsafe(), StandardCharsets.UTF_8));
    out.put("provider", s.provider().toString());
    out.put("service", s.name());
    out.put("nonce", nonce);
    out.put("fee", fee.toString());
    out.put("owed", r.owed().toString());
    out.put("verified", verified);
    // a signed-response provider's receipt, whole: what `axivon compute dispute` and the serving
    // module's dispute take as evidence, for a client that keeps no state of its own
    r.receipt()
        .ifPresent(
            sr -> {
              ResponseReceipt rr = sr.receipt();
              Map<String, Object> receipt = new LinkedHashMap<>();
              receipt.put("user", rr.user().toString());
              receipt.put("provider", rr.provider().toString());
              receipt.put("service", rr.service());
              receipt.put("nonce", rr.nonce().toString());
              receipt.put("fee", rr.fee().toString());
              receipt.put("requestHash", rr.requestHash().toHexString());
              receipt.put("responseHash", rr.responseHash().toHexString());
              receipt.put("outputUnits", rr.outputUnits().toString());
              receipt.put("signature", sr.signature().encode().toHexString());
              receipt.put("signedByProvider", sr.verify(domain.separator()));
              receipt.put(
                  "overmetered",
                  rr.outputUnits().compareTo(BigInteger.valueOf(r.body().size())) > 0
                      && rr.responseHash().equals(Hashes.keccak256(r.body())));
              out.put("receipt", receipt);
            });
    return out;
  }

  private ServiceInfo service(Map<String, Object> args) {
    Address p = args.containsKey("provider") ? address(args, "provider") : provider;
    String name = args.containsKey("service") ? string(args, "service") : service;
    try {
      return chain.getService(p, name);
    } catch (RuntimeException e) {
      throw new ToolException("no service '" + name + "' of provider " + p + ": " + e.getMessage());
    }
  }

  static Map<String, Object> info(ServiceInfo s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("provider", s.provider().toString());
    m.put("name", s.name());
    m.put("type", s.serviceType());
    m.put("url", s.url());
    m.put("model", s.model());
    m.put("inputPrice", s.inputPrice().toString());
    m.put("outputPrice", s.outputPrice().toString());
    m.put("verifiability", s.verifiability().label());
    return m;
  }

  private static void only(Map<String, Object> args, Set<String> allowed) {
    for (String k : args.keySet()) {
      if (!allowed.contains(k)) {
        throw new ToolException(
            "unknown argument '"
                + k
                + "'"
                + (allowed.isEmpty() ? "" : ": allowed " + List.copyOf(allowed)));
      }
    }
  }

  private static String string(Map<String, Object> args, String key) {
    if (!(args.get(key) instanceof String s) || s.isEmpty()) {
      throw new ToolException("'" + key + "' must be a non-empty string");
    }
    return s;
  }

  private static Address address(Map<String, Object> args, String key) {
    String s = string(args, key);
    try {
      return Address.fromHex(s);
    } catch (InvalidInputException e) {
      throw new ToolException("'" + key + "' is not a 0x address: " + e.getMessage());
    }
  }
}
