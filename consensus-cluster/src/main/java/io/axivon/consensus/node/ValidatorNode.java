package io.axivon.consensus.node;

import io.axivon.common.InvalidInputException;
import io.axivon.common.codec.Rlp;
import io.axivon.common.codec.RlpLimits;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.consensus.app.Application;
import io.axivon.consensus.app.FinalizeResult;
import io.axivon.consensus.app.ForwardingApplication;
import io.axivon.consensus.app.OptimisticExecution;
import io.axivon.consensus.engine.Effect;
import io.axivon.consensus.engine.Engine;
import io.axivon.consensus.engine.EngineConfig;
import io.axivon.consensus.engine.Event;
import io.axivon.consensus.engine.State;
import io.axivon.consensus.engine.TimeoutConfig;
import io.axivon.consensus.engine.Transition;
import io.axivon.consensus.evidence.EvidencePool;
import io.axivon.consensus.mempool.AddResult;
import io.axivon.consensus.mempool.Mempool;
import io.axivon.consensus.store.BlockStore;
import io.axivon.consensus.store.ConsensusWal;
import io.axivon.consensus.store.DoubleSignException;
import io.axivon.consensus.store.GuardedSigner;
import io.axivon.consensus.store.StoredBlock;
import io.axivon.consensus.types.Block;
import io.axivon.consensus.types.BlockHeader;
import io.axivon.consensus.types.BlsSigner;
import io.axivon.consensus.types.CommitCertificate;
import io.axivon.consensus.types.ConsensusMessage;
import io.axivon.consensus.types.Evidence;
import io.axivon.consensus.types.Proposal;
import io.axivon.consensus.types.SetChange;
import io.axivon.consensus.types.SignatureVerifier;
import io.axivon.consensus.types.ValidatorSet;
import io.axivon.consensus.types.Vote;
import io.axivon.p2p.GossipValidator;
import io.axivon.p2p.NodeId;
import io.axivon.p2p.P2pNode;
import io.axivon.p2p.PeerInfo;
import io.prometheus.client.CollectorRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.tuweni.bytes.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chain's consensus node over real P2P: the shell around the pure {@link Engine}. It owns the
 * engine's state on a single event-loop thread, turns gossip, timers and block sync into events,
 * and carries out the engine's effects: it stores decided blocks, commits the application, keeps
 * the write-ahead log of its own votes, and sends messages.
 *
 * <p>Crash safety rests on one order for every decided block: block store, then the WAL's next
 * state, then {@link Application#commit()}; and on a WAL save before any of a step's messages leave
 * the node. {@link #start} recovers from a crash between any two of those writes (see
 * specs/consensus.md, "Validator node").
 */
public final class ValidatorNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ValidatorNode.class);

  /** Blocks asked of a peer in one sync request. */
  static final int SYNC_BATCH = 32;

  /** Messages for the next height kept until this node gets there. */
  static final int FUTURE_BUFFER = 2_000;

  /**
   * How to run one chain.
   *
   * @param validatorKey empty for a full node, which follows the chain and never signs
   * @param maxBlockBytes the largest block this node proposes or accepts
   * @param pollInterval how often peers are asked for their height (block sync) and, when this node
   *     has made no progress for a while, for their messages of its height
   */
  public record Options(
      ConsensusGenesis genesis,
      Path dataDir,
      Optional<BlsSecretKey> validatorKey,
      TimeoutConfig timeouts,
      long maxBlockBytes,
      Duration pollInterval) {
    public Options {
      if (genesis == null || dataDir == null || validatorKey == null || timeouts == null) {
        throw new IllegalArgumentException("validator node options must be set");
      }
      if (maxBlockBytes < 1024 || pollInterval.isNegative() || pollInterval.isZero()) {
        throw new IllegalArgumentException("maxBlockBytes >= 1024 and pollInterval > 0 required");
      }
    }
  }

  private final Options options;
  private final String chainId;
  private final P2pNode p2p;
  private final Application app;
  private final Mempool mempool;
  private final EvidencePool evidence;
  private final Wire.Names names;
  private final RlpLimits limits;

  /** Room for a height's votes in a round-state answer (about 150 bytes each). */
  private static final long ROUND_STATE_VOTE_BYTES = 2L << 20;

  /** A round-state answer: one block and the height's votes. */
  private final RlpLimits roundStateLimits;

  private final SignatureVerifier verifier = BlsSigner.VERIFIER;
  private final ExecutorService loop;
  private final ScheduledExecutorService timers;

  /**
   * Checks gossiped transaction batches into the mempool, one batch at a time in arrival order, off
   * the P2P I/O threads: a check waits for the chain's lock, which block execution holds for
   * hundreds of milliseconds under load, and on an I/O thread that wait held up the proposals and
   * votes behind it. Bounded: past {@link #TX_GOSSIP_QUEUE} waiting batches, more are dropped (the
   * sender's own mempool still holds them; they reach a block when it proposes).
   */
  private final ExecutorService txGossip;

  /** Where a proposal runs while its votes are collected ({@link OptimisticExecution}). */
  private final ExecutorService execution;

  static final int TX_GOSSIP_QUEUE = 1024;

  /**
   * How often local submissions go out as one gossip batch. Every batch reaches each peer up to
   * three times in a small mesh (once from us, then relayed by the others), and its cost there is
   * mostly per message (a frame's encryption, copies and system calls, a batch check): at 5,000
   * transfers/s over four validators, 20 ms made 200 batches a second and 1,800 deliveries of them.
   * A transaction waits 25 ms for its batch on average, against a block interval of a second.
   */
  static final long TX_FLUSH_MS = 50;

  private final AtomicBoolean syncing = new AtomicBoolean();
  private final Deque<ConsensusMessage> future = new ArrayDeque<>();
  // Lock-free: every JSON-RPC submission adds here, from many threads at once (a monitor here was
  // contended enough under load to show in profiles).
  private final java.util.concurrent.ConcurrentLinkedQueue<Bytes> outboundTxs =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final ConsensusMetrics.ChainMetrics metrics;
  private final List<Consumer<StoredBlock>> decidedListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<Consumer<SetChange>> setChangeListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  private BlockStore blocks;
  private ConsensusWal wal;
  private Engine engine;
  private volatile State state;
  // The set deciding the current height: what signs the commit of a block decided now.
  private volatile ValidatorSet heightValidators;
  private volatile long heightStartedNanos = System.nanoTime();
  private volatile long lastProgressNanos = System.nanoTime();
  private volatile boolean closed;
  // True while the loop carries out a step: one that decides a block waits there for the block's
  // execution, and a peer that already stored that height is then no reason to sync.
  private volatile boolean stepping;
  // The height being decided when a peer was first seen to hold it already, and since when.
  private volatile long peerAheadAt = -1;
  private volatile long peerAheadSinceNanos;

  /**
   * @param mempool the node's mempool (its checker should be {@code app::checkTx}, its batch
   *     checker {@code app::checkTxs}); the application's proposals should come from it
   */
  public ValidatorNode(
      Options options, P2pNode p2p, Application app, Mempool mempool, CollectorRegistry registry) {
    this(options, p2p, app, mempool, new ConsensusMetrics(registry));
  }

  /** A node sharing {@code metrics} with the other chains of its validator. */
  public ValidatorNode(
      Options options, P2pNode p2p, Application app, Mempool mempool, ConsensusMetrics metrics) {
    this.options = options;
    this.chainId = options.genesis().chainId();
    this.p2p = p2p;
    this.mempool = mempool;
    this.names = Wire.Names.of(chainId);
    this.limits = Wire.limits(options.maxBlockBytes() + 64 * 1024);
    this.roundStateLimits = Wire.limits(options.maxBlockBytes() + ROUND_STATE_VOTE_BYTES);
    this.evidence =
        new EvidencePool(
            chainId,
            100_000,
            h -> Optional.ofNullable(blocks).flatMap(b -> validatorsAt(b, h)),
            verifier);
    this.loop =
        Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("consensus-" + chainId).daemon().factory());
    this.timers =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("consensus-timers-" + chainId).daemon().factory());
    this.txGossip =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(TX_GOSSIP_QUEUE),
            Thread.ofPlatform().name("tx-gossip-" + chainId).daemon().factory());
    this.metrics = metrics.chain(chainId);
    this.execution =
        Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("execution-" + chainId).daemon().factory());
    this.app =
        app.canDiscardBlock()
            ? new OptimisticExecution(app, execution, this.metrics::optimistic)
            : app;
  }

  /**
   * The set that signs {@code height}: the current height's, or a stored block's (empty for heights
   * not reached yet or before {@link #start}).
   */
  public Optional<ValidatorSet> validatorSetAt(long height) {
    return Optional.ofNullable(blocks).flatMap(b -> validatorsAt(b, height));
  }

  private Optional<ValidatorSet> validatorsAt(BlockStore b, long h) {
    State s = state;
    if (s != null && h == s.height()) {
      return Optional.of(s.validators());
    }
    return b.get(h).map(StoredBlock::validators);
  }

  /**
   * Opens the stores, brings the application up to the block store, resumes the engine from the WAL
   * and joins the network. Fails with {@link InvalidInputException} on a store that does not belong
   * to this chain or that is inconsistent.
   */
  public void start() {
    Path dir = options.dataDir();
    blocks = BlockStore.open(dir.resolve("blocks"), chainId, options.genesis().hash());
    wal = ConsensusWal.open(dir.resolve("wal"));
    EngineConfig config =
        new EngineConfig(
            chainId,
            options.validatorKey().map(BlsSecretKey::publicKey).orElse(null),
            options.timeouts(),
            options.maxBlockBytes(),
            false);
    var signer =
        options
            .validatorKey()
            .<io.axivon.consensus.types.Signer>map(k -> new GuardedSigner(new BlsSigner(k), wal))
            .orElse(
                signBytes -> {
                  throw new IllegalStateException("a full node never signs");
                });
    engine = new Engine(config, new WithEvidence(), signer, verifier);
    // Recovery calls the application, so it runs on the loop like every later consensus call (but a
    // proposal's optimistic execution, which never overlaps them).
    try {
      CompletableFuture.runAsync(
              () -> {
                long takenUp = System.nanoTime();
                apply(recover(), takenUp);
              },
              loop)
          .join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
    subscribe();
    long poll = options.pollInterval().toMillis();
    timers.scheduleWithFixedDelay(this::poll, poll, poll, TimeUnit.MILLISECONDS);
    timers.scheduleWithFixedDelay(this::flushTxs, TX_FLUSH_MS, TX_FLUSH_MS, TimeUnit.MILLISECONDS);
  }

  /** Brings the application level with the block store and returns the engine's first step. */
  private Transition recover() {
    long stored = blocks.height();
    Optional<State> saved = wal.loadForResume();
    long committed = app.committedHeight();
    if (committed > stored) {
      throw new InvalidInputException(
          "the application has committed height "
              + committed
              + " but the block store ends at "
              + stored
              + ": the data dir is inconsistent; restore it or start over with a fresh one");
    }
    if (saved.isEmpty()) {
      if (stored != 0) {
        throw new InvalidInputException(
            "block store holds "
                + stored
                + " blocks but the consensus WAL in "
                + options.dataDir().resolve("wal")
                + " is empty: the WAL was removed; restore it or start over with a fresh data dir");
      }
      ConsensusGenesis g = options.genesis();
      heightValidators = g.validators();
      // Block 1 names the genesis as its parent, binding the chain to it.
      return engine.start(1, g.validators(), g.hash(), g.appHash());
    }
    State s = saved.get();
    heightValidators = s.validators();
    if (s.height() == stored + 1) {
      replay(committed + 1, stored);
      return engine.resume(s);
    }
    if (s.height() == stored && stored > 0) {
      // Crashed after storing block `stored` but before saving the state that follows it: the
      // application has not committed that block yet, so let the engine decide it again.
      replay(committed + 1, stored - 1);
      StoredBlock top = blocks.get(stored).orElseThrow();
      Transition resumed = engine.resume(s);
      Transition decided =
          engine.step(resumed.state(), new Event.CommitReceived(top.block(), top.commit()));
      List<Effect> effects = new ArrayList<>(resumed.effects());
      effects.addAll(decided.effects());
      return new Transition(decided.state(), effects);
    }
    throw new InvalidInputException(
        "consensus WAL is at height "
            + s.height()
            + " but the block store ends at "
            + stored
            + ": the data dir is inconsistent; restore it or start over with a fresh one");
  }

  /** Re-executes stored blocks {@code from..to} in the application, checking each app hash. */
  private void replay(long from, long to) {
    for (long h = from; h <= to; h++) {
      StoredBlock b = blocks.get(h).orElseThrow(); // BlockStore.open checked the rows exist
      FinalizeResult r = app.finalizeBlock(b.block());
      if (!r.appHash().equals(b.appHashAfter())) {
        throw new InvalidInputException(
            "replaying block "
                + h
                + " gave app hash "
                + r.appHash()
                + " but "
                + b.appHashAfter()
                + " was stored: the application is not deterministic or its state is corrupt");
      }
      app.commit();
    }
    if (to >= from) {
      LOG.info("{}: replayed blocks {}..{} into the application", chainId, from, to);
    }
  }

  /** Most evidence pieces in one block (each is two votes, under 500 bytes). */
  static final int MAX_EVIDENCE_PER_BLOCK = 32;

  /**
   * The application as the engine sees it: the node adds pending evidence to its proposals and
   * checks the evidence in others', so the application only ever sees verified evidence in blocks.
   */
  private final class WithEvidence extends ForwardingApplication {
    WithEvidence() {
      super(ValidatorNode.this.app);
    }

    @Override
    public io.axivon.consensus.app.ProposalBody prepareProposal(long height, long maxBytes) {
      List<Evidence> pending = new ArrayList<>();
      long bytes = 0;
      for (Evidence e : evidence.pending(MAX_EVIDENCE_PER_BLOCK)) {
        if (evidence.rejectForBlock(e, height) == null) {
          pending.add(e);
          bytes += Rlp.encode(Evidence.CODEC, e).size();
        }
      }
      var body = delegate().prepareProposal(height, Math.max(0, maxBytes - bytes));
      return new io.axivon.consensus.app.ProposalBody(
          body.transactions(), pending, body.setChanges(), body.timeMillis());
    }

    @Override
    public boolean processProposal(Block block) {
      if (block.evidence().size() > MAX_EVIDENCE_PER_BLOCK) {
        return false;
      }
      for (Evidence e : block.evidence()) {
        String why = evidence.rejectForBlock(e, block.height());
        if (why != null) {
          LOG.info("{}: rejecting proposal {}: {}", chainId, block.hash(), why);
          return false;
        }
      }
      return delegate().processProposal(block);
    }
  }

  // ------------------------------------------------------------------ the event loop

  private void post(Event event) {
    if (closed) {
      return;
    }
    execute(
        () -> {
          if (closed) {
            return;
          }
          stepping = true;
          try {
            long takenUp = System.nanoTime();
            apply(engine.step(state, event), takenUp);
          } catch (DoubleSignException e) {
            // The guard refused: keep the last good state and say so loudly.
            LOG.error("{}: refused to sign: {}", chainId, e.getMessage());
          } catch (RuntimeException e) {
            LOG.error("{}: consensus step failed on {}", chainId, event, e);
          } finally {
            stepping = false;
          }
        });
  }

  /** Runs on the loop unless the node is closing (then the work no longer matters). */
  private void execute(Runnable task) {
    try {
      loop.execute(task);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      if (!closed) {
        throw e;
      }
    }
  }

  /**
   * Carries out one transition: durable writes first, then what leaves the node. {@code takenUp} is
   * when the loop took up the event that led to it: a timeout runs from then, as the engine meant
   * it, not from the end of the work done here. After a decision that work is executing, storing
   * and committing the block, and the commit timeout counts it (as CometBFT's timeout_commit runs
   * from the commit time): the next height starts one commit timeout after the decision, not that
   * plus the block's execution.
   */
  private void apply(Transition t, long takenUp) {
    long before = state == null ? 0 : state.height();
    for (Effect e : t.effects()) {
      if (e instanceof Effect.Decided d) {
        store(d);
      }
    }
    wal.save(t.state());
    for (Effect e : t.effects()) {
      if (e instanceof Effect.Decided d) {
        app.commit();
        for (Evidence committed : d.block().evidence()) {
          evidence.markCommitted(committed);
        }
        // Listeners first: the block is stored and committed (its receipts answer), and the
        // mempool's re-check of everything it holds can take a while under load.
        StoredBlock stored = blocks.get(d.block().height()).orElseThrow();
        for (Consumer<StoredBlock> l : decidedListeners) {
          l.accept(stored);
        }
        mempool.update(d.block().transactions(), d.result().txHashes());
        if (t.state().height() == stored.block().height() + 1) {
          setChangeOf(stored, t.state().validators())
              .ifPresent(change -> setChangeListeners.forEach(l -> l.accept(change)));
        }
        evidence.prune(d.block().height());
        metrics.decided(d, heightStartedNanos);
        LOG.debug(
            "{}: decided height {} round {} with {} txs",
            chainId,
            d.block().height(),
            d.round(),
            d.block().transactions().size());
      }
    }
    state = t.state();
    heightValidators = state.validators();
    metrics.state(state);
    metrics.mempool(mempool.size());
    if (state.height() != before) {
      heightStartedNanos = System.nanoTime();
      lastProgressNanos = heightStartedNanos;
      replayFuture();
    }
    for (Effect e : t.effects()) {
      switch (e) {
        case Effect.Broadcast b ->
            publish(names.consensus(), Rlp.encode(Wire.MESSAGE, b.message()));
        case Effect.ScheduleTimeout st ->
            timers.schedule(
                () -> post(new Event.TimeoutFired(st.timeout())),
                Math.max(0, st.delayMillis() - (System.nanoTime() - takenUp) / 1_000_000),
                TimeUnit.MILLISECONDS);
        case Effect.EvidenceFound ef -> onEvidence(ef.evidence(), true);
        case Effect.Dropped dr -> metrics.dropped(dr.reason());
        case Effect.SendDecision sd -> {
          // Peers behind catch up by block sync (they poll our height); nothing to push.
        }
        case Effect.Decided d -> {
          // Stored and committed above.
        }
      }
    }
  }

  private void store(Effect.Decided d) {
    Block block = d.block();
    Optional<StoredBlock> existing = blocks.get(block.height());
    if (existing.isPresent()) {
      if (!existing.get().block().hash().equals(block.hash())) {
        throw new IllegalStateException(
            "decided block "
                + block.hash()
                + " at height "
                + block.height()
                + " conflicts with the stored one");
      }
      return;
    }
    CommitCertificate commit =
        d.syncedCertificate()
            .orElseGet(() -> CommitCertificate.fromVotes(heightValidators, d.precommits()));
    blocks.append(new StoredBlock(block, commit, heightValidators, d.result().appHash()));
  }

  private void replayFuture() {
    List<ConsensusMessage> ready = new ArrayList<>();
    synchronized (future) {
      future.removeIf(m -> m.height() < state.height());
      future.removeIf(
          m -> {
            if (m.height() == state.height()) {
              ready.add(m);
              return true;
            }
            return false;
          });
    }
    for (ConsensusMessage m : ready) {
      post(toEvent(m));
    }
  }

  private static Event toEvent(ConsensusMessage m) {
    return switch (m) {
      case Proposal p -> new Event.ProposalReceived(p);
      case Vote v -> new Event.VoteReceived(v);
    };
  }

  // ------------------------------------------------------------------ network

  private void subscribe() {
    p2p.subscribe(
        names.consensus(),
        this::validateConsensus,
        (from, topic, payload) -> {
          ConsensusMessage m = Rlp.decode(Wire.MESSAGE, payload, limits);
          post(toEvent(m));
        });
    p2p.subscribe(names.transactions(), this::validateTxs, (from, topic, payload) -> {}, txGossip);
    p2p.subscribe(names.evidence(), this::validateEvidence, (from, topic, payload) -> {});
    p2p.onRequest(
        names.status(),
        (from, req) -> CompletableFuture.completedFuture(Rlp.encode(Wire.STATUS, blocks.height())));
    p2p.onRequest(
        names.blocks(),
        (from, req) ->
            CompletableFuture.supplyAsync(
                () ->
                    Rlp.encode(
                        Wire.BLOCKS,
                        serveBlocks(Rlp.decode(Wire.BlockRequest.CODEC, req, limits)))));
    p2p.onRequest(
        names.roundState(),
        (from, req) -> {
          long height = Rlp.decode(Wire.ROUND_STATE_REQUEST, req, limits);
          return CompletableFuture.completedFuture(Rlp.encode(Wire.MESSAGES, roundState(height)));
        });
  }

  private GossipValidator.Result validateConsensus(NodeId from, Bytes payload) {
    ConsensusMessage m;
    try {
      m = Rlp.decode(Wire.MESSAGE, payload, limits);
    } catch (InvalidInputException e) {
      metrics.dropped("undecodable consensus message");
      return GossipValidator.Result.REJECT;
    }
    State s = state;
    if (s == null || m.height() < s.height()) {
      return GossipValidator.Result.IGNORE;
    }
    if (m.height() > s.height()) {
      if (m.height() == s.height() + 1) {
        synchronized (future) {
          if (future.size() < FUTURE_BUFFER) {
            future.add(m);
          }
        }
      }
      return GossipValidator.Result.IGNORE;
    }
    boolean valid =
        switch (m) {
          case Proposal p ->
              p.block().header().chainId().equals(chainId)
                  && p.verify(chainId, s.validators(), verifier);
          case Vote v -> v.verify(chainId, s.validators(), verifier);
        };
    if (!valid) {
      metrics.dropped("bad signature or unknown validator");
      return GossipValidator.Result.REJECT;
    }
    return GossipValidator.Result.ACCEPT;
  }

  private GossipValidator.Result validateTxs(NodeId from, Bytes payload) {
    List<Bytes> txs;
    try {
      txs = Rlp.decode(Wire.TX_BATCH, payload, limits);
    } catch (InvalidInputException e) {
      return GossipValidator.Result.REJECT;
    }
    boolean any = false;
    for (AddResult r : mempool.addAll(txs)) { // prepared and checked as one batch
      any |= r instanceof AddResult.Added;
    }
    return any ? GossipValidator.Result.ACCEPT : GossipValidator.Result.IGNORE;
  }

  private GossipValidator.Result validateEvidence(NodeId from, Bytes payload) {
    Evidence e;
    try {
      e = Rlp.decode(Evidence.CODEC, payload, limits);
    } catch (InvalidInputException ex) {
      return GossipValidator.Result.REJECT;
    }
    return switch (onEvidence(e, false)) {
      case EvidencePool.AddResult.Added a -> GossipValidator.Result.ACCEPT;
      case EvidencePool.AddResult.Invalid i -> GossipValidator.Result.REJECT;
      // a lagging node cannot judge it: the sender may well be right
      case EvidencePool.AddResult.NotYet n -> GossipValidator.Result.IGNORE;
      default -> GossipValidator.Result.IGNORE;
    };
  }

  /**
   * Offers equivocation evidence found outside consensus (an operator, a monitor): verified by the
   * pool against the set of its height, gossiped when new, and put into a later block.
   */
  public EvidencePool.AddResult reportEvidence(Evidence e) {
    return onEvidence(e, true);
  }

  private EvidencePool.AddResult onEvidence(Evidence e, boolean gossip) {
    State s = state;
    EvidencePool.AddResult r = evidence.add(e, s == null ? 0 : s.height());
    if (r instanceof EvidencePool.AddResult.Added) {
      metrics.evidence();
      LOG.warn(
          "{}: equivocation by validator {} at height {}",
          chainId,
          e.validatorIndex(),
          e.first().height());
      if (gossip) {
        publish(names.evidence(), Rlp.encode(Evidence.CODEC, e));
      }
    }
    return r;
  }

  private List<Wire.CertifiedBlock> serveBlocks(Wire.BlockRequest q) {
    List<Wire.CertifiedBlock> out = new ArrayList<>();
    long bytes = 0;
    for (long h = q.from(); h < q.from() + Math.min(q.count(), SYNC_BATCH); h++) {
      Optional<StoredBlock> b = blocks.get(h);
      if (b.isEmpty()) {
        break;
      }
      bytes += Rlp.encode(Block.CODEC, b.get().block()).size();
      if (!out.isEmpty() && bytes > options.maxBlockBytes()) {
        break;
      }
      out.add(new Wire.CertifiedBlock(b.get().block(), b.get().commit()));
    }
    return out;
  }

  private List<ConsensusMessage> roundState(long height) {
    State s = state;
    List<ConsensusMessage> out = new ArrayList<>();
    if (s == null || s.height() != height) {
      return out;
    }
    // the latest round's proposal only: one block, so the answer fits what the asker decodes
    // (every round's block would not once rounds pile up, the very case this recovers from)
    s.proposals().entrySet().stream()
        .max(java.util.Map.Entry.comparingByKey())
        .ifPresent(e -> out.add(e.getValue()));
    for (var rv : s.votes().values()) {
      out.addAll(rv.prevotes().all());
      out.addAll(rv.precommits().all());
    }
    return out;
  }

  private void publish(String topic, Bytes payload) {
    try {
      p2p.publish(topic, payload);
    } catch (RuntimeException e) {
      LOG.warn("{}: cannot publish on {}: {}", chainId, topic, e.toString());
    }
  }

  // ------------------------------------------------------------------ transactions

  /** Offers a transaction from a local client (RPC): mempool, then gossip to the other nodes. */
  public AddResult submit(Bytes tx) {
    AddResult r = mempool.add(tx);
    if (r instanceof AddResult.Added) {
      outboundTxs.add(tx);
    }
    return r;
  }

  /** Gossips the transactions submitted since the last flush as one batch. */
  private void flushTxs() {
    List<Bytes> batch = new ArrayList<>();
    for (Bytes tx = outboundTxs.poll(); tx != null; tx = outboundTxs.poll()) {
      batch.add(tx);
    }
    if (batch.isEmpty()) {
      return;
    }
    // Keep each gossip message well under a frame.
    int from = 0;
    while (from < batch.size()) {
      long bytes = 0;
      int to = from;
      while (to < batch.size() && (to == from || bytes + batch.get(to).size() < 1 << 20)) {
        bytes += batch.get(to).size();
        to++;
      }
      publish(names.transactions(), Rlp.encode(Wire.TX_BATCH, batch.subList(from, to)));
      from = to;
    }
  }

  // ------------------------------------------------------------------ sync

  /** Asks peers for their height and syncs from the highest; pulls round state when stuck. */
  private void poll() {
    try {
      State s = state;
      if (s == null || closed) {
        return;
      }
      metrics.peers(p2p.peers().size());
      for (PeerInfo peer : p2p.peers()) {
        if (!peer.topics().contains(names.consensus())) {
          continue;
        }
        p2p.request(peer.id(), names.status(), Rlp.encode(Wire.STATUS, blocks.height()), timeout())
            .thenAccept(
                resp -> {
                  if (behind(Rlp.decode(Wire.STATUS, resp, limits))) {
                    sync(peer.id());
                  }
                });
      }
      long stuck = System.nanoTime() - lastProgressNanos;
      if (stuck > TimeUnit.MILLISECONDS.toNanos(options.timeouts().proposeMs())) {
        lastProgressNanos = System.nanoTime();
        pullRoundState(s.height());
      }
    } catch (RuntimeException e) {
      LOG.warn("{}: poll failed: {}", chainId, e.toString());
    }
  }

  /**
   * Whether a peer whose last stored block is {@code theirs} has blocks this node should fetch.
   * Beyond the height this node is deciding, yes. At that very height, usually not: under load a
   * peer that executes faster stores a block while this node still executes it, or a moment before
   * the block's last votes reach this node, and fetching it then only repeats the block (a megabyte
   * for a full one, served, sent and checked again). So not while the loop is busy (a decision
   * waits there for the block's execution), and only once a peer has held the height for a whole
   * poll interval.
   */
  private boolean behind(long theirs) {
    long ours = state.height();
    if (theirs != ours) {
      return theirs > ours;
    }
    if (stepping) {
      return false;
    }
    long now = System.nanoTime();
    if (peerAheadAt != ours) {
      peerAheadAt = ours;
      peerAheadSinceNanos = now;
      return false;
    }
    return now - peerAheadSinceNanos >= options.pollInterval().toNanos();
  }

  private Duration timeout() {
    return Duration.ofSeconds(5);
  }

  private void sync(NodeId peer) {
    if (!syncing.compareAndSet(false, true)) {
      return;
    }
    long from = state.height();
    p2p.request(
            peer,
            names.blocks(),
            Rlp.encode(Wire.BlockRequest.CODEC, new Wire.BlockRequest(from, SYNC_BATCH)),
            timeout())
        .whenComplete(
            (resp, err) -> {
              try {
                if (err != null) {
                  return;
                }
                List<Wire.CertifiedBlock> got = Rlp.decode(Wire.BLOCKS, resp, limits);
                for (Wire.CertifiedBlock c : got) {
                  metrics.synced();
                  post(new Event.CommitReceived(c.block(), c.commit()));
                }
              } catch (RuntimeException e) {
                LOG.warn("{}: bad block sync answer from {}: {}", chainId, peer, e.toString());
              } finally {
                // Let the loop apply the batch before the next request is sent.
                execute(() -> syncing.set(false));
              }
            });
  }

  private void pullRoundState(long height) {
    for (PeerInfo peer : p2p.peers()) {
      if (!peer.topics().contains(names.consensus())) {
        continue;
      }
      p2p.request(
              peer.id(),
              names.roundState(),
              Rlp.encode(Wire.ROUND_STATE_REQUEST, height),
              timeout())
          .thenAccept(
              resp -> {
                for (ConsensusMessage m : Rlp.decode(Wire.MESSAGES, resp, roundStateLimits)) {
                  if (m.height() == height) {
                    post(toEvent(m));
                  }
                }
              });
    }
  }

  // ------------------------------------------------------------------ queries

  /** Height of the last decided (stored) block. */
  public long height() {
    return blocks.height();
  }

  public Optional<StoredBlock> block(long height) {
    return blocks.get(height);
  }

  /**
   * The validator that proposed the block with {@code header}: from the stored block's set, or the
   * set deciding the current height (for the application, while it executes that block).
   */
  public Optional<io.axivon.common.crypto.bls.BlsPublicKey> validatorAt(
      io.axivon.consensus.types.BlockHeader header) {
    ValidatorSet set =
        blocks.get(header.height()).map(StoredBlock::validators).orElse(heightValidators);
    if (set == null || header.proposerIndex() >= set.size()) {
      return Optional.empty();
    }
    return Optional.of(set.get(header.proposerIndex()).publicKey());
  }

  public Mempool mempool() {
    return mempool;
  }

  public EvidencePool evidence() {
    return evidence;
  }

  public String chainId() {
    return chainId;
  }

  /**
   * Calls {@code listener} on the consensus thread with every block this node decides (after it is
   * stored and committed); it must return quickly.
   */
  public void addDecidedListener(Consumer<StoredBlock> listener) {
    decidedListeners.add(listener);
  }

  /**
   * Calls {@code listener} on the consensus thread with each decided block whose header names a new
   * validator set, as the proof chains i &gt; 0 of a cluster follow ({@link SetChange}); it must
   * return quickly.
   */
  public void addSetChangeListener(Consumer<SetChange> listener) {
    setChangeListeners.add(listener);
  }

  /**
   * The set changes among the last {@code maxBlocks} stored blocks, oldest first: what a restarted
   * node relays again. Call after {@link #start}.
   */
  public List<SetChange> recentSetChanges(int maxBlocks) {
    State s = state;
    List<SetChange> out = new ArrayList<>();
    long top = blocks.height();
    StoredBlock previous = null;
    // each block is read once: the set that signed it is the "next" set of the block before
    for (long h = Math.max(1, top - maxBlocks + 1); h <= top; h++) {
      StoredBlock b = blocks.get(h).orElseThrow();
      if (previous != null) {
        setChangeOf(previous, b.validators()).ifPresent(out::add);
      }
      previous = b;
    }
    if (previous != null) {
      setChangeOf(previous, s.validators()).ifPresent(out::add);
    }
    return out;
  }

  /**
   * The set change {@code stored} proves: its header names a new set and {@code next} (the set that
   * signs the following height) is that set.
   */
  private static Optional<SetChange> setChangeOf(StoredBlock stored, ValidatorSet next) {
    BlockHeader h = stored.block().header();
    if (h.nextValidatorsHash().equals(h.validatorsHash())
        || !next.hash().equals(h.nextValidatorsHash())) {
      return Optional.empty();
    }
    return Optional.of(new SetChange(h, stored.commit(), next));
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    // The loop first: queued steps see `closed` and skip, so none schedules on stopped timers.
    loop.shutdown();
    try {
      if (!loop.awaitTermination(10, TimeUnit.SECONDS)) {
        loop.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    timers.shutdownNow();
    txGossip.shutdownNow();
    // A speculative execution still running must end before the owner closes the application.
    execution.shutdown();
    try {
      if (!execution.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("{}: an optimistic execution did not end in 30 s", chainId);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (wal != null) {
      wal.close();
    }
    if (blocks != null) {
      blocks.close();
    }
  }
}
