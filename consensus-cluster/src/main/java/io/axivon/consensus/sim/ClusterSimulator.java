package io.axivon.consensus.sim;

import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.app.Application;
import io.axivon.consensus.engine.Effect;
import io.axivon.consensus.engine.Engine;
import io.axivon.consensus.engine.EngineConfig;
import io.axivon.consensus.engine.Event;
import io.axivon.consensus.engine.State;
import io.axivon.consensus.engine.Transition;
import io.axivon.consensus.execution.staking.GenesisValidator;
import io.axivon.consensus.execution.staking.StakingConfig;
import io.axivon.consensus.types.Block;
import io.axivon.consensus.types.BlockHeader;
import io.axivon.consensus.types.ChainEvidence;
import io.axivon.consensus.types.ConsensusMessage;
import io.axivon.consensus.types.Evidence;
import io.axivon.consensus.types.Proposal;
import io.axivon.consensus.types.Signer;
import io.axivon.consensus.types.Validator;
import io.axivon.consensus.types.ValidatorSet;
import io.axivon.consensus.types.Vote;
import io.axivon.consensus.types.VoteType;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The multi-chain simulation ({@link SimOptions#chains()} of 2 to {@value SimOptions#MAX_CHAINS}):
 * every simulated node runs one engine per chain over the one seeded network, as a validator runs
 * every chain of a cluster. Chain 0's application is the real staking ledger ({@link StakeApp});
 * chains i &gt; 0 follow chain 0's set through a light client in their state machine ({@link
 * FollowerApp}), fed by each proposer from what its own chain-0 replica decided. During the run the
 * seed schedules a delegation, a new validator's registration and an undelegation on chain 0;
 * byzantine validators misbehave on chains i &gt; 0 only, and each honest node that finds their
 * double votes relays the evidence to chain 0 (after a seeded delay, sometimes twice, late), where
 * the ledger slashes once and refuses the replays.
 *
 * <p>Checked on every decision: safety and validity of each chain; chain 0 signed by the set its
 * ledger defined for the height's epoch; each block of a chain i &gt; 0 signed by exactly the set
 * chain 0 defined for the epoch its light client follows, a set whose boundary chain 0 had already
 * finalized, with a commit of that set (no stale or unknown set); and from the first epoch boundary
 * after a slash, the offender in no chain's set. At the end: each byzantine validator whose
 * evidence reached chain 0 slashed exactly once and every replay refused, no honest one slashed,
 * every planned stake change applied, and liveness after GST: every chain reaches its height and
 * runs chain 0's latest set.
 */
final class ClusterSimulator {
  static final long EPOCH = 3;
  private static final long REBROADCAST_MS = 400;
  private static final long MAX_EVENTS = 3_000_000;
  private static final long LIVENESS_WINDOW_MS = 120_000;
  private static final long GENESIS_AXN = 100;
  private static final long MIN_SELF_AXN = 50;

  private final long seed;
  private final SimOptions options;
  private final SplittableRandom random;
  private final boolean brokenFollowers;
  private final int chains;
  private final PriorityQueue<Scheduled> queue =
      new PriorityQueue<>(
          (a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
  private final List<Node> nodes = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();
  private final List<Map<Long, Bytes32>> decidedHash = new ArrayList<>();
  private final List<Map<Long, Bytes32>> decidedAppHash = new ArrayList<>();
  private final Map<String, Bytes32> honestSigned = new HashMap<>();
  private final Map<Bytes, FollowerApp.Change> decodeCache = new HashMap<>();
  // Chain 0's sets by epoch, recorded when an honest replica finalized the epoch's boundary.
  private final Map<Long, ValidatorSet> chain0Sets = new HashMap<>();
  private final List<Planned> planned = new ArrayList<>();
  // Each validator's stake in AXN once every planned change is applied (the joiner's included).
  private final Map<Integer, Long> expectedStake = new TreeMap<>();
  private StakingConfig staking;
  private ValidatorSet genesis;
  private int joiner = -1;
  // Each slashed validator and the chain-0 height that slashed it.
  private final Map<Integer, Long> slashedAt = new TreeMap<>();
  private int pendingSubmits;
  private boolean safetyViolated;
  private long now;
  private long seq;
  private long events;
  private long messages;
  private long evidence;
  private long relays;
  private long gst;
  private double loss;
  private double duplication;
  private long maxDelay;
  private int[] partitionSide;
  private long partitionStart;

  private ClusterSimulator(long seed, SimOptions options, boolean brokenFollowers) {
    this.seed = seed;
    this.options = options;
    this.brokenFollowers = brokenFollowers;
    this.chains = options.chains();
    this.random = new SplittableRandom(seed);
  }

  static SimReport run(long seed, SimOptions options) {
    return new ClusterSimulator(seed, options, false).execute();
  }

  /**
   * A run whose chains i &gt; 0 never hand their light client's set to consensus (they keep signing
   * with the genesis set): only to prove the stale-set check can fail.
   */
  static SimReport runWithStaleFollowers(long seed, SimOptions options) {
    return new ClusterSimulator(seed, options, true).execute();
  }

  static String chainId(int chain) {
    return chain == 0 ? Simulator.CHAIN_ID : Simulator.CHAIN_ID + "-" + chain;
  }

  /** The epoch whose set signs chain-0 height {@code h} (StakingLedger.signingEpochOf). */
  static long signingEpoch(long h) {
    return h <= 1 ? 0 : (h - 2) / EPOCH;
  }

  private record Scheduled(long time, long seq, int node, int chain, int epoch, Object what) {}

  private record Deliver(Event event) {}

  private record Crash() {}

  private record Restart() {}

  private record Rebroadcast() {}

  /** A transaction reaching a node's chain-0 mempool (a client or relayer sent it). */
  private record Submit(Bytes tx) {}

  /** A stake change sent once chain 0 reached {@code atHeight}. */
  private static final class Planned {
    final String what;
    final long atHeight;
    final Bytes tx;
    boolean sent;

    Planned(String what, long atHeight, Bytes tx) {
      this.what = what;
      this.atHeight = atHeight;
      this.tx = tx;
    }
  }

  private final class Replica {
    final int chain;
    Engine engine;
    Application app;
    State state;
    final List<Effect.Decided> decided = new ArrayList<>();
    final Map<String, Long> lastDecisionSent = new HashMap<>();

    Replica(int chain) {
      this.chain = chain;
    }
  }

  private final class Node {
    final int id;
    final Byzantine byzantine;
    final Signer signer;
    final Replica[] replicas = new Replica[chains];
    final LinkedHashSet<Bytes> pool = new LinkedHashSet<>();
    // Chain-0 set changes this node's chain-0 replica decided, by chain-0 height, as transactions.
    final TreeMap<Long, Bytes> changes = new TreeMap<>();
    final Set<Bytes32> relayed = new HashSet<>();
    int epoch;
    boolean alive = true;

    Node(int id, Byzantine byzantine) {
      this.id = id;
      this.byzantine = byzantine;
      this.signer = SimKeys.signer(SimKeys.publicKey(id));
      for (int c = 0; c < chains; c++) {
        replicas[c] = new Replica(c);
      }
    }

    /** Byzantine validators misbehave on chains i > 0 and follow the protocol on chain 0. */
    boolean honest(int chain) {
      return byzantine == null || chain == 0;
    }

    Byzantine behaviour(int chain) {
      return honest(chain) ? null : byzantine;
    }
  }

  private void violation(String what) {
    violations.add(what);
    safetyViolated = true;
  }

  // ---- the run ----
  private SimReport execute() {
    setUp();
    for (Node n : nodes) {
      boot(n, false);
    }
    while (!queue.isEmpty() && events < MAX_EVENTS) {
      if (safetyViolated || done()) {
        break;
      }
      Scheduled s = queue.poll();
      now = s.time;
      if (now > gst + LIVENESS_WINDOW_MS || now > options.maxSimMillis()) {
        break;
      }
      events++;
      dispatch(s);
    }
    if (!safetyViolated) {
      for (String why : unfinished()) {
        violations.add("liveness: " + why + " by " + now + " ms (GST " + gst + " ms)");
      }
      checkSlashes();
      if (violations.isEmpty()) {
        checkFinalSet();
      }
    }
    return report();
  }

  private SimReport report() {
    List<Long> heights = new ArrayList<>();
    for (int c = 0; c < chains; c++) {
      long min = Long.MAX_VALUE;
      for (Node n : nodes) {
        if (n.honest(c)) {
          min = Math.min(min, n.replicas[c].decided.size());
        }
      }
      heights.add(min == Long.MAX_VALUE ? 0 : min);
    }
    List<String> byz = new ArrayList<>();
    for (Node n : nodes) {
      if (n.byzantine != null) {
        byz.add(n.id + ":" + n.byzantine);
      }
    }
    Node ref = reference();
    long setChanges = 0;
    for (int c = 1; c < chains; c++) {
      setChanges += ((FollowerApp) ref.replicas[c].app).appliedChanges();
    }
    List<StakeApp.Outcome> outcomes = ((StakeApp) ref.replicas[0].app).outcomes();
    long stake = outcomes.stream().filter(o -> o.kind() != 'E' && o.ok()).count();
    long slashes = outcomes.stream().filter(o -> o.kind() == 'E' && o.ok()).count();
    long refused = outcomes.stream().filter(o -> o.kind() == 'E' && !o.ok()).count();
    long chain0Changes = 0;
    for (long k = 1; chain0Sets.containsKey(k); k++) {
      if (!chain0Sets.get(k).equals(chain0Sets.get(k - 1))) {
        chain0Changes++;
      }
    }
    return new SimReport(
        seed,
        options.nodes(),
        byz,
        heights.stream().mapToLong(Long::longValue).min().orElse(0),
        now,
        events,
        messages,
        evidence,
        violations,
        chains,
        heights,
        chain0Changes,
        setChanges,
        stake,
        relays,
        slashes,
        refused);
  }

  /** The honest node with the longest chain 0: whose ledger the end checks read. */
  private Node reference() {
    Node best = nodes.get(0);
    for (Node n : nodes) {
      if (n.byzantine == null
          && (best.byzantine != null
              || n.replicas[0].decided.size() > best.replicas[0].decided.size())) {
        best = n;
      }
    }
    return best;
  }

  private long chain0Target() {
    long lastPlanned = planned.stream().mapToLong(p -> p.atHeight).max().orElse(0);
    // The epoch after the last change's must have begun: its boundary, then two heights on.
    long epochs = lastPlanned / EPOCH + 2;
    return Math.max(options.heights(), epochs * EPOCH + 2);
  }

  private boolean done() {
    return (events & 63) == 0 && unfinished().isEmpty();
  }

  /** What liveness still waits for (empty when the run is complete). */
  private List<String> unfinished() {
    List<String> out = new ArrayList<>();
    long target0 = chain0Target();
    long min0 = Long.MAX_VALUE;
    for (Node n : nodes) {
      for (int c = 0; c < chains; c++) {
        long target = c == 0 ? target0 : options.heights();
        if (n.honest(c) && n.replicas[c].decided.size() < target) {
          out.add(
              "honest node "
                  + n.id
                  + " decided only "
                  + n.replicas[c].decided.size()
                  + " of "
                  + target
                  + " heights of chain "
                  + c);
        }
      }
      if (n.byzantine == null) {
        min0 = Math.min(min0, n.replicas[0].decided.size());
      }
    }
    if (!out.isEmpty()) {
      return out;
    }
    for (Planned p : planned) {
      if (!p.sent) {
        out.add("stake change '" + p.what + "' never sent");
      }
    }
    if (pendingSubmits > 0) {
      out.add(pendingSubmits + " transactions still on their way to chain 0");
    }
    for (Node n : nodes) {
      if (n.alive && n.byzantine == null && !n.pool.isEmpty()) {
        out.add("node " + n.id + " still holds " + n.pool.size() + " chain-0 transactions");
        break;
      }
    }
    for (long s : slashedAt.values()) {
      long boundary = (s + EPOCH - 1) / EPOCH * EPOCH;
      if (min0 < boundary + 2) {
        out.add("chain 0 has not reached the set after the slash at " + s);
      }
    }
    if (!out.isEmpty()) {
      return out;
    }
    // Every chain runs chain 0's latest set: the one signing chain 0's lowest honest height.
    ValidatorSet latest = chain0Sets.get(signingEpoch(min0));
    for (Node n : nodes) {
      for (int c = 1; c < chains; c++) {
        List<Effect.Decided> d = n.replicas[c].decided;
        if (n.honest(c)
            && (latest == null
                || !d.getLast().block().header().validatorsHash().equals(latest.hash()))) {
          out.add("node " + n.id + " does not run chain 0's latest set on chain " + c);
        }
      }
    }
    return out;
  }

  // ---- set-up: the seed picks the faults, the stakes and the stake changes ----
  private void setUp() {
    int n = options.nodes();
    boolean faults = options.randomFaults();
    for (int c = 0; c < chains; c++) {
      decidedHash.add(new HashMap<>());
      decidedAppHash.add(new HashMap<>());
    }
    long[] stake = new long[n];
    long total = 0;
    List<GenesisValidator> gv = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      stake[i] = options.weighted() && faults ? 60 + random.nextInt(81) : GENESIS_AXN;
      total += stake[i];
      gv.add(
          new GenesisValidator(
              SimKeys.operator(i), SimKeys.publicKey(i), StakeApp.AXN.multiply(big(stake[i])), 0));
    }
    staking =
        new StakingConfig(
            chainId(0),
            EPOCH,
            1_000,
            StakeApp.AXN.multiply(big(MIN_SELF_AXN)),
            100,
            500,
            1_000,
            gv);
    genesis = staking.genesisValidatorSet();
    chain0Sets.put(0L, genesis);

    // Byzantine validators: below a third of the genesis stake, in a seed-chosen order.
    Byzantine[] kind = new Byzantine[n + 1];
    List<Byzantine> kinds = options.byzantine();
    int wanted = faults ? (kinds.isEmpty() ? 0 : random.nextInt(n)) : kinds.size();
    long byzStake = 0;
    int chosen = 0;
    for (int i : Shuffle.indices(n, random)) {
      if (chosen >= wanted) {
        break;
      }
      if (3 * (byzStake + stake[i]) < total) {
        kind[i] = faults ? kinds.get(random.nextInt(kinds.size())) : kinds.get(chosen);
        byzStake += stake[i];
        chosen++;
      }
    }
    if (!faults && chosen < kinds.size()) {
      throw new IllegalArgumentException(
          "cannot make " + kinds.size() + " of " + n + " validators byzantine below 1/3 stake");
    }
    // One more node runs every chain from the start and registers as a validator on the way.
    joiner = n;
    for (int i = 0; i <= n; i++) {
      nodes.add(new Node(i, kind[i]));
    }
    for (int i = 0; i < n; i++) {
      expectedStake.put(i, stake[i]);
    }
    planStakeChanges(stake, kind, total, byzStake);

    loss = faults ? random.nextDouble() * 0.3 : options.loss();
    duplication = faults ? random.nextDouble() * 0.1 : options.duplication();
    maxDelay = faults ? 5 + random.nextInt(200) : 50;
    gst =
        faults || loss > 0 || options.partitions() || options.crashes() ? random.nextInt(4000) : 0;
    if (options.partitions() && (!faults || random.nextBoolean()) && gst > 0) {
      partitionSide = new int[n + 1];
      for (int i = 0; i <= n; i++) {
        partitionSide[i] = random.nextInt(2);
      }
      partitionStart = random.nextLong(gst);
    }
    if (options.crashes() && (!faults || random.nextBoolean()) && gst > 0) {
      int crashes = 1 + random.nextInt(2);
      for (int c = 0; c < crashes; c++) {
        int victim = random.nextInt(n + 1);
        long at = random.nextLong(gst);
        long back = at + random.nextLong(gst - at + 1);
        schedule(at, victim, 0, new Crash(), 0);
        schedule(back, victim, 0, new Restart(), 0);
      }
    }
  }

  /**
   * A delegation to an honest validator in epoch 0, the joiner's registration in epoch 1, an
   * undelegation from an honest validator in epoch 2 (kept small enough that the byzantine stake
   * stays below a third of every set).
   */
  private void planStakeChanges(long[] stake, Byzantine[] kind, long total, long byzStake) {
    List<Integer> honest = new ArrayList<>();
    for (int i = 0; i < stake.length; i++) {
      if (kind[i] == null) {
        honest.add(i);
      }
    }
    int a = honest.get(random.nextInt(honest.size()));
    long more = 10 + random.nextInt(51);
    planned.add(
        new Planned(
            "delegate " + more + " AXN to validator " + a,
            1 + random.nextInt((int) EPOCH),
            StakeApp.delegate(a, "delegator-0", more)));
    expectedStake.merge(a, more, Long::sum);
    planned.add(
        new Planned(
            "register validator " + joiner + " with " + GENESIS_AXN + " AXN",
            EPOCH + 1 + random.nextInt((int) EPOCH),
            StakeApp.register(joiner, GENESIS_AXN)));
    expectedStake.put(joiner, GENESIS_AXN);
    int b = honest.get(random.nextInt(honest.size()));
    long less = Math.min(stake[b] - MIN_SELF_AXN, 10 + random.nextInt(31));
    if (less > 0 && 3 * byzStake < total - less) {
      planned.add(
          new Planned(
              "undelegate " + less + " AXN from validator " + b,
              2 * EPOCH + 1 + random.nextInt((int) EPOCH),
              StakeApp.undelegate(b, "operator-" + b, less)));
      expectedStake.merge(b, -less, Long::sum);
    }
  }

  private static BigInteger big(long v) {
    return BigInteger.valueOf(v);
  }

  // ---- node life cycle ----
  private Application newApp(Node n, int chain) {
    if (chain == 0) {
      List<Address> funded = new ArrayList<>();
      funded.add(SimKeys.account("delegator-0"));
      funded.add(SimKeys.operator(joiner));
      return new StakeApp(staking, funded, () -> List.copyOf(n.pool));
    }
    return new FollowerApp(
        chainId(0),
        genesis,
        from -> List.copyOf(n.changes.tailMap(from, true).values()),
        decodeCache,
        brokenFollowers);
  }

  /** Starts (or restarts from its persisted state) every replica of {@code n}. */
  private void boot(Node n, boolean restart) {
    n.epoch++;
    n.alive = true;
    n.pool.clear();
    n.changes.clear();
    for (Replica r : n.replicas) {
      r.app = newApp(n, r.chain);
      EngineConfig config =
          new EngineConfig(
              chainId(r.chain),
              SimKeys.publicKey(n.id),
              Simulator.TIMEOUTS,
              1 << 16,
              options.brokenLockRule());
      r.engine = new Engine(config, r.app, n.signer, SimKeys.VERIFIER);
      // The application state is rebuilt from the replica's own decided blocks.
      for (Effect.Decided d : r.decided) {
        r.app.finalizeBlock(d.block());
        r.app.commit();
        if (r.chain == 0) {
          noteChain0Decision(n, d);
        }
      }
    }
    for (Replica r : n.replicas) {
      Transition t =
          restart
              ? r.engine.resume(r.state)
              : r.engine.start(1, genesis, Bytes32.ZERO, Bytes32.ZERO);
      apply(n, r, t);
    }
    schedule(now + REBROADCAST_MS + random.nextInt(100), n.id, 0, new Rebroadcast(), n.epoch);
  }

  private void dispatch(Scheduled s) {
    Node n = nodes.get(s.node);
    switch (s.what) {
      case Crash c -> {
        if (n.alive) {
          n.alive = false;
          n.epoch++;
        }
      }
      case Restart r -> {
        if (!n.alive) {
          boot(n, true);
        }
      }
      case Rebroadcast r -> {
        if (n.alive && s.epoch == n.epoch) {
          for (Replica rep : n.replicas) {
            rebroadcast(n, rep);
          }
          schedule(now + REBROADCAST_MS, n.id, 0, new Rebroadcast(), n.epoch);
        }
      }
      case Submit sub -> {
        pendingSubmits--;
        // A stake change is sent once (a mempool would refuse it again by its nonce); evidence
        // that arrives after it is on chain is a replay the ledger must refuse, so it goes in.
        if (n.alive
            && (sub.tx.get(0) == 'E'
                || n.replicas[0].decided.stream().noneMatch(d -> contains(d, sub.tx)))) {
          n.pool.add(sub.tx);
        }
      }
      case Deliver d -> {
        Replica rep = n.replicas[s.chain];
        if (n.alive && (s.epoch == 0 || s.epoch == n.epoch)) {
          apply(n, rep, rep.engine.step(rep.state, d.event));
        }
      }
      default -> throw new IllegalStateException("unknown event " + s.what);
    }
  }

  private static boolean contains(Effect.Decided d, Bytes tx) {
    return d.block().transactions().contains(tx);
  }

  /**
   * Gossip retransmission, as in the single-chain simulation, plus block sync: a peer whose chain
   * is behind this replica's gets the decision of its next height (followers, which no validator
   * index names, would otherwise never catch up after a loss).
   */
  private void rebroadcast(Node n, Replica r) {
    State st = r.state;
    for (Proposal p : st.ownProposals().values()) {
      send(n, r, p, true);
    }
    for (Vote v : st.ownPrevotes().values()) {
      send(n, r, v, true);
    }
    for (Vote v : st.ownPrecommits().values()) {
      send(n, r, v, true);
    }
    if (n.behaviour(r.chain) == Byzantine.SILENT) {
      return;
    }
    int self = st.validators().indexOf(SimKeys.publicKey(n.id));
    int from = st.round() - 1;
    for (Proposal p : st.proposals().values()) {
      if (p.proposerIndex() != self && (p.round() >= from || p.round() == st.validRound())) {
        relay(n, r, new Event.ProposalReceived(p));
      }
    }
    for (var entry : st.votes().entrySet()) {
      if (entry.getKey() < from && entry.getKey() != st.validRound()) {
        continue;
      }
      var rv = entry.getValue();
      for (Vote v : rv.prevotes().all()) {
        if (v.validatorIndex() != self) {
          relay(n, r, new Event.VoteReceived(v));
        }
      }
      for (Vote v : rv.precommits().all()) {
        if (v.validatorIndex() != self) {
          relay(n, r, new Event.VoteReceived(v));
        }
      }
    }
    for (Node to : nodes) {
      int behind = to.replicas[r.chain].decided.size();
      if (to.id != n.id && behind < r.decided.size()) {
        sendDecision(n, r, to.id, behind + 1);
      }
    }
  }

  private void relay(Node from, Replica r, Event event) {
    for (Node to : nodes) {
      if (to.id != from.id) {
        transmit(from.id, to.id, r.chain, event);
      }
    }
  }

  private void apply(Node n, Replica r, Transition t) {
    // Evidence is found at the height the engine was at before this step (a decision in the same
    // step moves it on; its Decided effect comes after the evidence).
    State before = r.state;
    r.state = t.state();
    for (Effect e : t.effects()) {
      switch (e) {
        case Effect.Broadcast b -> send(n, r, b.message(), false);
        case Effect.ScheduleTimeout st ->
            schedule(
                now + st.delayMillis(),
                n.id,
                r.chain,
                new Deliver(new Event.TimeoutFired(st.timeout())),
                n.epoch);
        case Effect.Decided d -> decided(n, r, d);
        case Effect.EvidenceFound ev -> evidenceFound(n, r, before, ev.evidence());
        case Effect.SendDecision sd -> {
          int peer = nodeOfKey(r.state.validators(), sd.peer());
          if (peer >= 0) {
            sendDecision(n, r, peer, sd.height());
          }
        }
        case Effect.Dropped dr -> {
          // Bad input from byzantine nodes is expected; nothing to check.
        }
      }
    }
  }

  private static int nodeOfKey(ValidatorSet set, int index) {
    return index >= 0 && index < set.size() ? SimKeys.nodeOf(set.get(index).publicKey()) : -1;
  }

  // ---- evidence: found on a chain, relayed to chain 0 ----
  private void evidenceFound(Node n, Replica r, State before, Evidence ev) {
    if (!n.honest(r.chain)) {
      return;
    }
    evidence++;
    long h = ev.first().height();
    Bytes32 setHash = null;
    if (before != null && h == before.height()) {
      setHash = before.validatorsHash();
    } else if (h == r.state.height()) {
      setHash = r.state.validatorsHash();
    } else if (h >= 1 && h <= r.decided.size()) {
      setHash = r.decided.get((int) h - 1).block().header().validatorsHash();
    }
    ValidatorSet set = setHash == null ? null : setByHash(setHash);
    int offender = set == null ? -1 : nodeOfKey(set, ev.validatorIndex());
    if (offender < 0 || nodes.get(offender).honest(r.chain)) {
      violation("evidence against honest validator on chain " + r.chain + ": " + ev);
      return;
    }
    if (r.chain == 0) {
      return; // chain 0's own evidence takes the block path, not simulated here
    }
    ChainEvidence ce = new ChainEvidence(chainId(r.chain), setHash, ev);
    if (!n.relayed.add(ce.replayKey())) {
      return;
    }
    // The relayer: after a seeded delay, sometimes a second time much later (a replay).
    Bytes tx = StakeApp.evidence(ce);
    submitToAll(tx, 1 + random.nextInt(1_000));
    relays++;
    if (random.nextBoolean()) {
      submitToAll(tx, 1_000 + random.nextInt(3_000));
      relays++;
    }
  }

  private ValidatorSet setByHash(Bytes32 hash) {
    for (long k = 0; chain0Sets.containsKey(k); k++) {
      if (chain0Sets.get(k).hash().equals(hash)) {
        return chain0Sets.get(k);
      }
    }
    return null;
  }

  /** Sends {@code tx} to every node's chain-0 mempool, each after its own short delay. */
  private void submitToAll(Bytes tx, long delay) {
    for (Node to : nodes) {
      pendingSubmits++;
      schedule(now + delay + random.nextInt(50), to.id, 0, new Submit(tx), 0);
    }
  }

  // ---- decisions and what they must satisfy ----
  private void decided(Node n, Replica r, Effect.Decided d) {
    Block b = d.block();
    long h = b.height();
    int c = r.chain;
    if (h != r.decided.size() + 1) {
      violation("node " + n.id + " decided height " + h + " after " + r.decided.size());
    }
    r.decided.add(d);
    r.app.commit();
    if (c == 0) {
      n.pool.removeAll(b.transactions());
      noteChain0Decision(n, d);
    }
    if (!n.honest(c)) {
      return;
    }
    Bytes32 prior = decidedHash.get(c).putIfAbsent(h, b.hash());
    if (prior != null && !prior.equals(b.hash())) {
      violation(
          "safety: chain " + c + " height " + h + " decided as " + prior + " and as " + b.hash());
    }
    Bytes32 priorApp = decidedAppHash.get(c).putIfAbsent(h, d.result().appHash());
    if (priorApp != null && !priorApp.equals(d.result().appHash())) {
      violation("safety: app hash differs at chain " + c + " height " + h + " (node " + n.id + ")");
    }
    Bytes32 parent =
        r.decided.size() >= 2 ? r.decided.get(r.decided.size() - 2).block().hash() : Bytes32.ZERO;
    if (!b.header().parentHash().equals(parent) || !b.txRootMatches()) {
      violation("validity: chain " + c + " block " + h + " does not extend node " + n.id + "'s");
    }
    if (c == 0) {
      checkChain0(n, d);
    } else {
      checkFollower(n, r, d);
    }
    if (c == 0) {
      for (Planned p : planned) {
        if (!p.sent && h >= p.atHeight) {
          p.sent = true;
          submitToAll(p.tx, 1);
        }
      }
    }
  }

  /** Chain 0: signed by its ledger's set for the height; boundaries record each epoch's set. */
  private void checkChain0(Node n, Effect.Decided d) {
    BlockHeader header = d.block().header();
    long h = header.height();
    StakeApp app = (StakeApp) n.replicas[0].app;
    ValidatorSet signing = chain0Sets.get(signingEpoch(h));
    if (signing == null || !signing.hash().equals(header.validatorsHash())) {
      violation("chain 0 height " + h + " is not signed by its epoch's set (node " + n.id + ")");
    }
    checkCommit(0, d, signing);
    for (StakeApp.Outcome o : app.outcomes()) {
      if (o.height() == h && o.kind() == 'E' && o.ok()) {
        if (o.offender() < 0 || nodes.get(o.offender()).byzantine == null) {
          violation("chain 0 slashed honest validator " + o.offender() + " at height " + h);
        }
        if (o.offender() >= 0) {
          slashedAt.putIfAbsent(o.offender(), h);
        }
      }
    }
    if (h > 1 && (h - 1) % EPOCH == 0) {
      long k = (h - 1) / EPOCH;
      ValidatorSet set = app.setOfEpoch(k).orElse(null);
      if (set == null) {
        violation("chain 0 has no set for epoch " + k + " at height " + h);
        return;
      }
      ValidatorSet known = chain0Sets.putIfAbsent(k, set);
      if (known != null && !known.equals(set)) {
        violation("safety: chain 0 nodes disagree on the set of epoch " + k);
      }
      for (var e : slashedAt.entrySet()) {
        if (k * EPOCH >= e.getValue() && set.indexOf(SimKeys.publicKey(e.getKey())) >= 0) {
          violation("slashed validator " + e.getKey() + " is in chain 0's set of epoch " + k);
        }
      }
    }
  }

  /**
   * Chain i &gt; 0: signed by exactly chain 0's set for the epoch its light client follows, a set
   * chain 0 had finalized, with a quorum of that set's precommits.
   */
  private void checkFollower(Node n, Replica r, Effect.Decided d) {
    BlockHeader header = d.block().header();
    long h = header.height();
    FollowerApp app = (FollowerApp) r.app;
    long epoch = signingEpoch(app.chain0FromHeightSigning(h));
    ValidatorSet expected = chain0Sets.get(epoch);
    if (expected == null) {
      violation(
          "chain "
              + r.chain
              + " height "
              + h
              + " is signed by the set of epoch "
              + epoch
              + ", which chain 0 has not finalized");
      return;
    }
    if (!expected.hash().equals(header.validatorsHash())) {
      violation(
          "stale set: chain "
              + r.chain
              + " height "
              + h
              + " is signed by "
              + header.validatorsHash()
              + ", not by chain 0's set of epoch "
              + epoch
              + " (node "
              + n.id
              + ")");
    }
    checkCommit(r.chain, d, expected);
    for (var e : slashedAt.entrySet()) {
      if (epoch * EPOCH >= e.getValue() && expected.indexOf(SimKeys.publicKey(e.getKey())) >= 0) {
        violation("slashed validator " + e.getKey() + " signs chain " + r.chain + " at " + h);
      }
    }
  }

  /** The decision's precommits are a quorum of {@code set} for the block. */
  private void checkCommit(int chain, Effect.Decided d, ValidatorSet set) {
    if (set == null) {
      return;
    }
    Block b = d.block();
    long power = 0;
    Set<Integer> seen = new HashSet<>();
    for (Vote v : d.precommits()) {
      if (v.type() == VoteType.PRECOMMIT
          && v.height() == b.height()
          && v.blockHash().equals(Optional.of(b.hash()))
          && seen.add(v.validatorIndex())
          && v.verify(chainId(chain), set, SimKeys.VERIFIER)) {
        power += set.power(v.validatorIndex());
      }
    }
    if (!set.isQuorum(power)) {
      violation(
          "chain " + chain + " height " + b.height() + " decided without a quorum of its set");
    }
  }

  /** A chain-0 block naming a new set becomes a set change this node offers to chains i > 0. */
  private void noteChain0Decision(Node n, Effect.Decided d) {
    BlockHeader header = d.block().header();
    if (header.nextValidatorsHash().equals(header.validatorsHash())) {
      return;
    }
    long k = (header.height() - 1) / EPOCH;
    Optional<ValidatorSet> next = ((StakeApp) n.replicas[0].app).setOfEpoch(k);
    if (next.isEmpty() || !next.get().hash().equals(header.nextValidatorsHash())) {
      violation("chain-0 header " + header.height() + " names a set its ledger did not define");
      return;
    }
    List<Vote> commit = new ArrayList<>();
    for (Vote v : d.precommits()) {
      if (v.blockHash().equals(Optional.of(d.block().hash()))) {
        commit.add(v);
      }
    }
    n.changes.put(header.height(), new FollowerApp.Change(header, commit, next.get()).toTx());
  }

  /**
   * At the end, the set every chain runs is the one the stake changes make: each validator with its
   * genesis stake plus what was delegated minus what was undelegated (power = whole AXN), the new
   * validator in, every slashed one out.
   */
  private void checkFinalSet() {
    long min0 = Long.MAX_VALUE;
    for (Node n : nodes) {
      min0 = Math.min(min0, n.replicas[0].decided.size());
    }
    ValidatorSet latest = chain0Sets.get(signingEpoch(min0));
    List<Validator> want = new ArrayList<>();
    expectedStake.forEach(
        (node, axn) -> {
          if (!slashedAt.containsKey(node)) {
            want.add(new Validator(SimKeys.publicKey(node), axn));
          }
        });
    ValidatorSet expected = ValidatorSet.of(want);
    if (latest == null || !latest.equals(expected)) {
      violations.add(
          "chain 0's final set " + describe(latest) + " is not the staked " + describe(expected));
    }
  }

  private static String describe(ValidatorSet set) {
    if (set == null) {
      return "(none)";
    }
    List<String> out = new ArrayList<>();
    for (Validator v : set.validators()) {
      out.add(SimKeys.nodeOf(v.publicKey()) + ":" + v.power());
    }
    return out.toString();
  }

  /** At the end: each offender whose evidence reached chain 0 slashed exactly once. */
  private void checkSlashes() {
    Node ref = reference();
    List<StakeApp.Outcome> outcomes = ((StakeApp) ref.replicas[0].app).outcomes();
    Map<Integer, Integer> slashes = new TreeMap<>();
    int evidenceTxs = 0;
    for (StakeApp.Outcome o : outcomes) {
      if (o.kind() == 'E') {
        evidenceTxs++;
        if (o.ok()) {
          slashes.merge(o.offender(), 1, Integer::sum);
        } else if (!o.result().equals("evidence already used")
            && !o.result().equals("validator already jailed")) {
          violations.add("chain 0 refused relayed evidence: " + o.result());
        }
      } else if (!o.ok()) {
        violations.add("stake change refused at chain-0 height " + o.height() + ": " + o.result());
      }
    }
    slashes.forEach(
        (node, count) -> {
          if (count != 1) {
            violations.add("validator " + node + " slashed " + count + " times");
          }
        });
    if (evidenceTxs > 0 && slashes.isEmpty()) {
      violations.add("relayed evidence reached chain 0 but slashed no one");
    }
    long stakeOk = outcomes.stream().filter(o -> o.kind() != 'E' && o.ok()).count();
    if (stakeOk != planned.size()) {
      violations.add(stakeOk + " of " + planned.size() + " stake changes applied on chain 0");
    }
  }

  private void sendDecision(Node n, Replica r, int peer, long h) {
    if (n.behaviour(r.chain) == Byzantine.SILENT || h < 1 || h > r.decided.size()) {
      return;
    }
    String key = peer + "/" + h;
    Long last = r.lastDecisionSent.get(key);
    if (last != null && now - last < REBROADCAST_MS) {
      return;
    }
    r.lastDecisionSent.put(key, now);
    Effect.Decided d = r.decided.get((int) h - 1);
    transmit(n.id, peer, r.chain, new Event.DecisionReceived(d.block(), d.precommits()));
  }

  // ---- network ----
  private void send(Node from, Replica r, ConsensusMessage m, boolean resend) {
    int c = r.chain;
    if (from.honest(c) && !resend) {
      recordHonest(from, c, m);
    }
    Byzantine b = from.behaviour(c);
    if (b == Byzantine.SILENT) {
      return;
    }
    ConsensusMessage alternative =
        b == null ? null : ByzantineTwin.forge(from.byzantine, from.signer, chainId(c), random, m);
    for (Node to : nodes) {
      if (to.id == from.id) {
        continue;
      }
      ConsensusMessage out = alternative != null && (to.id % 2 == 1) ? alternative : m;
      transmit(from.id, to.id, c, ByzantineTwin.received(out));
    }
  }

  private void recordHonest(Node from, int chain, ConsensusMessage m) {
    String key;
    Bytes32 value;
    switch (m) {
      case Vote v -> {
        key = chain + "/v/" + from.id + "/" + v.height() + "/" + v.round() + "/" + v.type();
        value = v.blockHash().orElse(Bytes32.ZERO);
      }
      case Proposal p -> {
        key = chain + "/p/" + from.id + "/" + p.height() + "/" + p.round();
        value = p.block().hash();
      }
    }
    Bytes32 prior = honestSigned.putIfAbsent(key, value);
    if (prior != null && !prior.equals(value)) {
      violation("honest double-sign by node " + from.id + " on chain " + chain + ": " + key);
    }
  }

  private void transmit(int from, int to, int chain, Event event) {
    messages++;
    if (now < gst) {
      if (random.nextDouble() < loss) {
        return;
      }
      if (partitionSide != null
          && now >= partitionStart
          && partitionSide[from] != partitionSide[to]) {
        return;
      }
    }
    schedule(now + 1 + random.nextLong(maxDelay), to, chain, new Deliver(event), 0);
    if (random.nextDouble() < duplication) {
      schedule(now + 1 + random.nextLong(maxDelay * 2), to, chain, new Deliver(event), 0);
    }
  }

  private void schedule(long time, int node, int chain, Object what, int epoch) {
    queue.add(new Scheduled(time, seq++, node, chain, epoch, what));
  }
}
