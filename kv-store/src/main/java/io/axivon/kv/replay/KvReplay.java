package io.axivon.kv.replay;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.kv.tx.AccessControl;
import io.axivon.kv.tx.KvTransaction;
import io.axivon.kv.tx.KvTxCodec;
import io.axivon.kv.tx.StreamRead;
import io.axivon.kv.tx.StreamWrite;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Replays one KV transaction against the state before it (specs/kv.md section 4). Pure and
 * deterministic: no I/O, no clock; the caller applies the effects of a commit, and records the
 * result, atomically with the replay cursor.
 *
 * <p>Entries of streams the node does not hold ({@code held} false) are ignored entirely: the node
 * has no state to check them against.
 */
public final class KvReplay {
  private KvReplay() {}

  /** The result, and the effects to apply (empty unless committed). */
  public record Outcome(TxResult result, List<KvEffect> effects) {
    public Outcome {
      Objects.requireNonNull(result, "result");
      effects = List.copyOf(effects);
    }

    static Outcome failed(TxResult result) {
      return new Outcome(result, List.of());
    }
  }

  /**
   * Replays the transaction with flow seq {@code txSeq}, sent by {@code sender}, whose tags name
   * {@code tagStreams}, with stream data {@code data}. Never throws on bad data: a malformed
   * transaction is a {@link TxResult.DataParseError}.
   */
  public static Outcome apply(
      KvStateView state,
      long txSeq,
      Address sender,
      List<Bytes32> tagStreams,
      Bytes data,
      Predicate<Bytes32> held) {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(tagStreams, "tagStreams");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(held, "held");
    KvTransaction tx;
    try {
      tx = KvTxCodec.decode(data);
    } catch (InvalidInputException e) {
      return Outcome.failed(new TxResult.DataParseError(e.getMessage()));
    }
    Set<Bytes32> tags = new HashSet<>(tagStreams);

    // 1. every entry must name a stream listed in the tags
    for (StreamRead r : tx.reads()) {
      if (!tags.contains(r.streamId())) {
        return Outcome.failed(new TxResult.TagsMismatch(r.streamId()));
      }
    }
    for (StreamWrite w : tx.writes()) {
      if (!tags.contains(w.streamId())) {
        return Outcome.failed(new TxResult.TagsMismatch(w.streamId()));
      }
    }
    for (AccessControl c : tx.controls()) {
      if (!tags.contains(c.streamId())) {
        return Outcome.failed(new TxResult.TagsMismatch(c.streamId()));
      }
    }

    // 2. optimistic concurrency: nothing read or written changed after the version read at
    long readVersion = tx.version();
    for (StreamRead r : tx.reads()) {
      if (held.test(r.streamId())) {
        TxResult conflict = conflict(state, r.streamId(), r.key(), readVersion);
        if (conflict != null) {
          return Outcome.failed(conflict);
        }
      }
    }
    for (StreamWrite w : tx.writes()) {
      if (held.test(w.streamId())) {
        TxResult conflict = conflict(state, w.streamId(), w.key(), readVersion);
        if (conflict != null) {
          return Outcome.failed(conflict);
        }
      }
    }

    // the first committed transaction naming a stream makes its sender the admin
    Overlay acl = new Overlay(state);
    for (Bytes32 stream : new LinkedHashSet<>(tagStreams)) {
      if (held.test(stream) && !acl.get(AclFlag.streamOpened(stream))) {
        acl.set(AclFlag.streamOpened(stream), true);
        acl.set(AclFlag.admin(stream, sender), true);
      }
    }

    // 3. write permission, against the ACL before this transaction's controls
    for (StreamWrite w : tx.writes()) {
      if (held.test(w.streamId()) && !hasWritePermission(acl, sender, w.streamId(), w.key())) {
        return Outcome.failed(new TxResult.WritePermissionDenied(w.streamId(), w.key()));
      }
    }

    // 4. access-control operations, in order, each seeing the ones before it
    for (AccessControl c : tx.controls()) {
      if (held.test(c.streamId()) && !applyControl(acl, sender, c)) {
        return Outcome.failed(new TxResult.AccessControlPermissionDenied(c, sender));
      }
    }

    List<KvEffect> effects = new ArrayList<>();
    long[] offsets = KvTxCodec.valueOffsets(tx);
    for (int i = 0; i < tx.writes().size(); i++) {
      StreamWrite w = tx.writes().get(i);
      if (held.test(w.streamId())) {
        effects.add(new KvEffect.Put(w.streamId(), w.key(), w.value(), offsets[i]));
      }
    }
    acl.changes.forEach((flag, on) -> effects.add(new KvEffect.SetFlag(flag, on)));
    return new Outcome(new TxResult.Committed(), effects);
  }

  private static TxResult conflict(KvStateView state, Bytes32 stream, Bytes key, long readVersion) {
    long current = state.latestVersion(stream, key);
    return Long.compareUnsigned(current, readVersion) > 0
        ? new TxResult.VersionConfliction(stream, key, current, readVersion)
        : null;
  }

  /** Admin writes anything; a special key needs its writers; other keys the stream's writers. */
  static boolean hasWritePermission(Overlay acl, Address sender, Bytes32 stream, Bytes key) {
    if (acl.get(AclFlag.admin(stream, sender))) {
      return true;
    }
    if (acl.get(AclFlag.specialKey(stream, key))) {
      return acl.get(AclFlag.writerOfKey(stream, key, sender));
    }
    return acl.get(AclFlag.writerOfStream(stream, sender));
  }

  /** Applies one control to the overlay; false if the sender may not. */
  private static boolean applyControl(Overlay acl, Address sender, AccessControl c) {
    Bytes32 stream = c.streamId();
    boolean admin = acl.get(AclFlag.admin(stream, sender));
    switch (c.op()) {
      case GRANT_ADMIN_ROLE -> {
        if (!admin) {
          return false;
        }
        acl.set(AclFlag.admin(stream, c.account().orElseThrow()), true);
      }
      case RENOUNCE_ADMIN_ROLE -> {
        if (!admin) {
          return false;
        }
        acl.set(AclFlag.admin(stream, sender), false);
      }
      case SET_KEY_TO_SPECIAL, SET_KEY_TO_NORMAL -> {
        if (!admin) {
          return false;
        }
        acl.set(
            AclFlag.specialKey(stream, c.key().orElseThrow()),
            c.op() == AccessControl.Op.SET_KEY_TO_SPECIAL);
      }
      case GRANT_WRITE_ROLE, REVOKE_WRITE_ROLE -> {
        if (!admin) {
          return false;
        }
        acl.set(
            AclFlag.writerOfStream(stream, c.account().orElseThrow()),
            c.op() == AccessControl.Op.GRANT_WRITE_ROLE);
      }
      case RENOUNCE_WRITE_ROLE -> {
        AclFlag flag = AclFlag.writerOfStream(stream, sender);
        if (!acl.get(flag)) {
          return false;
        }
        acl.set(flag, false);
      }
      case GRANT_SPECIAL_WRITE_ROLE, REVOKE_SPECIAL_WRITE_ROLE -> {
        if (!admin) {
          return false;
        }
        acl.set(
            AclFlag.writerOfKey(stream, c.key().orElseThrow(), c.account().orElseThrow()),
            c.op() == AccessControl.Op.GRANT_SPECIAL_WRITE_ROLE);
      }
      case RENOUNCE_SPECIAL_WRITE_ROLE -> {
        AclFlag flag = AclFlag.writerOfKey(stream, c.key().orElseThrow(), sender);
        if (!acl.get(flag)) {
          return false;
        }
        acl.set(flag, false);
      }
    }
    return true;
  }

  /** The ACL with this transaction's changes so far on top; changes kept in first-change order. */
  static final class Overlay {
    private final KvStateView base;
    private final Map<AclFlag, Boolean> changes = new java.util.LinkedHashMap<>();

    Overlay(KvStateView base) {
      this.base = base;
    }

    boolean get(AclFlag flag) {
      Boolean changed = changes.get(flag);
      return changed != null ? changed : base.flag(flag);
    }

    void set(AclFlag flag, boolean on) {
      changes.put(flag, on);
    }
  }
}
