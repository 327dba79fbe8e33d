package io.axivon.da.blob;

import io.axivon.common.InvalidInputException;

/** A line of the extended square is a row or a column; the code in proofs is 0 or 1. */
public enum Axis {
  ROW,
  COLUMN;

  public int code() {
    return ordinal();
  }

  public Axis other() {
    return this == ROW ? COLUMN : ROW;
  }

  public static Axis ofCode(long code) {
    if (code == 0) {
      return ROW;
    }
    if (code == 1) {
      return COLUMN;
    }
    throw new InvalidInputException("axis must be 0 (row) or 1 (column), got " + code);
  }
}
