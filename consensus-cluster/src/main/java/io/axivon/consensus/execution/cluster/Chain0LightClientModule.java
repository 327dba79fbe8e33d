package io.axivon.consensus.execution.cluster;

import io.axivon.common.InvalidInputException;
import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.bls.BlsPublicKey;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.app.ValidatorUpdate;
import io.axivon.consensus.cluster.Chain0LightClient;
import io.axivon.consensus.cluster.TrustedSet;
import io.axivon.consensus.execution.system.Abi;
import io.axivon.consensus.execution.system.EndBlock;
import io.axivon.consensus.execution.system.ModuleCall;
import io.axivon.consensus.execution.system.ModuleRevert;
import io.axivon.consensus.execution.system.SystemModule;
import io.axivon.consensus.types.SetChange;
import io.axivon.consensus.types.Validator;
import io.axivon.consensus.types.ValidatorSet;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * Chain i &gt; 0's light client of chain 0, as a system module at {@link #ADDRESS}: its state (the
 * chain-0 validator set it trusts and from which chain-0 height) lives in the chain's state, so
 * every node of the chain agrees on it and it survives restarts under the state root. After each
 * block it applies the {@link SetChange}s the block carries ({@link Chain0LightClient}; a change
 * that does not verify, or is already known, is skipped: a proposer cannot make the chain trust
 * anything chain 0 did not certify) and, when the trusted set moved, returns the validator updates
 * that make this chain's consensus follow it (applied two heights on, like every set change).
 *
 * <p>ABI ({@code specs/contracts/IChain0LightClient.sol}): {@code trustedSet() view returns
 * (uint256 chain0FromHeight, bytes32 setHash)}.
 */
public final class Chain0LightClientModule implements SystemModule {
  public static final Address ADDRESS =
      new Address(Bytes.fromHexString("0x" + "00".repeat(18) + "1002"));

  public static final String TRUSTED_SET = "trustedSet()";

  /** Gas a block hook is charged per set change (BLS verification dominates). */
  static final long SET_CHANGE_GAS = 2 * ModuleCall.BLS_VERIFY_GAS;

  private static final Bytes TRUSTED_SELECTOR = Abi.selector(TRUSTED_SET);
  private static final Bytes32 TRUSTED_FROM = slot("trusted.from");
  private static final Bytes32 TRUSTED_SET_LEN = slot("trusted.set");
  private static final Bytes32 FOLLOWED_SET_LEN = slot("followed.set");

  private static final RlpCodec<List<ValidatorUpdate>> UPDATES =
      Rlp.listOf(
          RlpCodec.struct(
              (w, u) -> w.writeBytes(u.publicKey().toBytes()).writeUInt64(u.power()),
              r ->
                  new ValidatorUpdate(
                      BlsPublicKey.fromBytes(r.readFixedBytes(BlsPublicKey.SIZE)),
                      r.readUInt64())));

  private final String chain0Id;
  private final ValidatorSet genesisSet;
  // decoded sets by their stored bytes: every block hook reads two of them (RPC threads read too)
  private final Map<Bytes, ValidatorSet> decoded = new ConcurrentHashMap<>();

  /**
   * @param chain0Id chain 0's consensus chain id (its certificates are signed for it)
   * @param genesisSet the validator set of chain 0's genesis, which is this chain's too
   */
  public Chain0LightClientModule(String chain0Id, ValidatorSet genesisSet) {
    this.chain0Id = Objects.requireNonNull(chain0Id, "chain0Id");
    this.genesisSet = Objects.requireNonNull(genesisSet, "genesisSet");
  }

  @Override
  public Address address() {
    return ADDRESS;
  }

  @Override
  public void genesis(ModuleCall c) {
    Bytes set = Rlp.encode(ValidatorSet.CODEC, genesisSet);
    c.store(TRUSTED_FROM, uint(1));
    c.storeBlob(TRUSTED_SET_LEN, i -> chunk(TRUSTED_SET_LEN, i), set);
    c.storeBlob(FOLLOWED_SET_LEN, i -> chunk(FOLLOWED_SET_LEN, i), set);
  }

  @Override
  public Bytes call(ModuleCall c, Address caller, BigInteger value, Bytes input) {
    if (input.size() < 4 || !input.slice(0, 4).equals(TRUSTED_SELECTOR)) {
      throw new ModuleRevert(
          "unknown function selector "
              + (input.size() < 4 ? "(none)" : input.slice(0, 4).toHexString()));
    }
    if (value.signum() != 0) {
      throw new ModuleRevert("function is not payable");
    }
    Abi.decodeArgs(input.slice(4), List.of());
    TrustedSet t = trusted(c);
    return Abi.encode(
        List.of(
            new Uint256(t.fromHeight()),
            new org.web3j.abi.datatypes.generated.Bytes32(t.validators().hash().toArrayUnsafe())));
  }

  /**
   * The sets this chain accepts as signers of the cluster's headers: the chain-0 set its light
   * client trusts, and the one its own consensus follows (the same set, two blocks later).
   */
  public ClusterSets clusterSets() {
    return new ClusterSets() {
      @Override
      public Address module() {
        return ADDRESS;
      }

      @Override
      public Optional<ValidatorSet> byHash(ModuleCall c, Bytes32 hash) {
        ValidatorSet trusted = set(c, TRUSTED_SET_LEN);
        if (trusted.hash().equals(hash)) {
          return Optional.of(trusted);
        }
        ValidatorSet followed = set(c, FOLLOWED_SET_LEN);
        return followed.hash().equals(hash) ? Optional.of(followed) : Optional.empty();
      }
    };
  }

  /** The chain-0 set this chain trusts, read from the state {@code c} sees. */
  public TrustedSet trusted(ModuleCall c) {
    long from = c.load(TRUSTED_FROM).toUnsignedBigInteger().longValueExact();
    return new TrustedSet(chain0Id, from, set(c, TRUSTED_SET_LEN));
  }

  @Override
  public List<ValidatorUpdate> endBlock(ModuleCall c, EndBlock block) {
    TrustedSet t = trusted(c);
    for (SetChange change : block.setChanges()) {
      c.charge(SET_CHANGE_GAS);
      if (change.effectiveHeight() <= t.fromHeight()) {
        continue; // known already: another proposer put it in an earlier block
      }
      try {
        t = Chain0LightClient.apply(t, change);
      } catch (InvalidInputException skipped) {
        continue; // not chain 0's: nothing changes
      }
      c.store(TRUSTED_FROM, uint(t.fromHeight()));
      c.storeBlob(
          TRUSTED_SET_LEN,
          i -> chunk(TRUSTED_SET_LEN, i),
          Rlp.encode(ValidatorSet.CODEC, t.validators()));
    }
    ValidatorSet followed = set(c, FOLLOWED_SET_LEN);
    if (followed.equals(t.validators())) {
      return List.of();
    }
    List<ValidatorUpdate> updates = diff(followed, t.validators());
    c.storeBlob(
        FOLLOWED_SET_LEN,
        i -> chunk(FOLLOWED_SET_LEN, i),
        Rlp.encode(ValidatorSet.CODEC, t.validators()));
    Bytes32 at = updatesSlot(block.height());
    c.storeBlob(at, i -> chunk(at, i), Rlp.encode(UPDATES, updates));
    return updates;
  }

  @Override
  public List<ValidatorUpdate> validatorUpdatesOf(ModuleCall c, long height) {
    Bytes32 at = updatesSlot(height);
    Bytes stored = c.loadBlob(at, i -> chunk(at, i));
    return stored.isEmpty() ? List.of() : Rlp.decode(UPDATES, stored);
  }

  /** The updates that turn {@code from} into {@code to}: new powers, then 0 for keys that left. */
  public static List<ValidatorUpdate> diff(ValidatorSet from, ValidatorSet to) {
    List<ValidatorUpdate> out = new ArrayList<>();
    for (Validator v : to.validators()) {
      int i = from.indexOf(v.publicKey());
      if (i < 0 || from.power(i) != v.power()) {
        out.add(new ValidatorUpdate(v.publicKey(), v.power()));
      }
    }
    for (Validator v : from.validators()) {
      if (to.indexOf(v.publicKey()) < 0) {
        out.add(new ValidatorUpdate(v.publicKey(), 0));
      }
    }
    return out;
  }

  private ValidatorSet set(ModuleCall c, Bytes32 lengthSlot) {
    Bytes raw = c.loadBlob(lengthSlot, i -> chunk(lengthSlot, i));
    if (decoded.size() > 16) {
      decoded.clear(); // sets change once an epoch at most: a few entries suffice
    }
    return decoded.computeIfAbsent(raw, b -> Rlp.decode(ValidatorSet.CODEC, b));
  }

  private static Bytes32 slot(String name) {
    return Hashes.keccak256(
        Bytes.wrap(("axivon.chain0-light-client." + name).getBytes(StandardCharsets.US_ASCII)));
  }

  private static Bytes32 chunk(Bytes32 base, long i) {
    return Hashes.keccak256(Bytes.concatenate(base, Bytes.ofUnsignedLong(i)));
  }

  private static Bytes32 updatesSlot(long height) {
    return Hashes.keccak256(Bytes.concatenate(slot("updates"), Bytes.ofUnsignedLong(height)));
  }

  private static Bytes32 uint(long v) {
    return Bytes32.leftPad(Bytes.ofUnsignedLong(v));
  }
}
