package io.axivon.consensus.store;

import io.axivon.common.InvalidInputException;
import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpCodec;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.store.KeyValue;
import io.axivon.common.store.ReadTx;
import io.axivon.common.store.Serializers;
import io.axivon.common.store.Store;
import io.axivon.common.store.StoreOptions;
import io.axivon.common.store.Table;
import io.axivon.common.store.WriteTx;
import io.axivon.consensus.types.Block;
import io.axivon.consensus.types.CommitCertificate;
import io.axivon.consensus.types.ValidatorSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The decided chain on disk (LMDB): each height's block, the commit that decided it, the validator
 * set that signed that commit and the application hash after it. Appends are checked (height,
 * parent link, tx root, commit) and durable on return; {@link #open} refuses a store of another
 * chain, of an unknown format, or whose top heights do not check out.
 *
 * <p>Tables (values are RLP unless noted): {@code blocks} height → block; {@code block-hashes}
 * block hash → height (8 bytes); {@code commits} height → {@code [commit, validatorsHash,
 * appHashAfter, check]} ({@link CommitRow}); {@code validator-sets} validator-set hash → set (each
 * distinct set once); {@code block-meta} {@code format-version} (8 bytes), {@code chain-id}
 * (UTF-8), {@code genesis-hash}.
 *
 * <p>Thread-safe: reads run on LMDB snapshots in parallel, appends one at a time.
 */
public final class BlockStore implements AutoCloseable {
  /** Layout written by this code; bump it (with a migration) when the layout changes. */
  // 2: block headers carry nextValidatorsHash
  public static final long FORMAT_VERSION = 2;

  /** How many of the top heights {@link #open} checks in full (decode, links, commits). */
  static final int CHECKED_HEIGHTS = 4;

  static final Table<String, Bytes> META =
      Table.of("block-meta", Serializers.STRING, Serializers.BYTES);
  static final Table<Long, Bytes> BLOCKS = Table.of("blocks", Serializers.LONG, Serializers.BYTES);
  static final Table<Bytes32, Bytes> HASHES =
      Table.of("block-hashes", Serializers.BYTES32, Serializers.BYTES);
  static final Table<Long, Bytes> COMMITS =
      Table.of("commits", Serializers.LONG, Serializers.BYTES);
  static final Table<Bytes32, Bytes> VALIDATOR_SETS =
      Table.of("validator-sets", Serializers.BYTES32, Serializers.BYTES);

  static final String FORMAT_KEY = "format-version";
  static final String CHAIN_KEY = "chain-id";
  static final String GENESIS_KEY = "genesis-hash";

  /**
   * The row of {@link #COMMITS}: {@code [commit, validatorsHash, appHashAfter, check(8)]} where
   * {@code check} is the first 8 bytes of Keccak-256 over the RLP of the first three. The check
   * catches a damaged app hash of the tip, which nothing else would (no block above names it yet).
   */
  record CommitRow(CommitCertificate commit, Bytes32 validatorsHash, Bytes32 appHashAfter) {
    private static final RlpCodec<CommitRow> BODY =
        RlpCodec.struct(
            (w, c) ->
                w.write(CommitCertificate.CODEC, c.commit)
                    .writeBytes(c.validatorsHash)
                    .writeBytes(c.appHashAfter),
            r -> new CommitRow(r.read(CommitCertificate.CODEC), r.readBytes32(), r.readBytes32()));

    static final RlpCodec<CommitRow> CODEC =
        RlpCodec.struct(
            (w, c) ->
                w.write(CommitCertificate.CODEC, c.commit)
                    .writeBytes(c.validatorsHash)
                    .writeBytes(c.appHashAfter)
                    .writeBytes(c.check()),
            r -> {
              CommitRow row =
                  new CommitRow(r.read(CommitCertificate.CODEC), r.readBytes32(), r.readBytes32());
              if (!r.readFixedBytes(8).equals(row.check())) {
                throw new IllegalArgumentException("commit row fails its checksum");
              }
              return row;
            });

    Bytes check() {
      return Hashes.keccak256(Rlp.encode(BODY, this)).slice(0, 8);
    }
  }

  /** The top of the chain, cached for appends and {@link #height()}. */
  private record Tip(long height, Bytes32 hash, Bytes32 appHashAfter) {}

  private final Store store;
  private final String chainId;
  private final Bytes32 genesisHash;
  private volatile Tip tip;

  private BlockStore(Store store, String chainId, Bytes32 genesisHash, Tip tip) {
    this.store = store;
    this.chainId = chainId;
    this.genesisHash = genesisHash;
    this.tip = tip;
  }

  /**
   * Opens (creating if needed) the block store of chain {@code chainId} whose genesis hash (the
   * parent hash of height 1) is {@code genesisHash}.
   *
   * @throws CorruptStoreException if the directory holds another chain's store, an unknown format,
   *     or a damaged one; the message says what is wrong
   */
  public static BlockStore open(Path dir, String chainId, Bytes32 genesisHash) {
    return open(dir, chainId, genesisHash, StoreOptions.defaults());
  }

  /** {@link #open(Path, String, Bytes32)} with explicit LMDB sizing. */
  public static BlockStore open(
      Path dir, String chainId, Bytes32 genesisHash, StoreOptions options) {
    Objects.requireNonNull(chainId, "chainId");
    Objects.requireNonNull(genesisHash, "genesisHash");
    Store store = Store.open(dir, options, META, BLOCKS, HASHES, COMMITS, VALIDATOR_SETS);
    try {
      Tip tip = store.writeAndGet(tx -> new Checker(tx, store.dir(), chainId, genesisHash).run());
      return new BlockStore(store, chainId, genesisHash, tip);
    } catch (RuntimeException | Error e) {
      store.close();
      throw e;
    }
  }

  public String chainId() {
    return chainId;
  }

  public Bytes32 genesisHash() {
    return genesisHash;
  }

  /** The height of the last block, 0 when empty. */
  public long height() {
    return tip.height;
  }

  public Optional<StoredBlock> get(long height) {
    if (height < 1 || height > tip.height) {
      return Optional.empty();
    }
    return store.read(tx -> Optional.ofNullable(load(tx, height, store.dir())));
  }

  /** The block at {@link #height()}, if any. */
  public Optional<StoredBlock> latest() {
    return get(tip.height);
  }

  public Optional<StoredBlock> byHash(Bytes32 blockHash) {
    return store.read(
        tx ->
            tx.get(HASHES, blockHash)
                .map(b -> load(tx, decodeHeight(b, store.dir(), blockHash), store.dir())));
  }

  /**
   * Appends the next block; durable (fsynced) on return.
   *
   * @throws IllegalArgumentException if it is not the block at {@code height() + 1} of this chain
   *     on top of the tip, its tx root or validators hash is wrong, or its commit does not verify
   *     against {@code b.validators()}
   */
  public synchronized void append(StoredBlock b) {
    Tip t = tip;
    Block block = b.block();
    long h = block.height();
    if (h != t.height + 1) {
      throw new IllegalArgumentException(
          "block store is at height " + t.height + ", cannot append height " + h);
    }
    if (!block.header().chainId().equals(chainId)) {
      throw new IllegalArgumentException(
          "block of chain '" + block.header().chainId() + "' appended to chain '" + chainId + "'");
    }
    Bytes32 parent = t.height == 0 ? genesisHash : t.hash;
    if (!block.header().parentHash().equals(parent)) {
      throw new IllegalArgumentException(
          "block "
              + h
              + " has parent hash "
              + block.header().parentHash()
              + ", expected "
              + parent);
    }
    if (t.height > 0 && !block.header().appHash().equals(t.appHashAfter)) {
      throw new IllegalArgumentException(
          "block "
              + h
              + " has app hash "
              + block.header().appHash()
              + " but block "
              + t.height
              + " left app hash "
              + t.appHashAfter);
    }
    if (!block.txRootMatches()) {
      throw new IllegalArgumentException("block " + h + " tx root does not match its txs");
    }
    Bytes32 setHash = b.validators().hash();
    if (!block.header().validatorsHash().equals(setHash)) {
      throw new IllegalArgumentException(
          "block "
              + h
              + " names validators hash "
              + block.header().validatorsHash()
              + " but the given set hashes to "
              + setHash);
    }
    Bytes32 hash = block.hash();
    CommitCertificate c = b.commit();
    if (c.height() != h || !c.blockHash().equals(hash)) {
      throw new IllegalArgumentException(
          "commit is for height "
              + c.height()
              + " block "
              + c.blockHash()
              + ", not block "
              + h
              + " "
              + hash);
    }
    try {
      c.verify(chainId, b.validators());
    } catch (InvalidInputException e) {
      throw new IllegalArgumentException("commit of block " + h + ": " + e.getMessage(), e);
    }
    Bytes blockBytes = Rlp.encode(Block.CODEC, block);
    Bytes commitBytes = Rlp.encode(CommitRow.CODEC, new CommitRow(c, setHash, b.appHashAfter()));
    Bytes setBytes = Rlp.encode(ValidatorSet.CODEC, b.validators());
    store.write(
        tx -> {
          if (tx.contains(HASHES, hash)) {
            throw new IllegalArgumentException("block " + hash + " is already stored");
          }
          tx.put(BLOCKS, h, blockBytes);
          tx.put(HASHES, hash, Bytes.wrap(Serializers.LONG.toBytes(h)));
          tx.put(COMMITS, h, commitBytes);
          if (!tx.contains(VALIDATOR_SETS, setHash)) {
            tx.put(VALIDATOR_SETS, setHash, setBytes);
          }
        });
    tip = new Tip(h, hash, b.appHashAfter());
  }

  @Override
  public void close() {
    store.close();
  }

  // ---- decoding, strict: every failure names the row

  private static StoredBlock load(ReadTx tx, long h, Path dir) {
    Bytes raw = tx.get(BLOCKS, h).orElse(null);
    if (raw == null) {
      return null;
    }
    Block block = decode(Block.CODEC, raw, dir, "block at height " + h);
    CommitRow row =
        decode(
            CommitRow.CODEC,
            tx.get(COMMITS, h).orElseThrow(() -> corrupt(dir, "no commit row for height " + h)),
            dir,
            "commit row at height " + h);
    ValidatorSet set =
        decode(
            ValidatorSet.CODEC,
            tx.get(VALIDATOR_SETS, row.validatorsHash)
                .orElseThrow(
                    () ->
                        corrupt(
                            dir,
                            "validator set "
                                + row.validatorsHash
                                + " of height "
                                + h
                                + " is missing")),
            dir,
            "validator set " + row.validatorsHash);
    return new StoredBlock(block, row.commit, set, row.appHashAfter);
  }

  private static long decodeHeight(Bytes b, Path dir, Bytes32 hash) {
    if (b.size() != 8) {
      throw corrupt(dir, "hash index row of block " + hash + " has " + b.size() + " bytes, not 8");
    }
    return Serializers.LONG.fromBytes(b.toArrayUnsafe());
  }

  private static <T> T decode(RlpCodec<T> codec, Bytes b, Path dir, String what) {
    try {
      return Rlp.decode(codec, b);
    } catch (RuntimeException e) {
      throw corrupt(dir, what + " does not decode: " + e.getMessage(), e);
    }
  }

  private static CorruptStoreException corrupt(Path dir, String what) {
    return new CorruptStoreException("block store " + dir + ": " + what);
  }

  private static CorruptStoreException corrupt(Path dir, String what, Throwable cause) {
    return new CorruptStoreException("block store " + dir + ": " + what, cause);
  }

  /** The start-up check: metadata, row counts, then the top heights in full. */
  private record Checker(WriteTx tx, Path dir, String chainId, Bytes32 genesisHash) {
    Tip run() {
      long blocks = tx.count(BLOCKS);
      if (tx.count(META) == 0) {
        if (blocks != 0 || tx.count(HASHES) != 0 || tx.count(COMMITS) != 0) {
          throw corrupt(dir, "holds blocks but no block-store metadata (table block-meta)");
        }
        tx.put(META, FORMAT_KEY, Bytes.wrap(Serializers.LONG.toBytes(FORMAT_VERSION)));
        tx.put(META, CHAIN_KEY, Bytes.wrap(chainId.getBytes(StandardCharsets.UTF_8)));
        tx.put(META, GENESIS_KEY, genesisHash);
        return new Tip(0, genesisHash, Bytes32.ZERO);
      }
      checkMeta();
      long height = tx.last(BLOCKS).map(KeyValue::key).orElse(0L);
      if (blocks > 0 && tx.first(BLOCKS).orElseThrow().key() != 1) {
        throw corrupt(
            dir, "first block is at height " + tx.first(BLOCKS).orElseThrow().key() + ", not 1");
      }
      if (blocks != height) {
        throw corrupt(dir, "tip is height " + height + " but only " + blocks + " block rows exist");
      }
      checkCount(HASHES, "block-hashes", height);
      checkCount(COMMITS, "commits", height);
      if (height == 0) {
        return new Tip(0, genesisHash, Bytes32.ZERO);
      }
      long low = Math.max(1, height - CHECKED_HEIGHTS + 1);
      StoredBlock above = null;
      Tip top = null;
      for (long h = height; h >= low; h--) {
        StoredBlock b = load(tx, h, dir);
        if (b == null) {
          throw corrupt(dir, "block row of height " + h + " is missing");
        }
        checkOne(h, b);
        if (above != null) {
          checkLink(b.block().hash(), b.appHashAfter(), above);
        }
        if (top == null) {
          top = new Tip(h, b.block().hash(), b.appHashAfter());
        }
        above = b;
      }
      if (low == 1) {
        if (!above.block().header().parentHash().equals(genesisHash)) {
          throw corrupt(
              dir,
              "block 1 has parent hash "
                  + above.block().header().parentHash()
                  + ", not the genesis hash "
                  + genesisHash);
        }
      } else {
        StoredBlock below = load(tx, low - 1, dir);
        if (below == null) {
          throw corrupt(dir, "block row of height " + (low - 1) + " is missing");
        }
        checkLink(below.block().hash(), below.appHashAfter(), above);
      }
      return top;
    }

    private void checkMeta() {
      Bytes version = meta(FORMAT_KEY);
      if (version.size() != 8) {
        throw corrupt(dir, "format version row has " + version.size() + " bytes, not 8");
      }
      long v = Serializers.LONG.fromBytes(version.toArrayUnsafe());
      if (v != FORMAT_VERSION) {
        throw corrupt(
            dir,
            "unknown block-store format version "
                + v
                + " (this build reads version "
                + FORMAT_VERSION
                + "): the data dir was made by another build; start over with a fresh one");
      }
      String stored = new String(meta(CHAIN_KEY).toArrayUnsafe(), StandardCharsets.UTF_8);
      if (!stored.equals(chainId)) {
        throw corrupt(
            dir, "belongs to chain '" + stored + "', not '" + chainId + "': use another data dir");
      }
      Bytes genesis = meta(GENESIS_KEY);
      if (!genesis.equals(genesisHash)) {
        throw corrupt(
            dir,
            "was created for genesis "
                + genesis.toHexString()
                + ", not "
                + genesisHash
                + ": use another data dir");
      }
    }

    private Bytes meta(String key) {
      return tx.get(META, key)
          .orElseThrow(() -> corrupt(dir, "metadata row '" + key + "' is missing"));
    }

    private void checkCount(Table<?, ?> table, String name, long height) {
      long n = tx.count(table);
      if (n != height) {
        throw corrupt(dir, "table " + name + " has " + n + " rows for " + height + " blocks");
      }
    }

    private void checkOne(long h, StoredBlock b) {
      Block block = b.block();
      if (block.height() != h) {
        throw corrupt(dir, "row of height " + h + " holds block " + block.height());
      }
      if (!block.header().chainId().equals(chainId)) {
        throw corrupt(dir, "block " + h + " is of chain '" + block.header().chainId() + "'");
      }
      if (!block.txRootMatches()) {
        throw corrupt(dir, "block " + h + " tx root does not match its transactions");
      }
      Bytes32 hash = block.hash();
      Bytes idx =
          tx.get(HASHES, hash)
              .orElseThrow(() -> corrupt(dir, "hash index row of block " + h + " is missing"));
      long indexed = decodeHeight(idx, dir, hash);
      if (indexed != h) {
        throw corrupt(dir, "hash index maps block " + h + " to height " + indexed);
      }
      Bytes32 setHash = b.validators().hash();
      if (!block.header().validatorsHash().equals(setHash)) {
        throw corrupt(dir, "block " + h + " validators hash does not match its stored set");
      }
      CommitCertificate c = b.commit();
      if (c.height() != h || !c.blockHash().equals(hash)) {
        throw corrupt(dir, "commit of height " + h + " is for another block");
      }
      try {
        c.verify(chainId, b.validators());
      } catch (InvalidInputException e) {
        throw corrupt(dir, "commit of height " + h + " does not verify: " + e.getMessage(), e);
      }
    }

    /** {@code child} must sit on the block with hash {@code hash} and app hash {@code app}. */
    private void checkLink(Bytes32 hash, Bytes32 app, StoredBlock child) {
      long h = child.height();
      if (!child.block().header().parentHash().equals(hash)) {
        throw corrupt(dir, "broken hash link: block " + h + " does not name block " + (h - 1));
      }
      if (!child.block().header().appHash().equals(app)) {
        throw corrupt(
            dir, "block " + h + " app hash differs from the app hash after block " + (h - 1));
      }
    }
  }

  /** For tests: a function over the raw store. */
  <R> R raw(Function<ReadTx, R> body) {
    return store.read(body::apply);
  }
}
