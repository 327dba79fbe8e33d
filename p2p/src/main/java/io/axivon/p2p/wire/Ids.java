package io.axivon.p2p.wire;

/**
 * Topic and protocol names: 1 to 64 characters of {@code [A-Za-z0-9._/:-]}. Plain ASCII keeps the
 * encoding one byte per character and rules out look-alike or control characters in logs.
 */
public final class Ids {
  public static final int MAX_LENGTH = 64;

  private Ids() {}

  public static boolean isValid(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      if (!allowed(id.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  public static String requireValid(String id, String what) {
    if (!isValid(id)) {
      throw new IllegalArgumentException(
          what + " must be 1-" + MAX_LENGTH + " characters of [A-Za-z0-9._/:-], got '" + id + "'");
    }
    return id;
  }

  static boolean allowed(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '.'
        || c == '_'
        || c == '/'
        || c == ':'
        || c == '-';
  }
}
