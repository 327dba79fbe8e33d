package io.axivon.node.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.sdk.eth.EthHex;
import io.axivon.sdk.storage.FlowAbi;
import io.axivon.sdk.storage.layout.FileTree;
import io.axivon.sdk.storage.layout.Submission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;

/** The JSON-to-rows mapping, on a block whose transactions carry a DA and a flow event. */
class RowsTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String BLOCK_HASH = Bytes32.repeat((byte) 0xAB).toHexString();
  private static final String TX1 = Bytes32.repeat((byte) 1).toHexString();
  private static final String TX2 = Bytes32.repeat((byte) 2).toHexString();
  private static final Address SENDER = Address.fromHex("0x" + "11".repeat(20));

  record Emitted(TableSchema table, List<Object> values) {}

  private static ObjectNode block(ObjectNode... txs) {
    ObjectNode b = F.objectNode();
    b.put("number", "0x2a");
    b.put("hash", BLOCK_HASH);
    b.put("parentHash", Bytes32.ZERO.toHexString());
    b.put("timestamp", "0x6500");
    b.put("miner", "0x" + "00".repeat(19) + "05");
    b.put("gasUsed", "0x5208");
    b.put("gasLimit", "0x1c9c380");
    b.put("baseFeePerGas", "0x3b9aca00");
    b.put("stateRoot", Bytes32.repeat((byte) 3).toHexString());
    b.put("transactionsRoot", Bytes32.repeat((byte) 4).toHexString());
    b.put("receiptsRoot", Bytes32.repeat((byte) 5).toHexString());
    b.put("size", "0x400");
    b.putArray("transactions").addAll(Arrays.asList(txs));
    return b;
  }

  private static ObjectNode tx(String hash, String to, String input) {
    ObjectNode t = F.objectNode();
    t.put("hash", hash);
    t.put("from", SENDER.toLowerHex());
    t.put("to", to);
    t.put("nonce", "0x1");
    t.put("value", "0x" + "f".repeat(64)); // 2^256 - 1 wei: the decimal string keeps it exact
    t.put("gas", "0x30000");
    t.put("gasPrice", "0x3b9aca01");
    t.put("maxFeePerGas", "0x77359400");
    t.put("maxPriorityFeePerGas", "0x1");
    t.put("type", "0x2");
    t.put("input", input);
    return t;
  }

  private static ObjectNode receipt(String hash, ObjectNode... logs) {
    ObjectNode r = F.objectNode();
    r.put("transactionHash", hash);
    r.put("blockHash", BLOCK_HASH);
    r.put("status", "0x1");
    r.put("gasUsed", "0x5208");
    r.put("cumulativeGasUsed", "0x5208");
    r.put("effectiveGasPrice", "0x3b9aca01");
    r.putNull("contractAddress");
    r.putArray("logs").addAll(Arrays.asList(logs));
    return r;
  }

  private static ObjectNode log(String tx, String address, int index, Bytes data, Bytes32... t) {
    ObjectNode l = F.objectNode();
    l.put("address", address);
    var topics = l.putArray("topics");
    for (Bytes32 b : t) {
      topics.add(b.toHexString());
    }
    l.put("data", data.toHexString());
    l.put("blockNumber", "0x2a");
    l.put("blockHash", BLOCK_HASH);
    l.put("transactionHash", tx);
    l.put("transactionIndex", "0x0");
    l.put("logIndex", EthHex.quantity(index));
    l.put("removed", false);
    return l;
  }

  private static List<Emitted> rows(JsonNode block, List<JsonNode> receipts) throws Exception {
    List<Emitted> out = new ArrayList<>();
    Rows.block(
        block, receipts, (table, values) -> out.add(new Emitted(table, Arrays.asList(values))));
    return out;
  }

  private static Bytes words(long... v) {
    Bytes out = Bytes.EMPTY;
    for (long x : v) {
      out = Bytes.concatenate(out, Bytes32.leftPad(Bytes.ofUnsignedLong(x)));
    }
    return out;
  }

  @Test
  void mapsBlocksTransactionsLogsAndModuleEvents() throws Exception {
    Bytes32 dataRoot = Bytes32.repeat((byte) 0x77);
    Bytes32 disperser = Bytes32.leftPad(SENDER.bytes());
    ObjectNode blob =
        log(
            TX1,
            Rows.DA_ADDRESS,
            0,
            words(9, 1, 4096),
            Bytes32.fromHexString(Rows.BLOB_CERTIFIED_TOPIC),
            dataRoot,
            disperser);
    Submission sub = FileTree.of(new byte[3000]).submission();
    ObjectNode submit =
        log(
            TX2,
            Rows.FLOW_ADDRESS,
            1,
            FlowAbi.encodeSubmitData(12, 64, sub.sectors(), sub),
            FlowAbi.SUBMIT_TOPIC,
            FlowAbi.addressTopic(SENDER),
            FlowAbi.identity(sub));
    JsonNode b =
        block(
            tx(TX1, Rows.DA_ADDRESS, "0xdeadbeef00"),
            tx(TX2, Rows.FLOW_ADDRESS, "0x" + "ab".repeat(3)));
    List<Emitted> rows = rows(b, List.of(receipt(TX1, blob), receipt(TX2, submit)));

    assertThat(rows)
        .extracting(e -> e.table().name())
        .containsExactly(
            "blocks",
            "transactions",
            "logs",
            "da_blobs",
            "transactions",
            "logs",
            "storage_submissions");
    for (Emitted e : rows) {
      assertThat(e.values()).hasSize(e.table().columns().size());
    }
    assertThat(rows.get(0).values())
        .containsExactly(
            42L,
            BLOCK_HASH,
            Bytes32.ZERO.toHexString(),
            0x6500L,
            "0x" + "00".repeat(19) + "05",
            21_000L,
            30_000_000L,
            "1000000000",
            2L,
            Bytes32.repeat((byte) 3).toHexString(),
            Bytes32.repeat((byte) 4).toHexString(),
            Bytes32.repeat((byte) 5).toHexString(),
            1024L);
    List<Object> tx1 = rows.get(1).values();
    assertThat(tx1.get(6))
        .isEqualTo(new java.math.BigInteger("f".repeat(64), 16).toString()); // value, exact
    assertThat(tx1.subList(12, 15)).containsExactly(5L, "0xdeadbeef", true);
    assertThat(rows.get(4).values().subList(12, 14)).containsExactly(3L, null);
    assertThat(rows.get(3).values())
        .containsExactly(42L, TX1, 0L, dataRoot.toHexString(), SENDER.toLowerHex(), 9L, 1L, 4096L);
    assertThat(rows.get(6).values())
        .containsExactly(
            42L,
            TX2,
            1L,
            12L,
            SENDER.toLowerHex(),
            sub.root().toHexString(),
            FlowAbi.identity(sub).toHexString(),
            3000L,
            64L,
            sub.sectors(),
            "0x");
    // logs keep absent topics null
    assertThat(rows.get(2).values().subList(5, 9))
        .containsExactly(
            Rows.BLOB_CERTIFIED_TOPIC, dataRoot.toHexString(), disperser.toHexString(), null);
  }

  @Test
  void malformedAnswersSayWhatIsWrong() {
    JsonNode b = block(tx(TX1, null, "0x"));
    assertThatThrownBy(() -> rows(b, List.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("block 42 has 1 transactions but 0 receipts");
    ObjectNode wrong = receipt(TX2);
    assertThatThrownBy(() -> rows(b, List.of(wrong)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("another transaction");
    ObjectNode shortBlob =
        log(
            TX1,
            Rows.DA_ADDRESS,
            0,
            words(1, 2),
            Bytes32.fromHexString(Rows.BLOB_CERTIFIED_TOPIC),
            Bytes32.ZERO,
            Bytes32.ZERO);
    assertThatThrownBy(() -> rows(b, List.of(receipt(TX1, shortBlob))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("64 data bytes, not 96");
    ObjectNode hashesOnly = block();
    hashesOnly.putArray("transactions").add(TX1);
    assertThatThrownBy(() -> rows(hashesOnly, List.of(receipt(TX1))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("needs full transactions");
  }
}
