package io.axivon.compute.gateway;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.sdk.compute.SignedRequest;
import io.axivon.sdk.compute.SubAccount;
import java.util.List;

/** What the gateway needs of chain 0's serving module. */
public interface SettlementChain {
  /** The sub-account (user, provider) as the chain has it now. */
  SubAccount account(Address user, Address provider);

  /** Sends {@code settleFees(batch)} as the provider and waits for it to succeed. */
  void settle(List<SignedRequest> batch) throws Exception;
}
