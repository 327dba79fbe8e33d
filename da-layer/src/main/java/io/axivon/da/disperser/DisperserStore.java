package io.axivon.da.disperser;

import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import io.axivon.common.codec.RlpLimits;
import io.axivon.common.store.Serializers;
import io.axivon.common.store.Store;
import io.axivon.common.store.StoreOptions;
import io.axivon.common.store.Table;
import io.axivon.da.cert.DaCertificate;
import io.axivon.da.chain.DaChain;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The disperser's record of certified blobs in LMDB, so that keys and Alt-DA commitments stay
 * retrievable across restarts (op-node takes a 404 as "data unknown" and starts a challenge).
 */
public final class DisperserStore implements AutoCloseable {
  /** A certified blob: enough to find its rows again. */
  public record Certified(long size, DaCertificate certificate, DaChain.Confirmation confirmation) {
    static final RlpCodec<Certified> CODEC =
        RlpCodec.struct(
            (w, c) ->
                w.writeUInt64(c.size())
                    .write(DaCertificate.CODEC, c.certificate())
                    .writeBytes(c.confirmation().txHash())
                    .writeUInt64(c.confirmation().blockNumber()),
            r ->
                new Certified(
                    r.readUInt64(),
                    r.read(DaCertificate.CODEC),
                    new DaChain.Confirmation(r.readBytes32(), r.readUInt64())));
  }

  static final Table<Bytes32, Bytes> CERTIFIED =
      Table.of("disperser-certified", Serializers.BYTES32, Serializers.BYTES);

  private final Store store;

  private DisperserStore(Store store) {
    this.store = store;
  }

  public static DisperserStore open(Path dir) {
    return new DisperserStore(Store.open(dir, StoreOptions.defaults(), CERTIFIED));
  }

  public void put(Bytes32 key, Certified record) {
    store.write(tx -> tx.put(CERTIFIED, key, Rlp.encode(Certified.CODEC, record)));
  }

  public Optional<Certified> get(Bytes32 key) {
    return store
        .read(tx -> tx.get(CERTIFIED, key))
        .map(b -> Rlp.decode(Certified.CODEC, b, new RlpLimits(4096, 3)));
  }

  @Override
  public void close() {
    store.close();
  }
}
