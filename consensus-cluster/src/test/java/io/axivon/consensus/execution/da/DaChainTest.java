package io.axivon.consensus.execution.da;

import static io.axivon.consensus.execution.ExecFixtures.blockHash;
import static io.axivon.consensus.execution.ExecFixtures.key;
import static io.axivon.consensus.execution.ExecFixtures.tx;
import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.common.crypto.bls.BlsSignature;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.execution.EvmChain;
import io.axivon.consensus.execution.ExecFixtures;
import io.axivon.consensus.execution.block.ExecutedBlock;
import io.axivon.consensus.execution.block.Receipt;
import io.axivon.consensus.execution.evm.BlockEnv;
import io.axivon.consensus.execution.evm.Message;
import io.axivon.consensus.execution.evm.MessageResult;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.consensus.execution.staking.GenesisValidator;
import io.axivon.consensus.execution.staking.StakingConfig;
import io.axivon.consensus.execution.staking.StakingModule;
import io.axivon.consensus.execution.system.Abi;
import io.axivon.consensus.execution.system.SystemModules;
import io.axivon.da.cert.DaCertificate;
import io.axivon.da.cert.DaOperator;
import io.axivon.da.cert.Quorum;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.abi.datatypes.generated.Uint64;

/**
 * The DA module through real signed transactions executed by {@link EvmChain} (block executor,
 * libevm, the module callback): the three dev accounts are staking validators, register as DA
 * operators, and account 0 also disperses.
 */
class DaChainTest {
  static final BigInteger AXN = StakingConfig.AXN;
  static final long GAS = 1_000_000;

  @TempDir Path dir;
  EvmChain chain;
  DataAvailabilityModule da;
  final long[] nonces = new long[3];
  final Map<Bytes, BlsSecretKey> daKeys = new HashMap<>();

  @BeforeEach
  void open() {
    List<GenesisValidator> gv = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      gv.add(
          new GenesisValidator(
              key(i).address(),
              DaHarness.blsKey(50 + i).publicKey(),
              AXN.multiply(BigInteger.valueOf(1000L * (i + 1))),
              0));
    }
    StakingModule staking =
        new StakingModule(new StakingConfig("da-chain-test", 4, 6, AXN, 3, 500, 6, gv));
    da = new DataAvailabilityModule(DaConfig.devnet(), staking.ledger());
    chain =
        EvmChain.open(dir, Genesis.devnet(ExecFixtures.CHAIN_ID), SystemModules.of(staking, da));
  }

  @AfterEach
  void close() {
    chain.close();
  }

  Bytes send(int account, BigInteger value, Bytes data) {
    return tx(
        key(account),
        nonces[account]++,
        Optional.of(DataAvailabilityModule.ADDRESS),
        value,
        data,
        GAS);
  }

  ExecutedBlock block(long n, Bytes... txs) {
    Bytes32 parent = n == 1 ? chain.genesis().hash() : blockHash(n - 1);
    chain.execute(
        n,
        blockHash(n),
        parent,
        n * 1000,
        chain.feeCollector().orElseThrow(),
        List.of(txs),
        0,
        List.of());
    ExecutedBlock b = chain.pendingExecution().orElseThrow();
    chain.commit();
    return b;
  }

  MessageResult view(String sig, List<? extends Type> args) {
    return ExecFixtures.view(
        chain,
        ExecFixtures.CHAIN_ID,
        chain.feeCollector().orElseThrow(),
        key(0).address(),
        DataAvailabilityModule.ADDRESS,
        Abi.call(sig, args),
        1_000_000);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static List<Type> decode(Bytes data, TypeReference<?>... types) {
    return FunctionReturnDecoder.decode(data.toUnprefixedHexString(), (List) List.of(types));
  }

  boolean isAvailable(Bytes32 root) {
    MessageResult r =
        view(
            DataAvailabilityModule.IS_AVAILABLE,
            List.of(new org.web3j.abi.datatypes.generated.Bytes32(root.toArray())));
    assertThat(r.success()).isTrue();
    return (Boolean) decode(r.returnData(), new TypeReference<Bool>() {}).get(0).getValue();
  }

  /** The quorum as a disperser reads it through the {@code quorum} view, rebuilt as a Quorum. */
  @SuppressWarnings("unchecked")
  Quorum quorumFromView(long epoch, int k) {
    MessageResult r =
        view(
            DataAvailabilityModule.QUORUM,
            List.of(new Uint64(epoch), new Uint64(0), new Uint32(k)));
    assertThat(r.success()).isTrue();
    List<Type> v =
        decode(
            r.returnData(),
            new TypeReference<DynamicArray<org.web3j.abi.datatypes.Address>>() {},
            new TypeReference<DynamicBytes>() {},
            new TypeReference<DynamicArray<Uint64>>() {},
            new TypeReference<DynamicArray<Uint32>>() {});
    List<org.web3j.abi.datatypes.Address> addrs =
        (List<org.web3j.abi.datatypes.Address>) v.get(0).getValue();
    Bytes keys = Bytes.wrap((byte[]) v.get(1).getValue());
    List<Uint64> weights = (List<Uint64>) v.get(2).getValue();
    List<DaOperator> members = new ArrayList<>();
    for (int i = 0; i < addrs.size(); i++) {
      members.add(
          new DaOperator(
              Address.fromHex(addrs.get(i).getValue()).bytes(),
              io.axivon.common.crypto.bls.BlsPublicKey.fromBytes(keys.slice(48 * i, 48)),
              weights.get(i).getValue().longValueExact()));
    }
    Quorum q = new Quorum(epoch, 0, members);
    List<Uint32> rows = (List<Uint32>) v.get(3).getValue();
    assertThat(rows.stream().mapToInt(u -> u.getValue().intValue()).toArray())
        .isEqualTo(q.rowCounts(k));
    return q;
  }

  @Test
  void blobCertifiedThroughSignedTransactions() {
    List<Bytes> txs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      BlsSecretKey k = DaHarness.blsKey(70 + i);
      daKeys.put(key(i).address().bytes(), k);
      txs.add(
          send(i, BigInteger.ZERO, DaHarness.registerOperatorCall(k, "127.0.0.1:" + (3200 + i))));
    }
    txs.add(
        send(
            0,
            DaConfig.devnet().minDisperserBond(),
            Abi.call(DataAvailabilityModule.REGISTER_DISPERSER, List.of())));
    ExecutedBlock b1 = block(1, txs.toArray(Bytes[]::new));
    assertThat(b1.receipts()).allMatch(Receipt::success);
    for (long n = 2; n <= 4; n++) {
      block(n);
    }
    // epoch 1: the quorum from the view equals the one recomputed from chain data
    Quorum q = quorumFromView(1, 2);
    List<DaOperator> ops = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ops.add(
          new DaOperator(
              key(i).address().bytes(),
              daKeys.get(key(i).address().bytes()).publicKey(),
              1000L * (i + 1) * 1_000_000_000L));
    }
    assertThat(q).isEqualTo(Quorum.select(blockHash(4), 1, 0, ops, 4));

    Bytes32 root = Bytes32.random();
    Map<Integer, BlsSignature> sigs = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      sigs.put(i, DaCertificate.sign(daKeys.get(q.members().get(i).id()), root, 1, 0));
    }
    DaCertificate cert = DaCertificate.aggregate(root, 2, q, sigs);
    long size = 5000;
    BigInteger fee = da.blobFee(BigInteger.valueOf(size));
    Bytes confirm = DaHarness.confirmCall(cert.encode(), root, 2, size);
    // unpaid: the transaction fails and nothing is recorded; then paid, it certifies
    ExecutedBlock b5 = block(5, send(0, BigInteger.ZERO, confirm), send(0, fee, confirm));
    assertThat(b5.receipts().get(0).success()).isFalse();
    Receipt ok = b5.receipts().get(1);
    assertThat(ok.success()).isTrue();
    assertThat(ok.logs()).hasSize(1);
    assertThat(ok.logs().getFirst().address()).isEqualTo(DataAvailabilityModule.ADDRESS);
    assertThat(ok.logs().getFirst().topics().getFirst())
        .isEqualTo(Abi.eventTopic(DataAvailabilityModule.BLOB_CERTIFIED));
    assertThat(isAvailable(root)).isTrue();
    assertThat(isAvailable(Bytes32.random())).isFalse();
    // the refusal's reason, as eth_call shows it
    MessageResult again =
        chain
            .state()
            .speculate(
                ex ->
                    ex.run(
                        new Message(
                            key(0).address(),
                            Optional.of(DataAvailabilityModule.ADDRESS),
                            fee,
                            confirm,
                            1_000_000,
                            BigInteger.ZERO,
                            List.of()),
                        new BlockEnv(
                            ExecFixtures.CHAIN_ID,
                            6,
                            6,
                            chain.feeCollector().orElseThrow(),
                            30_000_000,
                            BigInteger.ZERO,
                            Bytes32.ZERO)));
    assertThat(again.success()).isFalse();
    assertThat(again.returnData().slice(0, 4)).isEqualTo(Abi.ERROR_SELECTOR);
    assertThat(DaHarness.decodeString(again.returnData().slice(4)))
        .isEqualTo("blob already certified");
  }
}
