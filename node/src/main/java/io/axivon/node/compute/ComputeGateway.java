package io.axivon.node.compute;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.compute.demo.DemoUpstream;
import io.axivon.compute.gateway.GatewayConfig;
import io.axivon.compute.gateway.GatewayServer;
import io.axivon.compute.gateway.GatewayService;
import io.axivon.compute.gateway.ServingChain;
import io.axivon.compute.mcp.ComputeMcpTools;
import io.axivon.compute.mcp.McpEndpoint;
import io.axivon.sdk.compute.ServiceInfo;
import io.axivon.sdk.compute.ServingClient;
import io.axivon.sdk.compute.ServingDomain;
import io.axivon.sdk.eth.EthClient;
import io.axivon.sdk.rpc.JsonRpcClient;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.GaugeMetricFamily;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A running provider gateway (the built-in demo upstream too when configured): what {@code axivon
 * compute-gateway} and the devnet start. On start it reads chain 0's id for the EIP-712 domain,
 * registers the service when configured (its url the gateway's own unless given), and exports the
 * count of requests accepted and not yet settled to Prometheus.
 */
public final class ComputeGateway implements AutoCloseable {
  private final Optional<DemoUpstream> demo;
  private final String demoPath;
  private final GatewayService service;
  private final GatewayServer server;
  private final ServiceInfo info;
  private final URI upstream;
  private final long evmChainId;

  private ComputeGateway(
      Optional<DemoUpstream> demo,
      String demoPath,
      GatewayService service,
      GatewayServer server,
      ServiceInfo info,
      URI upstream,
      long evmChainId) {
    this.demo = demo;
    this.demoPath = demoPath;
    this.service = service;
    this.server = server;
    this.info = info;
    this.upstream = upstream;
    this.evmChainId = evmChainId;
  }

  /**
   * Starts the gateway; on failure stops what had started and rethrows.
   *
   * @param mcpUser the key MCP's call_service pays with, if any
   * @param journal the journal file, already resolved
   * @param registry where the gateway's metrics go
   */
  public static ComputeGateway start(
      ComputeGatewayConfig cfg,
      Secp256k1PrivateKey providerKey,
      Optional<Secp256k1PrivateKey> mcpUser,
      Path journal,
      CollectorRegistry registry)
      throws IOException, InterruptedException {
    EthClient eth = new EthClient(new JsonRpcClient(cfg.chain().rpcUrl(), Duration.ofSeconds(10)));
    long chainId;
    try {
      chainId = eth.chainId();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot reach chain RPC " + cfg.chain().rpc() + ": " + e.getMessage(), e);
    }
    Address serving = ComputeGatewayConfig.Chain.servingAddress(cfg.chain().serving());
    ServingClient chain = new ServingClient(eth, serving, Duration.ofSeconds(30));
    ComputeGatewayConfig.Service s = cfg.service();
    ServiceInfo info =
        s.register()
            ? new ServiceInfo(
                providerKey.address(),
                s.name(),
                s.type(),
                s.url(),
                s.model(),
                s.inputPriceWei(),
                s.outputPriceWei(),
                s.verifiabilityValue(),
                0)
            : chain.getService(providerKey.address(), s.name());
    Optional<DemoUpstream> demo =
        cfg.demo() ? Optional.of(DemoUpstream.start("127.0.0.1", 0)) : Optional.empty();
    GatewayService gateway = null;
    GatewayServer server = null;
    try {
      URI upstream = demo.map(DemoUpstream::uri).orElseGet(() -> URI.create(cfg.upstream()));
      GatewayConfig gc =
          new GatewayConfig(
              cfg.port(),
              upstream,
              cfg.maxBodyBytes(),
              cfg.settlement().batchSize(),
              Duration.ofMillis(cfg.settlement().intervalMs()),
              journal,
              cfg.fsync());
      gateway =
          new GatewayService(
              gc,
              providerKey,
              info,
              new ServingDomain(java.math.BigInteger.valueOf(chainId), serving),
              new ServingChain(chain, providerKey),
              HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
      ServingDomain domain = new ServingDomain(java.math.BigInteger.valueOf(chainId), serving);
      McpEndpoint mcp =
          new McpEndpoint(
              new ComputeMcpTools(
                  chain,
                  domain,
                  mcpUser,
                  providerKey.address(),
                  s.name(),
                  cfg.demo() ? cfg.demoPath() : "/",
                  HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()));
      server = GatewayServer.start(gateway, gc, mcp);
      if (s.register()) {
        String url = s.url().isEmpty() ? "http://127.0.0.1:" + server.port() : s.url();
        ServiceInfo registered =
            new ServiceInfo(
                info.provider(),
                info.name(),
                info.serviceType(),
                url,
                info.model(),
                info.inputPrice(),
                info.outputPrice(),
                info.verifiability(),
                0);
        chain.addOrUpdateService(providerKey, registered);
        info = chain.getService(providerKey.address(), s.name());
      }
      ComputeGateway g =
          new ComputeGateway(demo, cfg.demoPath(), gateway, server, info, upstream, chainId);
      registry.register(g.new PendingCollector());
      return g;
    } catch (IOException | InterruptedException | RuntimeException e) {
      if (server != null) {
        server.close();
      }
      if (gateway != null) {
        gateway.close();
      }
      demo.ifPresent(DemoUpstream::close);
      throw e;
    }
  }

  /** The gateway's URL, {@code http://127.0.0.1:PORT}. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + server.port());
  }

  public int port() {
    return server.port();
  }

  /** The service as chain 0 lists it (after registration, when the gateway registered it). */
  public ServiceInfo service() {
    return info;
  }

  /** The upstream the gateway forwards to (the demo's address when it runs the demo). */
  public URI upstream() {
    return upstream;
  }

  /** The gateway's MCP endpoint (Streamable HTTP). */
  public URI mcpUrl() {
    return URI.create(url() + "/mcp");
  }

  /** The URL of a request to the demo service through the gateway, when it runs the demo. */
  public Optional<URI> demoUrl() {
    return demo.map(d -> URI.create(url() + demoPath));
  }

  public long evmChainId() {
    return evmChainId;
  }

  /** Requests accepted and not yet settled. */
  public int pending() {
    return service.pending();
  }

  /** Settles whatever is pending now (one batch). */
  public void settleNow() {
    service.maybeSettle(true);
  }

  private final class PendingCollector extends Collector {
    @Override
    public List<MetricFamilySamples> collect() {
      return List.of(
          new GaugeMetricFamily(
              "axivon_compute_gateway_pending_requests",
              "Requests the gateway accepted and has not yet settled on chain.",
              service.pending()));
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    service.close();
    demo.ifPresent(DemoUpstream::close);
  }
}
