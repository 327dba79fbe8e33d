package io.axivon.node.devnet;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a running devnet serves, as printed at start and written to {@code DIR/devnet.json} so
 * scripts and tests find every endpoint (format in specs/cli.md).
 *
 * @param metrics the Prometheus endpoint URL
 * @param chainId chain 0's consensus chain id
 * @param explorer the explorer page URL
 * @param chains every chain the validators run, chain 0 first
 * @param devAccounts the funded development accounts (mnemonic {@code test test … junk},
 *     m/44'/60'/0'/0/i)
 * @param p2p the validators' P2P nodes, each dialable as {@code enode}
 * @param storage the storage nodes following chain 0's flow, each serving 0G's zgs_* JSON-RPC
 * @param services the other services by name and URL: {@code kv} (the KV node's kv_* JSON-RPC)
 * @param compute the compute-market gateways (one, in front of the built-in demo service)
 * @param da chain 0's DA network: the blob API, the disperser and the DA nodes; null when the
 *     devnet runs none
 */
public record DevnetManifest(
    String version,
    long networkId,
    String chainId,
    String dataDir,
    String metrics,
    String explorer,
    List<ChainEndpoint> chains,
    List<String> devAccounts,
    List<P2pEndpoint> p2p,
    List<StorageEndpoint> storage,
    Map<String, String> services,
    List<ComputeEndpoint> compute,
    DaEndpoint da) {

  /** A manifest without a DA network. */
  public DevnetManifest(
      String version,
      long networkId,
      String chainId,
      String dataDir,
      String metrics,
      String explorer,
      List<ChainEndpoint> chains,
      List<String> devAccounts,
      List<P2pEndpoint> p2p,
      List<StorageEndpoint> storage,
      Map<String, String> services,
      List<ComputeEndpoint> compute) {
    this(
        version,
        networkId,
        chainId,
        dataDir,
        metrics,
        explorer,
        chains,
        devAccounts,
        p2p,
        storage,
        services,
        compute,
        null);
  }

  public DevnetManifest {
    services =
        services == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(services));
    compute = compute == null ? List.of() : List.copyOf(compute);
    chains = List.copyOf(chains);
    devAccounts = List.copyOf(devAccounts);
    p2p = List.copyOf(p2p);
    storage = storage == null ? List.of() : List.copyOf(storage);
  }

  /**
   * One storage node.
   *
   * @param name {@code storage-i}
   * @param rpc its zgs_* JSON-RPC URL, what {@code axivon storage --node} takes
   */
  public record StorageEndpoint(String name, String rpc) {}

  /**
   * One compute gateway.
   *
   * @param gateway its URL, where users send signed requests
   * @param provider the provider address it settles as
   * @param service the service it sells (registered on chain 0)
   * @param demo the URL of a request to the demo service through it
   * @param mcp its MCP endpoint (Streamable HTTP)
   */
  public record ComputeEndpoint(
      String name, String gateway, String provider, String service, String demo, String mcp) {}

  /**
   * Chain 0's DA network.
   *
   * @param api the blob API's base URL (REST under /v1/blobs, OP Alt-DA /put and /get): what {@code
   *     axivon da --api} and an OP batcher's alt-da server URL take
   * @param disperser the disperser's bonded account on chain 0
   * @param module the DA module's address on chain 0
   * @param nodes the DA nodes, one per validator operator
   */
  public record DaEndpoint(
      String api, String disperser, String module, List<DaNodeEndpoint> nodes) {
    public DaEndpoint {
      nodes = List.copyOf(nodes);
    }
  }

  /**
   * One DA node.
   *
   * @param name {@code da-i}, run for validator i's operator
   * @param operator the operator account it signs for (validator i's fee account)
   * @param address its P2P address {@code <node id hex>@host:port}, as registered on chain 0
   */
  public record DaNodeEndpoint(String name, String operator, String address) {}

  /**
   * One P2P node.
   *
   * @param enode {@code <node id hex>@host:port}, the form {@code axivon node --peer} takes
   */
  public record P2pEndpoint(int index, String nodeId, String address, String enode) {}

  /**
   * One chain.
   *
   * @param chainId the consensus chain id
   * @param evmChainId the Ethereum chain id (what wallets and eth_chainId show)
   * @param rpc its Ethereum JSON-RPC URL
   * @param contracts its system modules by name ({@code staking}, {@code flow}) and address (chain
   *     0 runs both; the others none)
   */
  public record ChainEndpoint(
      int index, String chainId, long evmChainId, String rpc, Map<String, String> contracts) {
    public ChainEndpoint {
      contracts =
          contracts == null
              ? Map.of()
              : Collections.unmodifiableMap(new LinkedHashMap<>(contracts));
    }
  }

  /** This manifest with the explorer's URL. */
  public DevnetManifest withExplorer(String url) {
    return new DevnetManifest(
        version,
        networkId,
        chainId,
        dataDir,
        metrics,
        url,
        chains,
        devAccounts,
        p2p,
        storage,
        services,
        compute,
        da);
  }
}
