package io.axivon.node.storage;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.common.crypto.secp256k1.HdKeys;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.consensus.execution.genesis.Genesis;
import io.axivon.node.cli.ExitCodes;
import io.axivon.node.cli.JsonOutput;
import io.axivon.node.cli.Progress;
import io.axivon.node.validator.ValidatorKeyFile;
import io.axivon.sdk.eth.EthClient;
import io.axivon.sdk.rpc.JsonRpcClient;
import io.axivon.sdk.storage.FlowClient;
import io.axivon.sdk.storage.FlowSubmission;
import io.axivon.sdk.storage.StorageClient;
import io.axivon.sdk.storage.SubmitEvent;
import io.axivon.sdk.storage.crypto.EncryptionKey;
import io.axivon.sdk.storage.crypto.FileEncryption;
import io.axivon.sdk.storage.layout.FileTree;
import io.axivon.sdk.storage.manifest.FolderManifest;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.apache.tuweni.bytes.Bytes32;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "upload",
    mixinStandardHelpOptions = true,
    description = {
      "Store a file: submit its root to the flow on chain 0 (paying the fee), wait for the storage nodes to see the submission, then send each node the segments of its shard, with their proofs.",
      "With --encrypt the file is first encrypted with the key in --encryption-key (AES-256-GCM, specs/storage.md) into a temporary container, and the container is stored: the root printed is the container's, and nodes never see the plaintext. A folder with --encrypt stores each file and the manifest as containers: 'download --decrypt' with the same key recreates it.",
      "Rerunning an interrupted upload resumes it: when a node already knows the root in the flow, or the chain's last 1000 blocks hold its submission, nothing is submitted again and the upload goes to that submission; each node is sent only the segments it does not store yet (zgs_getSegmentBitmap), and nodes that hold the file finalized are skipped.",
      "A folder (DIR) is stored as its regular files, found recursively, each its own log file, then a manifest listing every file's relative path, size and root (empty files and empty directories are listed with no root): the root printed is the manifest's, and 'storage download ROOT OUT' recreates the folder. Symbolic links and other non-regular files are skipped and listed."
    })
public final class UploadCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "FILE|DIR",
      description =
          "The file to store, or a folder: each of its regular files is stored, then a manifest of them (specs/storage.md §9) whose root is the folder's.")
  Path file;

  @Option(
      names = "--chain-rpc",
      paramLabel = "URL",
      required = true,
      description = "Chain 0's Ethereum JSON-RPC, e.g. http://127.0.0.1:8545/.")
  String chainRpc;

  @Mixin StorageNodes nodes;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Signer signer;

  /**
   * The development accounts {@link Genesis#devnet} funds (m/44'/60'/0'/0/0..9); counted here so
   * that a bad N is refused without deriving the ten keys.
   */
  static final int DEV_ACCOUNTS = 10;

  /**
   * How far back the chain is searched for a submission no node knows yet: nodes sync within
   * seconds, and one eth_getLogs may scan 10,000 blocks.
   */
  static final long RECENT_BLOCKS = 1000;

  /** Who pays the flow's fee. */
  static final class Signer {
    @Option(
        names = "--key-file",
        paramLabel = "FILE",
        description =
            "The paying account's secp256k1 private key as 64 hex digits (0x optional), the format of a validator's fee.key.")
    Path keyFile;

    @Option(
        names = "--dev-account",
        paramLabel = "N",
        description = "Devnet development account N (0..9) of the devnet mnemonic.")
    Integer devAccount;

    Secp256k1PrivateKey key() {
      if (keyFile != null) {
        if (!Files.isRegularFile(keyFile)) {
          throw new InvalidInputException("no such key file: " + keyFile);
        }
        return ValidatorKeyFile.loadFeeKey(keyFile);
      }
      int n = DEV_ACCOUNTS;
      if (devAccount < 0 || devAccount >= n) {
        throw new InvalidInputException(
            "--dev-account must be 0.." + (n - 1) + ", got " + devAccount);
      }
      return HdKeys.ethereumAccount(Genesis.DEV_MNEMONIC, "", devAccount);
    }
  }

  @Option(
      names = "--flow",
      paramLabel = "ADDR",
      description = "The flow module (default the devnet's ${DEFAULT-VALUE}).",
      defaultValue = "0x0000000000000000000000000000000000001001")
  String flow;

  @Option(
      names = "--sync-timeout",
      paramLabel = "SECONDS",
      defaultValue = "120",
      description =
          "How long to wait for every node to see the submission (default: ${DEFAULT-VALUE}).")
  long syncTimeoutSeconds;

  @Option(names = "--json", description = "Print the result as one JSON document, no progress.")
  boolean json;

  @Option(
      names = "--encrypt",
      description =
          "Store the file encrypted (AES-256-GCM) with the key in --encryption-key; the root is the encrypted container's.")
  boolean encrypt;

  @Option(
      names = "--encryption-key",
      paramLabel = "FILE",
      description =
          "The 32-byte encryption key as 64 hex digits (written by 'axivon storage keygen'); needs --encrypt.")
  Path encryptionKey;

  /** What an upload did, as --json prints it. */
  public record Result(
      String root,
      long txSeq,
      long size,
      long segments,
      boolean submitted,
      long segmentsSent,
      double seconds,
      List<StorageNodes.FileState> nodes,
      boolean encrypted) {}

  /**
   * What a folder upload did, as --json prints it: {@code root}/{@code txSeq} are the manifest's,
   * {@code size} the files' plaintext bytes, {@code segmentsSent} counts every file's and the
   * manifest's; {@code encrypted}: files and manifest were stored as encrypted containers.
   */
  public record FolderResult(
      String root,
      long txSeq,
      String folder,
      long files,
      long size,
      long segmentsSent,
      double seconds,
      List<ManifestEntry> entries,
      List<String> skipped,
      List<StorageNodes.FileState> nodes,
      boolean encrypted) {}

  /** One manifest entry as --json prints it; {@code kind}: file, empty-file or directory. */
  public record ManifestEntry(String path, String kind, long size, String root) {
    static ManifestEntry of(FolderManifest.Entry e) {
      return new ManifestEntry(
          e.path(),
          e.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'),
          e.size(),
          e.root() == null ? null : e.root().toHexString());
    }
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (Files.isDirectory(file)) {
      return uploadFolder(encryptionKey(encrypt, encryptionKey));
    }
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException("no such file: " + file);
    }
    Optional<EncryptionKey> key = encryptionKey(encrypt, encryptionKey);
    checkOptions();
    var chainUrl = StorageNodeConfig.parseUrl(chainRpc);
    var flowAddress = StorageNodeConfig.parseFlow(flow);
    List<JsonRpcClient> clients = nodes.clients();
    Secp256k1PrivateKey payer = signer.key();
    Result r =
        key.isEmpty()
            ? upload(file, clients, chainUrl, flowAddress, payer)
            : uploadEncrypted(file, key.get(), clients, chainUrl, flowAddress, payer).result();
    print(spec.commandLine().getOut(), r);
    return ExitCodes.OK;
  }

  /** An encrypted upload: what was stored (the container) and the plaintext's size. */
  private record Encrypted(Result result, long plainSize) {}

  /**
   * Encrypts {@code plain} into a container in a private temporary directory (nodes get only the
   * container) and stores the container; the directory is deleted after.
   */
  private Encrypted uploadEncrypted(
      Path plain,
      EncryptionKey key,
      List<JsonRpcClient> clients,
      URI chainUrl,
      Address flowAddress,
      Secp256k1PrivateKey payer)
      throws IOException, InterruptedException {
    Path tmpDir = Files.createTempDirectory("axivon-encrypt-");
    Path container = tmpDir.resolve(plain.getFileName() + ".axne");
    try {
      long plainSize = new FileEncryption(key).encrypt(plain, container).plainSize();
      return new Encrypted(upload(container, clients, chainUrl, flowAddress, payer), plainSize);
    } finally {
      Files.deleteIfExists(container);
      Files.deleteIfExists(tmpDir);
    }
  }

  /**
   * The key {@code --encrypt} / {@code --decrypt} use, read before anything is sent: both options
   * or neither.
   */
  static Optional<EncryptionKey> encryptionKey(boolean enabled, Path keyFile) {
    if (enabled && keyFile == null) {
      throw new InvalidInputException(
          "--encrypt and --decrypt need the key: --encryption-key FILE");
    }
    if (!enabled && keyFile != null) {
      throw new InvalidInputException(
          "--encryption-key is used only with --encrypt (upload) or --decrypt (download)");
    }
    return enabled ? Optional.of(EncryptionKey.load(keyFile)) : Optional.empty();
  }

  private void checkOptions() {
    if (syncTimeoutSeconds < 1) {
      throw new InvalidInputException("--sync-timeout must be positive, got " + syncTimeoutSeconds);
    }
  }

  /**
   * Stores every regular file under {@link #file} (each its own log file), then the manifest of
   * them; prints the manifest's root as the folder's. With a key, every file and the manifest are
   * stored as encrypted containers (each with its own salt, so its own file key): the manifest
   * lists each file's plaintext size and its container's root, and nodes see neither names nor
   * contents.
   */
  private Integer uploadFolder(Optional<EncryptionKey> key)
      throws IOException, InterruptedException {
    checkOptions();
    var chainUrl = StorageNodeConfig.parseUrl(chainRpc);
    var flowAddress = StorageNodeConfig.parseFlow(flow);
    List<JsonRpcClient> clients = nodes.clients();
    Secp256k1PrivateKey payer = signer.key();
    FolderScan scan = FolderScan.of(file); // every path checked before anything is paid for
    long started = System.nanoTime();
    long sent = 0;
    long size = 0;
    List<FolderManifest.Entry> entries = new ArrayList<>(scan.entries());
    for (FolderScan.FileToStore f : scan.files()) {
      Result r;
      long plainSize;
      if (key.isEmpty()) {
        r = upload(f.file(), clients, chainUrl, flowAddress, payer);
        plainSize = r.size();
      } else {
        Encrypted e = uploadEncrypted(f.file(), key.get(), clients, chainUrl, flowAddress, payer);
        r = e.result();
        plainSize = e.plainSize();
      }
      sent += r.segmentsSent();
      size += plainSize;
      entries.add(FolderManifest.Entry.file(f.path(), plainSize, Bytes32.fromHexString(r.root())));
    }
    FolderManifest manifest = FolderManifest.sorted(entries);
    Path tmpDir = Files.createTempDirectory("axivon-manifest-");
    Path manifestFile = tmpDir.resolve("manifest.axvdir");
    Result m;
    try {
      Files.write(manifestFile, manifest.encode());
      m =
          key.isEmpty()
              ? upload(manifestFile, clients, chainUrl, flowAddress, payer)
              : uploadEncrypted(manifestFile, key.get(), clients, chainUrl, flowAddress, payer)
                  .result();
    } finally {
      Files.deleteIfExists(manifestFile);
      Files.deleteIfExists(tmpDir);
    }
    double seconds = Math.round((System.nanoTime() - started) / 1e6) / 1000.0;
    FolderResult result =
        new FolderResult(
            m.root(),
            m.txSeq(),
            file.toString(),
            scan.files().size(),
            size,
            sent + m.segmentsSent(),
            seconds,
            manifest.entries().stream().map(ManifestEntry::of).toList(),
            scan.skipped(),
            m.nodes(),
            key.isPresent());
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      JsonOutput.print(out, result);
      return ExitCodes.OK;
    }
    out.println(
        (key.isPresent() ? "Stored folder encrypted " : "Stored folder ")
            + file
            + ": root "
            + result.root()
            + " (its manifest, tx seq "
            + result.txSeq()
            + "), "
            + result.files()
            + " files, "
            + result.size()
            + " bytes, "
            + result.segmentsSent()
            + " segments sent in "
            + String.format(Locale.ROOT, "%.3f", seconds)
            + " s");
    for (ManifestEntry e : result.entries()) {
      out.println(
          "  "
              + e.path()
              + ("file".equals(e.kind())
                  ? "  " + e.size() + " bytes  " + e.root()
                  : "  " + e.kind()));
    }
    for (String x : result.skipped()) {
      out.println("  skipped " + x + " (not a regular file or directory)");
    }
    out.flush();
    return ExitCodes.OK;
  }

  private Result upload(
      Path stored,
      List<JsonRpcClient> clients,
      URI chainUrl,
      Address flowAddress,
      Secp256k1PrivateKey key)
      throws IOException, InterruptedException {
    FileTree tree;
    try {
      tree = FileTree.of(stored);
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + stored + ": " + e.getMessage());
    }
    long started = System.nanoTime();

    // Resume: a root some node already knows from the flow, or that the chain's recent blocks
    // hold (submitted, but not yet synced by the nodes), is not submitted (and paid) again.
    Optional<StorageNodes.FileState> known = known(clients, tree);
    boolean submitted = false;
    long txSeq;
    if (known.isPresent()) {
      txSeq = known.get().txSeq();
    } else {
      EthClient eth = new EthClient(new JsonRpcClient(chainUrl, StorageNodes.CALL_TIMEOUT));
      FlowClient flowClient = new FlowClient(eth, flowAddress);
      OptionalLong recent = recentSubmission(eth, flowClient, tree);
      if (recent.isPresent()) {
        txSeq = recent.getAsLong();
      } else {
        FlowSubmission s = flowClient.submit(tree.submission(), key);
        txSeq = s.txSeq();
        submitted = true;
      }
    }
    awaitSynced(clients, txSeq, Duration.ofSeconds(syncTimeoutSeconds));

    StorageClient.UploadReport report;
    try (Progress bar = Progress.start("upload", "segments", !json)) {
      report =
          new StorageClient(clients, StorageNodes.PARALLELISM)
              .upload(
                  tree,
                  stored,
                  txSeq,
                  new StorageClient.Progress() {
                    @Override
                    public void planned(long segments, long bytes) {
                      bar.planned(segments, bytes);
                    }

                    @Override
                    public void transferred(long segments, long bytes) {
                      bar.done(segments, bytes);
                    }
                  });
    }
    List<StorageNodes.FileState> states = new ArrayList<>();
    for (JsonRpcClient c : clients) {
      states.add(StorageNodes.fileInfoByTxSeq(c, txSeq).orElseThrow());
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    Result result =
        new Result(
            tree.root().toHexString(),
            txSeq,
            tree.layout().size(),
            tree.layout().segments(),
            submitted,
            report.segmentsSent(),
            Math.round(seconds * 1000) / 1000.0,
            states,
            encrypt);
    return result;
  }

  /**
   * A submission of this root and this size that some node already knows: one not finalized on some
   * node first (the interrupted upload to finish), else one finalized everywhere it is known. The
   * size matters: a root does not change with trailing zeros, so a file and the same file with
   * zeros appended share it, and reusing the other's submission would store the wrong length.
   */
  private static Optional<StorageNodes.FileState> known(
      List<JsonRpcClient> clients, FileTree tree) {
    StorageNodes.FileState any = null;
    for (JsonRpcClient c : clients) {
      Optional<StorageNodes.FileState> s =
          StorageNodes.fileInfo(c, tree.root()).filter(f -> f.size() == tree.layout().size());
      if (s.isPresent() && !s.get().finalized()) {
        return s;
      }
      if (s.isPresent() && any == null) {
        any = s.get();
      }
    }
    return Optional.ofNullable(any);
  }

  /**
   * The tx seq of the latest submission of this root in the last {@link #RECENT_BLOCKS} blocks (one
   * eth_getLogs), if any: an upload interrupted before the nodes synced its submission.
   */
  private static OptionalLong recentSubmission(EthClient eth, FlowClient flow, FileTree tree) {
    long head = eth.blockNumber();
    OptionalLong found = OptionalLong.empty();
    for (SubmitEvent e : flow.submissions(Math.max(0, head - RECENT_BLOCKS + 1), head)) {
      if (e.root().equals(tree.root()) && e.submission().equals(tree.submission())) {
        found = OptionalLong.of(e.submissionIndex());
      }
    }
    return found;
  }

  /** Waits until every node has synced the submission {@code txSeq} from the chain. */
  private static void awaitSynced(List<JsonRpcClient> clients, long txSeq, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (JsonRpcClient c : clients) {
      while (StorageNodes.fileInfoByTxSeq(c, txSeq).isEmpty()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "storage node "
                  + c.endpoint()
                  + " has not seen tx seq "
                  + txSeq
                  + " after "
                  + timeout.toSeconds()
                  + " s: is it following the same chain and flow? Rerun to resume");
        }
        Thread.sleep(200); // the node polls the chain; nothing to wait on but its answer
      }
    }
  }

  private void print(PrintWriter out, Result r) {
    if (json) {
      JsonOutput.print(out, r);
      return;
    }
    out.println(
        (r.submitted() ? "Stored " : "Stored (already in the flow: not submitted again) ")
            + file
            + (r.encrypted() ? " encrypted (the root and size are the container's)" : "")
            + ": root "
            + r.root()
            + ", tx seq "
            + r.txSeq()
            + ", "
            + r.size()
            + " bytes, "
            + r.segments()
            + " segments ("
            + r.segmentsSent()
            + " sent) in "
            + String.format(Locale.ROOT, "%.3f", r.seconds())
            + " s");
    for (StorageNodes.FileState s : r.nodes()) {
      out.println(
          "  "
              + s.node()
              + (s.finalized() ? "  finalized" : "  not finalized")
              + ", "
              + s.uploadedSegments()
              + " segments stored");
    }
    out.flush();
  }
}
