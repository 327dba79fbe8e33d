package io.axivon.node.validator;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.bls.BlsPublicKey;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.execution.block.BaseFee;
import io.axivon.consensus.execution.da.DaConfig;
import io.axivon.consensus.execution.flow.FlowConfig;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.consensus.execution.mining.MiningConfig;
import io.axivon.consensus.execution.serving.ServingConfig;
import io.axivon.consensus.execution.staking.StakingConfig;
import io.axivon.consensus.node.ConsensusGenesis;
import io.axivon.consensus.types.Validator;
import io.axivon.consensus.types.ValidatorSet;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The genesis file of a chain ({@code genesis.json}), shared by every node of it: chain id, genesis
 * time (Unix milliseconds), validators (BLS public key, power, fee address) and either an {@code
 * evm} section (the EVM chain id, gas limit, initial base fee and balances: the app hash before
 * block 1 is then the EVM genesis state root, which every node computes the same) or, for a bare
 * consensus chain, the {@code appHash}. Format in specs/cli.md.
 */
public final class GenesisFile {
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .build();

  /** A genesis validator; {@code feeAddress} receives the priority fees of blocks it proposes. */
  public record GenesisValidator(
      BlsPublicKey publicKey, long power, Optional<Address> feeAddress) {}

  /**
   * The staking module's parameters (chain 0 of a cluster). Genesis validators stake {@code power}
   * AXN each from their fee address, so the module's first set equals the consensus genesis set.
   */
  public record Staking(
      long epochLength,
      long unbondingPeriod,
      BigInteger minSelfStakeWei,
      int maxValidators,
      int slashBps,
      long maxEvidenceAge,
      int commissionBps) {
    /** Devnet values: 10-block epochs, 20 blocks of unbonding, 100 AXN minimum, 5 % slashed. */
    public static Staking devnet() {
      StakingConfig d = StakingConfig.devnet("x", List.of(placeholder()));
      return new Staking(
          d.epochLength(),
          d.unbondingPeriod(),
          d.minSelfStake(),
          d.maxValidators(),
          d.slashBps(),
          d.maxEvidenceAge(),
          1000);
    }

    private static io.axivon.consensus.execution.staking.GenesisValidator placeholder() {
      return new io.axivon.consensus.execution.staking.GenesisValidator(
          new Address(Bytes.wrap(new byte[Address.SIZE])),
          io.axivon.common.crypto.bls.BlsSecretKey.keyGen(Bytes.wrap(new byte[32])).publicKey(),
          StakingConfig.AXN.multiply(BigInteger.valueOf(1000)),
          0);
    }
  }

  /**
   * The flow module's parameters (chain 0 of a cluster: the storage log's on-chain side,
   * specs/flow.md).
   */
  public record Flow(BigInteger pricePerSectorWei, long epochBlocks) {
    /** Devnet values: {@link FlowConfig#devnet()} (1 gwei per sector, 20-block epochs). */
    public static Flow devnet() {
      FlowConfig d = FlowConfig.devnet();
      return new Flow(d.pricePerSector(), d.epochBlocks());
    }

    public FlowConfig config() {
      return new FlowConfig(pricePerSectorWei, epochBlocks);
    }
  }

  /**
   * The PoRA mining module's parameters (chain 0, next to the flow, specs/pora.md section 12).
   *
   * @param initialTarget the target until the first retarget
   */
  public record Mining(
      BigInteger initialTarget, long targetAnswersPerEpoch, long releasePerEpochPpm) {
    /** Devnet values: {@link MiningConfig#devnet()}. */
    public static Mining devnet() {
      MiningConfig d = MiningConfig.devnet();
      return new Mining(d.initialTarget(), d.targetAnswersPerEpoch(), d.releasePerEpochPpm());
    }

    public MiningConfig config() {
      return new MiningConfig(initialTarget, targetAnswersPerEpoch, releasePerEpochPpm);
    }
  }

  /**
   * The serving module's parameters (chain 0 of a cluster: the compute market's ledger,
   * specs/compute.md). The EIP-712 domain's chain id is the evm section's.
   */
  public record Serving(long lockBlocks, int maxBatch) {
    /** Devnet values: {@link ServingConfig#devnet(long)} (10-block refund lock, batches of 256). */
    public static Serving devnet() {
      ServingConfig d = ServingConfig.devnet(0);
      return new Serving(d.lockBlocks(), d.maxBatch());
    }

    public ServingConfig config(long evmChainId) {
      return new ServingConfig(evmChainId, lockBlocks, maxBatch);
    }
  }

  /**
   * The DA module's parameters (chain 0, with staking: the on-chain side of data availability,
   * specs/da.md §11).
   */
  public record Da(
      int quorumSize,
      int quorumCount,
      BigInteger feePerByteWei,
      BigInteger minDisperserBondWei,
      long bondWithdrawDelay,
      int proverRewardBps) {
    /** Devnet values: {@link DaConfig#devnet()}. */
    public static Da devnet() {
      DaConfig d = DaConfig.devnet();
      return new Da(
          d.quorumSize(),
          d.quorumCount(),
          d.feePerByteWei(),
          d.minDisperserBond(),
          d.bondWithdrawDelay(),
          d.proverRewardBps());
    }

    public DaConfig config() {
      return new DaConfig(
          quorumSize,
          quorumCount,
          feePerByteWei,
          minDisperserBondWei,
          bondWithdrawDelay,
          proverRewardBps);
    }
  }

  /** What the file holds. */
  public record Contents(
      String chainId,
      long genesisTimeMillis,
      List<GenesisValidator> validators,
      Optional<Genesis> evm,
      Optional<Bytes32> appHash,
      Optional<Staking> staking,
      Optional<Flow> flow,
      Optional<Mining> mining,
      Optional<Serving> serving,
      Optional<Da> da) {
    public Contents {
      validators = List.copyOf(validators);
      if (evm.isPresent() == appHash.isPresent()) {
        throw new IllegalArgumentException("a genesis has either an evm section or an appHash");
      }
      if (staking.isPresent() && evm.isEmpty()) {
        throw new IllegalArgumentException("staking runs on the EVM: add an evm section");
      }
      if (flow.isPresent() && evm.isEmpty()) {
        throw new IllegalArgumentException("the flow runs on the EVM: add an evm section");
      }
      flow.ifPresent(Flow::config); // checks its values now
      if (mining.isPresent() && flow.isEmpty()) {
        throw new IllegalArgumentException("mining pays from the flow's fees: add a flow section");
      }
      mining.ifPresent(Mining::config);
      if (serving.isPresent() && evm.isEmpty()) {
        throw new IllegalArgumentException(
            "the serving module runs on the EVM: add an evm section");
      }
      serving.ifPresent(sv -> sv.config(evm.get().chainId())); // checks its values now
      if (da.isPresent() && staking.isEmpty()) {
        throw new IllegalArgumentException(
            "the DA module weighs operators by stake: add a staking section");
      }
      da.ifPresent(Da::config);
    }

    /**
     * A chain that runs the EVM from {@code evm}; its system modules are added with the withers.
     */
    public static Contents evm(
        String chainId, long genesisTimeMillis, List<GenesisValidator> validators, Genesis evm) {
      return new Contents(
          chainId,
          genesisTimeMillis,
          validators,
          Optional.of(evm),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());
    }

    /** A chain that runs the key-value test application, its state starting at {@code appHash}. */
    public static Contents appHash(
        String chainId,
        long genesisTimeMillis,
        List<GenesisValidator> validators,
        Bytes32 appHash) {
      return new Contents(
          chainId,
          genesisTimeMillis,
          validators,
          Optional.empty(),
          Optional.of(appHash),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());
    }

    public Contents withStaking(Staking staking) {
      return withModules(Optional.of(staking), flow, mining, serving, da);
    }

    public Contents withFlow(Flow flow) {
      return withModules(staking, Optional.of(flow), mining, serving, da);
    }

    public Contents withMining(Mining mining) {
      return withModules(staking, flow, Optional.of(mining), serving, da);
    }

    public Contents withServing(Serving serving) {
      return withModules(staking, flow, mining, Optional.of(serving), da);
    }

    public Contents withDa(Da da) {
      return withModules(staking, flow, mining, serving, Optional.of(da));
    }

    private Contents withModules(
        Optional<Staking> staking,
        Optional<Flow> flow,
        Optional<Mining> mining,
        Optional<Serving> serving,
        Optional<Da> da) {
      return new Contents(
          chainId, genesisTimeMillis, validators, evm, appHash, staking, flow, mining, serving, da);
    }

    /** The staking module's configuration, when this chain runs it. */
    public Optional<StakingConfig> stakingConfig() {
      return staking.map(
          st -> {
            List<io.axivon.consensus.execution.staking.GenesisValidator> gv = new ArrayList<>();
            for (GenesisValidator v : validators) {
              gv.add(
                  new io.axivon.consensus.execution.staking.GenesisValidator(
                      v.feeAddress()
                          .orElseThrow(
                              () ->
                                  new IllegalArgumentException(
                                      "with staking every genesis validator needs a feeAddress")),
                      v.publicKey(),
                      StakingConfig.AXN.multiply(BigInteger.valueOf(v.power())),
                      st.commissionBps()));
            }
            return new StakingConfig(
                chainId,
                st.epochLength(),
                st.unbondingPeriod(),
                st.minSelfStakeWei(),
                st.maxValidators(),
                st.slashBps(),
                st.maxEvidenceAge(),
                gv);
          });
    }

    /** The flow module's configuration, when this chain runs it. */
    public Optional<FlowConfig> flowConfig() {
      return flow.map(Flow::config);
    }

    /** The mining module's configuration, when this chain runs it. */
    public Optional<MiningConfig> miningConfig() {
      return mining.map(Mining::config);
    }

    /** The DA module's configuration, when this chain runs it. */
    public Optional<DaConfig> daConfig() {
      return da.map(Da::config);
    }

    /** The serving module's configuration, when this chain runs it. */
    public Optional<ServingConfig> servingConfig() {
      return serving.map(sv -> sv.config(evm.orElseThrow().chainId()));
    }

    public ValidatorSet validatorSet() {
      List<Validator> set = new ArrayList<>();
      for (GenesisValidator v : validators) {
        set.add(new Validator(v.publicKey(), v.power()));
      }
      return ValidatorSet.of(set);
    }

    /** The consensus genesis, given the app hash before block 1. */
    public ConsensusGenesis consensus(Bytes32 appHashBeforeBlock1) {
      return new ConsensusGenesis(chainId, genesisTimeMillis, validatorSet(), appHashBeforeBlock1);
    }

    /** Fee address of each validator that has one. */
    public Map<BlsPublicKey, Address> feeAddresses() {
      Map<BlsPublicKey, Address> out = new LinkedHashMap<>();
      for (GenesisValidator v : validators) {
        v.feeAddress().ifPresent(a -> out.put(v.publicKey(), a));
      }
      return out;
    }
  }

  record ValidatorEntry(
      @JsonProperty(value = "publicKey", required = true) String publicKey,
      @JsonProperty(value = "power", required = true) long power,
      @JsonProperty("feeAddress") String feeAddress) {}

  record EvmEntry(
      @JsonProperty(value = "chainId", required = true) long chainId,
      @JsonProperty(value = "gasLimit", required = true) long gasLimit,
      @JsonProperty(value = "initialBaseFeeWei", required = true) String initialBaseFeeWei,
      @JsonProperty(value = "alloc", required = true) Map<String, String> alloc) {}

  record StakingEntry(
      @JsonProperty(value = "epochLength", required = true) long epochLength,
      @JsonProperty(value = "unbondingPeriod", required = true) long unbondingPeriod,
      @JsonProperty(value = "minSelfStakeWei", required = true) String minSelfStakeWei,
      @JsonProperty(value = "maxValidators", required = true) int maxValidators,
      @JsonProperty(value = "slashBps", required = true) int slashBps,
      @JsonProperty(value = "maxEvidenceAge", required = true) long maxEvidenceAge,
      @JsonProperty(value = "commissionBps", required = true) int commissionBps) {}

  record FlowEntry(
      @JsonProperty(value = "pricePerSectorWei", required = true) String pricePerSectorWei,
      @JsonProperty(value = "epochBlocks", required = true) long epochBlocks) {}

  record MiningEntry(
      @JsonProperty(value = "initialTarget", required = true) String initialTarget,
      @JsonProperty(value = "targetAnswersPerEpoch", required = true) long targetAnswersPerEpoch,
      @JsonProperty(value = "releasePerEpochPpm", required = true) long releasePerEpochPpm) {}

  record ServingEntry(
      @JsonProperty(value = "lockBlocks", required = true) long lockBlocks,
      @JsonProperty(value = "maxBatch", required = true) int maxBatch) {}

  record DaEntry(
      @JsonProperty(value = "quorumSize", required = true) int quorumSize,
      @JsonProperty(value = "quorumCount", required = true) int quorumCount,
      @JsonProperty(value = "feePerByteWei", required = true) String feePerByteWei,
      @JsonProperty(value = "minDisperserBondWei", required = true) String minDisperserBondWei,
      @JsonProperty(value = "bondWithdrawDelay", required = true) long bondWithdrawDelay,
      @JsonProperty(value = "proverRewardBps", required = true) int proverRewardBps) {}

  record Document(
      @JsonProperty(value = "chainId", required = true) String chainId,
      @JsonProperty(value = "genesisTimeMillis", required = true) long genesisTimeMillis,
      @JsonProperty(value = "validators", required = true) List<ValidatorEntry> validators,
      @JsonProperty("evm") EvmEntry evm,
      @JsonProperty("staking") StakingEntry staking,
      @JsonProperty("flow") FlowEntry flow,
      @JsonProperty("mining") MiningEntry mining,
      @JsonProperty("serving") ServingEntry serving,
      @JsonProperty("da") DaEntry da,
      @JsonProperty("appHash") String appHash) {}

  private GenesisFile() {}

  public static Contents read(Path file) {
    Document d;
    try {
      d = JSON.readValue(file.toFile(), Document.class);
    } catch (IOException e) {
      throw new InvalidInputException(
          "cannot read genesis " + file + ": " + e.getMessage().lines().findFirst().orElse(""));
    }
    try {
      List<GenesisValidator> validators = new ArrayList<>();
      for (ValidatorEntry v : d.validators()) {
        validators.add(
            new GenesisValidator(
                BlsPublicKey.fromBytes(Bytes.fromHexString(v.publicKey())),
                v.power(),
                Optional.ofNullable(v.feeAddress()).map(Address::fromHex)));
      }
      Optional<Genesis> evm = Optional.empty();
      if (d.evm() != null) {
        Map<Address, BigInteger> alloc = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : d.evm().alloc().entrySet()) {
          alloc.put(Address.fromHex(e.getKey()), new BigInteger(e.getValue()));
        }
        BaseFee standard = BaseFee.ethereum();
        evm =
            Optional.of(
                new Genesis(
                    d.evm().chainId(),
                    d.evm().gasLimit(),
                    new BaseFee(
                        new BigInteger(d.evm().initialBaseFeeWei()),
                        standard.elasticity(),
                        standard.denominator()),
                    alloc));
      }
      Contents c =
          new Contents(
              d.chainId(),
              d.genesisTimeMillis(),
              validators,
              evm,
              Optional.ofNullable(d.appHash()).map(Bytes32::fromHexString),
              Optional.ofNullable(d.staking())
                  .map(
                      st ->
                          new Staking(
                              st.epochLength(),
                              st.unbondingPeriod(),
                              new BigInteger(st.minSelfStakeWei()),
                              st.maxValidators(),
                              st.slashBps(),
                              st.maxEvidenceAge(),
                              st.commissionBps())),
              Optional.ofNullable(d.flow())
                  .map(f -> new Flow(new BigInteger(f.pricePerSectorWei()), f.epochBlocks())),
              Optional.ofNullable(d.mining())
                  .map(
                      m ->
                          new Mining(
                              parseTarget(m.initialTarget()),
                              m.targetAnswersPerEpoch(),
                              m.releasePerEpochPpm())),
              Optional.ofNullable(d.serving())
                  .map(sv -> new Serving(sv.lockBlocks(), sv.maxBatch())),
              Optional.ofNullable(d.da())
                  .map(
                      a ->
                          new Da(
                              a.quorumSize(),
                              a.quorumCount(),
                              new BigInteger(a.feePerByteWei()),
                              new BigInteger(a.minDisperserBondWei()),
                              a.bondWithdrawDelay(),
                              a.proverRewardBps())));
      c.validatorSet(); // checks order-independent rules (duplicates, power) now
      c.stakingConfig(); // and the staking module's
      return c;
    } catch (RuntimeException e) {
      throw new InvalidInputException("invalid genesis " + file + ": " + e.getMessage());
    }
  }

  // A target: 0x-prefixed hex (how it is written) or decimal.
  private static BigInteger parseTarget(String s) {
    return s.startsWith("0x") ? new BigInteger(s.substring(2), 16) : new BigInteger(s);
  }

  public static void write(Path file, Contents genesis) {
    List<ValidatorEntry> validators =
        genesis.validators().stream()
            .map(
                v ->
                    new ValidatorEntry(
                        v.publicKey().toBytes().toHexString(),
                        v.power(),
                        v.feeAddress().map(Address::toString).orElse(null)))
            .toList();
    EvmEntry evm =
        genesis
            .evm()
            .map(
                g -> {
                  Map<String, String> alloc = new LinkedHashMap<>();
                  g.alloc().forEach((a, wei) -> alloc.put(a.toString(), wei.toString()));
                  return new EvmEntry(
                      g.chainId(), g.gasLimit(), g.baseFee().initial().toString(), alloc);
                })
            .orElse(null);
    Document d =
        new Document(
            genesis.chainId(),
            genesis.genesisTimeMillis(),
            validators,
            evm,
            genesis
                .staking()
                .map(
                    st ->
                        new StakingEntry(
                            st.epochLength(),
                            st.unbondingPeriod(),
                            st.minSelfStakeWei().toString(),
                            st.maxValidators(),
                            st.slashBps(),
                            st.maxEvidenceAge(),
                            st.commissionBps()))
                .orElse(null),
            genesis
                .flow()
                .map(f -> new FlowEntry(f.pricePerSectorWei().toString(), f.epochBlocks()))
                .orElse(null),
            genesis
                .mining()
                .map(
                    m ->
                        new MiningEntry(
                            "0x" + m.initialTarget().toString(16),
                            m.targetAnswersPerEpoch(),
                            m.releasePerEpochPpm()))
                .orElse(null),
            genesis
                .serving()
                .map(sv -> new ServingEntry(sv.lockBlocks(), sv.maxBatch()))
                .orElse(null),
            genesis
                .da()
                .map(
                    a ->
                        new DaEntry(
                            a.quorumSize(),
                            a.quorumCount(),
                            a.feePerByteWei().toString(),
                            a.minDisperserBondWei().toString(),
                            a.bondWithdrawDelay(),
                            a.proverRewardBps()))
                .orElse(null),
            genesis.appHash().map(Bytes32::toHexString).orElse(null));
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      JSON.writeValue(file.toFile(), d);
    } catch (IOException e) {
      throw new InvalidInputException("cannot write genesis " + file + ": " + e.getMessage());
    }
  }
}
