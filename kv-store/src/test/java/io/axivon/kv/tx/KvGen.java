package io.axivon.kv.tx;

import io.axivon.common.crypto.secp256k1.Address;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/** Generators over a small universe (3 streams, 3 accounts, short keys) so that ops collide. */
public final class KvGen {
  private KvGen() {}

  public static final List<Bytes32> STREAMS = List.of(stream(1), stream(2), stream(3));
  public static final List<Address> ACCOUNTS = List.of(account(1), account(2), account(3));

  public static Bytes32 stream(int n) {
    return Bytes32.leftPad(Bytes.of((byte) 0xAA, (byte) n));
  }

  public static Address account(int n) {
    byte[] b = new byte[Address.SIZE];
    b[19] = (byte) n;
    b[0] = (byte) 0x11;
    return new Address(Bytes.wrap(b));
  }

  public static Arbitrary<Bytes32> streams() {
    return Arbitraries.of(STREAMS);
  }

  public static Arbitrary<Address> accounts() {
    return Arbitraries.of(ACCOUNTS);
  }

  public static Arbitrary<Bytes> keys() {
    return Arbitraries.bytes()
        .between((byte) 'a', (byte) 'c')
        .array(byte[].class)
        .ofMinSize(1)
        .ofMaxSize(2)
        .map(Bytes::wrap);
  }

  public static Arbitrary<Bytes> values() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(6).map(Bytes::wrap);
  }

  public static Arbitrary<StreamRead> reads() {
    return Combinators.combine(streams(), keys()).as(StreamRead::new);
  }

  public static Arbitrary<StreamWrite> writes() {
    return Combinators.combine(streams(), keys(), values()).as(StreamWrite::new);
  }

  public static Arbitrary<AccessControl> controls() {
    return Combinators.combine(
            Arbitraries.of(AccessControl.Op.class), streams(), keys(), accounts())
        .as(
            (op, s, k, a) ->
                new AccessControl(
                    op,
                    s,
                    op.hasKey() ? java.util.Optional.of(k) : java.util.Optional.empty(),
                    op.hasAccount() ? java.util.Optional.of(a) : java.util.Optional.empty()));
  }

  /** Any version: small ones conflict often, huge ones never. */
  public static Arbitrary<Long> versions() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(0, 30)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(-1L)),
        net.jqwik.api.Tuple.of(1, Arbitraries.longs()));
  }

  public static Arbitrary<KvTransaction> transactions() {
    return Combinators.combine(
            versions(),
            reads().list().ofMaxSize(3),
            writes().list().ofMaxSize(4),
            controls().list().ofMaxSize(3))
        .as(KvTransaction::new);
  }
}
