package io.axivon.common.crypto.secp256k1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import org.junit.jupiter.api.Test;

class HdKeysTest {
  /** The mnemonic Hardhat, Anvil and our devnet fund. */
  static final String DEV_MNEMONIC = "test test test test test test test test test test test junk";

  @Test
  void devMnemonicYieldsTheWellKnownAccounts() {
    Secp256k1PrivateKey account0 = HdKeys.ethereumAccount(DEV_MNEMONIC, "", 0);
    assertThat(account0.bytes().toHexString())
        .isEqualTo("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
    assertThat(account0.address().toString())
        .isEqualTo("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    assertThat(HdKeys.ethereumAccount(DEV_MNEMONIC, "", 1).address().toString())
        .isEqualTo("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    assertThat(HdKeys.ethereumAccount(DEV_MNEMONIC, "", 2).address().toString())
        .isEqualTo("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");
  }

  @Test
  void explicitPathEqualsAccountShortcutAndHardenedSuffixesAgree() {
    Secp256k1PrivateKey viaIndex = HdKeys.ethereumAccount(DEV_MNEMONIC, "", 1);
    assertThat(HdKeys.derive(DEV_MNEMONIC, "", "m/44'/60'/0'/0/1")).isEqualTo(viaIndex);
    assertThat(HdKeys.derive(DEV_MNEMONIC, "", "m/44h/60h/0h/0/1")).isEqualTo(viaIndex);
  }

  @Test
  void whitespaceIsNormalizedAndPassphraseChangesTheSeed() {
    Secp256k1PrivateKey plain = HdKeys.ethereumAccount(DEV_MNEMONIC, "", 0);
    assertThat(HdKeys.ethereumAccount("  " + DEV_MNEMONIC.replace(" ", "  \t") + "\n", "", 0))
        .isEqualTo(plain);
    assertThat(HdKeys.ethereumAccount(DEV_MNEMONIC, "axivon", 0)).isNotEqualTo(plain);
  }

  @Test
  void badMnemonicsAreRejectedPrecisely() {
    assertThatThrownBy(() -> HdKeys.ethereumAccount("test test junk", "", 0))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("mnemonic must have 12, 15, 18, 21 or 24 words, got 3");
    assertThatThrownBy(() -> HdKeys.ethereumAccount(DEV_MNEMONIC.replace("junk", "junque"), "", 0))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("mnemonic word 12 'junque' is not in the BIP-39 English word list");
    assertThatThrownBy(() -> HdKeys.ethereumAccount(DEV_MNEMONIC.replace("junk", "test"), "", 0))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("checksum does not match");
    assertThatThrownBy(() -> HdKeys.ethereumAccount(" ", "", 0))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("mnemonic is empty");
    assertThatThrownBy(() -> HdKeys.ethereumAccount(DEV_MNEMONIC, "", -1))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("account index must be ≥ 0, got -1");
  }

  @Test
  void badPathsAreRejectedPrecisely() {
    assertThatThrownBy(() -> HdKeys.derive(DEV_MNEMONIC, "", "44'/60'"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("derivation path must start with m/, got '44'/60''");
    assertThatThrownBy(() -> HdKeys.derive(DEV_MNEMONIC, "", "m/44'/x/0"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("derivation path component 2 'x' is not a number in m/44'/x/0");
    assertThatThrownBy(() -> HdKeys.derive(DEV_MNEMONIC, "", "m/44'//0"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("component 2 ''");
    assertThatThrownBy(() -> HdKeys.derive(DEV_MNEMONIC, "", "m/2147483648"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("≥ 2^31");
    assertThatThrownBy(() -> HdKeys.derive(DEV_MNEMONIC, "", "m/01"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("is not a number");
  }

  @Test
  void pathParsingSetsTheHardenedBit() {
    assertThat(HdKeys.parsePath("m/44'/60'/0'/0/7"))
        .containsExactly(44 | 0x80000000, 60 | 0x80000000, 0x80000000, 0, 7);
  }
}
