package io.axivon.kv.node;

import static io.axivon.kv.tx.KvGen.account;
import static io.axivon.kv.tx.KvGen.stream;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axivon.common.store.StoreOptions;
import io.axivon.kv.store.KvStore;
import io.axivon.kv.tx.AccessControl;
import io.axivon.kv.tx.KvTags;
import io.axivon.kv.tx.KvTransaction;
import io.axivon.kv.tx.KvTxCodec;
import io.axivon.kv.tx.StreamWrite;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvRpcTest {
  static final Bytes32 S = stream(1);
  static final String SID = S.toHexString();
  static final String A1 = account(1).toLowerHex();
  static final String A2 = account(2).toLowerHex();
  final ObjectMapper mapper = new ObjectMapper();
  @TempDir Path dir;
  KvStore store;
  KvRpc rpc;
  final io.prometheus.client.CollectorRegistry registry =
      new io.prometheus.client.CollectorRegistry();

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes());
  }

  @BeforeEach
  void setUp() {
    store = KvStore.open(dir, new StoreOptions(1 << 20, 1L << 30, 16));
    rpc = new KvRpc(store, StreamFilter.of(Set.of(S)), mapper, new KvMetrics(registry));
    store.skip(0);
    put(1, "a", "hello world");
    put(2, "b", "second");
    KvTransaction grant =
        new KvTransaction(
            -1,
            List.of(),
            List.of(),
            List.of(
                AccessControl.withAccount(AccessControl.Op.GRANT_WRITE_ROLE, S, account(2)),
                AccessControl.withKey(
                    AccessControl.Op.SET_KEY_TO_SPECIAL, S, Bytes.wrap("a".getBytes())),
                AccessControl.withKeyAndAccount(
                    AccessControl.Op.GRANT_SPECIAL_WRITE_ROLE,
                    S,
                    Bytes.wrap("a".getBytes()),
                    account(3))));
    store.apply(3, account(1), KvTags.streamIds(grant), KvTxCodec.encode(grant), s -> true);
    store.apply(4, account(1), List.of(S), Bytes.of(1, 2, 3), s -> true); // malformed
    store.skip(5); // not a KV transaction
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  private void put(long seq, String key, String value) {
    KvTransaction tx =
        KvTransaction.ofWrites(
            -1,
            List.of(new StreamWrite(S, Bytes.wrap(key.getBytes()), Bytes.wrap(value.getBytes()))));
    store.apply(seq, account(1), KvTags.streamIds(tx), KvTxCodec.encode(tx), s -> true);
  }

  private JsonNode call(String method, Object... params) {
    var req = mapper.createObjectNode();
    req.put("jsonrpc", "2.0");
    req.put("method", method);
    if (params.length > 0) {
      req.set("params", mapper.valueToTree(params));
    }
    req.put("id", 17_000_000_000_000_123L); // above 2^53, as the SDK sends
    JsonNode answer = rpc.handle(req);
    assertThat(answer.get("id").asLong()).isEqualTo(17_000_000_000_000_123L);
    return answer;
  }

  private JsonNode result(String method, Object... params) {
    JsonNode answer = call(method, params);
    assertThat(answer.has("error")).as("error: %s", answer.get("error")).isFalse();
    return answer.get("result");
  }

  private JsonNode error(String method, Object... params) {
    JsonNode answer = call(method, params);
    assertThat(answer.has("error")).as("result: %s", answer.get("result")).isTrue();
    return answer.get("error");
  }

  @Test
  void getValueLatestAndAsOfVersions() {
    assertThat(result("kv_getValue", SID, b64("a"), 0, 262144).toString())
        .isEqualTo("{\"version\":1,\"data\":\"" + b64("hello world") + "\",\"size\":11}");
    assertThat(result("kv_getValue", SID, b64("a"), 6, 3, 1).get("data").asText())
        .isEqualTo(b64("wor"));
    assertThat(result("kv_getValue", SID, b64("b"), 0, 100, 1).toString())
        .isEqualTo("{\"version\":0,\"data\":\"\",\"size\":0}"); // not yet written at 1
    assertThat(result("kv_getValue", SID, b64("zzz"), 0, 100).toString())
        .isEqualTo("{\"version\":0,\"data\":\"\",\"size\":0}"); // never null
  }

  @Test
  void aBatchAnswersAsTheSameCallsOneByOne() {
    var batch = mapper.createArrayNode();
    var expected = mapper.createArrayNode();
    Object[][] calls = {
      {"kv_getValue", SID, b64("a"), 0, 100},
      {"kv_getValue", SID, b64("b"), 0, 100, 1},
      {"kv_getNext", SID, b64("a"), 0, 100, false},
      {"kv_getTransactionResult", 3},
      {"kv_getValue", SID, b64("a"), 0, 100, 99}, // not replayed yet: an error in the batch
      {"kv_noSuchMethod"}
    };
    for (Object[] c : calls) {
      Object[] params = java.util.Arrays.copyOfRange(c, 1, c.length);
      expected.add(call((String) c[0], params));
      var req = mapper.createObjectNode();
      req.put("jsonrpc", "2.0");
      req.put("method", (String) c[0]);
      req.set("params", mapper.valueToTree(params));
      req.put("id", 17_000_000_000_000_123L);
      batch.add(req);
    }
    assertThat(rpc.handle(batch)).isEqualTo(expected);
  }

  @Test
  void requestsAreCountedByMethodWithUnknownOnesAsOther() {
    result("kv_getValue", SID, b64("a"), 0, 100);
    result("kv_getValue", SID, b64("b"), 0, 100);
    error("kv_noSuchMethod");
    assertThat(count("kv_getValue")).isEqualTo(2.0);
    assertThat(count("other")).isEqualTo(1.0);
    assertThat(registry.getSampleValue("axivon_kv_rpc_request_seconds_count")).isEqualTo(3.0);
  }

  @Test
  void resultsAreLabelledByReasonWithoutDetails() {
    assertThat(KvMetrics.reason(new io.axivon.kv.replay.TxResult.Committed())).isEqualTo("Commit");
    assertThat(KvMetrics.reason(new io.axivon.kv.replay.TxResult.DataParseError("bad byte 7")))
        .isEqualTo("DataParseError");
  }

  private Double count(String method) {
    return registry.getSampleValue(
        "axivon_kv_rpc_requests_total", new String[] {"method"}, new String[] {method});
  }

  @Test
  void rangeMethods() {
    assertThat(result("kv_getFirst", SID, 0, 100).get("key").asText()).isEqualTo(b64("a"));
    assertThat(result("kv_getLast", SID, 0, 100).get("key").asText()).isEqualTo(b64("b"));
    assertThat(result("kv_getLast", SID, 0, 100, 1).get("key").asText()).isEqualTo(b64("a"));
    assertThat(result("kv_getNext", SID, b64("a"), 0, 100, false).toString())
        .isEqualTo(
            "{\"version\":2,\"key\":\""
                + b64("b")
                + "\",\"data\":\""
                + b64("second")
                + "\",\"size\":6}");
    assertThat(result("kv_getNext", SID, b64("b"), 0, 100, false).isNull()).isTrue();
    assertThat(result("kv_getPrev", SID, b64("b"), 0, 100, false).get("key").asText())
        .isEqualTo(b64("a"));
    assertThat(result("kv_getPrev", SID, b64("b"), 0, 100, true).get("key").asText())
        .isEqualTo(b64("b"));
    assertThat(result("kv_getFirst", SID, 0, 100, 0).isNull()).isTrue();
  }

  @Test
  void transactionResultsAndStreams() {
    assertThat(result("kv_getTransactionResult", 1).asText()).isEqualTo("Commit");
    assertThat(result("kv_getTransactionResult", "3").asText()).isEqualTo("Commit"); // SDK quirk
    assertThat(result("kv_getTransactionResult", 4).asText()).startsWith("DataParseError: ");
    assertThat(result("kv_getTransactionResult", 5).isNull()).isTrue();
    assertThat(result("kv_getTransactionResult", 99).isNull()).isTrue();
    assertThat(result("kv_getHoldingStreamIds").toString()).isEqualTo("[\"" + SID + "\"]");
    assertThat(result("kv_getStatus").asBoolean()).isTrue();
  }

  @Test
  void accessControlMethods() {
    assertThat(result("kv_isAdmin", A1, SID).asBoolean()).isTrue();
    assertThat(result("kv_IsAdmin", A1, SID, 0).asBoolean()).isFalse(); // SDK spelling, before
    assertThat(result("kv_IsAdmin", A2, SID).asBoolean()).isFalse();
    assertThat(result("kv_isWriterOfStream", A2, SID).asBoolean()).isTrue();
    assertThat(result("kv_isWriterOfStream", A2, SID, 2).asBoolean()).isFalse();
    assertThat(result("kv_isSpecialKey", SID, b64("a")).asBoolean()).isTrue();
    assertThat(result("kv_isSpecialKey", SID, b64("b")).asBoolean()).isFalse();
    String a3 = account(3).toLowerHex();
    assertThat(result("kv_isWriterOfKey", a3, SID, b64("a")).asBoolean()).isTrue();
    assertThat(result("kv_hasWritePermission", A2, SID, b64("a")).asBoolean()).isFalse();
    assertThat(result("kv_hasWritePermission", A2, SID, b64("b")).asBoolean()).isTrue();
    assertThat(result("kv_hasWritePermission", a3, SID, b64("a")).asBoolean()).isTrue();
  }

  @Test
  void preciseErrors() {
    JsonNode e = error("kv_getValue", "0x1234", b64("a"), 0, 10);
    assertThat(e.get("code").asInt()).isEqualTo(-32602);
    assertThat(e.get("message").asText()).isEqualTo("Invalid params: streamId");
    assertThat(e.get("data").asText()).isEqualTo("expected 0x and 64 hex digits, got \"0x1234\"");
    e = error("kv_getValue", stream(9).toHexString(), b64("a"), 0, 10);
    assertThat(e.get("data").asText())
        .isEqualTo("stream " + stream(9).toHexString() + " is not held by this KV node");
    e = error("kv_getValue", SID, "", 0, 10);
    assertThat(e.get("message").asText()).isEqualTo("Invalid params: key");
    assertThat(e.get("data").asText()).isEqualTo("key is empty");
    e = error("kv_getValue", SID, "%%%", 0, 10);
    assertThat(e.get("data").asText()).startsWith("not valid base64");
    e = error("kv_getValue", SID, b64("a"), 0, 10, 6);
    assertThat(e.get("message").asText()).isEqualTo("Invalid params: version");
    assertThat(e.get("data").asText())
        .isEqualTo("version 6 is not replayed yet: this node has replayed up to tx seq 5");
    e = error("kv_getValue", SID, b64("a"), 0, 10, -1);
    assertThat(e.get("data").asText()).startsWith("expected a non-negative integer");
    e = error("kv_getValue", SID, b64("a"), 12, 10);
    assertThat(e.get("data").asText()).isEqualTo("start index 12 is beyond the value's 11 bytes");
    e = error("kv_getValue", SID, b64("a"), 0, 2_000_000);
    assertThat(e.get("data").asText()).startsWith("query length too large");
    e = error("kv_isAdmin", "0xabc", SID);
    assertThat(e.get("message").asText()).isEqualTo("Invalid params: account");
    e = error("kv_getValue", SID);
    assertThat(e.get("data").asText()).isEqualTo("expected 4 to 5 parameters, got 1");
    e = error("kv_nope");
    assertThat(e.get("code").asInt()).isEqualTo(-32601);
  }
}
