package io.axivon.storage.mining;

import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.sdk.mining.Answer;
import io.axivon.sdk.mining.MiningClient;
import io.axivon.sdk.mining.MiningContext;
import java.math.BigInteger;
import org.apache.tuweni.bytes.Bytes32;

/**
 * What the mining loop needs of chain 0; {@link #of} binds the sdk's {@link MiningClient} to the
 * miner's key and salt, tests use a chain in memory.
 */
public interface MiningChain {
  /** The miner id of this key and salt. */
  Bytes32 minerId();

  /** The flow's current mining context. */
  MiningContext context();

  /** The mining module's current target. */
  BigInteger target();

  /** Whether {@link #minerId()} is registered. */
  boolean registered();

  /** Registers {@link #minerId()}. */
  void register() throws InterruptedException;

  /**
   * Submits an answer and returns the reward paid.
   *
   * @throws io.axivon.sdk.mining.MiningClientException with the module's reason when refused
   */
  BigInteger submit(Answer answer) throws InterruptedException;

  static MiningChain of(MiningClient client, Secp256k1PrivateKey key, Bytes32 salt) {
    Bytes32 id = MiningClient.minerId(key.address(), salt);
    return new MiningChain() {
      @Override
      public Bytes32 minerId() {
        return id;
      }

      @Override
      public MiningContext context() {
        return client.context();
      }

      @Override
      public BigInteger target() {
        return client.target();
      }

      @Override
      public boolean registered() {
        return client.minerOf(id).isPresent();
      }

      @Override
      public void register() throws InterruptedException {
        client.register(salt, key);
      }

      @Override
      public BigInteger submit(Answer answer) throws InterruptedException {
        return client.submit(answer, key);
      }
    };
  }
}
