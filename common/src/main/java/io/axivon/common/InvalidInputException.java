package io.axivon.common;

/**
 * Bad input from outside the process: a malformed encoding, a wrong signature, a bad key file or
 * config. The message says what is wrong and what to fix; it is shown to users as is (CLI exit code
 * 2, HTTP 400, JSON-RPC -32602), never with a stack trace.
 */
public class InvalidInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
