package io.axivon.da.cert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.common.crypto.bls.BlsSignature;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;

class DaCertificateProperties {
  /** Keys are slow to make: a few fixed ones, reused. */
  private static final List<BlsSecretKey> KEYS = new ArrayList<>();

  static {
    for (int i = 0; i < 8; i++) {
      KEYS.add(BlsSecretKey.keyGen(Bytes.repeat((byte) (i + 1), 32)));
    }
  }

  private static List<DaOperator> operators(Random rnd, int n) {
    List<DaOperator> ops = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long stake = rnd.nextInt(4) == 0 ? 0 : 1 + rnd.nextInt(1_000_000);
      ops.add(new DaOperator(Bytes.of(i + 1), KEYS.get(i).publicKey(), stake));
    }
    if (ops.stream().allMatch(o -> o.stake() == 0)) {
      ops.set(0, new DaOperator(Bytes.of(1), KEYS.get(0).publicKey(), 5));
    }
    return ops;
  }

  private static BlsSecretKey keyOf(DaOperator o) {
    return KEYS.get((o.id().get(0) & 0xff) - 1);
  }

  private static Bytes32 seed(Random rnd) {
    byte[] b = new byte[32];
    rnd.nextBytes(b);
    return Bytes32.wrap(b);
  }

  @Property(tries = 100)
  void selectionIsReproducibleIndependentOfOrderAndRowsAreProportional(
      @ForAll long s,
      @ForAll @IntRange(min = 1, max = 8) int n,
      @ForAll @IntRange(min = 0, max = 7) int logK) {
    Random rnd = new Random(s);
    List<DaOperator> ops = operators(rnd, n);
    Bytes32 seed = seed(rnd);
    int size = 1 + rnd.nextInt(n);
    Quorum q = Quorum.select(seed, 7, 3, ops, size);
    List<DaOperator> shuffled = new ArrayList<>(ops);
    Collections.shuffle(shuffled, rnd);
    assertThat(Quorum.select(seed, 7, 3, shuffled, size)).isEqualTo(q);
    assertThat(q.members()).allMatch(m -> m.stake() > 0).doesNotHaveDuplicates();
    assertThat(q.members().size()).isLessThanOrEqualTo(size);

    int k = 1 << logK;
    int[] counts = q.rowCounts(k);
    long total = q.members().stream().mapToLong(DaOperator::stake).sum();
    int sum = 0;
    for (int i = 0; i < counts.length; i++) {
      double exact = 2.0 * k * q.members().get(i).stake() / total;
      assertThat((double) counts[i]).isBetween(Math.floor(exact), Math.floor(exact) + 1);
      sum += counts[i];
    }
    assertThat(sum).isEqualTo(2 * k);
    int[] first = q.firstRows(k);
    for (int row = 0; row < 2 * k; row++) {
      int h = q.holderOf(row, k);
      assertThat(row).isBetween(first[h], first[h] + counts[h] - 1);
    }
  }

  @Property(tries = 25)
  void certificatesVerifyExactlyWhenSignersHoldTwoThirdsOfTheRows(@ForAll long s) {
    Random rnd = new Random(s);
    List<DaOperator> ops = operators(rnd, 2 + rnd.nextInt(7));
    Quorum q = Quorum.select(seed(rnd), 9, 1, ops, ops.size());
    int k = 1 << rnd.nextInt(8);
    Bytes32 dataRoot = seed(rnd);
    Map<Integer, BlsSignature> sigs = new HashMap<>();
    int rows = 0;
    int[] counts = q.rowCounts(k);
    for (int i = 0; i < q.members().size(); i++) {
      if (rnd.nextInt(3) > 0) {
        sigs.put(i, DaCertificate.sign(keyOf(q.members().get(i)), dataRoot, 9, 1));
        rows += counts[i];
      }
    }
    if (sigs.isEmpty()) {
      return;
    }
    DaCertificate cert = DaCertificate.aggregate(dataRoot, k, q, sigs);
    assertThat(cert.signerIndices()).containsExactlyInAnyOrderElementsOf(sigs.keySet());
    assertThat(DaCertificate.decode(cert.encode())).isEqualTo(cert);
    if (rows >= Quorum.threshold(k)) {
      cert.verify(q);
    } else {
      assertThatThrownBy(() -> cert.verify(q))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("coded rows");
    }
    // another dataRoot, epoch or quorum never verifies
    DaCertificate other = new DaCertificate(seed(rnd), k, 9, 1, cert.signers(), cert.signature());
    Quorum everyone = q;
    if (rows >= Quorum.threshold(k)) {
      assertThatThrownBy(() -> other.verify(everyone))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("aggregate signature");
    }
    Quorum nextEpoch = new Quorum(10, 1, q.members());
    assertThatThrownBy(() -> cert.verify(nextEpoch))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("epoch 9");
  }

  @Test
  void signaturesFromNonMembersOrForAnotherEpochAreRefusedByName() {
    Random rnd = new Random(1);
    List<DaOperator> ops = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ops.add(new DaOperator(Bytes.of(i + 1), KEYS.get(i).publicKey(), 100));
    }
    Quorum q = Quorum.select(seed(rnd), 5, 0, ops, 4);
    Bytes32 root = seed(rnd);
    assertThat(Quorum.threshold(128)).isEqualTo(171);
    assertThat(q.rowCounts(128)).containsExactly(64, 64, 64, 64);
    Map<Integer, BlsSignature> sigs = new HashMap<>();
    sigs.put(0, DaCertificate.sign(keyOf(q.members().get(0)), root, 4, 0)); // epoch 4, not 5
    assertThatThrownBy(() -> DaCertificate.aggregate(root, 128, q, sigs))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("signature of member 0");
    sigs.clear();
    sigs.put(4, DaCertificate.sign(KEYS.get(5), root, 5, 0));
    assertThatThrownBy(() -> DaCertificate.aggregate(root, 128, q, sigs))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not a member");
    // three of four members hold 192 ≥ 171 rows; two hold 128 < 171
    sigs.clear();
    for (int i = 0; i < 3; i++) {
      sigs.put(i, DaCertificate.sign(keyOf(q.members().get(i)), root, 5, 0));
    }
    DaCertificate.aggregate(root, 128, q, sigs).verify(q);
    sigs.remove(2);
    DaCertificate two = DaCertificate.aggregate(root, 128, q, sigs);
    assertThatThrownBy(() -> two.verify(q))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("signers hold 128 of 256 coded rows, 171 are needed");
    // a bitmap naming a fifth member
    DaCertificate stranger = new DaCertificate(root, 128, 5, 0, Bytes.of(0x1f), two.signature());
    assertThatThrownBy(() -> stranger.verify(q))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("signer 4 is not a member");
    assertThatThrownBy(() -> DaCertificate.decode(Bytes.concatenate(two.encode(), Bytes.of(1))))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void specExample() {
    List<DaOperator> ops = new ArrayList<>();
    long[] stakes = {10, 20, 30, 40};
    for (int i = 1; i <= 4; i++) {
      ops.add(new DaOperator(Bytes.of(i), KEYS.get(i - 1).publicKey(), stakes[i - 1]));
    }
    Bytes32 seed =
        io.axivon.common.crypto.Hashes.sha256(
            Bytes.wrap("axivon".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    Quorum q = Quorum.select(seed, 7, 0, ops, 3);
    assertThat(q.members().stream().map(DaOperator::id).toList())
        .containsExactly(Bytes.of(3), Bytes.of(1), Bytes.of(4));
    assertThat(q.rowCounts(2)).containsExactly(2, 0, 2);
    assertThat(q.rowCounts(128)).containsExactly(96, 32, 128);
    assertThat(q.firstRows(128)).containsExactly(0, 96, 128);
    assertThat(DaCertificate.message(Bytes32.ZERO, 7, 0))
        .isEqualTo(
            Bytes32.fromHexString(
                "0xca94325e5a515538b96a2a47a83cd5f52425b899ed3b0f8cb63e8e90cb85c9c5"));
  }
}
