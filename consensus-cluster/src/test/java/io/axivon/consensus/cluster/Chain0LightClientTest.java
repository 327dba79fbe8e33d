package io.axivon.consensus.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.consensus.types.BlockHeader;
import io.axivon.consensus.types.SetChange;
import io.axivon.consensus.types.ValidatorSet;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.Test;

class Chain0LightClientTest {
  final ValidatorSet four = Chain0Fixture.set(10, 10, 10, 10);
  final ValidatorSet five = Chain0Fixture.set(10, 10, 10, 10, 25);
  final TrustedSet genesis = new TrustedSet(Chain0Fixture.CHAIN0, 1, four);

  @Test
  void followsSuccessiveChangesAndRoundTripsThroughItsEncoding() {
    BlockHeader h8 = Chain0Fixture.header(8, four, five);
    SetChange first =
        new SetChange(h8, Chain0Fixture.certify(Chain0Fixture.CHAIN0, h8, four, 0, 1, 2), five);
    assertThat(SetChange.decode(first.encode())).isEqualTo(first);
    TrustedSet t = Chain0LightClient.apply(genesis, first);
    assertThat(t).isEqualTo(new TrustedSet(Chain0Fixture.CHAIN0, 9, five));

    // the new set (validator 4 holds 25 of 65) signs the next change
    ValidatorSet back = Chain0Fixture.set(10, 10, 10, 10);
    BlockHeader h20 = Chain0Fixture.header(20, five, back);
    TrustedSet t2 =
        Chain0LightClient.apply(
            t,
            new SetChange(
                h20, Chain0Fixture.certify(Chain0Fixture.CHAIN0, h20, five, 4, 0, 1, 2), back));
    assertThat(t2).isEqualTo(new TrustedSet(Chain0Fixture.CHAIN0, 21, back));
  }

  @Test
  void refusesASetSignedByTooLittleOfTheTrustedPower() {
    BlockHeader h8 = Chain0Fixture.header(8, four, five);
    SetChange weak =
        new SetChange(h8, Chain0Fixture.certify(Chain0Fixture.CHAIN0, h8, four, 0, 1), five);
    assertThatThrownBy(() -> Chain0LightClient.apply(genesis, weak))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("need more than 2/3");
  }

  @Test
  void refusesAHeaderSignedByASetItDoesNotTrust() {
    // an attacker's own set signs a header naming itself as chain 0's signers
    ValidatorSet attackers = Chain0Fixture.set(10, 10, 10, 10, 25);
    ValidatorSet mine = Chain0Fixture.set(1, 1, 1, 1, 100);
    BlockHeader forged = Chain0Fixture.header(8, attackers, mine);
    SetChange change =
        new SetChange(
            forged,
            Chain0Fixture.certify(Chain0Fixture.CHAIN0, forged, attackers, 0, 1, 2, 4),
            mine);
    assertThatThrownBy(() -> Chain0LightClient.apply(genesis, change))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not by the trusted set");
  }

  @Test
  void refusesANewSetThatIsNotTheOneTheHeaderNames() {
    BlockHeader h8 = Chain0Fixture.header(8, four, five);
    ValidatorSet other = Chain0Fixture.set(10, 10, 10, 10, 90);
    SetChange swapped =
        new SetChange(h8, Chain0Fixture.certify(Chain0Fixture.CHAIN0, h8, four, 0, 1, 2), other);
    assertThatThrownBy(() -> Chain0LightClient.apply(genesis, swapped))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("hashes to");
  }

  @Test
  void refusesACertificateOfAnotherBlockOrAnotherChain() {
    BlockHeader h8 = Chain0Fixture.header(8, four, five);
    BlockHeader h9 = Chain0Fixture.header(9, four, five);
    SetChange otherBlock =
        new SetChange(h8, Chain0Fixture.certify(Chain0Fixture.CHAIN0, h9, four, 0, 1, 2), five);
    assertThatThrownBy(() -> Chain0LightClient.apply(genesis, otherBlock))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("commit certificate is for block");
    // precommits signed for another chain id do not verify for chain 0
    SetChange otherChain =
        new SetChange(h8, Chain0Fixture.certify("axivon-12701", h8, four, 0, 1, 2), five);
    assertThatThrownBy(() -> Chain0LightClient.apply(genesis, otherChain))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("does not verify");
  }

  @Test
  void refusesStaleChangesHeadersThatChangeNothingAndForeignChains() {
    BlockHeader h8 = Chain0Fixture.header(8, four, five);
    SetChange first =
        new SetChange(h8, Chain0Fixture.certify(Chain0Fixture.CHAIN0, h8, four, 0, 1, 2), five);
    TrustedSet t = Chain0LightClient.apply(genesis, first);
    // replaying the change (or any older header) against the new trust fails
    assertThatThrownBy(() -> Chain0LightClient.apply(t, first))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("older than the trusted set");
    BlockHeader same = Chain0Fixture.header(9, five, five);
    SetChange noChange =
        new SetChange(
            same, Chain0Fixture.certify(Chain0Fixture.CHAIN0, same, five, 0, 1, 2, 4), five);
    assertThatThrownBy(() -> Chain0LightClient.apply(t, noChange))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("names no new validator set");
    TrustedSet elsewhere = new TrustedSet("axivon-12701", 1, four);
    assertThatThrownBy(() -> Chain0LightClient.apply(elsewhere, first))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("is for chain 'axivon-12700'");
  }

  @Test
  void decodingRejectsTrailingBytes() {
    BlockHeader h8 = Chain0Fixture.header(8, four, five);
    Bytes enc =
        new SetChange(h8, Chain0Fixture.certify(Chain0Fixture.CHAIN0, h8, four, 0, 1, 2), five)
            .encode();
    assertThatThrownBy(() -> SetChange.decode(Bytes.concatenate(enc, Bytes.of(0))))
        .isInstanceOf(InvalidInputException.class);
  }
}
