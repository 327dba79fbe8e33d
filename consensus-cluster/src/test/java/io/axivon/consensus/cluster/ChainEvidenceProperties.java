package io.axivon.consensus.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.consensus.types.BlsSigner;
import io.axivon.consensus.types.ChainEvidence;
import io.axivon.consensus.types.Evidence;
import io.axivon.consensus.types.Vote;
import io.axivon.consensus.types.VoteType;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

class ChainEvidenceProperties {
  static final BlsSigner SIGNER = new BlsSigner(BlsSecretKey.keyGen(Bytes.repeat((byte) 7, 32)));

  static ChainEvidence evidence(String chain, long height, int round, int index) {
    Vote a =
        Vote.sign(
            chain,
            SIGNER,
            VoteType.PREVOTE,
            height,
            round,
            Optional.of(Bytes32.repeat((byte) 1)),
            index);
    Vote b =
        Vote.sign(chain, SIGNER, VoteType.PREVOTE, height, round, Optional.of(Bytes32.ZERO), index);
    return new ChainEvidence(chain, Bytes32.repeat((byte) 9), Evidence.of(a, b));
  }

  @Property(tries = 20)
  void roundTripsAndTheReplayKeyIgnoresTheSetHash(
      @ForAll @AlphaChars @StringLength(min = 1, max = 63) String chain,
      @ForAll @LongRange(min = 1, max = 1L << 40) long height,
      @ForAll @IntRange(min = 0, max = 1000) int round,
      @ForAll @IntRange(min = 0, max = 200) int index) {
    ChainEvidence e = evidence(chain, height, round, index);
    assertThat(ChainEvidence.decode(e.encode())).isEqualTo(e);
    ChainEvidence renamed = new ChainEvidence(chain, Bytes32.ZERO, e.evidence());
    assertThat(renamed.replayKey()).isEqualTo(e.replayKey());
    assertThat(new ChainEvidence(chain + "x", Bytes32.ZERO, e.evidence()).replayKey())
        .isNotEqualTo(e.replayKey());
  }

  @Property(tries = 40)
  void trailingOrTruncatedBytesAreRefused(@ForAll @IntRange(min = 1, max = 50) int cut) {
    Bytes enc = evidence("axivon-12701", 5, 0, 1).encode();
    Bytes trailing = Bytes.fromHexString(enc.toHexString() + "00");
    assertThatThrownBy(() -> ChainEvidence.decode(trailing))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> ChainEvidence.decode(enc.slice(0, enc.size() - cut)))
        .isInstanceOf(InvalidInputException.class);
  }
}
