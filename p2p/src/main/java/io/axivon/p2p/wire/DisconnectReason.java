package io.axivon.p2p.wire;

import io.axivon.common.InvalidInputException;
import java.util.Locale;

/** Why a node closes a link, sent in a {@link Message.Disconnect} just before closing. */
public enum DisconnectReason {
  REQUESTED(0),
  SHUTDOWN(1),
  TOO_MANY_PEERS(2),
  DUPLICATE(3),
  BANNED(4),
  PROTOCOL_ERROR(5),
  SLOW_PEER(6),
  TIMEOUT(7);

  private final int code;

  DisconnectReason(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static DisconnectReason ofCode(int code) {
    for (DisconnectReason reason : values()) {
      if (reason.code == code) {
        return reason;
      }
    }
    throw new InvalidInputException("unknown disconnect reason " + code);
  }
}
