package io.axivon.consensus.execution.tx;

import org.apache.tuweni.bytes.Bytes;

/** The gas a transaction costs before any code runs, by Shanghai's rules. */
public final class IntrinsicGas {
  public static final long TX = 21_000;
  public static final long TX_CREATE = 53_000;
  public static final long ZERO_BYTE = 4;
  public static final long NONZERO_BYTE = 16; // EIP-2028
  public static final long ACCESS_LIST_ADDRESS = 2_400; // EIP-2930
  public static final long ACCESS_LIST_STORAGE_KEY = 1_900;
  public static final long INITCODE_WORD = 2; // EIP-3860
  public static final int MAX_CODE_SIZE = 24_576; // EIP-170
  public static final int MAX_INITCODE_SIZE = 2 * MAX_CODE_SIZE; // EIP-3860: 49152

  private IntrinsicGas() {}

  /** Intrinsic gas of {@code tx}; never overflows for transactions within the size limit. */
  public static long of(Transaction tx) {
    long gas = tx.isCreate() ? TX_CREATE : TX;
    gas += dataGas(tx.data());
    if (tx.isCreate()) {
      gas += INITCODE_WORD * ((tx.data().size() + 31L) / 32);
    }
    for (AccessTuple t : tx.accessList()) {
      gas += ACCESS_LIST_ADDRESS + ACCESS_LIST_STORAGE_KEY * t.storageKeys().size();
    }
    return gas;
  }

  static long dataGas(Bytes data) {
    long zeros = 0;
    int n = data.size();
    for (int i = 0; i < n; i++) {
      if (data.get(i) == 0) {
        zeros++;
      }
    }
    return zeros * ZERO_BYTE + (n - zeros) * NONZERO_BYTE;
  }
}
