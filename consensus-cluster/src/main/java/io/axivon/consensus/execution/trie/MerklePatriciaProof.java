package io.axivon.consensus.execution.trie;

import io.axivon.common.InvalidInputException;
import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpItem;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Checks Ethereum Merkle-Patricia proofs (EIP-1186: the nodes on the path from a root to a key, as
 * {@code eth_getProof} returns them) of the "secure" tries, whose paths are keccak256 of the key.
 * Pure: what a chain runs to trust another chain's state given only a certified state root. We
 * write it because neither web3j nor Tuweni ships a proof verifier for Ethereum's trie.
 */
public final class MerklePatriciaProof {
  /** keccak256(RLP("")): the root of an empty trie. */
  public static final Bytes32 EMPTY_TRIE =
      Bytes32.fromHexString("0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");

  private MerklePatriciaProof() {}

  /** An account as the state trie stores it. */
  public record Account(long nonce, BigInteger balance, Bytes32 storageRoot, Bytes32 codeHash) {}

  /**
   * The account at {@code address} under the state root, or empty when the proof shows there is
   * none.
   *
   * @throws InvalidInputException if {@code proof} does not prove either under {@code stateRoot}
   */
  public static Optional<Account> account(Bytes32 stateRoot, Address address, List<Bytes> proof) {
    return value(stateRoot, Hashes.keccak256(address.bytes()), proof)
        .map(
            raw -> {
              RlpItem item = Rlp.decode(RlpItem.CODEC, raw);
              if (!(item instanceof RlpItem.Sequence s)
                  || s.items().size() != 4
                  || !(s.items().get(2) instanceof RlpItem.Value root)
                  || root.bytes().size() != 32
                  || !(s.items().get(3) instanceof RlpItem.Value code)
                  || code.bytes().size() != 32) {
                throw new InvalidInputException(
                    "proof: the account is not [nonce, balance, root, code]");
              }
              return new Account(
                  uint(s.items().get(0)).longValueExact(),
                  uint(s.items().get(1)),
                  Bytes32.wrap(root.bytes()),
                  Bytes32.wrap(code.bytes()));
            });
  }

  /**
   * The value of storage {@code slot} under an account's storage root (zero when absent).
   *
   * @throws InvalidInputException if {@code proof} does not prove it under {@code storageRoot}
   */
  public static Bytes32 storage(Bytes32 storageRoot, Bytes32 slot, List<Bytes> proof) {
    return value(storageRoot, Hashes.keccak256(slot), proof)
        .map(
            raw -> {
              BigInteger v = uint(Rlp.decode(RlpItem.CODEC, raw));
              if (v.bitLength() > 256) {
                throw new InvalidInputException("proof: a storage value over 32 bytes");
              }
              return Bytes32.leftPad(Bytes.wrap(v.toByteArray()).trimLeadingZeros());
            })
        .orElse(Bytes32.ZERO);
  }

  /**
   * The value stored at {@code path} (32 bytes, 64 nibbles) under {@code root}, or empty when the
   * proof ends in a branch slot, leaf or extension that shows the path is absent.
   */
  public static Optional<Bytes> value(Bytes32 root, Bytes32 path, List<Bytes> proof) {
    Map<Bytes32, Bytes> nodes = new HashMap<>();
    for (Bytes n : proof) {
      nodes.put(Hashes.keccak256(n), n);
    }
    if (root.equals(EMPTY_TRIE) && !nodes.containsKey(root)) {
      return Optional.empty();
    }
    byte[] nibbles = nibbles(path);
    int at = 0;
    RlpItem node = byHash(nodes, root);
    for (int depth = 0; depth <= 2 * nibbles.length + 1; depth++) {
      if (!(node instanceof RlpItem.Sequence s)) {
        throw new InvalidInputException("proof: a trie node is not a list");
      }
      List<RlpItem> items = s.items();
      if (items.size() == 17) {
        if (at == nibbles.length) {
          throw new InvalidInputException("proof: the path ends in a branch");
        }
        RlpItem child = items.get(nibbles[at++]);
        if (isEmpty(child)) {
          return Optional.empty();
        }
        node = resolve(nodes, child);
      } else if (items.size() == 2) {
        byte[] encoded = bytes(items.get(0)).toArrayUnsafe();
        if (encoded.length == 0) {
          throw new InvalidInputException("proof: an empty node path");
        }
        int flag = (encoded[0] & 0xff) >>> 4;
        if (flag > 3) {
          throw new InvalidInputException("proof: a node path flag of " + flag);
        }
        boolean leaf = flag >= 2;
        byte[] part = hexPrefixNibbles(encoded, (flag & 1) == 1);
        boolean matches = at + part.length <= nibbles.length;
        for (int i = 0; matches && i < part.length; i++) {
          matches = nibbles[at + i] == part[i];
        }
        if (leaf) {
          return matches && at + part.length == nibbles.length
              ? Optional.of(bytes(items.get(1)))
              : Optional.empty();
        }
        if (!matches) {
          return Optional.empty();
        }
        at += part.length;
        node = resolve(nodes, items.get(1));
      } else {
        throw new InvalidInputException("proof: a trie node of " + items.size() + " items");
      }
    }
    throw new InvalidInputException("proof: the path is longer than a key");
  }

  private static RlpItem resolve(Map<Bytes32, Bytes> nodes, RlpItem ref) {
    if (ref instanceof RlpItem.Sequence embedded) {
      return embedded; // nodes under 32 bytes sit inside their parent
    }
    Bytes b = bytes(ref);
    if (b.size() != 32) {
      throw new InvalidInputException("proof: a child reference of " + b.size() + " bytes");
    }
    return byHash(nodes, Bytes32.wrap(b));
  }

  private static RlpItem byHash(Map<Bytes32, Bytes> nodes, Bytes32 hash) {
    Bytes n = nodes.get(hash);
    if (n == null) {
      throw new InvalidInputException("proof: no node with hash " + hash.toHexString());
    }
    return Rlp.decode(RlpItem.CODEC, n);
  }

  private static boolean isEmpty(RlpItem item) {
    return item instanceof RlpItem.Value v && v.bytes().isEmpty();
  }

  private static Bytes bytes(RlpItem item) {
    if (!(item instanceof RlpItem.Value v)) {
      throw new InvalidInputException("proof: expected a byte string, got a list");
    }
    return v.bytes();
  }

  private static BigInteger uint(RlpItem item) {
    Bytes b = bytes(item);
    if (!b.isEmpty() && b.get(0) == 0) {
      throw new InvalidInputException("proof: an integer with leading zeros");
    }
    return b.isEmpty() ? BigInteger.ZERO : new BigInteger(1, b.toArrayUnsafe());
  }

  private static byte[] nibbles(Bytes path) {
    byte[] out = new byte[path.size() * 2];
    for (int i = 0; i < path.size(); i++) {
      out[2 * i] = (byte) ((path.get(i) & 0xff) >>> 4);
      out[2 * i + 1] = (byte) (path.get(i) & 0x0f);
    }
    return out;
  }

  /** The nibbles of a hex-prefix encoded path (yellow paper appendix C). */
  private static byte[] hexPrefixNibbles(byte[] encoded, boolean odd) {
    if (!odd && (encoded[0] & 0x0f) != 0) {
      throw new InvalidInputException("proof: an even node path with a non-zero pad nibble");
    }
    int n = (encoded.length - 1) * 2 + (odd ? 1 : 0);
    byte[] out = new byte[n];
    int k = 0;
    if (odd) {
      out[k++] = (byte) (encoded[0] & 0x0f);
    }
    for (int i = 1; i < encoded.length; i++) {
      out[k++] = (byte) ((encoded[i] & 0xff) >>> 4);
      out[k++] = (byte) (encoded[i] & 0x0f);
    }
    return out;
  }
}
