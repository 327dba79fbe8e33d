package io.axivon.da.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.bls.Bls;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.da.blob.Axis;
import io.axivon.da.blob.ExtendedSquare;
import io.axivon.da.blob.SquareEncoder;
import io.axivon.da.cert.DaCertificate;
import io.axivon.da.cert.DaOperator;
import io.axivon.da.chain.InMemoryDaChain;
import io.axivon.p2p.NodeKey;
import io.axivon.p2p.P2pConfig;
import io.axivon.p2p.P2pNode;
import io.prometheus.client.CollectorRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One node that holds every row of a one-member quorum, driven without the network. */
class DaNodeTest {
  @TempDir Path dir;
  private final InMemoryDaChain chain = new InMemoryDaChain(1);
  private final BlsSecretKey key = BlsSecretKey.keyGen(Bytes32.leftPad(Bytes.of(1)));
  private SquareEncoder encoder;
  private P2pNode p2p;
  private DaNodeStore store;
  private DaNode node;

  @BeforeEach
  void start() {
    encoder = SquareEncoder.create(1);
    p2p = new P2pNode(P2pConfig.loopback(NodeKey.generate(), 1), new CollectorRegistry());
    store = DaNodeStore.open(dir);
    chain.register(new DaOperator(Bytes.of(1), key.publicKey(), 10), "unused");
    node =
        new DaNode(
            p2p, store, key, Bytes.of(1), chain, encoder.coder(), 2, new CollectorRegistry());
  }

  @AfterEach
  void stop() {
    node.close();
    store.close();
    p2p.close();
    encoder.close();
  }

  private ExtendedSquare square(long seed) {
    byte[] b = new byte[6000];
    new Random(seed).nextBytes(b);
    return encoder.encode(Bytes.wrap(b));
  }

  private static DaWire.Store storeAll(ExtendedSquare sq, long epoch) {
    List<DaWire.LinePair> pairs = new ArrayList<>();
    for (int i = 0; i < 2 * sq.k(); i++) {
      pairs.add(new DaWire.LinePair(i, sq.line(Axis.ROW, i), sq.line(Axis.COLUMN, i)));
    }
    return new DaWire.Store(epoch, 0, sq.roots(), pairs);
  }

  @Test
  void signsWhatItVerifiedAndPrunesAfterRetention() {
    ExtendedSquare sq = square(1);
    assertThat(node.handle(storeAll(sq, 1))).isEqualTo(new DaWire.Stored());
    DaWire.Reply reply = node.handle(new DaWire.Sign(sq.dataRoot(), 1, 0));
    assertThat(reply).isInstanceOf(DaWire.Signed.class);
    assertThat(
            Bls.verify(
                key.publicKey(),
                DaCertificate.message(sq.dataRoot(), 1, 0),
                ((DaWire.Signed) reply).signature()))
        .isTrue();
    assertThatThrownBy(() -> node.handle(new DaWire.Sign(sq.dataRoot(), 1, 1)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not epoch 1 quorum 1");
    assertThat(node.handle(new DaWire.GetShare(sq.dataRoot(), 3, 2)))
        .isEqualTo(new DaWire.ShareReply(sq.shareProof(3, 2, Axis.ROW)));

    chain.setEpoch(2);
    assertThat(node.prune()).isZero();
    chain.setEpoch(3);
    assertThat(node.prune()).isEqualTo(1);
    assertThatThrownBy(() -> node.handle(new DaWire.GetLine(sq.dataRoot(), Axis.ROW, 0)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not held");
    assertThatThrownBy(() -> node.handle(storeAll(sq, 1)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not open");
  }

  @Test
  void answersABadlyEncodedSquareWithAProofNotASignature() {
    ExtendedSquare good = square(2);
    int k = good.k();
    byte[][] rows = new byte[2 * k][];
    for (int r = 0; r < 2 * k; r++) {
      rows[r] = good.line(Axis.ROW, r).toArray();
    }
    rows[0][2 * k * 2048 - 1] ^= 1; // a parity cell of row 0, committed as it is
    ExtendedSquare bad = encoder.commit(k, rows);
    assertThat(node.handle(storeAll(bad, 1))).isEqualTo(new DaWire.Stored());
    DaWire.Reply reply = node.handle(new DaWire.Sign(bad.dataRoot(), 1, 0));
    assertThat(reply).isInstanceOf(DaWire.BadEncoding.class);
    assertThat(((DaWire.BadEncoding) reply).proof().verify(bad.dataRoot(), k, encoder.coder()))
        .isTrue();
  }

  @Test
  void refusesLinesOfAnotherBlobsRoots() {
    ExtendedSquare a = square(3);
    ExtendedSquare b = square(4);
    DaWire.Store mixed =
        new DaWire.Store(
            1,
            0,
            a.roots(),
            List.of(new DaWire.LinePair(0, b.line(Axis.ROW, 0), a.line(Axis.COLUMN, 0))));
    assertThatThrownBy(() -> node.handle(mixed))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("row 0 does not match its root");
    assertThat(store.blobCount()).isZero();
    assertThatThrownBy(() -> node.handle(new DaWire.Sign(a.dataRoot(), 1, 0)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("no lines");
  }
}
