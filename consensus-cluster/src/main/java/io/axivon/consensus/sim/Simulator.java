package io.axivon.consensus.sim;

import io.axivon.consensus.app.KvApplication;
import io.axivon.consensus.engine.Effect;
import io.axivon.consensus.engine.Engine;
import io.axivon.consensus.engine.EngineConfig;
import io.axivon.consensus.engine.Event;
import io.axivon.consensus.engine.State;
import io.axivon.consensus.engine.TimeoutConfig;
import io.axivon.consensus.engine.Transition;
import io.axivon.consensus.types.Block;
import io.axivon.consensus.types.ConsensusMessage;
import io.axivon.consensus.types.Proposal;
import io.axivon.consensus.types.Signer;
import io.axivon.consensus.types.Validator;
import io.axivon.consensus.types.ValidatorSet;
import io.axivon.consensus.types.Vote;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A deterministic simulation (in the spirit of TigerBeetle's VOPR): one seed drives N engines over
 * a simulated network with loss, delay, duplication, reordering, a partition that heals, crashes
 * with restarts from each node's persisted state, and byzantine validators below a third of the
 * stake. Simulated time only; no threads. The same seed and options always give the same run.
 *
 * <p>Checked: safety (honest nodes never decide different blocks at a height and agree on the app
 * hash; no honest node signs two different votes or proposals for one height/round/step), validity
 * (decided blocks chain and pass the application's check) and liveness (after the global
 * stabilisation time GST, when loss and partitions stop and crashed nodes are back, every honest
 * node reaches the target height).
 */
public final class Simulator {
  static final String CHAIN_ID = "axivon-sim";
  static final TimeoutConfig TIMEOUTS = new TimeoutConfig(300, 100, 150, 50, 150, 50, 10);
  private static final long REBROADCAST_MS = 400;
  private static final long MAX_EVENTS = 300_000;
  private static final long LIVENESS_WINDOW_MS = 120_000;

  private final long seed;
  private final SimOptions options;
  private final SplittableRandom random;
  private final PriorityQueue<Scheduled> queue =
      new PriorityQueue<>(
          (a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
  private final List<Node> nodes = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();
  private final Map<Long, Bytes32> decidedHash = new HashMap<>();
  private final Map<Long, Bytes32> decidedAppHash = new HashMap<>();
  private final Map<String, Bytes32> honestSigned = new HashMap<>();
  private ValidatorSet validators;
  private boolean safetyViolated;
  private long now;
  private long seq;
  private long events;
  private long messages;
  private long evidence;
  private long gst;
  private double loss;
  private double duplication;
  private long maxDelay;
  private int[] partitionSide;
  private long partitionStart;

  private Simulator(long seed, SimOptions options) {
    this.seed = seed;
    this.options = options;
    this.random = new SplittableRandom(seed);
  }

  /**
   * Runs one simulation; never throws for a protocol failure, it reports it. With {@link
   * SimOptions#chains()} above 1 it simulates a cluster (see {@link ClusterSimulator}).
   */
  public static SimReport run(long seed, SimOptions options) {
    if (options.chains() > 1) {
      return ClusterSimulator.run(seed, options);
    }
    return new Simulator(seed, options).execute();
  }

  private record Scheduled(long time, long seq, int node, int epoch, Object what) {}

  private record Deliver(Event event) {}

  private record Crash() {}

  private record Restart() {}

  private record Rebroadcast() {}

  private final class Node {
    final int id;
    final Byzantine byzantine;
    final Signer signer;
    int epoch;
    boolean alive = true;
    Engine engine;
    KvApplication app;
    State state;
    final List<Effect.Decided> chain = new ArrayList<>();
    final Map<String, Long> lastDecisionSent = new HashMap<>();

    Node(int id, Byzantine byzantine) {
      this.id = id;
      this.byzantine = byzantine;
      this.signer = SimKeys.signer(SimKeys.publicKey(id));
    }

    boolean honest() {
      return byzantine == null;
    }

    int index() {
      return validators.indexOf(SimKeys.publicKey(id));
    }
  }

  private void violation(String what) {
    violations.add(what);
    // After a safety failure the run has shown what it can; stop (liveness is moot).
    safetyViolated = true;
  }

  private SimReport execute() {
    setUp();
    for (Node n : nodes) {
      boot(n, null);
    }
    while (!queue.isEmpty() && events < MAX_EVENTS) {
      if (done() || safetyViolated) {
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
    long minHeight = Long.MAX_VALUE;
    for (Node n : nodes) {
      if (n.honest()) {
        minHeight = Math.min(minHeight, n.chain.size());
        if (n.chain.size() < options.heights()) {
          violations.add(
              "liveness: honest node "
                  + n.id
                  + " decided only "
                  + n.chain.size()
                  + " of "
                  + options.heights()
                  + " heights by "
                  + now
                  + " ms (GST "
                  + gst
                  + " ms)");
        }
      }
    }
    List<String> byz = new ArrayList<>();
    for (Node n : nodes) {
      if (!n.honest()) {
        byz.add(n.id + ":" + n.byzantine);
      }
    }
    return new SimReport(
        seed,
        nodes.size(),
        byz,
        minHeight == Long.MAX_VALUE ? 0 : minHeight,
        now,
        events,
        messages,
        evidence,
        violations);
  }

  private boolean done() {
    for (Node n : nodes) {
      if (n.honest() && n.chain.size() < options.heights()) {
        return false;
      }
    }
    return true;
  }

  // ---- set-up: the seed picks the faults ----
  private void setUp() {
    int n = options.nodes();
    boolean faults = options.randomFaults();
    long[] power = new long[n];
    for (int i = 0; i < n; i++) {
      power[i] = options.weighted() && faults ? 1 + random.nextInt(10) : 10;
    }
    List<Validator> vs = new ArrayList<>();
    long total = 0;
    for (int i = 0; i < n; i++) {
      vs.add(new Validator(SimKeys.publicKey(i), power[i]));
      total += power[i];
    }
    validators = ValidatorSet.of(vs);

    // Byzantine validators: below a third of the stake, in a seed-chosen order.
    List<Integer> order = Shuffle.indices(n, random);
    Byzantine[] kind = new Byzantine[n];
    List<Byzantine> kinds = options.byzantine();
    int wanted = faults ? (kinds.isEmpty() ? 0 : random.nextInt(n)) : kinds.size();
    long byzPower = 0;
    int chosen = 0;
    for (int i : order) {
      if (chosen >= wanted) {
        break;
      }
      if (3 * (byzPower + power[i]) < total) {
        kind[i] = faults ? kinds.get(random.nextInt(kinds.size())) : kinds.get(chosen);
        byzPower += power[i];
        chosen++;
      }
    }
    if (!faults && chosen < kinds.size()) {
      throw new IllegalArgumentException(
          "cannot make " + kinds.size() + " of " + n + " validators byzantine below 1/3 stake");
    }
    for (int i = 0; i < n; i++) {
      nodes.add(new Node(i, kind[i]));
    }

    loss = faults ? random.nextDouble() * 0.3 : options.loss();
    duplication = faults ? random.nextDouble() * 0.1 : options.duplication();
    maxDelay = faults ? 5 + random.nextInt(200) : 50;
    gst =
        faults || loss > 0 || options.partitions() || options.crashes() ? random.nextInt(4000) : 0;
    if (options.partitions() && (!faults || random.nextBoolean()) && gst > 0) {
      partitionSide = new int[n];
      for (int i = 0; i < n; i++) {
        partitionSide[i] = random.nextInt(2);
      }
      partitionStart = random.nextLong(gst);
    }
    if (options.crashes() && (!faults || random.nextBoolean()) && gst > 0) {
      int crashes = 1 + random.nextInt(2);
      for (int c = 0; c < crashes; c++) {
        int victim = random.nextInt(n);
        long at = random.nextLong(gst);
        long back = at + random.nextLong(gst - at + 1);
        schedule(at, victim, new Crash());
        schedule(back, victim, new Restart());
      }
    }
  }

  // ---- node life cycle ----
  private void boot(Node n, State persisted) {
    n.epoch++;
    n.alive = true;
    n.app = new KvApplication();
    EngineConfig config =
        new EngineConfig(
            CHAIN_ID, SimKeys.publicKey(n.id), TIMEOUTS, 1 << 16, options.brokenLockRule());
    n.engine = new Engine(config, n.app, n.signer, SimKeys.VERIFIER);
    // The application state is rebuilt from the node's own decided blocks.
    for (Effect.Decided d : n.chain) {
      n.app.finalizeBlock(d.block());
      n.app.commit();
    }
    submitTx(n, n.chain.size() + 1);
    Transition t =
        persisted == null
            ? n.engine.start(1, validators, Bytes32.ZERO, Bytes32.ZERO)
            : n.engine.resume(persisted);
    apply(n, t);
    schedule(now + REBROADCAST_MS + random.nextInt(100), n.id, new Rebroadcast(), n.epoch);
  }

  private void submitTx(Node n, long height) {
    String tx = "n" + n.id + "h" + height + "=" + Long.toHexString(random.nextLong());
    n.app.submit(Bytes.wrap(tx.getBytes(StandardCharsets.UTF_8)));
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
          // Persisted: decided blocks (n.chain) and own signed messages and locks (state).
          boot(n, n.state);
        }
      }
      case Rebroadcast r -> {
        if (n.alive && s.epoch == n.epoch) {
          rebroadcast(n);
          schedule(now + REBROADCAST_MS, n.id, new Rebroadcast(), n.epoch);
        }
      }
      case Deliver d -> {
        if (n.alive && (s.epoch == 0 || s.epoch == n.epoch)) {
          apply(n, n.engine.step(n.state, d.event));
        }
      }
      default -> throw new IllegalStateException("unknown event " + s.what);
    }
  }

  /**
   * Gossip retransmission: re-sends the node's own messages of its height and relays every vote and
   * proposal it holds there, so that after GST every message an honest node has reaches all.
   */
  private void rebroadcast(Node n) {
    State st = n.state;
    for (Proposal p : st.ownProposals().values()) {
      send(n, p, true);
    }
    for (Vote v : st.ownPrevotes().values()) {
      send(n, v, true);
    }
    for (Vote v : st.ownPrecommits().values()) {
      send(n, v, true);
    }
    if (n.byzantine == Byzantine.SILENT) {
      return;
    }
    int self = n.index();
    // Only the rounds liveness needs: the valid round's polka, the last two rounds, later ones.
    int from = st.round() - 1;
    for (Proposal p : st.proposals().values()) {
      if (p.proposerIndex() != self && (p.round() >= from || p.round() == st.validRound())) {
        relay(n, new Event.ProposalReceived(p));
      }
    }
    for (var entry : st.votes().entrySet()) {
      if (entry.getKey() < from && entry.getKey() != st.validRound()) {
        continue;
      }
      var rv = entry.getValue();
      for (Vote v : rv.prevotes().all()) {
        if (v.validatorIndex() != self) {
          relay(n, new Event.VoteReceived(v));
        }
      }
      for (Vote v : rv.precommits().all()) {
        if (v.validatorIndex() != self) {
          relay(n, new Event.VoteReceived(v));
        }
      }
    }
  }

  private void relay(Node from, Event event) {
    for (Node to : nodes) {
      if (to.id != from.id) {
        transmit(from.id, to.id, event);
      }
    }
  }

  private void apply(Node n, Transition t) {
    n.state = t.state();
    for (Effect e : t.effects()) {
      switch (e) {
        case Effect.Broadcast b -> send(n, b.message(), false);
        case Effect.ScheduleTimeout st ->
            schedule(
                now + st.delayMillis(),
                n.id,
                new Deliver(new Event.TimeoutFired(st.timeout())),
                n.epoch);
        case Effect.Decided d -> decided(n, d);
        case Effect.EvidenceFound ev -> {
          if (n.honest()) {
            evidence++;
            if (!nodes.get(nodeOfIndex(ev.evidence().validatorIndex())).honest()) {
              continue;
            }
            violation("evidence against honest validator: " + ev.evidence());
          }
        }
        case Effect.SendDecision sd -> sendDecision(n, sd);
        case Effect.Dropped dr -> {
          // Bad input from byzantine nodes is expected; nothing to check.
        }
      }
    }
  }

  private int nodeOfIndex(int validatorIndex) {
    for (Node n : nodes) {
      if (n.index() == validatorIndex) {
        return n.id;
      }
    }
    throw new IllegalStateException("no node for validator " + validatorIndex);
  }

  private void decided(Node n, Effect.Decided d) {
    Block b = d.block();
    long h = b.height();
    if (h != n.chain.size() + 1) {
      violation("node " + n.id + " decided height " + h + " after " + n.chain.size());
    }
    n.chain.add(d);
    n.app.commit();
    if (!n.honest()) {
      submitTx(n, h + 1);
      return;
    }
    Bytes32 prior = decidedHash.putIfAbsent(h, b.hash());
    if (prior != null && !prior.equals(b.hash())) {
      violation(
          "safety: height "
              + h
              + " decided as "
              + prior
              + " and as "
              + b.hash()
              + " (node "
              + n.id
              + ")");
    }
    Bytes32 priorApp = decidedAppHash.putIfAbsent(h, d.result().appHash());
    if (priorApp != null && !priorApp.equals(d.result().appHash())) {
      violation("safety: app hash differs at height " + h + " (node " + n.id + ")");
    }
    Bytes32 parent =
        n.chain.size() >= 2 ? n.chain.get(n.chain.size() - 2).block().hash() : Bytes32.ZERO;
    if (!b.header().parentHash().equals(parent) || !b.txRootMatches()) {
      violation("validity: block at height " + h + " does not extend node " + n.id + "'s chain");
    }
    if (!new KvApplication().processProposal(b)) {
      violation("validity: invalid transaction decided at height " + h);
    }
    submitTx(n, h + 1);
  }

  private void sendDecision(Node n, Effect.SendDecision sd) {
    if (!n.honest() && n.byzantine == Byzantine.SILENT) {
      return;
    }
    long h = sd.height();
    if (h < 1 || h > n.chain.size()) {
      return;
    }
    String key = sd.peer() + "/" + h;
    Long last = n.lastDecisionSent.get(key);
    if (last != null && now - last < REBROADCAST_MS) {
      return;
    }
    n.lastDecisionSent.put(key, now);
    Effect.Decided d = n.chain.get((int) h - 1);
    transmit(n.id, nodeOfIndex(sd.peer()), new Event.DecisionReceived(d.block(), d.precommits()));
  }

  // ---- network ----
  private void send(Node from, ConsensusMessage m, boolean resend) {
    if (from.honest() && !resend) {
      recordHonest(from, m);
    }
    if (from.byzantine == Byzantine.SILENT) {
      return;
    }
    ConsensusMessage alternative =
        from.honest()
            ? null
            : ByzantineTwin.forge(from.byzantine, from.signer, CHAIN_ID, random, m);
    for (Node to : nodes) {
      if (to.id == from.id) {
        continue;
      }
      ConsensusMessage out = alternative != null && (to.id % 2 == 1) ? alternative : m;
      transmit(from.id, to.id, ByzantineTwin.received(out));
    }
  }

  private void recordHonest(Node from, ConsensusMessage m) {
    String key;
    Bytes32 value;
    switch (m) {
      case Vote v -> {
        key = "v/" + v.validatorIndex() + "/" + v.height() + "/" + v.round() + "/" + v.type();
        value = v.blockHash().orElse(Bytes32.ZERO);
      }
      case Proposal p -> {
        key = "p/" + p.proposerIndex() + "/" + p.height() + "/" + p.round();
        value = p.block().hash();
      }
    }
    Bytes32 prior = honestSigned.putIfAbsent(key, value);
    if (prior != null && !prior.equals(value)) {
      violation("honest double-sign by node " + from.id + ": " + key);
    }
  }

  private void transmit(int from, int to, Event event) {
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
    schedule(now + 1 + random.nextLong(maxDelay), to, new Deliver(event), 0);
    if (random.nextDouble() < duplication) {
      schedule(now + 1 + random.nextLong(maxDelay * 2), to, new Deliver(event), 0);
    }
  }

  private void schedule(long time, int node, Object what) {
    schedule(time, node, what, 0);
  }

  private void schedule(long time, int node, Object what, int epoch) {
    queue.add(new Scheduled(time, seq++, node, epoch, what));
  }
}
