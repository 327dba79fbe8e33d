package io.axivon.common.crypto.secp256k1;

import io.axivon.common.InvalidInputException;
import java.text.Normalizer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.tuweni.bytes.Bytes;
import org.web3j.crypto.Bip32ECKeyPair;
import org.web3j.crypto.MnemonicUtils;

/**
 * BIP-39 mnemonics and BIP-32/BIP-44 derivation of Ethereum accounts (web3j's implementation), as
 * wallets, Hardhat and Anvil do: account n of a mnemonic is the key at m/44'/60'/0'/0/n.
 */
public final class HdKeys {
  /** The BIP-44 path prefix of Ethereum accounts; the account index follows. */
  public static final String ETHEREUM_PATH_PREFIX = "m/44'/60'/0'/0/";

  private static final Set<Integer> WORD_COUNTS = Set.of(12, 15, 18, 21, 24);
  private static final Set<String> WORDS = new HashSet<>(MnemonicUtils.getWords());

  private HdKeys() {}

  /** The key of Ethereum account {@code index} (path m/44'/60'/0'/0/index). */
  public static Secp256k1PrivateKey ethereumAccount(String mnemonic, String passphrase, int index) {
    if (index < 0) {
      throw new InvalidInputException("account index must be ≥ 0, got " + index);
    }
    return derive(mnemonic, passphrase, ETHEREUM_PATH_PREFIX + index);
  }

  /**
   * The key at a BIP-32 path such as m/44'/60'/0'/0/3 below the seed of a BIP-39 English mnemonic.
   *
   * @param passphrase the optional BIP-39 passphrase ("25th word"); "" when none
   */
  public static Secp256k1PrivateKey derive(String mnemonic, String passphrase, String path) {
    int[] indices = parsePath(path);
    byte[] seed = seed(mnemonic, passphrase);
    Bip32ECKeyPair master = Bip32ECKeyPair.generateKeyPair(seed);
    Bip32ECKeyPair child = Bip32ECKeyPair.deriveKeyPair(master, indices);
    return Secp256k1PrivateKey.fromBytes(
        Bytes.wrap(Secp256k1.toUnsigned(child.getPrivateKey(), Secp256k1PrivateKey.SIZE)));
  }

  /**
   * The 64-byte BIP-39 seed. Words are NFKD-normalized and separated by single spaces before
   * hashing, as BIP-39 specifies; the checksum and every word are checked first.
   */
  public static byte[] seed(String mnemonic, String passphrase) {
    String normalized = normalizeMnemonic(mnemonic);
    if (passphrase == null) {
      throw new InvalidInputException("BIP-39 passphrase is missing (use \"\" for none)");
    }
    return MnemonicUtils.generateSeed(
        normalized, Normalizer.normalize(passphrase, Normalizer.Form.NFKD));
  }

  static String normalizeMnemonic(String mnemonic) {
    if (mnemonic == null || mnemonic.isBlank()) {
      throw new InvalidInputException("mnemonic is empty");
    }
    String nfkd = Normalizer.normalize(mnemonic.strip(), Normalizer.Form.NFKD);
    List<String> words = List.of(nfkd.split("\\s+"));
    if (!WORD_COUNTS.contains(words.size())) {
      throw new InvalidInputException(
          "mnemonic must have 12, 15, 18, 21 or 24 words, got " + words.size());
    }
    for (int i = 0; i < words.size(); i++) {
      if (!WORDS.contains(words.get(i))) {
        throw new InvalidInputException(
            "mnemonic word "
                + (i + 1)
                + " '"
                + words.get(i)
                + "' is not in the BIP-39 English word list");
      }
    }
    String joined = String.join(" ", words);
    if (!MnemonicUtils.validateMnemonic(joined)) {
      throw new InvalidInputException(
          "mnemonic checksum does not match (a word is wrong or the words are out of order)");
    }
    return joined;
  }

  /** Parses m/a/b'/c... into BIP-32 child indices, hardened ones with the high bit set. */
  static int[] parsePath(String path) {
    if (path == null || !path.startsWith("m/")) {
      throw new InvalidInputException("derivation path must start with m/, got '" + path + "'");
    }
    String[] parts = path.substring(2).split("/", -1);
    int[] indices = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      boolean hardened = part.endsWith("'") || part.endsWith("h");
      String number = hardened ? part.substring(0, part.length() - 1) : part;
      if (number.isEmpty()
          || !number.chars().allMatch(c -> c >= '0' && c <= '9')
          || (number.length() > 1 && number.charAt(0) == '0')) {
        throw new InvalidInputException(
            "derivation path component " + (i + 1) + " '" + part + "' is not a number in " + path);
      }
      long value;
      try {
        value = Long.parseLong(number);
      } catch (NumberFormatException e) {
        value = Long.MAX_VALUE;
      }
      if (value >= (1L << 31)) {
        throw new InvalidInputException(
            "derivation path component " + (i + 1) + " '" + part + "' is ≥ 2^31 in " + path);
      }
      indices[i] = hardened ? (int) value | Bip32ECKeyPair.HARDENED_BIT : (int) value;
    }
    return indices;
  }
}
