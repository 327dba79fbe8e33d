package io.axivon.consensus.execution.mining;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.app.ValidatorUpdate;
import io.axivon.consensus.execution.flow.FlowModule;
import io.axivon.consensus.execution.system.Abi;
import io.axivon.consensus.execution.system.EndBlock;
import io.axivon.consensus.execution.system.ModuleCall;
import io.axivon.consensus.execution.system.ModuleRevert;
import io.axivon.consensus.execution.system.SystemModule;
import io.axivon.sdk.mining.Answer;
import io.axivon.sdk.mining.AnswerCodec;
import io.axivon.sdk.mining.AnswerVerifier;
import io.axivon.sdk.mining.Difficulty;
import io.axivon.sdk.mining.MiningContext;
import io.axivon.sdk.mining.Pora;
import io.axivon.sdk.mining.Verdict;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * PoRA mining on chain 0, at {@link #ADDRESS} (specs/pora.md, specs/contracts/IMining.sol): miners
 * register an id bound to their account and submit answers, which are checked by the sdk's {@link
 * AnswerVerifier} against the flow's current context and paid from the pricing chunk the answer
 * recalled. After every block it sweeps the flow's fee pool into per-chunk pools (released with
 * decay, {@link ChunkRewards}) and, when the flow starts a new epoch, records the context and
 * retargets toward {@code targetAnswersPerEpoch} answers.
 */
public final class MiningModule implements SystemModule {
  /** {@code 0x0000000000000000000000000000000000001003}. */
  public static final Address ADDRESS =
      new Address(Bytes.fromHexString("0x" + "00".repeat(18) + "1003"));

  /** Charged per answer for its hashing (about 250 Keccak permutations), once it decodes. */
  public static final long PORA_VERIFY_GAS = 60_000;

  public static final String REGISTER_MINER = "registerMiner(bytes32)";
  public static final String SUBMIT_ANSWER = AnswerCodec.SIGNATURE;
  public static final String MINER_OF = "minerOf(bytes32)";
  public static final String TARGET = "target()";
  public static final String ANSWERS = "answers()";
  public static final String REWARDED = "rewarded(bytes32,bytes32)";
  public static final String PRICING_CHUNK = "pricingChunk(uint256)";
  public static final String TOTALS = "totals()";
  public static final String MINER_STATS = "minerStats(bytes32)";

  public static final Bytes32 MINER_REGISTERED = Abi.eventTopic("MinerRegistered(bytes32,address)");
  public static final Bytes32 ANSWER_ACCEPTED =
      Abi.eventTopic("AnswerAccepted(bytes32,uint256,address,uint256,bytes32,uint256)");
  public static final Bytes32 DIFFICULTY_ADJUSTED =
      Abi.eventTopic("DifficultyAdjusted(uint256,uint256,uint256,uint256)");

  // Storage layout (specs/pora.md section 13).
  static final int S_TARGET = 0;
  static final int S_EPOCH = 1; // epoch + 1 of the last context seen; 0 = none yet
  static final int S_ANSWERS = 2;
  static final int S_SWEPT_LENGTH = 3;
  static final int S_SWEPT = 4;
  static final int S_PAID = 5;

  // Per-miner totals at H("stats" ‖ minerId) + field, so a status reads one view, not the logs.
  // Field 0 packs two counters in one word (one slot write less per answer): the answers accepted
  // in the high 128 bits, the epoch + 1 of the last one in the low 128 bits (0 = none).
  static final int STAT_ANSWERS_EPOCH = 0;
  static final int STAT_REWARDS = 1;
  static final int STAT_LAST_CONTEXT = 2;
  private static final BigInteger LOW128 = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

  private static final Map<Bytes, String> METHODS = methods();

  private static Map<Bytes, String> methods() {
    java.util.HashMap<Bytes, String> m = new java.util.HashMap<>();
    for (String s :
        List.of(
            REGISTER_MINER,
            SUBMIT_ANSWER,
            MINER_OF,
            TARGET,
            ANSWERS,
            REWARDED,
            PRICING_CHUNK,
            TOTALS,
            MINER_STATS)) {
      m.put(Abi.selector(s), s);
    }
    return Map.copyOf(m);
  }

  private final MiningConfig config;

  public MiningModule(MiningConfig config) {
    this.config = config;
  }

  public MiningConfig config() {
    return config;
  }

  @Override
  public Address address() {
    return ADDRESS;
  }

  @Override
  public void genesis(ModuleCall c) {
    c.store(slot(S_TARGET), ChunkRewards.uint(config.initialTarget()));
  }

  @Override
  public Bytes call(ModuleCall c, Address caller, BigInteger value, Bytes input) {
    if (input.size() < 4) {
      throw new ModuleRevert("no function selector");
    }
    String m = METHODS.get(input.slice(0, 4));
    if (m == null) {
      throw new ModuleRevert("unknown function selector " + input.slice(0, 4).toHexString());
    }
    if (value.signum() != 0) {
      throw new ModuleRevert("function is not payable");
    }
    Bytes args = input.slice(4);
    return switch (m) {
      case REGISTER_MINER -> register(c, caller, bytes32Arg(args, 1).get(0));
      case SUBMIT_ANSWER -> submit(c, args);
      case MINER_OF -> c.load(minerSlot(bytes32Arg(args, 1).get(0)));
      case TARGET -> {
        noArgs(args);
        yield c.load(slot(S_TARGET));
      }
      case ANSWERS -> {
        noArgs(args);
        long seen = c.load(slot(S_EPOCH)).toUnsignedBigInteger().longValueExact();
        yield Bytes.concatenate(u(Math.max(seen - 1, 0)), c.load(slot(S_ANSWERS)));
      }
      case REWARDED -> {
        List<Bytes32> a = bytes32Arg(args, 2);
        yield c.load(wonSlot(a.get(0), a.get(1)));
      }
      case PRICING_CHUNK -> {
        @SuppressWarnings("rawtypes")
        List<Type> a = Abi.decodeArgs(args, List.of(new TypeReference<Uint256>() {}));
        BigInteger idx = (BigInteger) a.get(0).getValue();
        if (idx.bitLength() > 62) {
          yield Bytes.concatenate(u(0), u(0), u(0));
        }
        ChunkRewards.Chunk ch = ChunkRewards.stored(c, idx.longValueExact());
        yield Bytes.concatenate(
            ChunkRewards.uint(ch.unreleased()), ChunkRewards.uint(ch.claimable()), u(ch.epoch()));
      }
      case TOTALS -> {
        noArgs(args);
        yield Bytes.concatenate(c.load(slot(S_SWEPT)), c.load(slot(S_PAID)));
      }
      case MINER_STATS -> {
        Bytes32 id = bytes32Arg(args, 1).get(0);
        BigInteger packed = c.load(statSlot(id, STAT_ANSWERS_EPOCH)).toUnsignedBigInteger();
        BigInteger last = packed.and(LOW128);
        yield Bytes.concatenate(
            ChunkRewards.uint(packed.shiftRight(128)),
            c.load(statSlot(id, STAT_REWARDS)),
            ChunkRewards.uint(last.signum() == 0 ? BigInteger.ZERO : last.subtract(BigInteger.ONE)),
            c.load(statSlot(id, STAT_LAST_CONTEXT)));
      }
      default -> throw new IllegalStateException("unhandled " + m);
    };
  }

  private Bytes register(ModuleCall c, Address caller, Bytes32 salt) {
    Bytes32 account = Bytes32.leftPad(caller.bytes());
    Bytes32 id = Hashes.keccak256(Bytes.concatenate(account, salt));
    if (!c.load(minerSlot(id)).isZero()) {
      throw new ModuleRevert("miner " + id + " is already registered");
    }
    c.store(minerSlot(id), account);
    c.log(List.of(MINER_REGISTERED, id, account), Bytes.EMPTY);
    return id;
  }

  private Bytes submit(ModuleCall c, Bytes args) {
    Answer a;
    try {
      a = AnswerCodec.decodeArgs(args);
    } catch (InvalidInputException e) {
      throw new ModuleRevert("malformed answer: " + e.getMessage());
    }
    c.charge(PORA_VERIFY_GAS);
    FlowModule.Context fc = observe(c);
    MiningContext ctx =
        new MiningContext(
            fc.epoch(), fc.mineStart(), fc.flowRoot(), fc.flowLength(), fc.blockDigest());
    Bytes32 digest = fc.digest();
    BigInteger target = c.load(slot(S_TARGET)).toUnsignedBigInteger();
    Verdict v =
        AnswerVerifier.verify(
            a,
            ctx,
            digest,
            target,
            new AnswerVerifier.Ledger() {
              @Override
              public boolean registered(Bytes32 minerId) {
                return !c.load(minerSlot(minerId)).isZero();
              }

              @Override
              public boolean rewarded(Bytes32 contextDigest, Bytes32 minerId) {
                return !c.load(wonSlot(contextDigest, minerId)).isZero();
              }

              @Override
              public OptionalLong sealContextLength(Bytes32 d) {
                BigInteger n = c.load(ctxSlot(d)).toUnsignedBigInteger();
                return n.signum() == 0
                    ? OptionalLong.empty()
                    : OptionalLong.of(n.subtract(BigInteger.ONE).longValueExact());
              }
            });
    if (v instanceof Verdict.Rejected r) {
      throw new ModuleRevert(r.message());
    }
    Verdict.Accepted ok = (Verdict.Accepted) v;
    c.store(wonSlot(digest, a.minerId()), u(1));
    store(c, S_ANSWERS, load(c, S_ANSWERS).add(BigInteger.ONE));
    BigInteger reward =
        ChunkRewards.claim(
            c,
            a.recallPosition() / Pora.PRICING_CHUNK_SECTORS,
            fc.epoch(),
            config.releasePerEpochPpm());
    Bytes32 account = c.load(minerSlot(a.minerId()));
    if (reward.signum() > 0) {
      c.transfer(ADDRESS, new Address(account.slice(12)), reward);
      store(c, S_PAID, load(c, S_PAID).add(reward));
    }
    Bytes32 counts = statSlot(a.minerId(), STAT_ANSWERS_EPOCH);
    BigInteger answered = c.load(counts).toUnsignedBigInteger().shiftRight(128).add(BigInteger.ONE);
    c.store(
        counts, ChunkRewards.uint(answered.shiftLeft(128).or(BigInteger.valueOf(fc.epoch() + 1))));
    if (reward.signum() > 0) {
      Bytes32 rewards = statSlot(a.minerId(), STAT_REWARDS);
      c.store(rewards, ChunkRewards.uint(c.load(rewards).toUnsignedBigInteger().add(reward)));
    }
    c.store(statSlot(a.minerId(), STAT_LAST_CONTEXT), digest);
    c.log(
        List.of(ANSWER_ACCEPTED, a.minerId(), u(fc.epoch())),
        Bytes.concatenate(account, u(a.recallPosition()), ok.quality(), ChunkRewards.uint(reward)));
    return ChunkRewards.uint(reward);
  }

  /** Records a new flow context, retargeting for the one before; then sweeps the fee pool. */
  @Override
  public List<ValidatorUpdate> endBlock(ModuleCall c, EndBlock block) {
    FlowModule.Context fc = observe(c);
    sweep(c, fc.epoch());
    return List.of();
  }

  private FlowModule.Context observe(ModuleCall c) {
    FlowModule.Context fc = FlowModule.context(c);
    long seen = c.load(slot(S_EPOCH)).toUnsignedBigInteger().longValueExact();
    if (seen == fc.epoch() + 1) {
      return fc;
    }
    if (seen > 0) {
      BigInteger old = load(c, S_TARGET);
      BigInteger answers = load(c, S_ANSWERS);
      BigInteger next =
          Difficulty.retarget(old, answers.longValueExact(), config.targetAnswersPerEpoch());
      store(c, S_TARGET, next);
      c.log(
          List.of(DIFFICULTY_ADJUSTED),
          Bytes.concatenate(
              u(seen - 1),
              ChunkRewards.uint(answers),
              ChunkRewards.uint(old),
              ChunkRewards.uint(next)));
    }
    c.store(slot(S_EPOCH), u(fc.epoch() + 1));
    c.store(slot(S_ANSWERS), u(0));
    c.store(ctxSlot(fc.digest()), u(fc.flowLength() + 1));
    return fc;
  }

  // Moves the flow's fees here and spreads them over the chunks of the sectors appended since.
  private void sweep(ModuleCall c, long epoch) {
    long to = FlowModule.flowLength(c);
    BigInteger pool = FlowModule.takeRewardPool(c);
    if (pool.signum() == 0) {
      return;
    }
    long from = load(c, S_SWEPT_LENGTH).longValueExact();
    long ppm = config.releasePerEpochPpm();
    if (to <= from) { // fees without new sectors cannot happen; keep them anyway
      ChunkRewards.deposit(c, Math.max(to - 1, 0) / Pora.PRICING_CHUNK_SECTORS, pool, epoch, ppm);
    } else {
      BigInteger span = BigInteger.valueOf(to - from);
      BigInteger given = BigInteger.ZERO;
      long first = from / Pora.PRICING_CHUNK_SECTORS;
      long last = (to - 1) / Pora.PRICING_CHUNK_SECTORS;
      for (long ch = first; ch <= last; ch++) {
        BigInteger part;
        if (ch == last) {
          part = pool.subtract(given);
        } else {
          long lo = Math.max(from, ch * Pora.PRICING_CHUNK_SECTORS);
          long hi = (ch + 1) * Pora.PRICING_CHUNK_SECTORS;
          part = pool.multiply(BigInteger.valueOf(hi - lo)).divide(span);
        }
        given = given.add(part);
        if (part.signum() > 0) {
          ChunkRewards.deposit(c, ch, part, epoch, ppm);
        }
      }
    }
    store(c, S_SWEPT_LENGTH, BigInteger.valueOf(to));
    store(c, S_SWEPT, load(c, S_SWEPT).add(pool));
  }

  private static List<Bytes32> bytes32Arg(Bytes args, int n) {
    List<TypeReference<?>> types = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      types.add(new TypeReference<org.web3j.abi.datatypes.generated.Bytes32>() {});
    }
    @SuppressWarnings("rawtypes")
    List<Type> v = Abi.decodeArgs(args, types);
    return v.stream().map(t -> Bytes32.wrap((byte[]) t.getValue())).toList();
  }

  private static void noArgs(Bytes args) {
    Abi.decodeArgs(args, List.of());
  }

  static Bytes32 slot(int n) {
    return Bytes32.leftPad(Bytes.ofUnsignedInt(n));
  }

  static Bytes32 minerSlot(Bytes32 minerId) {
    return keyed("miner", minerId);
  }

  static Bytes32 statSlot(Bytes32 minerId, int field) {
    return ChunkRewards.uint(
        keyed("stats", minerId)
            .toUnsignedBigInteger()
            .add(BigInteger.valueOf(field))
            .mod(BigInteger.ONE.shiftLeft(256)));
  }

  static Bytes32 ctxSlot(Bytes32 digest) {
    return keyed("ctx", digest);
  }

  static Bytes32 wonSlot(Bytes32 contextDigest, Bytes32 minerId) {
    return keyed("won", contextDigest, minerId);
  }

  private static Bytes32 keyed(String tag, Bytes... parts) {
    Bytes[] all = new Bytes[parts.length + 1];
    all[0] = Bytes.wrap(tag.getBytes(StandardCharsets.US_ASCII));
    System.arraycopy(parts, 0, all, 1, parts.length);
    return Hashes.keccak256(Bytes.concatenate(all));
  }

  private static BigInteger load(ModuleCall c, int n) {
    return c.load(slot(n)).toUnsignedBigInteger();
  }

  private static void store(ModuleCall c, int n, BigInteger v) {
    c.store(slot(n), ChunkRewards.uint(v));
  }

  private static Bytes32 u(long v) {
    return Bytes32.leftPad(Bytes.ofUnsignedLong(v));
  }
}
