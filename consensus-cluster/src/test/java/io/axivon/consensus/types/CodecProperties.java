package io.axivon.consensus.types;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.InvalidInputException;
import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.bls.Bls;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

class CodecProperties {
  @Provide
  Arbitrary<Vote> votes() {
    return Fixtures.votes();
  }

  @Provide
  Arbitrary<Proposal> proposals() {
    return Fixtures.proposals();
  }

  @Provide
  Arbitrary<Block> blocks() {
    return Fixtures.blocks();
  }

  @Provide
  Arbitrary<ValidatorSet> sets() {
    return Arbitraries.longs()
        .between(1, 1_000_000)
        .list()
        .ofMinSize(1)
        .ofMaxSize(Fixtures.KEYS.size())
        .map(
            powers -> {
              List<Validator> vs = new ArrayList<>();
              for (int i = 0; i < powers.size(); i++) {
                vs.add(new Validator(Fixtures.KEYS.get(i).publicKey(), powers.get(i)));
              }
              return ValidatorSet.of(vs);
            });
  }

  @Provide
  Arbitrary<CommitCertificate> commits() {
    return net.jqwik.api.Combinators.combine(
            Arbitraries.longs().between(1, 1000),
            Arbitraries.integers().between(0, 10),
            Fixtures.hashes(),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(4).map(Bytes::wrap),
            Arbitraries.integers().between(0, Fixtures.KEYS.size() - 1))
        .as(
            (h, r, hash, bitmap, k) ->
                new CommitCertificate(
                    h, r, hash, bitmap, Bls.sign(Fixtures.KEYS.get(k), Bytes.of(k))));
  }

  @Provide
  Arbitrary<Integer> positions() {
    return Arbitraries.integers().between(0, 10_000);
  }

  @Property(tries = 200)
  void votesRoundTripAndAreCanonical(
      @ForAll("votes") Vote v, @ForAll("positions") int pos, @ForAll byte flip) {
    check(Vote.CODEC, v, pos, flip);
  }

  @Property(tries = 200)
  void proposalsRoundTripAndAreCanonical(
      @ForAll("proposals") Proposal p, @ForAll("positions") int pos, @ForAll byte flip) {
    check(Proposal.CODEC, p, pos, flip);
  }

  @Property(tries = 200)
  void blocksRoundTripAndAreCanonical(
      @ForAll("blocks") Block b, @ForAll("positions") int pos, @ForAll byte flip) {
    check(Block.CODEC, b, pos, flip);
  }

  @Property(tries = 200)
  void theTxRootIsKeccakOfTheEncodedPayloadAndTheBlockKeepsIt(
      @ForAll("blocks") Block b, @ForAll("votes") Vote v, @ForAll("votes") Vote w) {
    List<Evidence> evidence =
        w.round() % 2 == 0 ? List.of() : List.of(Evidence.of(v, conflicting(v, w)));
    // the definition, written out: Keccak-256 of RLP([[tx...], [evidence...], [setChange...]])
    Bytes payload =
        Rlp.encode(
            RlpCodec.<Block>struct(
                (wr, x) ->
                    wr.writeListOf(x.transactions(), Rlp.BYTES)
                        .writeListOf(evidence, Evidence.CODEC)
                        .writeListOf(List.<SetChange>of(), SetChange.CODEC),
                r -> {
                  throw new UnsupportedOperationException("encode only");
                }),
            b);
    Bytes32 expected = Hashes.keccak256(payload);

    assertThat(Block.txRoot(b.transactions(), evidence)).isEqualTo(expected);
    Block withEvidence =
        new Block(
            b.header(), new ArrayList<>(b.transactions()), new ArrayList<>(evidence), List.of());
    assertThat(withEvidence.txRoot()).isEqualTo(expected);
    assertThat(withEvidence.txRoot()).isSameAs(withEvidence.txRoot()); // computed once
    assertThat(withEvidence.txRootMatches()).isEqualTo(b.header().txRoot().equals(expected));
    // a value: equal fields make equal blocks, whatever either has computed
    Block same = Rlp.decode(Block.CODEC, Rlp.encode(Block.CODEC, withEvidence));
    assertThat(same).isEqualTo(withEvidence).hasSameHashCodeAs(withEvidence);
    assertThat(same.toString()).isEqualTo(withEvidence.toString());
  }

  @Property(tries = 50)
  void validatorSetsRoundTripAndAreCanonical(
      @ForAll("sets") ValidatorSet s, @ForAll("positions") int pos, @ForAll byte flip) {
    check(ValidatorSet.CODEC, s, pos, flip);
  }

  @Property(tries = 30)
  void commitsRoundTripAndAreCanonical(
      @ForAll("commits") CommitCertificate c, @ForAll("positions") int pos, @ForAll byte flip) {
    check(CommitCertificate.CODEC, c, pos, flip);
  }

  @Property(tries = 100)
  void evidenceRoundTrips(@ForAll("votes") Vote a, @ForAll("votes") Vote b) {
    Vote other = conflicting(a, b);
    Evidence e = Evidence.of(a, other);
    assertThat(Rlp.decode(Evidence.CODEC, Rlp.encode(Evidence.CODEC, e))).isEqualTo(e);
    assertThat(Evidence.of(other, a)).isEqualTo(e);
  }

  /** A vote in {@code a}'s slot for another block (or nil), with {@code b}'s signature. */
  private static Vote conflicting(Vote a, Vote b) {
    return new Vote(
        a.type(),
        a.height(),
        a.round(),
        a.blockHash().isPresent() ? java.util.Optional.empty() : Fixtures.someHash(1),
        a.validatorIndex(),
        b.signature());
  }

  /** Round trip, and any one-byte change either fails to decode or re-encodes to itself. */
  private static <T> void check(RlpCodec<T> codec, T value, int pos, byte flip) {
    Bytes enc = Rlp.encode(codec, value);
    assertThat(Rlp.decode(codec, enc)).isEqualTo(value);
    byte[] mutated = enc.toArray();
    int i = pos % mutated.length;
    mutated[i] ^= (flip == 0 ? 1 : flip);
    Bytes m = Bytes.wrap(mutated);
    T decoded;
    try {
      decoded = Rlp.decode(codec, m);
    } catch (InvalidInputException e) {
      return;
    }
    assertThat(Rlp.encode(codec, decoded)).isEqualTo(m);
    assertThat(decoded).isNotEqualTo(value);
  }
}
