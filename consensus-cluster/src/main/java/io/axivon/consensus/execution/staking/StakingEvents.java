package io.axivon.consensus.execution.staking;

import io.axivon.common.crypto.bls.BlsPublicKey;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.execution.system.Abi;
import io.axivon.consensus.execution.system.ModuleCall;
import java.math.BigInteger;
import java.util.List;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.generated.Uint16;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * The events of specs/contracts/IStaking.sol. Emitted on every state change made by a transaction;
 * block hooks (rewards, block evidence, epochs) have no transaction to carry logs, so their effects
 * are read through the views.
 */
public final class StakingEvents {
  public static final String REGISTERED = "ValidatorRegistered(address,bytes,uint16)";
  public static final String DELEGATED = "Delegated(address,address,uint256)";
  public static final String UNDELEGATED = "Undelegated(address,address,uint256,uint256)";
  public static final String WITHDRAWN = "Withdrawn(address,uint256)";
  public static final String REWARDS_CLAIMED = "RewardsClaimed(address,uint256)";
  public static final String SLASHED = "Slashed(address,uint256,uint256,bytes32)";
  public static final String JAILED = "Jailed(address)";

  private StakingEvents() {}

  static Bytes32 topic(Address a) {
    return Bytes32.leftPad(a.bytes());
  }

  static void registered(ModuleCall c, Address v, BlsPublicKey key, int commissionBps) {
    c.log(
        List.of(Abi.eventTopic(REGISTERED), topic(v)),
        Abi.encode(List.of(new DynamicBytes(key.toBytes().toArray()), new Uint16(commissionBps))));
  }

  static void delegated(ModuleCall c, Address v, Address d, BigInteger amount) {
    c.log(
        List.of(Abi.eventTopic(DELEGATED), topic(v), topic(d)),
        Abi.encode(List.of(new Uint256(amount))));
  }

  static void undelegated(ModuleCall c, Address v, Address d, BigInteger amount, long done) {
    c.log(
        List.of(Abi.eventTopic(UNDELEGATED), topic(v), topic(d)),
        Abi.encode(List.of(new Uint256(amount), new Uint256(done))));
  }

  static void withdrawn(ModuleCall c, Address d, BigInteger amount) {
    c.log(List.of(Abi.eventTopic(WITHDRAWN), topic(d)), Abi.encode(List.of(new Uint256(amount))));
  }

  static void rewardsClaimed(ModuleCall c, Address a, BigInteger amount) {
    c.log(
        List.of(Abi.eventTopic(REWARDS_CLAIMED), topic(a)),
        Abi.encode(List.of(new Uint256(amount))));
  }

  static void slashed(ModuleCall c, Address v, BigInteger amount, long height, Bytes32 hash) {
    c.log(
        List.of(Abi.eventTopic(SLASHED), topic(v)),
        Abi.encode(
            List.of(
                new Uint256(amount),
                new Uint256(height),
                new org.web3j.abi.datatypes.generated.Bytes32(hash.toArray()))));
  }

  static void jailed(ModuleCall c, Address v) {
    c.log(List.of(Abi.eventTopic(JAILED), topic(v)), org.apache.tuweni.bytes.Bytes.EMPTY);
  }
}
