package io.axivon.consensus.execution.tx;

/**
 * go-ethereum's error messages (core/error.go, core/txpool/errors.go, core/types), verbatim: tools
 * such as ethers.js and Foundry match on them.
 */
public final class TxErrors {
  public static final String NONCE_TOO_LOW = "nonce too low";
  public static final String NONCE_TOO_HIGH = "nonce too high";
  public static final String NONCE_MAX = "nonce has max value";
  public static final String GAS_LIMIT_REACHED = "gas limit reached";
  public static final String INSUFFICIENT_FUNDS = "insufficient funds for gas * price + value";
  public static final String INSUFFICIENT_FUNDS_FOR_TRANSFER = "insufficient funds for transfer";
  public static final String GAS_UINT_OVERFLOW = "gas uint64 overflow";
  public static final String INTRINSIC_GAS = "intrinsic gas too low";
  public static final String TX_TYPE_NOT_SUPPORTED = "transaction type not supported";
  public static final String TIP_ABOVE_FEE_CAP =
      "max priority fee per gas higher than max fee per gas";
  public static final String FEE_CAP_TOO_LOW = "max fee per gas less than block base fee";
  public static final String SENDER_NO_EOA = "sender not an eoa";
  public static final String MAX_INITCODE_SIZE = "max initcode size exceeded";
  public static final String INVALID_SENDER = "invalid sender";
  public static final String INVALID_CHAIN_ID = "invalid chain id for signer";
  public static final String INVALID_SIG = "invalid transaction v, r, s values";
  public static final String OVERSIZED_DATA = "oversized data";
  public static final String GAS_LIMIT = "exceeds block gas limit";
  public static final String UNDERPRICED = "transaction underpriced";
  public static final String ALREADY_KNOWN = "already known";

  private TxErrors() {}

  /** txpool's wrapping of a signature failure: "invalid sender: " + the signer's reason. */
  public static String invalidSender(String cause) {
    return INVALID_SENDER + ": " + cause;
  }
}
