package io.axivon.compute.gateway;

import static io.axivon.compute.gateway.AdmissionTest.DOMAIN;
import static io.axivon.compute.gateway.AdmissionTest.PROVIDER;
import static io.axivon.compute.gateway.AdmissionTest.USER;
import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.sdk.compute.ComputeClient;
import io.axivon.sdk.compute.SignedRequest;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
  @TempDir Path dir;
  final ComputeClient client =
      new ComputeClient(HttpClient.newHttpClient(), USER, DOMAIN, Duration.ofSeconds(1));

  SignedRequest req(long nonce) {
    return client.sign(PROVIDER.address(), "echo", nonce, BigInteger.valueOf(nonce), Bytes.of(1));
  }

  @Test
  void pendingSurvivesReopenAndATornLastLineIsIgnored() throws Exception {
    Path f = dir.resolve("j");
    try (Journal j = Journal.open(f, PROVIDER.address())) {
      for (int i = 1; i <= 4; i++) {
        j.accepted(req(i));
      }
      assertThat(j.voided(req(2))).isTrue();
      assertThat(j.voided(req(2))).isFalse();
      assertThat(j.settled(List.of(req(1), req(2)))).containsExactly(req(1));
    }
    Files.writeString(f, "A 00ab", StandardOpenOption.APPEND); // a crash mid-write
    try (Journal j = Journal.open(f, PROVIDER.address())) {
      assertThat(j.pending()).containsExactly(req(3), req(4));
      j.accepted(req(5));
    }
    try (Journal j = Journal.open(f, PROVIDER.address())) {
      assertThat(j.pending()).containsExactly(req(3), req(4), req(5));
    }
  }

  @Test
  void owedOutputSurvivesReopenUntilTheNextRequestPaysIt() throws Exception {
    Path f = dir.resolve("j");
    try (Journal j = Journal.open(f, PROVIDER.address())) {
      j.accepted(req(1));
      j.owed(USER.address(), BigInteger.valueOf(40));
    }
    try (Journal j = Journal.open(f, PROVIDER.address())) {
      assertThat(j.owed())
          .containsExactly(java.util.Map.entry(USER.address(), BigInteger.valueOf(40)));
      j.accepted(req(2)); // its fee paid what was owed
      assertThat(j.owed()).isEmpty();
    }
    try (Journal j = Journal.open(f, PROVIDER.address())) {
      assertThat(j.owed()).isEmpty();
      assertThat(j.pending()).containsExactly(req(1), req(2));
    }
  }
}
