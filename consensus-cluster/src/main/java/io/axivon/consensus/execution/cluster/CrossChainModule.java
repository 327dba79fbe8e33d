package io.axivon.consensus.execution.cluster;

import io.axivon.common.InvalidInputException;
import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.execution.system.Abi;
import io.axivon.consensus.execution.system.ModuleCall;
import io.axivon.consensus.execution.system.ModuleRevert;
import io.axivon.consensus.execution.system.SystemModule;
import io.axivon.consensus.execution.trie.MerklePatriciaProof;
import io.axivon.consensus.types.BlockHeader;
import io.axivon.consensus.types.CommitCertificate;
import io.axivon.consensus.types.ValidatorSet;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * Messages between the chains of a cluster, proven rather than trusted (specs/cluster.md §5). On
 * the source chain {@code send} writes the message's hash into this module's storage (the outbox);
 * on the destination anyone calls {@code deliver} with a header of the source chain, its commit
 * certificate, and the Merkle-Patricia proof of that outbox slot under the header's state root. The
 * header must be certified by a set the cluster's stake defines ({@link ClusterSets}), so a message
 * is delivered only once the source chain finalized it; each message is delivered once.
 *
 * <p>ABI: {@code specs/contracts/ICrossChain.sol}.
 */
public final class CrossChainModule implements SystemModule {
  public static final Address ADDRESS =
      new Address(Bytes.fromHexString("0x" + "00".repeat(18) + "1006"));

  public static final String SEND = "send(uint256,bytes)";
  public static final String DELIVER =
      "deliver(uint256,uint256,address,bytes,bytes,bytes,bytes,bytes)";
  public static final String OUTBOX = "outbox(uint256)";
  public static final String SENT_COUNT = "sentCount()";
  public static final String DELIVERED = "delivered(uint256,uint256)";

  public static final String MESSAGE_SENT = "MessageSent(uint256,uint256,address,bytes)";
  public static final String MESSAGE_DELIVERED =
      "MessageDelivered(uint256,uint256,address,bytes32)";

  /** Most bytes in one message's payload: it travels in a transaction on both chains. */
  public static final int MAX_PAYLOAD = 64 * 1024;

  /** Most trie nodes in one proof: a secure trie path is at most 64 nibbles deep. */
  static final int MAX_PROOF_NODES = 80;

  private static final Bytes32 SENT = slot("sent");

  private static final TypeReference<Uint256> UINT = new TypeReference<>() {};
  private static final TypeReference<DynamicBytes> BYTES = new TypeReference<>() {};
  private static final TypeReference<org.web3j.abi.datatypes.Address> ADDR =
      new TypeReference<>() {};

  private final long selfChain;
  private final Map<Long, String> chains;
  private final ClusterSets sets;

  /**
   * @param selfChain this chain's EVM chain id
   * @param chains every chain of the cluster: EVM chain id to consensus chain id
   * @param sets where the sets that may certify the cluster's headers live
   */
  public CrossChainModule(long selfChain, Map<Long, String> chains, ClusterSets sets) {
    if (!chains.containsKey(selfChain)) {
      throw new IllegalArgumentException("the cluster's chains must include " + selfChain);
    }
    this.selfChain = selfChain;
    this.chains = Map.copyOf(chains);
    this.sets = sets;
  }

  @Override
  public Address address() {
    return ADDRESS;
  }

  /** The hash the outbox keeps for a message, and the destination checks. */
  public static Bytes32 messageHash(
      long fromChain, BigInteger seq, Address sender, long toChain, Bytes payload) {
    return Hashes.keccak256(
        Abi.encode(
            List.of(
                new Uint256(fromChain),
                new Uint256(seq),
                new org.web3j.abi.datatypes.Address(sender.bytes().toHexString()),
                new Uint256(toChain),
                new org.web3j.abi.datatypes.generated.Bytes32(
                    Hashes.keccak256(payload).toArrayUnsafe()))));
  }

  /** The storage slot of outbox entry {@code seq} (what a relayer asks eth_getProof for). */
  public static Bytes32 outboxSlot(BigInteger seq) {
    return Hashes.keccak256(Bytes.concatenate(slot("outbox"), Bytes32.leftPad(uint(seq))));
  }

  @Override
  public Bytes call(ModuleCall c, Address caller, BigInteger value, Bytes input) {
    if (input.size() < 4) {
      throw new ModuleRevert("no function selector");
    }
    if (value.signum() != 0) {
      throw new ModuleRevert("function is not payable");
    }
    Bytes selector = input.slice(0, 4);
    Bytes args = input.slice(4);
    if (selector.equals(Abi.selector(SEND))) {
      List<Type> a = Abi.decodeArgs(args, List.of(UINT, BYTES));
      return Abi.encode(List.of(new Uint256(send(c, caller, num(a.get(0)), bytes(a.get(1))))));
    }
    if (selector.equals(Abi.selector(DELIVER))) {
      List<Type> a =
          Abi.decodeArgs(args, List.of(UINT, UINT, ADDR, BYTES, BYTES, BYTES, BYTES, BYTES));
      deliver(
          c,
          new Delivery(
              num(a.get(0)),
              ((Uint256) a.get(1)).getValue(),
              address(a.get(2)),
              bytes(a.get(3)),
              bytes(a.get(4)),
              bytes(a.get(5)),
              nodes(a.get(6)),
              nodes(a.get(7))));
      return Bytes.EMPTY;
    }
    if (selector.equals(Abi.selector(OUTBOX))) {
      List<Type> a = Abi.decodeArgs(args, List.of(UINT));
      Bytes32 h = c.load(outboxSlot(((Uint256) a.get(0)).getValue()));
      return Abi.encode(List.of(new org.web3j.abi.datatypes.generated.Bytes32(h.toArray())));
    }
    if (selector.equals(Abi.selector(SENT_COUNT))) {
      Abi.decodeArgs(args, List.of());
      return Abi.encode(List.of(new Uint256(c.load(SENT).toUnsignedBigInteger())));
    }
    if (selector.equals(Abi.selector(DELIVERED))) {
      List<Type> a = Abi.decodeArgs(args, List.of(UINT, UINT));
      long from = num(a.get(0));
      BigInteger seq = ((Uint256) a.get(1)).getValue();
      Bytes32 who = c.load(deliveredSlot(from, seq, "sender"));
      Bytes32 payloadHash = c.load(deliveredSlot(from, seq, "payload"));
      return Abi.encode(
          List.of(
              new Bool(!who.isZero()),
              new org.web3j.abi.datatypes.Address(who.slice(12).toHexString()),
              new org.web3j.abi.datatypes.generated.Bytes32(payloadHash.toArray())));
    }
    throw new ModuleRevert("unknown function selector " + selector.toHexString());
  }

  private BigInteger send(ModuleCall c, Address sender, long toChain, Bytes payload) {
    if (toChain == selfChain) {
      throw new ModuleRevert("a chain does not send messages to itself");
    }
    if (!chains.containsKey(toChain)) {
      throw new ModuleRevert("unknown destination chain " + toChain);
    }
    if (payload.size() > MAX_PAYLOAD) {
      throw new ModuleRevert("payload of " + payload.size() + " bytes exceeds " + MAX_PAYLOAD);
    }
    BigInteger seq = c.load(SENT).toUnsignedBigInteger();
    c.store(SENT, Bytes32.leftPad(uint(seq.add(BigInteger.ONE))));
    c.store(outboxSlot(seq), messageHash(selfChain, seq, sender, toChain, payload));
    c.log(
        List.of(
            Abi.eventTopic(MESSAGE_SENT),
            Bytes32.leftPad(uint(seq)),
            Bytes32.leftPad(uint(BigInteger.valueOf(toChain))),
            Bytes32.leftPad(sender.bytes())),
        Abi.encode(List.of(new DynamicBytes(payload.toArrayUnsafe()))));
    return seq;
  }

  /**
   * What {@code deliver} carries for message {@code seq} of chain {@code fromChain}: what a relayer
   * takes from the source's {@code axivon_getCertifiedHeader(h)} (RLP header and certificate) and
   * {@code eth_getProof(ADDRESS, [outboxSlot(seq)], h - 1)}.
   */
  public record Delivery(
      long fromChain,
      BigInteger seq,
      Address sender,
      Bytes payload,
      Bytes header,
      Bytes certificate,
      List<Bytes> accountProof,
      List<Bytes> storageProof) {
    public Delivery {
      accountProof = List.copyOf(accountProof);
      storageProof = List.copyOf(storageProof);
    }

    /** The call data of {@code deliver} for it. */
    public Bytes callData() {
      return Abi.call(
          DELIVER,
          List.of(
              new Uint256(fromChain),
              new Uint256(seq),
              new org.web3j.abi.datatypes.Address(sender.bytes().toHexString()),
              new DynamicBytes(payload.toArray()),
              new DynamicBytes(header.toArray()),
              new DynamicBytes(certificate.toArray()),
              new DynamicBytes(Rlp.encode(PROOF_NODES, accountProof).toArray()),
              new DynamicBytes(Rlp.encode(PROOF_NODES, storageProof).toArray())));
    }
  }

  private void deliver(ModuleCall c, Delivery d) {
    String sourceId = chains.get(d.fromChain());
    if (sourceId == null) {
      throw new ModuleRevert("unknown source chain " + d.fromChain());
    }
    if (d.fromChain() == selfChain) {
      throw new ModuleRevert("a chain does not deliver its own messages");
    }
    if (d.payload().size() > MAX_PAYLOAD) {
      throw new ModuleRevert("payload of " + d.payload().size() + " bytes exceeds " + MAX_PAYLOAD);
    }
    if (d.accountProof().size() > MAX_PROOF_NODES || d.storageProof().size() > MAX_PROOF_NODES) {
      throw new ModuleRevert("a proof of more than " + MAX_PROOF_NODES + " nodes");
    }
    Bytes32 senderSlot = deliveredSlot(d.fromChain(), d.seq(), "sender");
    if (!c.load(senderSlot).isZero()) {
      throw new ModuleRevert("message already delivered");
    }
    BlockHeader header;
    CommitCertificate certificate;
    try {
      header = Rlp.decode(BlockHeader.CODEC, d.header());
    } catch (InvalidInputException | IllegalArgumentException e) {
      throw new ModuleRevert("malformed header: " + e.getMessage());
    }
    try {
      certificate = Rlp.decode(CommitCertificate.CODEC, d.certificate());
    } catch (InvalidInputException | IllegalArgumentException e) {
      throw new ModuleRevert("malformed certificate: " + e.getMessage());
    }
    if (!header.chainId().equals(sourceId)) {
      throw new ModuleRevert("the header is of chain " + header.chainId() + ", not of " + sourceId);
    }
    Optional<ValidatorSet> signers =
        c.readOther(sets.module(), view -> sets.byHash(view, header.validatorsHash()));
    if (signers.isEmpty()) {
      throw new ModuleRevert(
          "the header is signed by a set the cluster does not know now: "
              + header.validatorsHash().toHexString());
    }
    if (certificate.height() != header.height() || !certificate.blockHash().equals(header.hash())) {
      throw new ModuleRevert("the certificate is not for this header");
    }
    c.charge(ModuleCall.BLS_VERIFY_GAS);
    try {
      certificate.verify(sourceId, signers.get());
    } catch (InvalidInputException e) {
      throw new ModuleRevert("the certificate does not verify: " + e.getMessage());
    }
    chargeHashing(c, d.accountProof());
    chargeHashing(c, d.storageProof());
    Bytes32 expected = messageHash(d.fromChain(), d.seq(), d.sender(), selfChain, d.payload());
    Bytes32 found;
    try {
      // header h commits to the state after block h - 1: the message was sent at or before it
      MerklePatriciaProof.Account module =
          MerklePatriciaProof.account(header.appHash(), ADDRESS, d.accountProof())
              .orElseThrow(() -> new ModuleRevert("the source state has no cross-chain module"));
      found =
          MerklePatriciaProof.storage(module.storageRoot(), outboxSlot(d.seq()), d.storageProof());
    } catch (InvalidInputException e) {
      throw new ModuleRevert("the state proof does not verify: " + e.getMessage());
    }
    if (!found.equals(expected)) {
      throw new ModuleRevert("the source chain's outbox does not hold this message");
    }
    c.store(senderSlot, deliveredMark(d.sender()));
    Bytes32 payloadHash = Hashes.keccak256(d.payload());
    c.store(deliveredSlot(d.fromChain(), d.seq(), "payload"), payloadHash);
    c.log(
        List.of(
            Abi.eventTopic(MESSAGE_DELIVERED),
            Bytes32.leftPad(uint(BigInteger.valueOf(d.fromChain()))),
            Bytes32.leftPad(uint(d.seq())),
            Bytes32.leftPad(d.sender().bytes())),
        payloadHash);
  }

  /** Keccak of each proof node, priced as the EVM's KECCAK256 (30 + 6 per word). */
  private static void chargeHashing(ModuleCall c, List<Bytes> nodes) {
    for (Bytes n : nodes) {
      c.charge(30 + 6L * ((n.size() + 31) / 32));
    }
  }

  /** 0x01, then the sender in the low 20 bytes: non-zero even for the zero address. */
  private static Bytes32 deliveredMark(Address sender) {
    return Bytes32.wrap(Bytes.concatenate(Bytes.of(1), Bytes.wrap(new byte[11]), sender.bytes()));
  }

  private static Bytes32 deliveredSlot(long fromChain, BigInteger seq, String field) {
    return Hashes.keccak256(
        Bytes.concatenate(
            slot("delivered." + field),
            Bytes32.leftPad(uint(BigInteger.valueOf(fromChain))),
            Bytes32.leftPad(uint(seq))));
  }

  private static Bytes32 slot(String name) {
    return Hashes.keccak256(
        Bytes.wrap(("axivon.cross-chain." + name).getBytes(StandardCharsets.US_ASCII)));
  }

  private static Bytes uint(BigInteger v) {
    return v.signum() == 0 ? Bytes.EMPTY : Bytes.wrap(v.toByteArray()).trimLeadingZeros();
  }

  private static long num(Type<?> t) {
    BigInteger v = ((Uint256) t).getValue();
    if (v.bitLength() > 63) {
      throw new ModuleRevert("chain id " + v + " is too large");
    }
    return v.longValueExact();
  }

  private static Bytes bytes(Type<?> t) {
    return Bytes.wrap(((DynamicBytes) t).getValue());
  }

  private static Address address(Type<?> t) {
    String hex = ((org.web3j.abi.datatypes.Address) t).getValue();
    return new Address(Bytes32.leftPad(Bytes.fromHexStringLenient(hex)).slice(12));
  }

  /**
   * A proof as one {@code bytes}: the RLP list of its trie nodes (each node's own RLP as a byte
   * string). Not {@code bytes[]}: web3j 5.0.0 decodes arrays of dynamic types wrongly.
   */
  public static final RlpCodec<List<Bytes>> PROOF_NODES = Rlp.listOf(Rlp.BYTES);

  private static List<Bytes> nodes(Type<?> t) {
    try {
      return Rlp.decode(PROOF_NODES, bytes(t));
    } catch (InvalidInputException e) {
      throw new ModuleRevert("malformed proof: " + e.getMessage());
    }
  }
}
