package io.axivon.consensus.execution.system;

import io.axivon.common.crypto.Hashes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;

/**
 * Solidity ABI helpers over web3j's abi module: selectors, strict argument decoding, return and
 * event encoding, revert data.
 */
public final class Abi {
  /** {@code Error(string)}'s selector: Solidity's revert-with-reason. */
  public static final Bytes ERROR_SELECTOR = selector("Error(string)");

  private Abi() {}

  /** The 4-byte selector of a canonical signature such as {@code delegate(address)}. */
  public static Bytes selector(String signature) {
    return Hashes.keccak256(Bytes.wrap(signature.getBytes(StandardCharsets.US_ASCII))).slice(0, 4);
  }

  /** The topic of an event signature such as {@code Delegated(address,address,uint256)}. */
  public static Bytes32 eventTopic(String signature) {
    return Hashes.keccak256(Bytes.wrap(signature.getBytes(StandardCharsets.US_ASCII)));
  }

  /**
   * Decodes the arguments after the selector. Strict: the input must be exactly the canonical
   * encoding of the decoded values (web3j's decoder alone accepts dirty padding and trailing
   * bytes), so one call has one encoding.
   *
   * @throws ModuleRevert if the arguments do not decode canonically
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static List<Type> decodeArgs(Bytes args, List<TypeReference<?>> types) {
    if (types.isEmpty()) {
      if (!args.isEmpty()) {
        throw new ModuleRevert("unexpected call data after the selector");
      }
      return List.of();
    }
    List<Type> values;
    try {
      values =
          FunctionReturnDecoder.decode(args.toUnprefixedHexString(), (List) new ArrayList<>(types));
    } catch (RuntimeException e) {
      throw new ModuleRevert("malformed call data");
    }
    if (values.size() != types.size() || !encode(values).equals(args)) {
      throw new ModuleRevert("malformed call data");
    }
    return values;
  }

  /** The ABI encoding of a tuple of values (a return value or an event's data). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Bytes encode(List<? extends Type> values) {
    if (values.isEmpty()) {
      return Bytes.EMPTY;
    }
    return Bytes.fromHexString(FunctionEncoder.encodeConstructor((List) values));
  }

  /** A call's data: selector then arguments. */
  public static Bytes call(String signature, List<? extends Type> args) {
    return Bytes.concatenate(selector(signature), encode(args));
  }

  /** {@code Error(reason)}: what Solidity's {@code revert("reason")} returns. */
  public static Bytes revertData(String reason) {
    return Bytes.concatenate(ERROR_SELECTOR, encode(List.of(new Utf8String(reason))));
  }
}
