package io.axivon.node.cli;

/** The exit codes every Axivon command keeps (ARCHITECTURE.md). */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int FAILURE = 1;
  public static final int USAGE = 2;

  private ExitCodes() {}
}
