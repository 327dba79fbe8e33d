package io.axivon.da.disperser;

/**
 * A certified blob that the quorum no longer serves in a valid form: the members that answered
 * refused (pruned, or withholding) or sent bad rows so that k rows cannot be had from the rest, or
 * the rows recover a badly encoded square. The blob API maps it to 404, which op-node's Alt-DA
 * client takes as "data unknown" (a 503 it would retry forever).
 */
public final class BlobGoneException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BlobGoneException(String message) {
    super(message);
  }
}
