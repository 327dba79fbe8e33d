package io.axivon.consensus.execution.evm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axivon.common.crypto.secp256k1.Address;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibEvmViewsTest {
  private static final Address ALICE =
      Address.fromHex("0x00000000000000000000000000000000000a11ce");
  private static final Address VIEW = Address.fromHex("0x0000000000000000000000000000000000000fee");
  // PUSH1 0 SLOAD PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN: returns slot 0
  private static final Bytes SLOT0 = Bytes.fromHexString("0x60005460005260206000f3");
  private static final BlockEnv ENV =
      new BlockEnv(
          1337,
          1,
          1,
          Address.fromHex("0x00000000000000000000000000000000000000cb"),
          30_000_000,
          BigInteger.ZERO,
          Bytes32.ZERO);

  @TempDir Path dir;

  private static Message read() {
    return new Message(
        ALICE,
        Optional.of(VIEW),
        BigInteger.ZERO,
        Bytes.EMPTY,
        100_000,
        BigInteger.ZERO,
        List.of());
  }

  @Test
  void viewsReadTheirRootWhileTheExecutorMovesOn() {
    try (LibEvmExecutor ex = LibEvmExecutor.open(dir, LibEvmExecutor.EMPTY_ROOT, n -> null)) {
      ex.setCode(VIEW, SLOT0);
      ex.setStorage(VIEW, Bytes32.ZERO, Bytes32.leftPad(Bytes.of(1)));
      ex.addBalance(ALICE, BigInteger.TEN);
      Bytes32 first = ex.commit();
      ex.setStorage(VIEW, Bytes32.ZERO, Bytes32.leftPad(Bytes.of(2)));
      Bytes32 second = ex.commit();
      ex.setStorage(VIEW, Bytes32.ZERO, Bytes32.leftPad(Bytes.of(3))); // working, uncommitted
      LibEvmViews views = ex.views();

      assertThat(views.<Bytes>at(first, -1, v -> v.call(read(), ENV).returnData()))
          .isEqualTo(Bytes32.leftPad(Bytes.of(1)));
      assertThat(views.idle()).isZero(); // a past state's view is not kept
      assertThat(views.<Bytes>at(second, 2, v -> v.call(read(), ENV).returnData()))
          .isEqualTo(Bytes32.leftPad(Bytes.of(2)));
      assertThat(views.<Bytes32>at(second, 2, v -> v.storage(VIEW, Bytes32.ZERO)))
          .isEqualTo(Bytes32.leftPad(Bytes.of(2)));
      assertThat(views.idle()).isOne(); // the head's view is reused
      assertThat(views.<BigInteger>at(first, 1, v -> v.balance(ALICE))).isEqualTo(BigInteger.TEN);
      assertThat(views.idle()).isOne(); // an older head does not retire the newer one's views

      // changes only inside speculation, and undone after it
      assertThatThrownBy(
              () ->
                  views.at(
                      second,
                      2,
                      v -> {
                        v.addBalance(ALICE, BigInteger.ONE);
                        return null;
                      }))
          .isInstanceOf(IllegalStateException.class);
      assertThat(views.idle()).isZero(); // a view whose body failed is not reused
      assertThat(
              views.<Bytes>at(
                  second,
                  2,
                  v ->
                      v.<Bytes>speculate(
                          x -> {
                            x.setStorage(VIEW, Bytes32.ZERO, Bytes32.leftPad(Bytes.of(9)));
                            return x.run(read(), ENV).returnData();
                          })))
          .isEqualTo(Bytes32.leftPad(Bytes.of(9)));
      assertThat(views.<Bytes>at(second, 2, v -> v.call(read(), ENV).returnData()))
          .isEqualTo(Bytes32.leftPad(Bytes.of(2)));
      assertThatThrownBy(() -> views.at(second, 2, Executor::commit))
          .isInstanceOf(UnsupportedOperationException.class);
      // the executor's working state is untouched by all of it
      assertThat(ex.storage(VIEW, Bytes32.ZERO)).isEqualTo(Bytes32.leftPad(Bytes.of(3)));
    }
  }

  @Test
  void viewsAndTheExecutorAnswerEveryOutcomeAlike() {
    Address reverts = Address.fromHex("0x0000000000000000000000000000000000000bad");
    Address invalid = Address.fromHex("0x0000000000000000000000000000000000000dea");
    try (LibEvmExecutor ex = LibEvmExecutor.open(dir, LibEvmExecutor.EMPTY_ROOT, n -> null)) {
      ex.setCode(VIEW, SLOT0);
      ex.setStorage(VIEW, Bytes32.ZERO, Bytes32.leftPad(Bytes.of(7)));
      // PUSH1 1 PUSH1 31 MSTORE8 PUSH1 1 PUSH1 31 REVERT: reverts with the byte 0x01
      ex.setCode(reverts, Bytes.fromHexString("0x6001601f536001601ffd"));
      ex.setCode(invalid, Bytes.fromHexString("0xfe")); // INVALID: a failure using all gas
      Bytes32 root = ex.commit();
      LibEvmViews views = ex.views();
      for (Address to : List.of(VIEW, reverts, invalid)) {
        Message m =
            new Message(
                ALICE,
                Optional.of(to),
                BigInteger.ZERO,
                Bytes.EMPTY,
                100_000,
                BigInteger.ZERO,
                List.of());
        MessageResult executor = ex.call(m, ENV);
        assertThat(views.<MessageResult>at(root, 1, v -> v.call(m, ENV)))
            .as("call to %s", to)
            .isEqualTo(executor);
        assertThat(views.<MessageResult>at(root, 1, v -> v.speculate(x -> x.run(m, ENV))))
            .as("run to %s", to)
            .isEqualTo(ex.speculate(x -> x.run(m, ENV)));
      }
      assertThat(ex.call(read(), ENV).status()).isEqualTo(MessageResult.Status.SUCCESS);
      MessageResult revert =
          ex.call(
              new Message(
                  ALICE,
                  Optional.of(reverts),
                  BigInteger.ZERO,
                  Bytes.EMPTY,
                  100_000,
                  BigInteger.ZERO,
                  List.of()),
              ENV);
      assertThat(revert.status()).isEqualTo(MessageResult.Status.REVERTED);
      assertThat(revert.returnData()).isEqualTo(Bytes.of(1));
      assertThat(revert.error()).isEqualTo("execution reverted");
    }
  }

  @Test
  void everyRunStartsFromAFreshAccessList() {
    try (LibEvmExecutor ex = LibEvmExecutor.open(dir, LibEvmExecutor.EMPTY_ROOT, n -> null)) {
      ex.setCode(VIEW, SLOT0);
      ex.setStorage(VIEW, Bytes32.ZERO, Bytes32.leftPad(Bytes.of(1)));
      Bytes32 root = ex.commit();
      LibEvmViews views = ex.views();
      // slot 0 is cold (2,100 gas) in every run: no run sees the slot a run before it warmed
      long first = views.<Long>at(root, 1, v -> v.call(read(), ENV).gasLeft());
      assertThat(views.<Long>at(root, 1, v -> v.call(read(), ENV).gasLeft())).isEqualTo(first);
      assertThat(views.<Long>at(root, 1, v -> v.speculate(x -> x.run(read(), ENV).gasLeft())))
          .isEqualTo(first);
      // a second run in one speculation would revert across a second setup: refused, not a panic
      assertThatThrownBy(
              () ->
                  views.at(
                      root,
                      1,
                      v -> v.speculate(x -> List.of(x.run(read(), ENV), x.run(read(), ENV)))))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("one run per speculation on a state view");
      assertThat(views.<Long>at(root, 1, v -> v.call(read(), ENV).gasLeft())).isEqualTo(first);
      // an access list warms the slot for its own run only
      Message warm =
          new Message(
              ALICE,
              Optional.of(VIEW),
              BigInteger.ZERO,
              Bytes.EMPTY,
              100_000,
              BigInteger.ZERO,
              List.of(
                  new io.axivon.consensus.execution.tx.AccessTuple(VIEW, List.of(Bytes32.ZERO))));
      assertThat(views.<Long>at(root, 1, v -> v.call(warm, ENV).gasLeft()))
          .isEqualTo(first + 2_000);
      assertThat(views.<Long>at(root, 1, v -> v.call(read(), ENV).gasLeft())).isEqualTo(first);
      assertThat(views.idle()).isOne();
    }
  }
}
