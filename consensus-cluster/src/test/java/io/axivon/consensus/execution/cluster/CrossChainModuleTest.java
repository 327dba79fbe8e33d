package io.axivon.consensus.execution.cluster;

import static io.axivon.consensus.execution.ExecFixtures.GWEI;
import static io.axivon.consensus.execution.ExecFixtures.blockHash;
import static io.axivon.consensus.execution.ExecFixtures.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.codec.Rlp;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.cluster.Chain0Fixture;
import io.axivon.consensus.execution.EvmChain;
import io.axivon.consensus.execution.ExecFixtures;
import io.axivon.consensus.execution.block.ExecutedBlock;
import io.axivon.consensus.execution.block.Receipt;
import io.axivon.consensus.execution.evm.AccountProof;
import io.axivon.consensus.execution.evm.MessageResult;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.consensus.execution.system.Abi;
import io.axivon.consensus.execution.system.ModuleCall;
import io.axivon.consensus.execution.system.SystemModules;
import io.axivon.consensus.execution.tx.DynamicFeeTransaction;
import io.axivon.consensus.execution.tx.TxSigner;
import io.axivon.consensus.types.Block;
import io.axivon.consensus.types.BlockHeader;
import io.axivon.consensus.types.CommitCertificate;
import io.axivon.consensus.types.ValidatorSet;
import java.math.BigInteger;
import java.nio.file.Path;
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
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * A message sent on chain A (EVM id 101) is delivered on chain B (102) from A's certified header
 * and the state proof of A's outbox; every way to get it wrong is refused with its reason.
 */
class CrossChainModuleTest {
  static final long A = 101;
  static final long B = 102;
  static final String A_ID = "chain-a";
  static final Map<Long, String> CLUSTER = Map.of(A, A_ID, B, "chain-b");
  static final ValidatorSet SET = Chain0Fixture.set(10, 10, 10, 10);
  static final Address COINBASE = Address.fromHex("0x00000000000000000000000000000000000c0b1e");
  static final Bytes PAYLOAD = Bytes.wrap("blob 0xabc is available".getBytes());

  /** The sets both chains know: the fixture's set only. */
  static final ClusterSets KNOWN =
      new ClusterSets() {
        @Override
        public Address module() {
          return CrossChainModule.ADDRESS;
        }

        @Override
        public Optional<ValidatorSet> byHash(ModuleCall c, Bytes32 hash) {
          return SET.hash().equals(hash) ? Optional.of(SET) : Optional.empty();
        }
      };

  @TempDir Path dir;
  EvmChain a;
  EvmChain b;
  long nonceA;
  long nonceB;

  @BeforeEach
  void open() {
    a = chain("a", A);
    b = chain("b", B);
  }

  EvmChain chain(String name, long id) {
    return EvmChain.open(
        dir.resolve(name),
        Genesis.devnet(id),
        SystemModules.of(new CrossChainModule(id, CLUSTER, KNOWN)));
  }

  @AfterEach
  void close() {
    a.close();
    b.close();
  }

  static Bytes tx(long chain, long nonce, int account, Bytes data) {
    return TxSigner.sign(
            new DynamicFeeTransaction(
                chain,
                nonce,
                GWEI.multiply(BigInteger.TWO),
                GWEI.multiply(BigInteger.TEN),
                2_000_000,
                Optional.of(CrossChainModule.ADDRESS),
                BigInteger.ZERO,
                data,
                List.of(),
                null),
            key(account))
        .encode();
  }

  static ExecutedBlock block(EvmChain c, Bytes... txs) {
    long n = c.head().number() + 1;
    Bytes32 parent = n == 1 ? c.genesis().hash() : blockHash(n - 1);
    c.execute(n, blockHash(n), parent, n * 1000, COINBASE, List.of(txs), 0, List.of());
    ExecutedBlock e = c.pendingExecution().orElseThrow();
    c.commit();
    return e;
  }

  static MessageResult view(EvmChain c, Bytes data) {
    return ExecFixtures.view(
        c,
        c.genesis().chainId(),
        COINBASE,
        key(2).address(),
        CrossChainModule.ADDRESS,
        data,
        5_000_000);
  }

  static String revertReason(MessageResult r) {
    assertThat(r.success()).as("reverted").isFalse();
    Bytes data = r.returnData();
    assertThat(data.slice(0, 4)).isEqualTo(Abi.ERROR_SELECTOR);
    @SuppressWarnings({"unchecked", "rawtypes"})
    List<Type> out =
        FunctionReturnDecoder.decode(
            data.slice(4).toUnprefixedHexString(),
            (List) List.of(new TypeReference<Utf8String>() {}));
    return (String) out.get(0).getValue();
  }

  /** A's consensus header {@code height} committing to {@code stateRoot}, and its certificate. */
  static BlockHeader header(String chainId, long height, Bytes32 stateRoot, ValidatorSet signers) {
    return new BlockHeader(
        chainId,
        height,
        height * 1000,
        blockHash(height - 1),
        Block.txRoot(List.of()),
        stateRoot,
        signers.hash(),
        signers.hash(),
        0);
  }

  record Proofs(BlockHeader header, CommitCertificate certificate, AccountProof proof) {}

  Proofs proveOnA(BigInteger seq) {
    Bytes32 root = a.state().committedRoot();
    BlockHeader h = header(A_ID, a.head().number() + 1, root, SET);
    CommitCertificate cert = Chain0Fixture.certify(A_ID, h, SET, 0, 1, 2);
    AccountProof p =
        a.state().proof(root, CrossChainModule.ADDRESS, List.of(CrossChainModule.outboxSlot(seq)));
    return new Proofs(h, cert, p);
  }

  /** One delivery's arguments besides the proofs, with withers for the ways to get it wrong. */
  record Attempt(
      long fromChain,
      BigInteger seqNo,
      Address from,
      Bytes body,
      BlockHeader header,
      CommitCertificate certificate) {
    Attempt payload(Bytes p) {
      return new Attempt(fromChain, seqNo, from, p, header, certificate);
    }

    Attempt sender(Address s) {
      return new Attempt(fromChain, seqNo, s, body, header, certificate);
    }

    Attempt seq(BigInteger n) {
      return new Attempt(fromChain, n, from, body, header, certificate);
    }

    Attempt from(long chain) {
      return new Attempt(chain, seqNo, from, body, header, certificate);
    }

    Attempt signed(BlockHeader h, CommitCertificate c) {
      return new Attempt(fromChain, seqNo, from, body, h, c);
    }

    Bytes call(List<Bytes> accountProof, List<Bytes> storageProof) {
      return new CrossChainModule.Delivery(
              fromChain,
              seqNo,
              from,
              body,
              Rlp.encode(BlockHeader.CODEC, header),
              Rlp.encode(CommitCertificate.CODEC, certificate),
              accountProof,
              storageProof)
          .callData();
    }
  }

  /** The revert reason of an attempt on a chain. */
  interface Refusal {
    String of(EvmChain chain, Attempt attempt);
  }

  @Test
  void aMessageProvenFromACertifiedHeaderIsDeliveredOnce() {
    Address sender = key(0).address();
    Receipt sent =
        block(
                a,
                tx(
                    A,
                    nonceA++,
                    0,
                    Abi.call(
                        CrossChainModule.SEND,
                        List.of(new Uint256(B), new DynamicBytes(PAYLOAD.toArray())))))
            .receipts()
            .getFirst();
    assertThat(sent.success()).isTrue();
    assertThat(sent.logs().getFirst().topics().getFirst())
        .isEqualTo(Abi.eventTopic(CrossChainModule.MESSAGE_SENT));
    BigInteger seq = BigInteger.ZERO;
    Proofs p = proveOnA(seq);
    List<Bytes> accountProof = p.proof().accountProof();
    List<Bytes> storageProof = p.proof().storageProof().getFirst().proof();

    // every way to get it wrong is refused, and changes nothing
    Attempt good = new Attempt(A, seq, sender, PAYLOAD, p.header(), p.certificate());
    Refusal refused = (chain, at) -> revertReason(view(chain, at.call(accountProof, storageProof)));
    String notHeld = "the source chain's outbox does not hold this message";
    assertThat(refused.of(b, good.payload(Bytes.wrap("other".getBytes())))).isEqualTo(notHeld);
    assertThat(refused.of(b, good.sender(key(1).address()))).isEqualTo(notHeld);
    assertThat(refused.of(b, good.seq(BigInteger.ONE))).isEqualTo(notHeld);
    assertThat(
            refused.of(
                b, good.signed(p.header(), Chain0Fixture.certify(A_ID, p.header(), SET, 0, 1))))
        .startsWith("the certificate does not verify: commit signers hold power 20 of 40");
    ValidatorSet stranger = Chain0Fixture.set(10, 10, 10, 10, 10);
    BlockHeader byStranger = header(A_ID, p.header().height(), p.header().appHash(), stranger);
    assertThat(
            refused.of(
                b,
                good.signed(
                    byStranger, Chain0Fixture.certify(A_ID, byStranger, stranger, 0, 1, 2, 3))))
        .startsWith("the header is signed by a set the cluster does not know now: ");
    BlockHeader ofB = header("chain-b", p.header().height(), p.header().appHash(), SET);
    assertThat(refused.of(b, good.signed(ofB, Chain0Fixture.certify("chain-b", ofB, SET, 0, 1, 2))))
        .isEqualTo("the header is of chain chain-b, not of chain-a");
    BlockHeader otherRoot =
        header(A_ID, p.header().height(), Hashes.keccak256(p.header().appHash()), SET);
    assertThat(
            refused.of(
                b, good.signed(otherRoot, Chain0Fixture.certify(A_ID, otherRoot, SET, 0, 1, 2))))
        .startsWith("the state proof does not verify: ");
    assertThat(refused.of(b, good.signed(otherRoot, p.certificate())))
        .isEqualTo("the certificate is not for this header");
    assertThat(refused.of(b, good.from(7))).isEqualTo("unknown source chain 7");
    assertThat(refused.of(a, good)).isEqualTo("a chain does not deliver its own messages");
    assertThat(
            revertReason(
                view(
                    b,
                    Bytes.concatenate(Abi.selector(CrossChainModule.DELIVER), Bytes.of(1, 2, 3)))))
        .isNotEmpty();

    // the real thing, once
    Bytes call = good.call(accountProof, storageProof);
    Receipt delivered = block(b, tx(B, nonceB++, 1, call)).receipts().getFirst();
    assertThat(delivered.success()).isTrue();
    assertThat(delivered.logs().getFirst().topics().getFirst())
        .isEqualTo(Abi.eventTopic(CrossChainModule.MESSAGE_DELIVERED));
    MessageResult status =
        view(b, Abi.call(CrossChainModule.DELIVERED, List.of(new Uint256(A), new Uint256(seq))));
    @SuppressWarnings({"unchecked", "rawtypes"})
    List<Type> out =
        FunctionReturnDecoder.decode(
            status.returnData().toUnprefixedHexString(),
            (List)
                List.of(
                    new TypeReference<Bool>() {},
                    new TypeReference<org.web3j.abi.datatypes.Address>() {},
                    new TypeReference<org.web3j.abi.datatypes.generated.Bytes32>() {}));
    assertThat(out.get(0).getValue()).isEqualTo(true);
    assertThat(out.get(1).getValue()).isEqualTo(sender.bytes().toHexString());
    assertThat(Bytes.wrap((byte[]) out.get(2).getValue())).isEqualTo(Hashes.keccak256(PAYLOAD));
    assertThat(revertReason(view(b, call))).isEqualTo("message already delivered");
  }

  @Test
  void sendRefusesItselfUnknownChainsAndHugePayloads() {
    assertThat(
            revertReason(
                view(
                    a,
                    Abi.call(
                        CrossChainModule.SEND,
                        List.of(new Uint256(A), new DynamicBytes(new byte[1]))))))
        .isEqualTo("a chain does not send messages to itself");
    assertThat(
            revertReason(
                view(
                    a,
                    Abi.call(
                        CrossChainModule.SEND,
                        List.of(new Uint256(9), new DynamicBytes(new byte[1]))))))
        .isEqualTo("unknown destination chain 9");
    assertThat(
            revertReason(
                view(
                    a,
                    Abi.call(
                        CrossChainModule.SEND,
                        List.of(
                            new Uint256(B),
                            new DynamicBytes(new byte[CrossChainModule.MAX_PAYLOAD + 1]))))))
        .isEqualTo("payload of 65537 bytes exceeds 65536");
    // sequence numbers count up per source chain
    block(
        a,
        tx(
            A,
            nonceA++,
            0,
            Abi.call(
                CrossChainModule.SEND, List.of(new Uint256(B), new DynamicBytes(new byte[3])))));
    block(
        a,
        tx(
            A,
            nonceA++,
            0,
            Abi.call(
                CrossChainModule.SEND, List.of(new Uint256(B), new DynamicBytes(new byte[3])))));
    MessageResult count = view(a, Abi.call(CrossChainModule.SENT_COUNT, List.of()));
    assertThat(Bytes32.wrap(count.returnData()).toUnsignedBigInteger()).isEqualTo(BigInteger.TWO);
    MessageResult first = view(a, Abi.call(CrossChainModule.OUTBOX, List.of(new Uint256(0))));
    assertThat(Bytes32.wrap(first.returnData()))
        .isEqualTo(
            CrossChainModule.messageHash(
                A, BigInteger.ZERO, key(0).address(), B, Bytes.wrap(new byte[3])));
  }
}
