package io.axivon.common.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.Txn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FFM downcalls into the liblmdb that lmdbjava loaded, for the read path only: renewing and
 * resetting pooled read transactions, renewing cursors, {@code mdb_get} and {@code mdb_cursor_get}.
 * Our own binding because lmdbjava 0.9.3 calls LMDB through JNR, about 100 ns a call plus a struct
 * marshalling per key and value, which was most of a point read; a critical FFM downcall costs a
 * few ns and reads the result straight from LMDB's map. lmdbjava still does everything else
 * (environment, tables, transactions' lifecycle, cursors' open/close, all writes); this class only
 * takes the native pointers of its objects (package-private fields, read once per object).
 *
 * <p>The calls are {@link Linker.Option#critical critical} (no thread-state transition): LMDB's
 * read calls are short, never block (a renewed {@code MDB_NOTLS} reader keeps its slot) and never
 * call back into Java (the store's tables use LMDB's own memcmp order). The {@code MDB_val} structs
 * are heap {@code long[2]}s, which critical calls may take; keys going in are copied to a native
 * scratch buffer first, since an {@code MDB_val} holds a raw address.
 *
 * <p>Absent ({@link #load} empty) where the library cannot be found (not Linux, lmdbjava's
 * internals changed): the store then uses lmdbjava for reads too.
 */
final class NativeLmdb {
  private static final Logger LOG = LoggerFactory.getLogger(NativeLmdb.class);

  static final int MDB_NOTFOUND = -30798;
  static final int MDB_FIRST = 0;
  static final int MDB_LAST = 6;
  static final int MDB_NEXT = 8;
  static final int MDB_PREV = 12;
  static final int MDB_SET_RANGE = 17;

  /**
   * The downcall handles and field accessors, static finals so that the JIT inlines the calls
   * (through an instance field every call went through a generic invoker). Initialized on the first
   * {@link #load}, after lmdbjava has loaded its library; a failure leaves the class unusable and
   * every store on lmdbjava.
   */
  private static final class Bound {
    /** Every address: values are copied out of LMDB's map at the address an MDB_val gives. */
    static final MemorySegment ALL;

    static final MethodHandle TXN_RENEW;
    static final MethodHandle TXN_RESET;
    static final MethodHandle CURSOR_RENEW;
    static final MethodHandle CURSOR_GET;
    static final MethodHandle GET;
    static final VarHandle TXN_PTR;
    static final VarHandle CURSOR_PTR;
    static final VarHandle DBI_PTR;

    static {
      Path path;
      try {
        path =
            loadedLibrary()
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "lmdbjava's native library not found in /proc/self/maps"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      // dlopen of the loaded file returns the same library: the same code lmdbjava runs
      SymbolLookup lib = SymbolLookup.libraryLookup(path, Arena.global());
      Linker linker = Linker.nativeLinker();
      Linker.Option critical = Linker.Option.critical(true);
      ValueLayout.OfInt i = ValueLayout.JAVA_INT;
      var a = ValueLayout.ADDRESS;
      TXN_RENEW =
          linker.downcallHandle(find(lib, "mdb_txn_renew"), FunctionDescriptor.of(i, a), critical);
      TXN_RESET =
          linker.downcallHandle(find(lib, "mdb_txn_reset"), FunctionDescriptor.ofVoid(a), critical);
      CURSOR_RENEW =
          linker.downcallHandle(
              find(lib, "mdb_cursor_renew"), FunctionDescriptor.of(i, a, a), critical);
      CURSOR_GET =
          linker.downcallHandle(
              find(lib, "mdb_cursor_get"), FunctionDescriptor.of(i, a, a, a, i), critical);
      GET =
          linker.downcallHandle(
              find(lib, "mdb_get"), FunctionDescriptor.of(i, a, i, a, a), critical);
      ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
      TXN_PTR = field(Txn.class, "ptr");
      CURSOR_PTR = field(Cursor.class, "ptrCursor");
      DBI_PTR = field(Dbi.class, "ptr");
    }

    private Bound() {}
  }

  private NativeLmdb() {}

  private static MemorySegment find(SymbolLookup lib, String name) {
    return lib.find(name).orElseThrow(() -> new IllegalStateException("no symbol " + name));
  }

  private static VarHandle field(Class<?> owner, String name) {
    try {
      return MethodHandles.privateLookupIn(owner, MethodHandles.lookup())
          .findVarHandle(owner, name, jnr.ffi.Pointer.class);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("lmdbjava has no field " + owner.getName() + "." + name, e);
    }
  }

  /**
   * The binding over the liblmdb lmdbjava has loaded (call after an environment was opened), or
   * empty where that library or lmdbjava's pointers cannot be reached.
   */
  static Optional<NativeLmdb> load() {
    try {
      Objects.requireNonNull(Bound.GET); // initializes the handles, once per process
      return Optional.of(new NativeLmdb());
    } catch (ExceptionInInitializerError e) {
      LOG.info("FFM binding of LMDB unavailable ({}): reads use lmdbjava", e.getCause().toString());
      return Optional.empty();
    } catch (NoClassDefFoundError | RuntimeException e) {
      LOG.info("FFM binding of LMDB unavailable ({}): reads use lmdbjava", e.toString());
      return Optional.empty();
    }
  }

  /** The file lmdbjava extracted its liblmdb to, as mapped into this process. */
  private static Optional<Path> loadedLibrary() throws IOException {
    Path maps = Path.of("/proc/self/maps");
    if (!Files.isReadable(maps)) {
      return Optional.empty();
    }
    try (Stream<String> lines = Files.lines(maps)) {
      return lines
          .map(l -> l.indexOf('/') < 0 ? "" : l.substring(l.indexOf('/')))
          .filter(p -> p.contains("lmdbjava-native-library") && !p.endsWith("(deleted)"))
          .findFirst()
          .map(Path::of);
    }
  }

  long txn(Txn<byte[]> txn) {
    return ((jnr.ffi.Pointer) Bound.TXN_PTR.get(txn)).address();
  }

  long cursor(Cursor<byte[]> cursor) {
    return ((jnr.ffi.Pointer) Bound.CURSOR_PTR.get(cursor)).address();
  }

  /** lmdbjava keeps the MDB_dbi (an unsigned int) in a pointer-sized field. */
  int dbi(Dbi<byte[]> dbi) {
    return (int) ((jnr.ffi.Pointer) Bound.DBI_PTR.get(dbi)).address();
  }

  void txnRenew(long txn) {
    int rc;
    try {
      rc = (int) Bound.TXN_RENEW.invokeExact(MemorySegment.ofAddress(txn));
    } catch (Throwable t) {
      throw rethrow(t);
    }
    check(rc, "mdb_txn_renew");
  }

  void txnReset(long txn) {
    try {
      Bound.TXN_RESET.invokeExact(MemorySegment.ofAddress(txn));
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  void cursorRenew(long txn, long cursor) {
    int rc;
    try {
      rc =
          (int)
              Bound.CURSOR_RENEW.invokeExact(
                  MemorySegment.ofAddress(txn), MemorySegment.ofAddress(cursor));
    } catch (Throwable t) {
      throw rethrow(t);
    }
    check(rc, "mdb_cursor_renew");
  }

  /**
   * {@code mdb_cursor_get}: true if found ({@code key} and {@code data} then hold the entry), false
   * for MDB_NOTFOUND.
   */
  boolean cursorGet(long cursor, long[] key, long[] data, int op) {
    int rc;
    try {
      rc =
          (int)
              Bound.CURSOR_GET.invokeExact(
                  MemorySegment.ofAddress(cursor),
                  MemorySegment.ofArray(key),
                  MemorySegment.ofArray(data),
                  op);
    } catch (Throwable t) {
      throw rethrow(t);
    }
    return found(rc, "mdb_cursor_get");
  }

  /** {@code mdb_get}: true if found ({@code data} then holds the value). */
  boolean get(long txn, int dbi, long[] key, long[] data) {
    int rc;
    try {
      rc =
          (int)
              Bound.GET.invokeExact(
                  MemorySegment.ofAddress(txn),
                  dbi,
                  MemorySegment.ofArray(key),
                  MemorySegment.ofArray(data));
    } catch (Throwable t) {
      throw rethrow(t);
    }
    return found(rc, "mdb_get");
  }

  /** Points {@code val} (an MDB_val) at {@code bytes} copied into {@code scratch}. */
  static void in(byte[] bytes, MemorySegment scratch, long[] val) {
    MemorySegment.copy(bytes, 0, scratch, ValueLayout.JAVA_BYTE, 0, bytes.length);
    val[0] = bytes.length;
    val[1] = scratch.address();
  }

  /**
   * Whether the bytes an MDB_val points at (in LMDB's map) start with the first {@code length}
   * bytes of {@code scratch}, compared in place.
   */
  static boolean startsWith(long[] val, MemorySegment scratch, int length) {
    return val[0] >= length
        && MemorySegment.mismatch(Bound.ALL, val[1], val[1] + length, scratch, 0, length) == -1;
  }

  /** A fresh copy of the bytes an MDB_val points at. */
  byte[] out(long[] val) {
    byte[] out = new byte[Math.toIntExact(val[0])];
    MemorySegment.copy(Bound.ALL, ValueLayout.JAVA_BYTE, val[1], out, 0, out.length);
    return out;
  }

  private static boolean found(int rc, String call) {
    if (rc == 0) {
      return true;
    }
    if (rc == MDB_NOTFOUND) {
      return false;
    }
    throw new NativeLmdbException(call, rc);
  }

  private static void check(int rc, String call) {
    if (rc != 0) {
      throw new NativeLmdbException(call, rc);
    }
  }

  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException(t);
  }

  /** An LMDB error code from a native read call; the store treats it as it treats lmdbjava's. */
  static final class NativeLmdbException extends org.lmdbjava.LmdbException {
    private static final long serialVersionUID = 1L;

    NativeLmdbException(String call, int rc) {
      super(call + " failed with LMDB error " + rc);
    }
  }
}
