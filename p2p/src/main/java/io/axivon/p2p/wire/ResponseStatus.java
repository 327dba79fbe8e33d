package io.axivon.p2p.wire;

import io.axivon.common.InvalidInputException;

/** The outcome byte of a response; any status but OK carries a UTF-8 message as its payload. */
public enum ResponseStatus {
  OK(0),
  ERROR(1),
  UNKNOWN_PROTOCOL(2),
  TOO_LARGE(3),
  BUSY(4);

  private final int code;

  ResponseStatus(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static ResponseStatus ofCode(int code) {
    for (ResponseStatus status : values()) {
      if (status.code == code) {
        return status;
      }
    }
    throw new InvalidInputException("unknown response status " + code);
  }
}
