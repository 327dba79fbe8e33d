package io.axivon.common.crypto.keystore;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.crypto.generators.SCrypt;

class LenientScryptProperties {
  @Property(tries = 60)
  void agreesWithBouncyCastleWhereBouncyCastleAccepts(
      @ForAll @Size(max = 16) byte[] password,
      @ForAll @Size(max = 32) byte[] salt,
      @ForAll @IntRange(min = 1, max = 10) int log2N,
      @ForAll @IntRange(min = 1, max = 4) int r,
      @ForAll @IntRange(min = 1, max = 3) int p,
      @ForAll @IntRange(min = 1, max = 80) int dkLen) {
    int n = 1 << log2N;
    assertThat(LenientScrypt.generate(password, salt, n, r, p, dkLen))
        .isEqualTo(SCrypt.generate(password, salt, n, r, p, dkLen));
  }
}
