package io.axivon.p2p.wire;

import io.axivon.common.InvalidInputException;
import java.util.Locale;

/** The first plaintext byte of every transport frame. */
public enum MessageType {
  GOSSIP(0x01),
  REQUEST(0x02),
  RESPONSE(0x03),
  PING(0x10),
  PONG(0x11),
  SUBSCRIPTIONS(0x12),
  PEX_REQUEST(0x13),
  PEX_RESPONSE(0x14),
  DISCONNECT(0x15);

  private static final MessageType[] BY_CODE = new MessageType[256];

  static {
    for (MessageType type : values()) {
      BY_CODE[type.code] = type;
    }
  }

  private final int code;
  private final String label;

  MessageType(int code) {
    this.code = code;
    this.label = name().toLowerCase(Locale.ROOT);
  }

  public int code() {
    return code;
  }

  public String label() {
    return label;
  }

  public static MessageType ofCode(int code) {
    MessageType type = code >= 0 && code < 256 ? BY_CODE[code] : null;
    if (type == null) {
      throw new InvalidInputException("unknown message type 0x" + Integer.toHexString(code));
    }
    return type;
  }
}
