package io.axivon.p2p;

import io.axivon.common.InvalidInputException;
import java.net.InetSocketAddress;
import java.util.Objects;

/** Where a node listens and who it must prove to be there. */
public record PeerAddress(NodeId id, InetSocketAddress address) {
  public PeerAddress {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(address, "address");
    if (address.getPort() == 0) {
      throw new IllegalArgumentException("a peer address needs a port");
    }
  }

  public static PeerAddress of(NodeId id, String host, int port) {
    return new PeerAddress(id, InetSocketAddress.createUnresolved(host, port));
  }

  /** Parses {@code <64 hex node id>@host:port}, the form used in config files. */
  public static PeerAddress parse(String text) {
    int at = text.indexOf('@');
    int colon = text.lastIndexOf(':');
    if (at < 0 || colon < at) {
      throw new InvalidInputException("a peer is <node id hex>@host:port, got '" + text + "'");
    }
    String host = text.substring(at + 1, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new InvalidInputException("bad port in peer '" + text + "'", e);
    }
    if (port < 1 || port > 65535 || host.isEmpty()) {
      throw new InvalidInputException("a peer needs a host and a port in 1..65535: '" + text + "'");
    }
    return of(NodeId.fromHex(text.substring(0, at)), host, port);
  }

  @Override
  public String toString() {
    return id.toHex() + "@" + address.getHostString() + ":" + address.getPort();
  }
}
