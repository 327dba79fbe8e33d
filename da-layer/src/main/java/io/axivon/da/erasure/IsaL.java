package io.axivon.da.erasure;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.Optional;

/**
 * Intel ISA-L's erasure code ({@code libisal.so.2}, Debian's libisal2) through JNA: the reference
 * that tests and benchmarks compare against, never used to code production data. JNA is an optional
 * dependency: {@link #load()} is empty when JNA or the library is missing.
 */
public final class IsaL {
  /** The C functions used, as ISA-L's erasure_code.h declares them. */
  public interface Functions extends Library {
    void gf_gen_cauchy1_matrix(byte[] a, int m, int k);

    void ec_init_tables(int k, int rows, byte[] a, byte[] gftbls);

    void ec_encode_data(int len, int k, int rows, byte[] gftbls, Pointer[] data, Pointer[] coding);
  }

  private final Functions lib;

  private IsaL(Functions lib) {
    this.lib = lib;
  }

  /** ISA-L when both JNA and libisal can be loaded here, else empty with no error. */
  public static Optional<IsaL> load() {
    try {
      return Optional.of(new IsaL(Native.load("isal", Functions.class)));
    } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
      try {
        return Optional.of(new IsaL(Native.load("libisal.so.2", Functions.class)));
      } catch (UnsatisfiedLinkError | NoClassDefFoundError e2) {
        return Optional.empty();
      }
    }
  }

  /** Why {@link #load()} is empty, for skip messages. */
  public static String unavailableReason() {
    try {
      Native.load("libisal.so.2", Functions.class);
      return "ISA-L loads";
    } catch (NoClassDefFoundError e) {
      return "JNA is not on the class path";
    } catch (UnsatisfiedLinkError e) {
      return "libisal.so.2 not found (apt-get install libisal2): " + e.getMessage();
    }
  }

  /** ISA-L's (k + m) × k Cauchy encoding matrix. */
  public byte[] cauchyMatrix(int k, int m) {
    byte[] a = new byte[(k + m) * k];
    lib.gf_gen_cauchy1_matrix(a, k + m, k);
    return a;
  }

  /** The expanded tables {@code ec_encode_data} takes for the parity rows of the Cauchy matrix. */
  public byte[] encodeTables(int k, int m) {
    byte[] a = cauchyMatrix(k, m);
    return tables(k, m, java.util.Arrays.copyOfRange(a, k * k, (k + m) * k));
  }

  /** {@code ec_init_tables} for any rows × k matrix, e.g. a decode matrix. */
  public byte[] tables(int k, int rows, byte[] matrix) {
    byte[] tables = new byte[32 * k * rows];
    lib.ec_init_tables(k, rows, matrix, tables);
    return tables;
  }

  /** {@code ec_encode_data} on native buffers prepared by the caller (no copies: for benches). */
  public void encode(int len, int k, int m, byte[] tables, Pointer[] data, Pointer[] parity) {
    lib.ec_encode_data(len, k, m, tables, data, parity);
  }

  /** {@code ec_encode_data} for heap shards: copies in and out, for tests. */
  public byte[][] encode(int k, int m, byte[][] data, int len) {
    byte[] tables = encodeTables(k, m);
    Pointer[] in = new Pointer[k];
    for (int i = 0; i < k; i++) {
      Memory mem = new Memory(Math.max(1, len));
      mem.write(0, data[i], 0, len);
      in[i] = mem;
    }
    Pointer[] out = new Pointer[m];
    for (int i = 0; i < m; i++) {
      out[i] = new Memory(Math.max(1, len));
    }
    encode(len, k, m, tables, in, out);
    byte[][] parity = new byte[m][];
    for (int i = 0; i < m; i++) {
      parity[i] = out[i].getByteArray(0, len);
    }
    return parity;
  }
}
