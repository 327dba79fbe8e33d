package io.axivon.compute.gateway;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.sdk.compute.ServingClient;
import io.axivon.sdk.compute.SignedRequest;
import io.axivon.sdk.compute.SubAccount;
import java.util.List;

/** {@link SettlementChain} over chain 0's JSON-RPC: the serving module through the sdk. */
public final class ServingChain implements SettlementChain {
  private final ServingClient client;
  private final Secp256k1PrivateKey providerKey;

  public ServingChain(ServingClient client, Secp256k1PrivateKey providerKey) {
    this.client = client;
    this.providerKey = providerKey;
  }

  @Override
  public SubAccount account(Address user, Address provider) {
    return client.account(user, provider);
  }

  @Override
  public void settle(List<SignedRequest> batch) throws InterruptedException {
    client.settleFees(providerKey, batch);
  }
}
