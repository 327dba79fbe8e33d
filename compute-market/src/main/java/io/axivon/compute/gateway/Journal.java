package io.axivon.compute.gateway;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.sdk.compute.ServingAbi;
import io.axivon.sdk.compute.SignedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.tuweni.bytes.Bytes;

/**
 * The gateway's durable record of accepted requests, so a crash (even SIGKILL) between accepting
 * and settling loses nothing and settles nothing twice. An append-only text file, forced to disk
 * per line when asked: {@code A <hex>} an accepted request (its settleFees encoding), {@code V
 * <user> <nonce>} a request voided because the upstream failed, {@code S <user> <nonce>} a request
 * settled on chain, {@code O <user> <wei>} what the user owes for output after a response (metered
 * after the request was accepted, paid with the user's next request: without this line a crash
 * after a response would forget it, and the provider would lose that output's fee). A torn last
 * line (a crash mid-write) is cut off on load. Not thread-safe: callers serialize.
 */
public final class Journal implements AutoCloseable {
  private record Key(Address user, long nonce) {}

  private final Address provider;
  private final FileChannel out;
  private final boolean force;
  private final Map<Key, SignedRequest> pending = new LinkedHashMap<>();
  private final Map<Address, BigInteger> owed = new LinkedHashMap<>();

  private Journal(Address provider, FileChannel out, boolean force) {
    this.provider = provider;
    this.out = out;
    this.force = force;
  }

  /**
   * Opens (or creates) the journal at {@code file} and loads what is still pending. A torn last
   * line (a crash mid-write) is cut off, so appends start on a fresh line.
   */
  public static Journal open(Path file, Address provider) throws IOException {
    return open(file, provider, true);
  }

  /**
   * As {@link #open(Path, Address)}; {@code force} says whether each write is forced to disk (see
   * {@link GatewayConfig#fsync}).
   */
  public static Journal open(Path file, Address provider, boolean force) throws IOException {
    FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    Journal j = new Journal(provider, ch, force);
    try {
      byte[] all = Files.readAllBytes(file);
      int end = all.length;
      while (end > 0 && all[end - 1] != '\n') {
        end--;
      }
      ch.truncate(end);
      ch.position(end);
      String text = new String(all, 0, end, StandardCharsets.US_ASCII);
      for (String line : text.split("\n")) {
        if (!line.isEmpty()) {
          j.replay(line);
        }
      }
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    return j;
  }

  private void replay(String line) {
    String[] f = line.split(" ");
    switch (f[0]) {
      case "A" -> {
        SignedRequest s =
            ServingAbi.decodeSettleFeesArgs(Bytes.fromHexString(f[1]), provider, 1).getFirst();
        pending.put(key(s), s);
        owed.remove(s.request().user()); // an accepted request pays what was owed before it
      }
      case "O" -> owed.put(Address.fromHex(f[1]), new BigInteger(f[2]));
      case "V", "S" -> pending.remove(new Key(Address.fromHex(f[1]), Long.parseLong(f[2])));
      default -> throw new InvalidInputException("journal line of unknown kind: " + f[0]);
    }
  }

  private static Key key(SignedRequest s) {
    return new Key(s.request().user(), s.request().nonce().longValueExact());
  }

  public void accepted(SignedRequest s) {
    append("A " + ServingAbi.encodeSettleFeesArgs(List.of(s)).toUnprefixedHexString());
    pending.put(key(s), s);
    owed.remove(s.request().user());
  }

  /**
   * Records that {@code user} now owes {@code wei} for output (after a response was metered), so a
   * restart still asks for it with the user's next request.
   */
  public void owed(Address user, BigInteger wei) {
    append("O " + user.toLowerHex() + " " + wei);
    if (wei.signum() == 0) {
      owed.remove(user);
    } else {
      owed.put(user, wei);
    }
  }

  /** Output owed per user, as journaled: each user's next request must pay it. */
  public Map<Address, BigInteger> owed() {
    return Map.copyOf(owed);
  }

  /** Voids a pending request (never settled); returns whether it was pending. */
  public boolean voided(SignedRequest s) {
    return mark("V", s);
  }

  /** Marks these settled; returns those that were pending (the others were already marked). */
  public List<SignedRequest> settled(List<SignedRequest> batch) {
    StringBuilder b = new StringBuilder();
    List<SignedRequest> removed = new ArrayList<>();
    for (SignedRequest s : batch) {
      if (pending.containsKey(key(s))) {
        removed.add(s);
        b.append("S ").append(s.request().user().toLowerHex()).append(' ');
        b.append(s.request().nonce()).append('\n');
      }
    }
    if (!b.isEmpty()) {
      write(b.toString());
      removed.forEach(s -> pending.remove(key(s)));
    }
    return removed;
  }

  private boolean mark(String kind, SignedRequest s) {
    if (!pending.containsKey(key(s))) {
      return false;
    }
    append(kind + " " + s.request().user().toLowerHex() + " " + s.request().nonce());
    pending.remove(key(s));
    return true;
  }

  /** Accepted, not voided, not settled: in acceptance order (per user, increasing nonces). */
  public List<SignedRequest> pending() {
    return new ArrayList<>(pending.values());
  }

  public int pendingCount() {
    return pending.size();
  }

  private void append(String line) {
    write(line + "\n");
  }

  private void write(String text) {
    try {
      ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
      while (b.hasRemaining()) {
        out.write(b);
      }
      if (force) {
        out.force(false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("journal write failed", e);
    }
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
