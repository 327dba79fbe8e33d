package io.axivon.sdk.compute;

/**
 * The HTTP headers of a paid request to a provider gateway, and of its response (specs/compute.md
 * section 7). The request hash is keccak256 of the request body.
 */
public final class ComputeHeaders {
  public static final String USER = "X-Axivon-User";
  public static final String SERVICE = "X-Axivon-Service";
  public static final String NONCE = "X-Axivon-Nonce";
  public static final String FEE = "X-Axivon-Fee";
  public static final String SIGNATURE = "X-Axivon-Signature";

  /** Response: the request hash the gateway computed. */
  public static final String REQUEST_HASH = "X-Axivon-Request-Hash";

  /** Response: output units metered for this response. */
  public static final String OUTPUT_UNITS = "X-Axivon-Output-Units";

  /** Response: wei owed for output so far; the next request's fee must include it. */
  public static final String OWED = "X-Axivon-Owed";

  /** Response (signed-response services): keccak256 of the response body, as signed. */
  public static final String RESPONSE_HASH = "X-Axivon-Response-Hash";

  /**
   * Response (signed-response services): the provider's signature of keccak256(requestHash ‖
   * responseHash).
   */
  public static final String RESPONSE_SIGNATURE = "X-Axivon-Response-Signature";

  /**
   * Response (signed-response services): the provider's EIP-712 signature of the answer's {@link
   * ResponseReceipt} (request, response hash, output units): the evidence a dispute submits.
   */
  public static final String RECEIPT_SIGNATURE = "X-Axivon-Receipt-Signature";

  private ComputeHeaders() {}
}
