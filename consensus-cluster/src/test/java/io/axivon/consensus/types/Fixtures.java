package io.axivon.consensus.types;

import io.axivon.common.crypto.bls.BlsSecretKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/** Deterministic keys and generators shared by the type tests. */
final class Fixtures {
  static final List<BlsSecretKey> KEYS = keys(8);

  private Fixtures() {}

  static List<BlsSecretKey> keys(int n) {
    List<BlsSecretKey> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] ikm = new byte[32];
      ikm[0] = (byte) (i + 1);
      out.add(BlsSecretKey.keyGen(Bytes.wrap(ikm)));
    }
    return out;
  }

  static Arbitrary<Bytes32> hashes() {
    return Arbitraries.bytes().array(byte[].class).ofSize(32).map(Bytes32::wrap);
  }

  static Arbitrary<Bytes> sigs() {
    return Arbitraries.bytes().array(byte[].class).ofSize(96).map(Bytes::wrap);
  }

  static Arbitrary<Vote> votes() {
    return Combinators.combine(
            Arbitraries.of(VoteType.values()),
            Arbitraries.longs().between(1, Long.MAX_VALUE),
            Arbitraries.integers().between(0, 1000),
            hashes().optional(),
            Arbitraries.integers().between(0, 200),
            sigs())
        .as(Vote::new);
  }

  static Arbitrary<Block> blocks() {
    return Combinators.combine(
            Arbitraries.strings().ofMaxLength(20),
            Arbitraries.longs().between(1, 1_000_000),
            hashes(),
            hashes(),
            hashes(),
            Arbitraries.integers().between(0, 99),
            Arbitraries.bytes()
                .array(byte[].class)
                .ofMaxSize(60)
                .map(Bytes::wrap)
                .list()
                .ofMaxSize(5))
        .as(
            (chain, h, parent, app, vals, proposer, txs) ->
                new Block(
                    new BlockHeader(
                        chain, h, h * 1000L, parent, Block.txRoot(txs), app, vals, vals, proposer),
                    txs));
  }

  static Arbitrary<Proposal> proposals() {
    return Combinators.combine(
            blocks(), Arbitraries.integers().between(0, 50), Arbitraries.integers(), sigs())
        .as(
            (b, round, pol, sig) ->
                new Proposal(
                    b.height(),
                    round,
                    round == 0 ? -1 : Math.floorMod(pol, round + 1) - 1,
                    b,
                    b.header().proposerIndex(),
                    sig));
  }

  static Optional<Bytes32> someHash(int seed) {
    byte[] b = new byte[32];
    b[0] = (byte) seed;
    return Optional.of(Bytes32.wrap(b));
  }
}
