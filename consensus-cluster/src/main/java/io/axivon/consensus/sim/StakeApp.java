package io.axivon.consensus.sim;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.app.Application;
import io.axivon.consensus.app.FinalizeResult;
import io.axivon.consensus.app.ProposalBody;
import io.axivon.consensus.app.TxCheck;
import io.axivon.consensus.app.ValidatorUpdate;
import io.axivon.consensus.execution.staking.StakingConfig;
import io.axivon.consensus.execution.staking.StakingLedger;
import io.axivon.consensus.execution.system.ModuleCall;
import io.axivon.consensus.execution.system.ModuleRevert;
import io.axivon.consensus.execution.system.ModuleState;
import io.axivon.consensus.types.Block;
import io.axivon.consensus.types.ChainEvidence;
import io.axivon.consensus.types.ValidatorSet;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Chain 0's application in a multi-chain simulation: the real {@link StakingLedger} (epoch sets,
 * delegation, registration, cross-chain slashing and jailing, the set-hash index) over an in-memory
 * state instead of the EVM, fed by a handful of transaction kinds. Votes in evidence are checked
 * with the simulator's stand-in signatures ({@link SimKeys#VERIFIER}); everything else is the
 * product's code path.
 *
 * <p>Transactions (UTF-8, fields separated by {@code :}): {@code D:validatorNode:delegator:axn}
 * delegate, {@code U:validatorNode:delegator:axn} undelegate, {@code R:node:axn} register node's
 * key (with a real proof of possession); and {@code E} followed by an encoded {@link
 * ChainEvidence}: {@code submitChainEvidence}. Each outcome ({@code ok} or the revert reason) is
 * recorded, in block order.
 */
final class StakeApp implements Application {
  static final Address MODULE = SimKeys.account("staking-module");
  static final BigInteger AXN = StakingConfig.AXN;

  /** What one transaction did: {@code offender} is the node slashed by an accepted evidence. */
  record Outcome(long height, char kind, String result, int offender) {
    boolean ok() {
      return result.equals("ok");
    }
  }

  private final StakingLedger ledger;
  private final Storage state = new Storage();
  private final Supplier<Collection<Bytes>> pool;
  private final List<Outcome> outcomes = new ArrayList<>();
  private Bytes32 appHash = Bytes32.ZERO;
  private long lastTimeMillis;

  /**
   * @param pool the node's chain-0 mempool, read when it proposes
   * @param funded accounts given {@code 10^6} AXN at genesis to delegate and register with
   */
  StakeApp(StakingConfig config, List<Address> funded, Supplier<Collection<Bytes>> pool) {
    this.ledger = new StakingLedger(config, SimKeys.VERIFIER);
    this.pool = pool;
    for (Address a : funded) {
      state.addBalance(a, AXN.multiply(BigInteger.valueOf(1_000_000)));
    }
    ModuleCall c = ModuleCall.hook(state, MODULE, 0);
    ledger.genesis(c);
    c.flush();
  }

  static Bytes delegate(int validatorNode, String delegator, long axn) {
    return text("D:" + validatorNode + ":" + delegator + ":" + axn);
  }

  static Bytes undelegate(int validatorNode, String delegator, long axn) {
    return text("U:" + validatorNode + ":" + delegator + ":" + axn);
  }

  static Bytes register(int node, long axn) {
    return text("R:" + node + ":" + axn);
  }

  static Bytes evidence(ChainEvidence ce) {
    return Bytes.concatenate(Bytes.of('E'), ce.encode());
  }

  private static Bytes text(String s) {
    return Bytes.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  List<Outcome> outcomes() {
    return List.copyOf(outcomes);
  }

  /** Epoch {@code epoch}'s set as this node's ledger stored it. */
  Optional<ValidatorSet> setOfEpoch(long epoch) {
    ModuleCall c = new ModuleCall(state, MODULE, 0, Long.MAX_VALUE, true);
    return ledger.setOfEpoch(c, epoch).map(StakingLedger.ActiveSet::set);
  }

  @Override
  public TxCheck checkTx(Bytes tx) {
    if (tx.isEmpty() || "DURE".indexOf((char) tx.get(0)) < 0 || tx.size() > 4096) {
      return new TxCheck.Rejected("not a simulated staking transaction");
    }
    return new TxCheck.Accepted(Hashes.keccak256(tx), 0, 0, 0);
  }

  @Override
  public ProposalBody prepareProposal(long height, long maxBytes) {
    List<Bytes> txs = new ArrayList<>();
    long bytes = 0;
    for (Bytes tx : pool.get()) {
      if (bytes + tx.size() > maxBytes) {
        break;
      }
      if (checkTx(tx).accepted()) {
        txs.add(tx);
        bytes += tx.size();
      }
    }
    return new ProposalBody(txs, lastTimeMillis + 1);
  }

  @Override
  public boolean processProposal(Block block) {
    if (block.header().timeMillis() <= lastTimeMillis) {
      return false;
    }
    for (Bytes tx : block.transactions()) {
      if (!checkTx(tx).accepted()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public FinalizeResult finalizeBlock(Block block) {
    long h = block.height();
    Bytes acc = Bytes.concatenate(appHash, Bytes.ofUnsignedLong(h));
    for (Bytes tx : block.transactions()) {
      Outcome o = execute(h, tx);
      outcomes.add(o);
      acc = Hashes.keccak256(Bytes.concatenate(acc, tx, text(o.result())));
    }
    ModuleCall c = ModuleCall.hook(state, MODULE, h);
    List<ValidatorUpdate> updates = ledger.endEpoch(c, h);
    c.flush();
    for (ValidatorUpdate u : updates) {
      acc =
          Hashes.keccak256(
              Bytes.concatenate(acc, u.publicKey().toBytes(), Bytes.ofUnsignedLong(u.power())));
    }
    appHash = Hashes.keccak256(acc);
    lastTimeMillis = block.header().timeMillis();
    return new FinalizeResult(appHash, updates);
  }

  private Outcome execute(long h, Bytes tx) {
    char kind = (char) tx.get(0);
    ModuleCall c = ModuleCall.hook(state, MODULE, h);
    int offender = -1;
    try {
      if (kind == 'E') {
        ChainEvidence ce = ChainEvidence.decode(tx.slice(1));
        // Who the evidence names, read before the slash (the set index is that of the set).
        offender =
            ledger
                .recentSetByHash(c, ce.validatorsHash())
                .filter(s -> ce.evidence().validatorIndex() < s.size())
                .map(s -> SimKeys.nodeOf(s.get(ce.evidence().validatorIndex()).publicKey()))
                .orElse(-1);
        ledger.slashChain(c, ce);
      } else {
        String[] f = new String(tx.toArrayUnsafe(), StandardCharsets.UTF_8).split(":");
        switch (kind) {
          case 'D' ->
              ledger.delegate(c, SimKeys.operator(node(f[1])), SimKeys.account(f[2]), axn(f[3]));
          case 'U' ->
              ledger.undelegate(c, SimKeys.operator(node(f[1])), SimKeys.account(f[2]), axn(f[3]));
          case 'R' -> {
            int n = node(f[1]);
            ledger.register(
                c,
                SimKeys.operator(n),
                SimKeys.publicKey(n).toBytes(),
                SimKeys.proofOfPossession(n).toBytes(),
                0,
                axn(f[2]));
          }
          default -> throw new ModuleRevert("unknown transaction kind " + kind);
        }
      }
      c.flush();
      return new Outcome(h, kind, "ok", offender);
    } catch (ModuleRevert e) {
      return new Outcome(h, kind, e.getMessage(), -1);
    } catch (InvalidInputException | IllegalArgumentException | IndexOutOfBoundsException e) {
      return new Outcome(h, kind, "malformed: " + e.getMessage(), -1);
    }
  }

  private static int node(String s) {
    int n = Integer.parseInt(s);
    if (n < 0 || n >= SimKeys.MAX_NODES) {
      throw new IllegalArgumentException("no simulated node " + n);
    }
    return n;
  }

  private static BigInteger axn(String s) {
    return AXN.multiply(new BigInteger(s));
  }

  @Override
  public void commit() {
    // In memory: a restarted node replays its decided blocks.
  }

  /** The world state the ledger sees: storage slots and balances in maps. */
  private static final class Storage implements ModuleState {
    private final Map<Address, Map<Bytes32, Bytes32>> slots = new HashMap<>();
    private final Map<Address, BigInteger> balances = new HashMap<>();

    @Override
    public Bytes32 storage(Address account, Bytes32 key) {
      return slots.getOrDefault(account, Map.of()).getOrDefault(key, Bytes32.ZERO);
    }

    @Override
    public void setStorage(Address account, Bytes32 key, Bytes32 value) {
      slots.computeIfAbsent(account, a -> new HashMap<>()).put(key, value);
    }

    @Override
    public BigInteger balance(Address account) {
      return balances.getOrDefault(account, BigInteger.ZERO);
    }

    @Override
    public void addBalance(Address account, BigInteger amount) {
      balances.merge(account, amount, BigInteger::add);
    }

    @Override
    public void subBalance(Address account, BigInteger amount) {
      BigInteger left = balance(account).subtract(amount);
      if (left.signum() < 0) {
        throw new ModuleRevert("insufficient balance");
      }
      balances.put(account, left);
    }
  }
}
