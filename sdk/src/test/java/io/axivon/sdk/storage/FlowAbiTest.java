package io.axivon.sdk.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.merkle.Subtree;
import io.axivon.sdk.eth.Log;
import io.axivon.sdk.storage.layout.Submission;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.StaticArray2;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Hash;

class FlowAbiTest {
  static final Address SENDER = Address.fromHex("0x00000000000000000000000000000000000000aa");

  @Example
  void selectorsAreKeccakOfTheSignaturesAndMatchTheReference() {
    assertThat(FlowAbi.SUBMIT_SELECTOR.toHexString()).isEqualTo("0xef3e12dc");
    assertThat(FlowAbi.MARKET_SELECTOR.toHexString()).isEqualTo("0x80f55605");
    assertThat(FlowAbi.PRICE_PER_SECTOR_SELECTOR.toHexString()).isEqualTo("0x61ec5082");
    assertThat(FlowAbi.ERROR_SELECTOR.toHexString()).isEqualTo("0x08c379a0");
    assertThat(FlowAbi.PANIC_SELECTOR.toHexString()).isEqualTo("0x4e487b71");
    assertThat(FlowAbi.NOT_ENOUGH_FEE_SELECTOR.toHexString()).isEqualTo("0xf85c6482");
    assertThat(FlowAbi.SUBMIT_TOPIC.toHexString())
        .isEqualTo("0x167ce04d2aa1981994d3a31695da0d785373335b1078cec239a1a3a2c7675555")
        .isEqualTo(EventEncoder.buildEventSignature(FlowAbi.SUBMIT_EVENT_SIGNATURE));
    // web3j's Keccak as an independent oracle
    assertThat(FlowAbi.SUBMIT_SELECTOR.toHexString())
        .isEqualTo(Hash.sha3String(FlowAbi.SUBMIT_SIGNATURE).substring(0, 10));
    assertThat(FlowAbi.NOT_ENOUGH_FEE_SELECTOR.toHexString())
        .isEqualTo(Hash.sha3String("NotEnoughFee(uint256,uint256,uint256)").substring(0, 10));
  }

  /** A log written out word by word from the ABI rules, not by the encoder under test. */
  @Example
  void handCheckedFixture() {
    Bytes32 r1 = Bytes32.fromHexString("0x" + "11".repeat(32));
    Bytes32 r2 = Bytes32.fromHexString("0x" + "22".repeat(32));
    String data =
        "0x"
            + w("07") // submissionIndex
            + w("400") // startPos 1024
            + w("3") // length: 2 + 1 sectors
            + w("80") // offset of the tuple
            + w("2bc") // tuple: file length 700
            + w("60") // offset of tags within the tuple
            + w("a0") // offset of nodes: 0x60 + 32 + 32 (one word of tags)
            + w("2") // tags length
            + "abcd"
            + "00".repeat(30) // tags, right-padded
            + w("2") // two nodes
            + "11".repeat(32)
            + w("1")
            + "22".repeat(32)
            + w("0");
    Submission sub =
        new Submission(
            700, Bytes.fromHexString("0xabcd"), List.of(new Subtree(r1, 1), new Subtree(r2, 0)));
    Bytes32 identity = FlowAbi.identity(sub);
    assertThat(FlowAbi.encodeSubmitData(7, 1024, 3, sub)).isEqualTo(Bytes.fromHexString(data));
    SubmitEvent e = FlowAbi.decodeSubmit(log(Bytes.fromHexString(data), identity));
    assertThat(e.submissionIndex()).isEqualTo(7);
    assertThat(e.startPos()).isEqualTo(1024);
    assertThat(e.length()).isEqualTo(3);
    assertThat(e.sender()).isEqualTo(SENDER);
    assertThat(e.submission()).isEqualTo(sub);
    assertThat(e.toFlowSubmission().root()).isEqualTo(sub.root());
    assertThat(e.toFlowSubmission().blockNumber()).isEqualTo(9);
    assertThat(FlowAbi.encodeSubmit(sub))
        .isEqualTo(Bytes.fromHexString("0xef3e12dc" + w("20") + data.substring(2 + 4 * 64)));
  }

  @Property(tries = 200)
  void encodingMatchesWeb3jAndRoundTrips(
      @ForAll("submissions") Submission sub,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long index,
      @ForAll @LongRange(min = 0, max = 1L << 50) long start) {
    Bytes ours = FlowAbi.encodeSubmitData(index, start, sub.sectors(), sub);
    Bytes web3j =
        Bytes.concatenate(
            FlowAbi.word(index),
            FlowAbi.word(start),
            FlowAbi.word(sub.sectors()),
            FlowAbi.word(128),
            Bytes.fromHexString(FunctionEncoder.encodeConstructor(web3jTuple(sub))));
    assertThat(ours).isEqualTo(web3j);
    SubmitEvent e = FlowAbi.decodeSubmit(log(ours, FlowAbi.identity(sub)));
    assertThat(e.submission()).isEqualTo(sub);
    assertThat(e.submissionIndex()).isEqualTo(index);
    assertThat(e.startPos()).isEqualTo(start);
  }

  /**
   * (uint256,bytes,(bytes32,uint256)[]) as web3j 5 can say it: a static (bytes32,uint256) is two
   * words.
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private static List<Type> web3jTuple(Submission sub) {
    List<StaticArray2> nodes = new ArrayList<>();
    for (Subtree n : sub.nodes()) {
      nodes.add(
          new StaticArray2<>(
              Uint256.class,
              new Uint256(n.root().toUnsignedBigInteger()),
              new Uint256(BigInteger.valueOf(n.height()))));
    }
    return List.of(
        new Uint256(BigInteger.valueOf(sub.length())),
        new DynamicBytes(sub.tags().toArray()),
        new DynamicArray(StaticArray2.class, nodes));
  }

  @Example
  void malformedLogsGiveClearErrors() {
    Submission sub = new Submission(1, Bytes.EMPTY, List.of(new Subtree(Bytes32.ZERO, 0)));
    Bytes good = FlowAbi.encodeSubmitData(0, 0, 1, sub);
    Bytes32 id = FlowAbi.identity(sub);
    assertThatThrownBy(() -> FlowAbi.decodeSubmit(log(good.slice(0, good.size() - 32), id)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("submission.nodes[0].height")
        .hasMessageContaining("beyond the data");
    assertThatThrownBy(() -> FlowAbi.decodeSubmit(log(FlowAbi.encodeSubmitData(0, 0, 2, sub), id)))
        .hasMessageContaining("length 2 is not the nodes' sector count 1");
    assertThatThrownBy(() -> FlowAbi.decodeSubmit(log(good, Bytes32.ZERO)))
        .hasMessageContaining("identity");
    Bytes badOffset = Bytes.concatenate(good.slice(0, 96), FlowAbi.word(5000), good.slice(128));
    assertThatThrownBy(() -> FlowAbi.decodeSubmit(log(badOffset, id)))
        .hasMessageContaining("submission offset 5000");
    Bytes huge =
        Bytes.concatenate(
            good.slice(0, 32), Bytes32.fromHexString("0x" + "ff".repeat(32)), good.slice(64));
    assertThatThrownBy(() -> FlowAbi.decodeSubmit(log(huge, id)))
        .hasMessageContaining("startPos does not fit");
    Log twoTopics =
        new Log(
            SENDER,
            List.of(FlowAbi.SUBMIT_TOPIC),
            good,
            1,
            Bytes32.ZERO,
            Bytes32.ZERO,
            0,
            0,
            false);
    assertThatThrownBy(() -> FlowAbi.decodeSubmit(twoTopics))
        .hasMessageContaining("expected 3 topics");
  }

  @Example
  void revertPayloads() {
    Bytes error =
        Bytes.concatenate(
            FlowAbi.ERROR_SELECTOR,
            Bytes.fromHexString(
                FunctionEncoder.encodeConstructor(List.of(new Utf8String("flow is paused")))));
    assertThat(FlowAbi.describeRevert(error)).contains("flow is paused");
    Bytes fee =
        Bytes.concatenate(
            FlowAbi.NOT_ENOUGH_FEE_SELECTOR, FlowAbi.word(10), FlowAbi.word(30), FlowAbi.word(29));
    assertThat(FlowAbi.describeRevert(fee)).contains("NotEnoughFee(price=10, amount=30, paid=29)");
    assertThat(FlowAbi.describeRevert(Bytes.EMPTY)).isEmpty();
    assertThat(FlowAbi.describeRevert(Bytes.fromHexString("0x1234")))
        .contains("revert data 0x1234");
  }

  static String w(String hex) {
    return "0".repeat(64 - hex.length()) + hex;
  }

  static Log log(Bytes data, Bytes32 identity) {
    return new Log(
        FlowClient.DEVNET_FLOW_ADDRESS,
        List.of(FlowAbi.SUBMIT_TOPIC, FlowAbi.addressTopic(SENDER), identity),
        data,
        9,
        Bytes32.ZERO,
        Bytes32.ZERO,
        0,
        0,
        false);
  }

  @Provide
  Arbitrary<Submission> submissions() {
    Arbitrary<Bytes32> roots =
        Arbitraries.bytes().array(byte[].class).ofSize(32).map(Bytes32::wrap);
    Arbitrary<List<Integer>> heights =
        Arbitraries.integers()
            .between(0, 50)
            .set()
            .ofMinSize(1)
            .ofMaxSize(5)
            .map(s -> s.stream().sorted((a, b) -> b - a).toList());
    Arbitrary<Bytes> tags = Arbitraries.bytes().array(byte[].class).ofMaxSize(70).map(Bytes::wrap);
    return Combinators.combine(
            Arbitraries.longs().between(1, Long.MAX_VALUE), tags, heights, roots.list().ofSize(5))
        .as(
            (len, t, hs, rs) -> {
              List<Subtree> nodes = new ArrayList<>();
              for (int i = 0; i < hs.size(); i++) {
                nodes.add(new Subtree(rs.get(i), hs.get(i)));
              }
              return new Submission(len, t, nodes);
            });
  }
}
