package io.axivon.sdk.mining;

import java.math.BigInteger;
import org.apache.tuweni.bytes.Bytes32;

/** The outcome of {@link AnswerVerifier#verify}. */
public sealed interface Verdict {
  /** A valid answer and its quality. */
  record Accepted(Bytes32 quality, BigInteger effectiveTarget) implements Verdict {}

  /** A refused answer: the first failed check and what differed. */
  record Rejected(Rejection reason, String detail) implements Verdict {
    /** The revert reason: {@code code: detail}. */
    public String message() {
      return reason.code() + ": " + detail;
    }
  }
}
