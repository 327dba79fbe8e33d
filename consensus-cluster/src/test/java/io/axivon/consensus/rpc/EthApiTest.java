package io.axivon.consensus.rpc;

import static io.axivon.consensus.execution.ExecFixtures.CHAIN_ID;
import static io.axivon.consensus.execution.ExecFixtures.GWEI;
import static io.axivon.consensus.execution.ExecFixtures.call;
import static io.axivon.consensus.execution.ExecFixtures.counterBytecode;
import static io.axivon.consensus.execution.ExecFixtures.key;
import static io.axivon.consensus.execution.ExecFixtures.selector;
import static io.axivon.consensus.execution.ExecFixtures.tx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.execution.block.EthBlock;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.consensus.execution.trie.MerklePatriciaProof;
import io.axivon.consensus.execution.tx.DynamicFeeTransaction;
import io.axivon.consensus.execution.tx.LegacyTransaction;
import io.axivon.consensus.execution.tx.TxSigner;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EthApiTest {
  private static final BigInteger START = Genesis.AXN.multiply(BigInteger.valueOf(10_000));
  private static final Bytes32 INCREMENTED =
      Hashes.keccak256(
          Bytes.wrap("Incremented(address,uint256)".getBytes(StandardCharsets.US_ASCII)));

  @TempDir Path dir;
  private RpcFixture f;
  private Address alice;
  private Address bob;

  @BeforeEach
  void open() {
    f = new RpcFixture(dir, RpcConfig.defaults().withLimits(1 << 20, 100, 5, 3));
    alice = key(0).address();
    bob = key(1).address();
  }

  @AfterEach
  void close() {
    f.close();
  }

  private String q(String params) {
    return params.replace('\'', '"');
  }

  private JsonNode rpc(String method, String params) {
    return f.call(method, q(params));
  }

  private RpcException error(String method, String params) {
    return catchThrowableOfType(RpcException.class, () -> rpc(method, params));
  }

  private Bytes transfer(int from, long nonce, Address to, long wei) {
    return tx(key(from), nonce, Optional.of(to), BigInteger.valueOf(wei), Bytes.EMPTY, 21_000);
  }

  /** Deploys Counter in the next block; returns its address. */
  private Address deployCounter() {
    Bytes deploy = tx(key(0), 0, Optional.empty(), BigInteger.ZERO, counterBytecode(), 500_000);
    f.block(deploy);
    JsonNode r = rpc("eth_getTransactionReceipt", "['" + Hashes.keccak256(deploy) + "']");
    assertThat(r.get("status").asText()).isEqualTo("0x1");
    return Address.fromHex(r.get("contractAddress").asText());
  }

  @Test
  void identityAndFees() {
    assertThat(rpc("eth_chainId", "[]").asText()).isEqualTo("0x539");
    assertThat(rpc("net_version", "[]").asText()).isEqualTo("1337");
    assertThat(rpc("web3_clientVersion", "[]").asText()).startsWith("Axivon/v");
    assertThat(rpc("web3_sha3", "['0x68656c6c6f20776f726c64']").asText())
        .isEqualTo("0x47173285a8d7341e5e972fc677286384f802f8ef42a5ec5f03bbfa254cb01fad");
    assertThat(rpc("eth_blockNumber", "[]").asText()).isEqualTo("0x0");
    assertThat(rpc("eth_syncing", "[]").asBoolean()).isFalse();
    assertThat(rpc("eth_syncing", "[]").isBoolean()).isTrue();
    assertThat(rpc("net_peerCount", "[]").asText()).isEqualTo("0x3");
    // next base fee 1 gwei + the suggested 1 gwei tip
    assertThat(rpc("eth_gasPrice", "[]").asText()).isEqualTo("0x77359400");
    assertThat(rpc("eth_maxPriorityFeePerGas", "[]").asText()).isEqualTo("0x3b9aca00");
  }

  @Test
  void balancesNoncesAndPendingCount() {
    assertThat(rpc("eth_getBalance", "['" + alice + "', 'latest']").asText())
        .isEqualTo("0x" + START.toString(16));
    assertThat(rpc("eth_getBalance", "['" + alice + "']").asText())
        .isEqualTo("0x" + START.toString(16));
    f.block(transfer(0, 0, bob, 1000));
    assertThat(rpc("eth_getBalance", "['" + bob + "', 'latest']").asText())
        .isEqualTo("0x" + START.add(BigInteger.valueOf(1000)).toString(16));
    // past state stays readable: block 0 had no transfer yet
    assertThat(rpc("eth_getBalance", "['" + bob + "', '0x0']").asText())
        .isEqualTo("0x" + START.toString(16));
    assertThat(rpc("eth_getBalance", "['" + bob + "', 'earliest']").asText())
        .isEqualTo("0x" + START.toString(16));
    assertThat(rpc("eth_getBalance", "['" + bob + "', {'blockNumber': '0x1'}]").asText())
        .isEqualTo("0x" + START.add(BigInteger.valueOf(1000)).toString(16));
    // and the head's state is back after a past read
    assertThat(rpc("eth_getTransactionCount", "['" + alice + "', 'latest']").asText())
        .isEqualTo("0x1");
    assertThat(error("eth_getBalance", "['" + bob + "', '0x9']").getMessage())
        .isEqualTo("header not found");

    rpc("eth_sendRawTransaction", "['" + transfer(0, 1, bob, 1) + "']");
    rpc("eth_sendRawTransaction", "['" + transfer(0, 2, bob, 1) + "']");
    rpc("eth_sendRawTransaction", "['" + transfer(0, 4, bob, 1) + "']"); // gap: not counted
    assertThat(rpc("eth_getTransactionCount", "['" + alice + "', 'pending']").asText())
        .isEqualTo("0x3");
    assertThat(rpc("eth_getTransactionCount", "['" + alice + "', 'latest']").asText())
        .isEqualTo("0x1");
    assertThat(rpc("eth_getTransactionCount", "['" + alice + "', 'finalized']").asText())
        .isEqualTo("0x1");
  }

  @Test
  void sendRawTransactionErrorsAreGeths() {
    Bytes t = transfer(0, 0, bob, 1);
    assertThat(rpc("eth_sendRawTransaction", "['" + t + "']").asText())
        .isEqualTo(Hashes.keccak256(t).toHexString());
    RpcException dup = error("eth_sendRawTransaction", "['" + t + "']");
    assertThat(dup.code()).isEqualTo(-32000);
    assertThat(dup.getMessage()).isEqualTo("already known");

    f.block(t);
    RpcException low = error("eth_sendRawTransaction", "['" + transfer(0, 0, bob, 2) + "']");
    assertThat(low.code()).isEqualTo(-32000);
    assertThat(low.getMessage()).isEqualTo("nonce too low: next nonce 1, tx nonce 0");

    Bytes wrongChain =
        TxSigner.sign(
                new DynamicFeeTransaction(
                    1,
                    1,
                    GWEI,
                    GWEI.multiply(BigInteger.TEN),
                    21_000,
                    Optional.of(bob),
                    BigInteger.ONE,
                    Bytes.EMPTY,
                    List.of(),
                    null),
                key(0))
            .encode();
    assertThat(error("eth_sendRawTransaction", "['" + wrongChain + "']").getMessage())
        .isEqualTo("invalid sender: invalid chain id for signer");

    Bytes tooMuch = tx(key(2), 0, Optional.of(bob), START, Bytes.EMPTY, 21_000);
    assertThat(error("eth_sendRawTransaction", "['" + tooMuch + "']").getMessage())
        .startsWith("insufficient funds for gas * price + value: balance ");

    Bytes cheap =
        TxSigner.sign(
                new LegacyTransaction(
                    OptionalLong.of(CHAIN_ID),
                    1,
                    BigInteger.ONE,
                    21_000,
                    Optional.of(bob),
                    BigInteger.ONE,
                    Bytes.EMPTY,
                    null),
                key(0))
            .encode();
    assertThat(error("eth_sendRawTransaction", "['" + cheap + "']").getMessage())
        .isEqualTo("max fee per gas less than block base fee");

    RpcException junk = error("eth_sendRawTransaction", "['0x05aa']");
    assertThat(junk.code()).isEqualTo(-32000);
    assertThat(junk.getMessage()).isEqualTo("transaction type not supported");

    RpcException odd = error("eth_sendRawTransaction", "['0x05a']");
    assertThat(odd.code()).isEqualTo(-32602);
    assertThat(odd.getMessage()).isEqualTo("invalid argument 0: hex string of odd length");
  }

  @Test
  void callObjectFieldsAreCheckedOneByOne() {
    RpcException notText = error("eth_call", "[{'to': 5}, 'latest']");
    assertThat(notText.code()).isEqualTo(-32602);
    assertThat(notText.getMessage())
        .isEqualTo("invalid argument 0: field to: expected a hex string");
    RpcException shortAddress = error("eth_call", "[{'to': '0x12'}, 'latest']");
    assertThat(shortAddress.code()).isEqualTo(-32602);
    assertThat(shortAddress.getMessage()).startsWith("invalid argument 0: field to: ");
    RpcException badQuantity = error("eth_estimateGas", "[{'to': '" + bob + "', 'gas': '0xzz'}]");
    assertThat(badQuantity.code()).isEqualTo(-32602);
    assertThat(badQuantity.getMessage()).startsWith("invalid argument 0: field gas: ");
    RpcException oddData = error("eth_call", "[{'to': '" + bob + "', 'data': '0x123'}, 'latest']");
    assertThat(oddData.getMessage())
        .isEqualTo("invalid argument 0: field data: hex string of odd length");
    // null and absent fields are the same: a plain call from the zero address
    assertThat(
            rpc("eth_call", "[{'to': '" + bob + "', 'from': null, 'data': null}, 'latest']")
                .asText())
        .isEqualTo("0x");
  }

  @Test
  void transactionAndReceiptShapes() {
    Bytes t = transfer(0, 0, bob, 1000);
    Bytes32 hash = Hashes.keccak256(t);
    rpc("eth_sendRawTransaction", "['" + t + "']");
    JsonNode pending = rpc("eth_getTransactionByHash", "['" + hash + "']");
    assertThat(pending.get("blockHash").isNull()).isTrue();
    assertThat(pending.get("blockNumber").isNull()).isTrue();
    assertThat(pending.get("transactionIndex").isNull()).isTrue();
    assertThat(pending.get("gasPrice").asText()).isEqualTo("0x2540be400"); // the fee cap
    assertThat(pending.get("from").asText()).isEqualTo(alice.toLowerHex());

    EthBlock b = f.block(t);
    JsonNode tx = rpc("eth_getTransactionByHash", "['" + hash + "']");
    assertThat(tx.get("blockHash").asText()).isEqualTo(b.hash().toHexString());
    assertThat(tx.get("blockNumber").asText()).isEqualTo("0x1");
    assertThat(tx.get("transactionIndex").asText()).isEqualTo("0x0");
    assertThat(tx.get("type").asText()).isEqualTo("0x2");
    assertThat(tx.get("chainId").asText()).isEqualTo("0x539");
    assertThat(tx.get("nonce").asText()).isEqualTo("0x0");
    assertThat(tx.get("gas").asText()).isEqualTo("0x5208");
    assertThat(tx.get("value").asText()).isEqualTo("0x3e8");
    assertThat(tx.get("input").asText()).isEqualTo("0x");
    assertThat(tx.get("to").asText()).isEqualTo(bob.toLowerHex());
    assertThat(tx.get("maxFeePerGas").asText()).isEqualTo("0x2540be400");
    assertThat(tx.get("maxPriorityFeePerGas").asText()).isEqualTo("0x77359400");
    // mined: the effective price, base fee 1 gwei + tip 2 gwei
    assertThat(tx.get("gasPrice").asText()).isEqualTo("0xb2d05e00");
    assertThat(tx.get("accessList").isArray()).isTrue();
    assertThat(tx.get("yParity").asText()).isIn("0x0", "0x1");
    assertThat(tx.get("v").asText()).isEqualTo(tx.get("yParity").asText());
    assertThat(tx.get("r").asText()).matches("0x[1-9a-f][0-9a-f]*");

    JsonNode r = rpc("eth_getTransactionReceipt", "['" + hash + "']");
    assertThat(r.get("status").asText()).isEqualTo("0x1");
    assertThat(r.get("type").asText()).isEqualTo("0x2");
    assertThat(r.get("gasUsed").asText()).isEqualTo("0x5208");
    assertThat(r.get("cumulativeGasUsed").asText()).isEqualTo("0x5208");
    assertThat(r.get("effectiveGasPrice").asText()).isEqualTo("0xb2d05e00");
    assertThat(r.get("contractAddress").isNull()).isTrue();
    assertThat(r.get("logs").isEmpty()).isTrue();
    assertThat(r.get("logsBloom").asText()).hasSize(2 + 512);
    assertThat(r.get("transactionHash").asText()).isEqualTo(hash.toHexString());
    assertThat(r.get("blockHash").asText()).isEqualTo(b.hash().toHexString());

    assertThat(rpc("eth_getTransactionReceipt", "['" + Bytes32.ZERO + "']").isNull()).isTrue();
    assertThat(rpc("eth_getTransactionByHash", "['" + Bytes32.ZERO + "']").isNull()).isTrue();

    // the block's receipts in one call, by number, by hash and as an EIP-1898 object
    for (String arg :
        new String[] {
          "'0x1'",
          "'" + b.hash() + "'",
          "{'blockHash': '" + b.hash() + "'}",
          "{'blockNumber': '0x1'}"
        }) {
      JsonNode all = rpc("eth_getBlockReceipts", "[" + arg + "]");
      assertThat(all.isArray()).as(arg).isTrue();
      assertThat(all).as(arg).hasSize(1);
      assertThat(all.get(0)).as(arg).isEqualTo(r);
    }
    assertThat(rpc("eth_getBlockReceipts", "['0x99']").isNull()).isTrue();
    assertThat(rpc("eth_getBlockReceipts", "['" + Bytes32.ZERO + "']").isNull()).isTrue();
  }

  @Test
  void legacyTransactionShape() {
    Bytes t =
        TxSigner.sign(
                new LegacyTransaction(
                    OptionalLong.of(CHAIN_ID),
                    0,
                    GWEI.multiply(BigInteger.TWO),
                    21_000,
                    Optional.of(bob),
                    BigInteger.ONE,
                    Bytes.EMPTY,
                    null),
                key(0))
            .encode();
    f.block(t);
    JsonNode tx = rpc("eth_getTransactionByHash", "['" + Hashes.keccak256(t) + "']");
    assertThat(tx.get("type").asText()).isEqualTo("0x0");
    assertThat(tx.get("gasPrice").asText()).isEqualTo("0x77359400");
    assertThat(tx.has("maxFeePerGas")).isFalse();
    assertThat(tx.has("accessList")).isFalse();
    assertThat(tx.has("yParity")).isFalse();
    assertThat(tx.get("chainId").asText()).isEqualTo("0x539");
    assertThat(tx.get("v").asText()).isIn("0xa95", "0xa96"); // 1337 * 2 + 35 + parity
  }

  @Test
  void blocks() {
    Bytes t = transfer(0, 0, bob, 1);
    EthBlock b = f.block(t);
    JsonNode latest = rpc("eth_getBlockByNumber", "['latest', false]");
    assertThat(latest.get("number").asText()).isEqualTo("0x1");
    assertThat(latest.get("hash").asText()).isEqualTo(b.hash().toHexString());
    assertThat(latest.get("parentHash").asText()).isEqualTo(f.chain.genesis().hash().toHexString());
    assertThat(latest.get("transactions").get(0).asText())
        .isEqualTo(Hashes.keccak256(t).toHexString());
    assertThat(latest.get("baseFeePerGas").asText()).isEqualTo("0x3b9aca00");
    assertThat(latest.get("gasLimit").asText()).isEqualTo("0x1c9c380");
    assertThat(latest.get("gasUsed").asText()).isEqualTo("0x5208");
    assertThat(latest.get("timestamp").asText()).isEqualTo("0x1");
    assertThat(latest.get("difficulty").asText()).isEqualTo("0x0");
    assertThat(latest.get("nonce").asText()).isEqualTo("0x0000000000000000");
    assertThat(latest.get("sha3Uncles").asText())
        .isEqualTo("0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347");
    assertThat(latest.get("uncles").isEmpty()).isTrue();
    assertThat(latest.get("withdrawals").isEmpty()).isTrue();
    assertThat(latest.get("size").asText()).startsWith("0x");
    assertThat(latest.get("stateRoot").asText()).isEqualTo(b.stateRoot().toHexString());
    assertThat(latest.get("miner").asText()).isEqualTo(b.miner().toLowerHex());

    JsonNode full = rpc("eth_getBlockByHash", "['" + b.hash() + "', true]");
    assertThat(full.get("transactions").get(0).get("hash").asText())
        .isEqualTo(Hashes.keccak256(t).toHexString());
    assertThat(full.get("transactions").get(0).get("blockNumber").asText()).isEqualTo("0x1");
    assertThat(rpc("eth_getBlockByNumber", "['earliest', false]").get("number").asText())
        .isEqualTo("0x0");
    assertThat(rpc("eth_getBlockByNumber", "['pending', false]").get("number").asText())
        .isEqualTo("0x1");
    assertThat(rpc("eth_getBlockByNumber", "['0x7', false]").isNull()).isTrue();
    assertThat(rpc("eth_getBlockByHash", "['" + Bytes32.ZERO + "', false]").isNull()).isTrue();
    assertThat(rpc("eth_getBlockTransactionCountByNumber", "['0x1']").asText()).isEqualTo("0x1");
    assertThat(rpc("eth_getBlockTransactionCountByNumber", "['0x0']").asText()).isEqualTo("0x0");
    assertThat(rpc("eth_getBlockTransactionCountByHash", "['" + b.hash() + "']").asText())
        .isEqualTo("0x1");
    assertThat(rpc("eth_getBlockTransactionCountByNumber", "['0x5']").isNull()).isTrue();
  }

  private static List<Bytes> nodes(JsonNode array) {
    List<Bytes> out = new java.util.ArrayList<>();
    array.forEach(n -> out.add(Bytes.fromHexString(n.asText())));
    return out;
  }

  @Test
  void proofsOfAccountsAndStorageVerifyAgainstTheBlocksStateRoot() {
    Address counter = deployCounter();
    f.block(tx(key(0), 1, Optional.of(counter), BigInteger.ZERO, call("increment()"), 100_000));
    for (String block : List.of("0x1", "latest")) {
      Bytes32 stateRoot =
          Bytes32.fromHexString(
              rpc("eth_getBlockByNumber", "['" + block + "', false]").get("stateRoot").asText());
      JsonNode p = rpc("eth_getProof", "['" + counter + "', ['0x0', '0x1'], '" + block + "']");
      var account =
          MerklePatriciaProof.account(stateRoot, counter, nodes(p.get("accountProof")))
              .orElseThrow();
      assertThat(account.storageRoot().toHexString()).isEqualTo(p.get("storageHash").asText());
      assertThat(account.codeHash().toHexString()).isEqualTo(p.get("codeHash").asText());
      assertThat(Hex.quantity(account.nonce())).isEqualTo(p.get("nonce").asText());
      JsonNode slot0 = p.get("storageProof").get(0);
      Bytes32 count =
          MerklePatriciaProof.storage(
              account.storageRoot(), Bytes32.ZERO, nodes(slot0.get("proof")));
      assertThat(count.toUnsignedBigInteger()).isEqualTo(block.equals("latest") ? 1 : 0);
      assertThat(slot0.get("value").asText()).isEqualTo(block.equals("latest") ? "0x1" : "0x0");
      // slot 1 was never written: the proof shows it absent
      JsonNode slot1 = p.get("storageProof").get(1);
      assertThat(
              MerklePatriciaProof.storage(
                  account.storageRoot(), Bytes32.leftPad(Bytes.of(1)), nodes(slot1.get("proof"))))
          .isEqualTo(Bytes32.ZERO);

      // a changed byte anywhere in a node, or another root, is not a proof
      List<Bytes> tampered = new java.util.ArrayList<>(nodes(p.get("accountProof")));
      var last = tampered.getLast().mutableCopy();
      last.set(last.size() - 1, (byte) (last.get(last.size() - 1) ^ 1));
      tampered.set(tampered.size() - 1, last);
      assertThatThrownBy(() -> MerklePatriciaProof.account(stateRoot, counter, tampered))
          .isInstanceOf(io.axivon.common.InvalidInputException.class)
          .hasMessageStartingWith("proof: no node with hash");
      assertThatThrownBy(
              () ->
                  MerklePatriciaProof.account(
                      Hashes.keccak256(stateRoot), counter, nodes(p.get("accountProof"))))
          .isInstanceOf(io.axivon.common.InvalidInputException.class);
    }
    // an account that does not exist: proven absent
    Address nobody = Address.fromHex("0x00000000000000000000000000000000000abcde");
    JsonNode none = rpc("eth_getProof", "['" + nobody + "', [], 'latest']");
    Bytes32 root =
        Bytes32.fromHexString(
            rpc("eth_getBlockByNumber", "['latest', false]").get("stateRoot").asText());
    assertThat(MerklePatriciaProof.account(root, nobody, nodes(none.get("accountProof"))))
        .isEmpty();
    assertThat(error("eth_getProof", "['" + nobody + "', '0x0', 'latest']").getMessage())
        .contains("expected an array of storage keys");
    assertThat(error("eth_getProof", "['" + nobody + "', [], '0x99']").getMessage())
        .contains("header not found");
  }

  @Test
  void callsRevertsAndCode() {
    Address counter = deployCounter();
    assertThat(rpc("eth_getCode", "['" + counter + "', 'latest']").asText()).startsWith("0x6080");
    assertThat(rpc("eth_getCode", "['" + bob + "']").asText()).isEqualTo("0x");
    String count = "{'to': '" + counter + "', 'data': '" + call("count()") + "'}";
    assertThat(rpc("eth_call", "[" + count + ", 'latest']").asText())
        .isEqualTo(Bytes32.ZERO.toHexString());

    f.block(tx(key(0), 1, Optional.of(counter), BigInteger.ZERO, call("increment()"), 100_000));
    assertThat(rpc("eth_call", "[" + count + "]").asText())
        .isEqualTo(Bytes32.leftPad(Bytes.of(1)).toHexString());
    assertThat(rpc("eth_getStorageAt", "['" + counter + "', '0x0', 'latest']").asText())
        .isEqualTo(Bytes32.leftPad(Bytes.of(1)).toHexString());
    // an eth_call at block 2 (before the increment's block 3? no: increment is block 2) and at 1
    assertThat(rpc("eth_call", "[" + count + ", '0x1']").asText())
        .isEqualTo(Bytes32.ZERO.toHexString());

    RpcException fail =
        error(
            "eth_call",
            "[{'from': '"
                + alice
                + "', 'to': '"
                + counter
                + "', 'input': '"
                + call("fail()")
                + "'}]");
    assertThat(fail.code()).isEqualTo(3);
    assertThat(fail.getMessage()).isEqualTo("execution reverted: nope");
    assertThat(fail.data()).startsWith("0x08c379a0");

    RpcException custom =
        error(
            "eth_call", "[{'to': '" + counter + "', 'data': '" + call("add(uint256)", 101) + "'}]");
    assertThat(custom.code()).isEqualTo(3);
    assertThat(custom.getMessage()).isEqualTo("execution reverted");
    assertThat(custom.data())
        .isEqualTo(
            Bytes.concatenate(
                    selector("TooLarge(uint256,uint256)"),
                    Bytes32.leftPad(Bytes.of(101)),
                    Bytes32.leftPad(Bytes.of(100)))
                .toHexString());

    RpcException poor =
        error(
            "eth_call",
            "[{'from': '"
                + bob
                + "', 'to': '"
                + counter
                + "', 'gasPrice': '0x3b9aca00', 'value': '0x"
                + START.toString(16)
                + "'}]");
    assertThat(poor.code()).isEqualTo(-32000);
    assertThat(poor.getMessage()).startsWith("insufficient funds for gas * price + value");
  }

  @Test
  void estimateGasFindsWhatSuffices() {
    assertThat(
            rpc(
                    "eth_estimateGas",
                    "[{'from': '" + alice + "', 'to': '" + bob + "', 'value': '0x1'}]")
                .asText())
        .isEqualTo("0x5208");
    Address counter = deployCounter();
    String incr =
        "{'from': '" + alice + "', 'to': '" + counter + "', 'data': '" + call("increment()") + "'}";
    long estimate = Long.decode(rpc("eth_estimateGas", "[" + incr + "]").asText());
    assertThat(estimate).isBetween(40_000L, 80_000L);
    // the estimate is enough to run it for real
    f.block(tx(key(0), 1, Optional.of(counter), BigInteger.ZERO, call("increment()"), estimate));
    assertThat(f.chain.state().storage(counter, Bytes32.ZERO))
        .isEqualTo(Bytes32.leftPad(Bytes.of(1)));

    RpcException reverted =
        error("eth_estimateGas", "[{'to': '" + counter + "', 'data': '" + call("fail()") + "'}]");
    assertThat(reverted.code()).isEqualTo(3);
    assertThat(reverted.getMessage()).isEqualTo("execution reverted: nope");

    RpcException tooLittle =
        error(
            "eth_estimateGas",
            "[{'to': '" + counter + "', 'data': '" + call("increment()") + "', 'gas': '0x5300'}]");
    assertThat(tooLittle.getMessage()).isEqualTo("gas required exceeds allowance (21248)");
  }

  @Test
  void logsFilterByAddressTopicsAndRange() {
    Address counter = deployCounter(); // block 1
    Bytes incr = call("increment()");
    f.block(tx(key(0), 1, Optional.of(counter), BigInteger.ZERO, incr, 100_000)); // block 2
    f.block(); // block 3: empty
    f.block(tx(key(1), 0, Optional.of(counter), BigInteger.ZERO, incr, 100_000)); // block 4
    String aliceTopic = Bytes32.leftPad(alice.bytes()).toHexString();
    String bobTopic = Bytes32.leftPad(bob.bytes()).toHexString();

    JsonNode all = rpc("eth_getLogs", "[{'fromBlock': '0x0', 'toBlock': 'latest'}]");
    assertThat(all).hasSize(2);
    JsonNode first = all.get(0);
    assertThat(first.get("address").asText()).isEqualTo(counter.toLowerHex());
    assertThat(first.get("topics").get(0).asText()).isEqualTo(INCREMENTED.toHexString());
    assertThat(first.get("topics").get(1).asText()).isEqualTo(aliceTopic);
    assertThat(first.get("data").asText()).isEqualTo(Bytes32.leftPad(Bytes.of(1)).toHexString());
    assertThat(first.get("blockNumber").asText()).isEqualTo("0x2");
    assertThat(first.get("logIndex").asText()).isEqualTo("0x0");
    assertThat(first.get("transactionIndex").asText()).isEqualTo("0x0");
    assertThat(first.get("removed").asBoolean()).isFalse();

    assertThat(rpc("eth_getLogs", "[{'fromBlock': '0x1', 'topics': [null, '" + bobTopic + "']}]"))
        .hasSize(1);
    assertThat(
            rpc(
                "eth_getLogs",
                "[{'fromBlock': '0x1', 'topics': ['"
                    + INCREMENTED
                    + "', ['"
                    + bobTopic
                    + "', '"
                    + aliceTopic
                    + "']]}]"))
        .hasSize(2);
    assertThat(rpc("eth_getLogs", "[{'fromBlock': '0x1', 'address': ['" + bob + "']}]")).isEmpty();
    assertThat(rpc("eth_getLogs", "[{'fromBlock': '0x1', 'address': '" + counter + "'}]"))
        .hasSize(2);
    assertThat(rpc("eth_getLogs", "[{'fromBlock': '0x3', 'toBlock': '0x3'}]")).isEmpty();
    String block4 = f.chain.index().block(4).orElseThrow().hash().toHexString();
    JsonNode byHash = rpc("eth_getLogs", "[{'blockHash': '" + block4 + "'}]");
    assertThat(byHash).hasSize(1);
    assertThat(byHash.get(0).get("blockHash").asText()).isEqualTo(block4);
    // fromBlock defaults to latest
    assertThat(rpc("eth_getLogs", "[{}]")).hasSize(1);

    assertThat(error("eth_getLogs", "[{'fromBlock': '0x3', 'toBlock': '0x2'}]").getMessage())
        .isEqualTo("invalid block range params");
    assertThat(error("eth_getLogs", "[{'blockHash': '" + block4 + "', 'fromBlock': '0x1'}]").code())
        .isEqualTo(-32602);
    // limit 5 blocks: 0..4 (toBlock clamped to the head) is within it, 0..5 once block 5 exists not
    assertThat(rpc("eth_getLogs", "[{'fromBlock': '0x0', 'toBlock': '0x9'}]")).hasSize(2);
    f.block();
    RpcException range = error("eth_getLogs", "[{'fromBlock': '0x0', 'toBlock': '0x9'}]");
    assertThat(range.code()).isEqualTo(-32005);
    assertThat(range.getMessage()).isEqualTo("block range too large: 6 blocks, limit 5");
  }

  @Test
  void logResultLimit() {
    Address counter = deployCounter();
    Bytes incr = call("increment()");
    f.block(
        tx(key(0), 1, Optional.of(counter), BigInteger.ZERO, incr, 100_000),
        tx(key(0), 2, Optional.of(counter), BigInteger.ZERO, incr, 100_000),
        tx(key(0), 3, Optional.of(counter), BigInteger.ZERO, incr, 100_000),
        tx(key(0), 4, Optional.of(counter), BigInteger.ZERO, incr, 100_000));
    RpcException e = error("eth_getLogs", "[{'fromBlock': '0x1'}]");
    assertThat(e.code()).isEqualTo(-32005);
    assertThat(e.getMessage()).isEqualTo("query returned more than 3 results");
    JsonNode logs =
        rpc("eth_getLogs", "[{'fromBlock': '0x2', 'topics': [[], '" + Bytes32.ZERO + "']}]");
    assertThat(logs).isEmpty();
  }

  @Test
  void feeHistory() {
    f.block(transfer(0, 0, bob, 1));
    f.block();
    JsonNode h = rpc("eth_feeHistory", "['0x2', 'latest', [10, 90]]");
    assertThat(h.get("oldestBlock").asText()).isEqualTo("0x1");
    assertThat(h.get("baseFeePerGas")).hasSize(3);
    assertThat(h.get("baseFeePerGas").get(0).asText()).isEqualTo("0x3b9aca00");
    assertThat(h.get("gasUsedRatio")).hasSize(2);
    assertThat(h.get("gasUsedRatio").get(0).asDouble()).isEqualTo(21_000.0 / 30_000_000);
    assertThat(h.get("reward").get(0).get(0).asText()).isEqualTo("0x77359400"); // 2 gwei tip
    assertThat(h.get("reward").get(1).get(1).asText()).isEqualTo("0x0");
    assertThat(rpc("eth_feeHistory", "[4, 'latest', []]").get("oldestBlock").asText())
        .isEqualTo("0x0");
    assertThat(error("eth_feeHistory", "['0x2', 'latest', [90, 10]]").code()).isEqualTo(-32602);
  }

  @Test
  void parameterErrorsAreGeths() {
    RpcException lead = error("eth_getBlockByNumber", "['0x01', false]");
    assertThat(lead.code()).isEqualTo(-32602);
    assertThat(lead.getMessage())
        .isEqualTo("invalid argument 0: hex number with leading zero digits");
    assertThat(error("eth_getBalance", "[]").getMessage())
        .isEqualTo("missing value for required argument 0");
    assertThat(error("eth_chainId", "[1]").getMessage())
        .isEqualTo("too many arguments, want at most 0");
    assertThat(error("eth_getBalance", "['0x1234', 'latest']").getMessage())
        .isEqualTo("invalid argument 0: hex string has length 4, want 40 for common.Address");
    assertThat(error("eth_getBalance", "['" + alice + "', 'newest']").getMessage())
        .isEqualTo("invalid argument 1: hex string without 0x prefix");
    RpcException missing = error("eth_foo", "[]");
    assertThat(missing.code()).isEqualTo(-32601);
    assertThat(missing.getMessage())
        .isEqualTo("the method eth_foo does not exist/is not available");
    assertThat(error("web3_sha3", "['0x0']").getMessage())
        .isEqualTo("invalid argument 0: hex string of odd length");
    assertThat(error("eth_getBlockByNumber", "['latest', 'yes']").code()).isEqualTo(-32602);
  }
}
