package io.axivon.consensus.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.consensus.types.Block;
import io.axivon.consensus.types.BlockHeader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;

class KvApplicationTest {
  private static Bytes tx(String s) {
    return Bytes.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  private static Block block(List<Bytes> txs) {
    return new Block(
        new BlockHeader(
            "c",
            1,
            1000,
            Bytes32.ZERO,
            Block.txRoot(txs),
            Bytes32.ZERO,
            Bytes32.ZERO,
            Bytes32.ZERO,
            0),
        txs);
  }

  @Test
  void checksProposesAndExecutesInOrder() {
    KvApplication app = new KvApplication();
    assertThat(app.checkTx(tx("a=1")).accepted()).isTrue();
    assertThat(app.checkTx(tx("=1")).accepted()).isFalse();
    assertThat(app.checkTx(tx("a=1=2")).accepted()).isFalse();
    assertThat(app.submit(tx("a=1"))).isTrue();
    assertThat(app.submit(tx("bad"))).isFalse();
    app.submit(tx("a=2"));
    assertThat(app.prepareProposal(1, 3).transactions()).containsExactly(tx("a=1"));
    List<Bytes> txs = app.prepareProposal(1, 100).transactions();
    assertThat(app.processProposal(block(txs))).isTrue();
    assertThat(app.processProposal(block(List.of(tx("bad"))))).isFalse();
    FinalizeResult r = app.finalizeBlock(block(txs));
    app.commit();
    assertThat(app.get("a")).isEqualTo("2");
    assertThat(r.appHash()).isNotEqualTo(Bytes32.ZERO);
    assertThat(app.prepareProposal(2, 100).transactions()).isEmpty();
    KvApplication other = new KvApplication();
    assertThat(other.finalizeBlock(block(List.of(tx("a=2"), tx("a=1")))).appHash())
        .isNotEqualTo(r.appHash());
  }
}
