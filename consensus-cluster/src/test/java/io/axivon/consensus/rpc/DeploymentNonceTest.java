package io.axivon.consensus.rpc;

import static io.axivon.consensus.execution.ExecFixtures.call;
import static io.axivon.consensus.execution.ExecFixtures.counterBytecode;
import static io.axivon.consensus.execution.ExecFixtures.key;
import static io.axivon.consensus.execution.ExecFixtures.tx;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nonce eth_getTransactionCount serves (latest and pending, read as the RPC reads it) after
 * deployments: ethers.js's sequence (a transfer, a deployment at nonce 1, reads, estimates), a
 * deployment at nonce 0, and creations mixed with transfers from one sender in one block. The
 * executor defers nonce writes and bumps a creator's nonce around libevm's own creation: none of it
 * may show through. (The "nonce too low" ethers.js once met here came from ethers' own 250 ms
 * request cache, see clients/ethers-check.mjs; these pin the node's side.)
 */
class DeploymentNonceTest {
  @TempDir Path dir;
  private RpcFixture f;
  private Address alice;
  private Address bob;

  @BeforeEach
  void open() {
    f = new RpcFixture(dir);
    alice = key(0).address();
    bob = key(1).address();
  }

  @AfterEach
  void close() {
    f.close();
  }

  private JsonNode rpc(String method, String params) {
    return f.call(method, params.replace('\'', '"'));
  }

  private String count(String tag) {
    return rpc("eth_getTransactionCount", "['" + alice + "', '" + tag + "']").asText();
  }

  @Test
  void afterATransferAndADeploymentTheNonceIsTwo() {
    Bytes t = tx(key(0), 0, Optional.of(bob), BigInteger.ONE, Bytes.EMPTY, 21_000);
    rpc("eth_sendRawTransaction", "['" + t + "']");
    f.block(t);
    assertThat(count("pending")).isEqualTo("0x1");
    rpc("eth_estimateGas", "[{'from': '" + alice + "', 'data': '" + counterBytecode() + "'}]");
    Bytes deploy = tx(key(0), 1, Optional.empty(), BigInteger.ZERO, counterBytecode(), 500_000);
    rpc("eth_sendRawTransaction", "['" + deploy + "']");
    f.block(deploy);
    JsonNode r = rpc("eth_getTransactionReceipt", "['" + Hashes.keccak256(deploy) + "']");
    assertThat(r.get("status").asText()).isEqualTo("0x1");
    String counter = r.get("contractAddress").asText();
    assertThat(count("latest")).isEqualTo("0x2");
    assertThat(count("pending")).isEqualTo("0x2");
    rpc("eth_getCode", "['" + counter + "', 'latest']");
    String inc =
        "{'from': '" + alice + "', 'to': '" + counter + "', 'data': '" + call("increment()") + "'}";
    rpc("eth_call", "[" + inc + ", 'latest']");
    rpc("eth_estimateGas", "[" + inc + "]");
    assertThat(count("pending")).isEqualTo("0x2");
    assertThat(count("latest")).isEqualTo("0x2");
    assertThat(f.chain.state().nonce(alice)).isEqualTo(2);
    Bytes next = tx(key(0), 2, Optional.of(bob), BigInteger.ONE, Bytes.EMPTY, 21_000);
    rpc("eth_sendRawTransaction", "['" + next + "']");
    assertThat(count("pending")).isEqualTo("0x3");
    assertThat(count("latest")).isEqualTo("0x2");
  }

  @Test
  void aDeploymentAtNonceZeroLeavesNonceOne() {
    assertThat(count("pending")).isEqualTo("0x0");
    Bytes deploy = tx(key(0), 0, Optional.empty(), BigInteger.ZERO, counterBytecode(), 500_000);
    rpc("eth_sendRawTransaction", "['" + deploy + "']");
    assertThat(count("pending")).isEqualTo("0x1");
    assertThat(count("latest")).isEqualTo("0x0");
    f.block(deploy);
    assertThat(count("latest")).isEqualTo("0x1");
    assertThat(count("pending")).isEqualTo("0x1");
    assertThat(count("0x0")).isEqualTo("0x0"); // a past block's state, and back
    assertThat(count("pending")).isEqualTo("0x1");
  }

  @Test
  void creationsAndTransfersFromOneSenderInOneBlock() {
    Bytes[] txs = new Bytes[6];
    for (int n = 0; n < txs.length; n++) {
      txs[n] =
          n % 2 == 1
              ? tx(key(0), n, Optional.empty(), BigInteger.ZERO, counterBytecode(), 500_000)
              : tx(key(0), n, Optional.of(bob), BigInteger.valueOf(n + 1), Bytes.EMPTY, 21_000);
      rpc("eth_sendRawTransaction", "['" + txs[n] + "']");
    }
    assertThat(count("pending")).isEqualTo("0x6");
    f.block(txs);
    for (Bytes t : txs) {
      assertThat(
              rpc("eth_getTransactionReceipt", "['" + Hashes.keccak256(t) + "']")
                  .get("status")
                  .asText())
          .isEqualTo("0x1");
    }
    assertThat(count("latest")).isEqualTo("0x6");
    assertThat(count("pending")).isEqualTo("0x6");
    // the three contracts went to the addresses of nonces 1, 3 and 5: distinct, each with code
    for (int n = 1; n < txs.length; n += 2) {
      String created =
          rpc("eth_getTransactionReceipt", "['" + Hashes.keccak256(txs[n]) + "']")
              .get("contractAddress")
              .asText();
      assertThat(rpc("eth_getCode", "['" + created + "', 'latest']").asText())
          .hasSizeGreaterThan(2);
    }
    Bytes deploy = tx(key(0), 6, Optional.empty(), BigInteger.ZERO, counterBytecode(), 500_000);
    f.block(deploy);
    assertThat(count("latest")).isEqualTo("0x7");
  }
}
