package io.axivon.storage.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.merkle.Subtree;
import io.axivon.sdk.storage.FlowAbi;
import io.axivon.sdk.storage.FlowClient;
import io.axivon.sdk.storage.FlowSubmission;
import io.axivon.sdk.storage.layout.Submission;
import io.axivon.storage.node.FlowView.SyncPoint;
import io.prometheus.client.CollectorRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChainFlowViewTest {
  static final Address FLOW = FlowClient.DEVNET_FLOW_ADDRESS;
  static final Address ALICE = Address.fromHex("0x00000000000000000000000000000000000a11ce");
  static final Address BOB = Address.fromHex("0x0000000000000000000000000000000000000b0b");

  @TempDir Path dir;
  StubChain chain;
  ChainFlowView view;
  CollectorRegistry registry = new CollectorRegistry();

  @BeforeEach
  void startChain() throws Exception {
    chain = new StubChain(FLOW);
  }

  @AfterEach
  void stop() {
    if (view != null) {
      view.close();
    }
    chain.close();
  }

  ChainFlowView.Config config(long range) {
    return ChainFlowView.Config.of(chain.uri(), FLOW)
        .withMaxBlockRange(range)
        .withPollInterval(Duration.ofMillis(10));
  }

  ChainFlowView open(long range) {
    registry = new CollectorRegistry();
    view = ChainFlowView.open(dir, config(range), registry);
    return view;
  }

  /** A submission with nodes of these heights, roots derived from {@code seed}. */
  static Submission sub(int seed, int... heights) {
    List<Subtree> nodes = new java.util.ArrayList<>();
    long sectors = 0;
    for (int i = 0; i < heights.length; i++) {
      nodes.add(new Subtree(Hashes.keccak256(Bytes.of(seed, i)), heights[i]));
      sectors += 1L << heights[i];
    }
    return new Submission(sectors * 256 - 10, Bytes.EMPTY, nodes);
  }

  double metric(String name) {
    return registry.getSampleValue(name);
  }

  @Test
  void catchesUpAcrossSeveralRanges() {
    chain.submit(2, sub(1, 3, 1), ALICE);
    chain.submit(2, sub(2, 0), BOB);
    chain.submit(5, sub(3, 10), ALICE);
    chain.submit(11, sub(4, 2), ALICE);
    chain.submit(12, sub(5, 4, 2, 1, 0), BOB);
    chain.submit(29, sub(6, 5), ALICE);
    chain.mineTo(30);
    open(4);
    assertThat(view.nextTxSeq()).isZero();

    assertThat(view.syncOnce()).isEqualTo(6);

    assertThat(view.nextTxSeq()).isEqualTo(6);
    assertThat(view.syncPoint()).isEqualTo(new SyncPoint(30, StubChain.hashOf(30)));
    assertThat(chain.logRanges)
        .extracting(r -> r[0] + "-" + r[1])
        .containsExactly("0-3", "4-7", "8-11", "12-15", "16-19", "20-23", "24-27", "28-30");
    FlowSubmission third = view.byTxSeq(3).orElseThrow();
    assertThat(third.blockNumber()).isEqualTo(11);
    assertThat(third.sender()).isEqualTo(ALICE);
    assertThat(third.root()).isEqualTo(sub(4, 2).root());
    // starts as the flow placed them: 10 + 1 sectors, then aligned nodes
    assertThat(view.byTxSeq(0).orElseThrow().startEntryIndex()).isZero();
    assertThat(view.byTxSeq(1).orElseThrow().startEntryIndex()).isEqualTo(10);
    assertThat(view.byTxSeq(2).orElseThrow().startEntryIndex()).isEqualTo(1024);
    assertThat(view.byTxSeq(6)).isEmpty();
    assertThat(metric("axivon_storage_flow_synced_height")).isEqualTo(30);
    assertThat(metric("axivon_storage_flow_next_tx_seq")).isEqualTo(6);

    // nothing new: no range asked beyond the head
    assertThat(view.syncOnce()).isZero();
    assertThat(chain.logRanges).hasSize(8);
  }

  @Test
  void aRestartResumesFromTheStore() {
    chain.submit(1, sub(1, 2), ALICE);
    chain.submit(3, sub(2, 3), BOB);
    chain.mineTo(6);
    open(100).syncOnce();
    view.close();
    view = null;

    chain.submit(8, sub(3, 1), ALICE);
    chain.mineTo(9);
    chain.logRanges.clear();
    open(100);
    assertThat(view.nextTxSeq()).isEqualTo(2);
    assertThat(view.syncPoint()).isEqualTo(new SyncPoint(6, StubChain.hashOf(6)));
    assertThat(view.byRoot(sub(2, 3).root())).extracting(FlowSubmission::txSeq).containsExactly(1L);
    assertThat(metric("axivon_storage_flow_next_tx_seq")).isEqualTo(2);

    assertThat(view.syncOnce()).isEqualTo(1);
    assertThat(chain.logRanges).extracting(r -> r[0] + "-" + r[1]).containsExactly("7-9");
    assertThat(view.byTxSeq(2).orElseThrow().root()).isEqualTo(sub(3, 1).root());
  }

  @Test
  void aGapInTheSubmissionIndexStopsTheFollower() {
    chain.submit(1, sub(1, 2), ALICE);
    chain.skipIndexTo(2); // index 1 never appears
    chain.submit(6, sub(2, 2), ALICE);
    chain.mineTo(8);
    open(4);

    assertThatThrownBy(view::syncOnce)
        .isInstanceOf(FlowSyncException.class)
        .hasMessageContaining("flow submission index 2 in block 6")
        .hasMessageContaining("not the next expected tx seq 1");

    // the range before the gap is committed, the range with it is not
    assertThat(view.nextTxSeq()).isEqualTo(1);
    assertThat(view.syncPoint().height()).isEqualTo(3);
    assertThat(view.byTxSeq(1)).isEmpty();
    assertThat(view.failure()).isPresent();
    assertThatThrownBy(view::syncOnce).isSameAs(view.failure().get());
    assertThat(metric("axivon_storage_flow_sync_errors_total")).isEqualTo(1);
  }

  @Test
  void aRepeatedIndexIsRefusedToo() {
    chain.submit(1, sub(1, 2), ALICE);
    chain.skipIndexTo(0);
    chain.submit(2, sub(2, 2), ALICE);
    open(10);
    assertThatThrownBy(view::syncOnce)
        .isInstanceOf(FlowSyncException.class)
        .hasMessageContaining("flow submission index 0 in block 2")
        .hasMessageContaining("not the next expected tx seq 1");
  }

  @Test
  void byRootListsRepeatedRootsInTxSeqOrder() {
    Submission same = sub(7, 4, 0);
    chain.submit(1, same, ALICE);
    chain.submit(1, sub(8, 1), ALICE);
    chain.submit(2, same, BOB);
    chain.submit(5, same, ALICE);
    open(2).syncOnce();

    assertThat(view.byRoot(same.root()))
        .extracting(FlowSubmission::txSeq, FlowSubmission::sender)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0L, ALICE),
            org.assertj.core.groups.Tuple.tuple(2L, BOB),
            org.assertj.core.groups.Tuple.tuple(3L, ALICE));
    assertThat(view.byRoot(sub(8, 1).root())).extracting(FlowSubmission::txSeq).containsExactly(1L);
    assertThat(view.byRoot(Bytes32.ZERO)).isEmpty();
  }

  @Test
  void aMalformedLogGivesAClearError() {
    chain.submit(1, sub(1, 2), ALICE);
    Submission bad = sub(2, 2);
    Bytes data = FlowAbi.encodeSubmitData(1, 4, 4, bad);
    chain.addLog(3, data.slice(0, data.size() - 32), bad, ALICE); // last word cut off
    open(2);

    assertThatThrownBy(view::syncOnce)
        .isInstanceOf(FlowSyncException.class)
        .hasMessageContaining("malformed flow log in blocks [2, 3]")
        .hasMessageContaining("block 3")
        .hasMessageContaining("submission.nodes[0].height")
        .hasMessageContaining("beyond the data");
    assertThat(view.nextTxSeq()).isEqualTo(1);
    assertThat(view.syncPoint().height()).isEqualTo(1);
  }

  /** A log whose data is written out word by word, not by the encoder. */
  @Test
  void handCheckedLogFixture() {
    Submission s =
        new Submission(
            700,
            Bytes.fromHexString("0xabcd"),
            List.of(
                new Subtree(Bytes32.fromHexString("0x" + "11".repeat(32)), 1),
                new Subtree(Bytes32.fromHexString("0x" + "22".repeat(32)), 0)));
    String data =
        "0x"
            + w("0") // submissionIndex
            + w("400") // startPos 1024
            + w("3") // length: 2 + 1 sectors
            + w("80") // offset of the tuple
            + w("2bc") // tuple: file length 700
            + w("60") // offset of tags in the tuple
            + w("a0") // offset of nodes: 0x60 + 32 + one word of tags
            + w("2") // tags length
            + "abcd"
            + "00".repeat(30)
            + w("2") // two nodes
            + "11".repeat(32)
            + w("1")
            + "22".repeat(32)
            + w("0");
    chain.addLog(4, Bytes.fromHexString(data), s, BOB);
    open(10).syncOnce();

    FlowSubmission got = view.byTxSeq(0).orElseThrow();
    assertThat(got.startEntryIndex()).isEqualTo(1024);
    assertThat(got.size()).isEqualTo(700);
    assertThat(got.sectors()).isEqualTo(3);
    assertThat(got.submission()).isEqualTo(s);
    assertThat(got.sender()).isEqualTo(BOB);
    assertThat(got.blockNumber()).isEqualTo(4);
  }

  @Test
  void thePollThreadFollowsTheChainAndTellsListeners() throws Exception {
    open(3);
    List<Long> heard = new CopyOnWriteArrayList<>();
    view.addListener(s -> heard.add(s.txSeq()));
    view.start();
    chain.submit(2, sub(1, 1), ALICE);
    chain.submit(7, sub(2, 1), ALICE);
    chain.submit(7, sub(3, 1), BOB);

    assertThat(view.awaitNextTxSeq(3, Duration.ofSeconds(20))).isTrue();
    assertThat(heard).containsExactly(0L, 1L, 2L);
    assertThat(view.failure()).isEmpty();
  }

  @Test
  void thePollThreadRetriesAfterTransportErrors() throws Exception {
    chain.submit(2, sub(1, 1), ALICE);
    chain.failNext(3);
    open(10).start();

    assertThat(view.awaitNextTxSeq(1, Duration.ofSeconds(20))).isTrue();
    assertThat(view.failure()).isEmpty();
    assertThat(metric("axivon_storage_flow_sync_errors_total")).isEqualTo(3);
  }

  @Test
  void theStoreRefusesAnotherFlowAddress() {
    open(10).close();
    view = null;
    ChainFlowView.Config other =
        ChainFlowView.Config.of(
            chain.uri(), Address.fromHex("0x0000000000000000000000000000000000002002"));
    assertThatThrownBy(() -> ChainFlowView.open(dir, other, new CollectorRegistry()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("follows the flow at 0x0000000000000000000000000000000000001001");
  }

  static String w(String hex) {
    return "0".repeat(64 - hex.length()) + hex;
  }
}
