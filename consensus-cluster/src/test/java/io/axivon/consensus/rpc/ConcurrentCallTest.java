package io.axivon.consensus.rpc;

import static io.axivon.consensus.execution.ExecFixtures.call;
import static io.axivon.consensus.execution.ExecFixtures.counterBytecode;
import static io.axivon.consensus.execution.ExecFixtures.key;
import static io.axivon.consensus.execution.ExecFixtures.tx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * eth_call runs on read-only views of committed state, without the chain's lock: calls made while
 * blocks execute and commit on another thread must each see one committed block's state, never a
 * half-run block, and never go backwards.
 */
class ConcurrentCallTest {
  private static final int BLOCKS = 30;
  private static final int CALLERS = 3;

  @TempDir Path dir;

  private static long quantity(JsonNode n) {
    return new BigInteger(n.asText().substring(2), 16).longValueExact();
  }

  @Test
  void callsDuringBlockCommitsSeeConsistentCommittedState() throws Exception {
    try (RpcFixture f = new RpcFixture(dir)) {
      Bytes deploy = tx(key(0), 0, Optional.empty(), BigInteger.ZERO, counterBytecode(), 500_000);
      f.block(deploy);
      Address counter =
          Address.fromHex(
              f.call("eth_getTransactionReceipt", "[\"" + Hashes.keccak256(deploy) + "\"]")
                  .get("contractAddress")
                  .asText());
      Address alice = key(0).address();
      String count = "{\"to\":\"" + counter + "\",\"data\":\"" + call("count()") + "\"}";
      String fail =
          "{\"from\":\"" + alice + "\",\"to\":\"" + counter + "\",\"data\":\"" + call("fail()");
      AtomicBoolean done = new AtomicBoolean();
      try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<Integer>> callers = new ArrayList<>();
        for (int c = 0; c < CALLERS; c++) {
          callers.add(
              threads.submit(
                  () -> {
                    int calls = 0;
                    long last = -1;
                    while (!done.get() || calls == 0) {
                      // The head first, then a call at that very block: the count there is
                      // exactly the number of increments in blocks 2..n (one per block).
                      long n = quantity(f.call("eth_blockNumber", "[]"));
                      String at = "\"0x" + Long.toHexString(n) + "\"";
                      long atBlock = quantity(f.call("eth_call", "[" + count + "," + at + "]"));
                      assertThat(atBlock).isEqualTo(n - 1);
                      // "latest" is never older than the head read before it
                      long latest = quantity(f.call("eth_call", "[" + count + ",\"latest\"]"));
                      assertThat(latest)
                          .isGreaterThanOrEqualTo(atBlock)
                          .isGreaterThanOrEqualTo(last);
                      last = latest;
                      // errors keep their codes and data while blocks commit
                      RpcException reverted =
                          catchThrowableOfType(
                              RpcException.class, () -> f.call("eth_call", "[" + fail + "\"}]"));
                      assertThat(reverted.code()).isEqualTo(3);
                      assertThat(reverted.getMessage()).isEqualTo("execution reverted: nope");
                      assertThat(reverted.data()).startsWith("0x08c379a0");
                      RpcException bad =
                          catchThrowableOfType(
                              RpcException.class, () -> f.call("eth_call", "[{\"to\":\"0x12\"}]"));
                      assertThat(bad.code()).isEqualTo(-32602);
                      calls++;
                    }
                    return calls;
                  }));
        }
        try {
          for (int i = 1; i <= BLOCKS; i++) {
            f.block(
                tx(key(0), i, Optional.of(counter), BigInteger.ZERO, call("increment()"), 100_000));
          }
        } finally {
          done.set(true);
        }
        for (Future<Integer> c : callers) {
          assertThat(c.get(60, TimeUnit.SECONDS)).isPositive();
        }
      }
      assertThat(quantity(f.call("eth_call", "[" + count + "]"))).isEqualTo(BLOCKS);
      assertThat(quantity(f.call("eth_call", "[" + count + ",\"0x1\"]"))).isZero();
      // state reads and estimates go through the same views
      assertThat(quantity(f.call("eth_getStorageAt", "[\"" + counter + "\",\"0x0\"]")))
          .isEqualTo(BLOCKS);
      String incr =
          "{\"from\":\""
              + alice
              + "\",\"to\":\""
              + counter
              + "\",\"data\":\""
              + call("increment()")
              + "\"}";
      assertThat(quantity(f.call("eth_estimateGas", "[" + incr + "]"))).isBetween(26_000L, 80_000L);
    }
  }
}
