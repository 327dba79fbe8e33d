package io.axivon.kv.client;

import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import io.axivon.kv.tx.AccessControl;
import io.axivon.kv.tx.KvTags;
import io.axivon.kv.tx.KvTransaction;
import io.axivon.kv.tx.KvTxCodec;
import io.axivon.kv.tx.StreamRead;
import io.axivon.kv.tx.StreamWrite;
import io.axivon.sdk.kv.KvClient;
import io.axivon.sdk.storage.FlowClient;
import io.axivon.sdk.storage.FlowSubmission;
import io.axivon.sdk.storage.StorageClient;
import io.axivon.sdk.storage.StorageClientException;
import io.axivon.sdk.storage.layout.FileTree;
import io.axivon.sdk.storage.layout.Submission;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Collects writes (and optionally reads and access-control ops) into one KV transaction, then
 * uploads it like 0G's SDK Batcher: the stream data as a file, tagged with its streams, submitted
 * to the flow and uploaded to storage nodes; then waits for a KV node's replay result. One batcher
 * builds one transaction; it is not thread-safe.
 */
public final class KvBatcher {

  /** Puts a submission on the flow and returns it with its tx seq (on chain: {@link #onChain}). */
  @FunctionalInterface
  public interface Submitter {
    FlowSubmission submit(Submission submission) throws InterruptedException;
  }

  /** Submits through the flow module, paid and signed by {@code signer}. */
  public static Submitter onChain(FlowClient flow, Secp256k1PrivateKey signer) {
    Objects.requireNonNull(flow, "flow");
    Objects.requireNonNull(signer, "signer");
    return s -> flow.submit(s, signer);
  }

  /** The transaction's seq, its file root and its replay result ("Commit" or why not). */
  public record Result(long txSeq, Bytes32 root, String result) {
    public boolean committed() {
      return result.equals("Commit");
    }
  }

  private final Submitter submitter;
  private final StorageClient storage;
  private final KvClient kv;
  private final Path tmpDir;
  private final Duration poll;
  private long version = -1; // 2^64-1: never conflicts, as 0G's default
  private final Map<List<Object>, StreamWrite> writes = new LinkedHashMap<>();
  private final List<StreamRead> reads = new ArrayList<>();
  private final List<AccessControl> controls = new ArrayList<>();

  /**
   * @param tmpDir where the transaction file is written before upload (deleted after)
   * @param poll the wait between kv_getTransactionResult polls
   */
  public KvBatcher(
      Submitter submitter, StorageClient storage, KvClient kv, Path tmpDir, Duration poll) {
    this.submitter = Objects.requireNonNull(submitter, "submitter");
    this.storage = Objects.requireNonNull(storage, "storage");
    this.kv = Objects.requireNonNull(kv, "kv");
    this.tmpDir = Objects.requireNonNull(tmpDir, "tmpDir");
    this.poll = Objects.requireNonNull(poll, "poll");
  }

  /**
   * Sets a key; setting it again keeps the first position with the later value (0G's Batcher
   * order).
   */
  public KvBatcher set(Bytes32 stream, Bytes key, Bytes value) {
    List<Object> id = List.of(stream, key);
    writes.put(id, new StreamWrite(stream, key, value));
    return this;
  }

  /** Deletes a key: an empty value (specs/kv.md section 1). */
  public KvBatcher delete(Bytes32 stream, Bytes key) {
    return set(stream, key, Bytes.EMPTY);
  }

  /** Records that the transaction depends on this key as read at {@link #version}. */
  public KvBatcher read(Bytes32 stream, Bytes key) {
    reads.add(new StreamRead(stream, key));
    return this;
  }

  public KvBatcher control(AccessControl control) {
    controls.add(Objects.requireNonNull(control, "control"));
    return this;
  }

  /** The version the reads were made at: the transaction fails if any key changed after it. */
  public KvBatcher version(long readVersion) {
    this.version = readVersion;
    return this;
  }

  /** The transaction built so far. */
  public KvTransaction transaction() {
    return new KvTransaction(version, reads, List.copyOf(writes.values()), controls);
  }

  /**
   * Uploads the transaction and waits up to {@code timeout} for a KV node to replay it.
   *
   * @throws TimeoutException if the KV node has no result in time (the transaction may still replay
   *     later: look up {@code kv_getTransactionResult} with the seq in the message)
   */
  public Result exec(Duration timeout) throws IOException, InterruptedException, TimeoutException {
    KvTransaction tx = transaction();
    if (tx.writes().isEmpty() && tx.reads().isEmpty() && tx.controls().isEmpty()) {
      throw new IllegalStateException("nothing to send: add a write, read or control first");
    }
    Files.createDirectories(tmpDir);
    Path file = Files.createTempFile(tmpDir, "kv-tx-", ".bin");
    try {
      Files.write(file, KvTxCodec.encode(tx).toArrayUnsafe());
      FileTree tree = FileTree.of(file);
      FlowSubmission sub = submitter.submit(tree.submission().withTags(KvTags.of(tx)));
      long deadline = System.nanoTime() + timeout.toNanos();
      upload(file, sub.txSeq(), deadline);
      while (true) {
        Optional<String> result = kv.transactionResult(sub.txSeq());
        if (result.isPresent()) {
          return new Result(sub.txSeq(), tree.root(), result.get());
        }
        if (System.nanoTime() > deadline) {
          throw new TimeoutException(
              "KV transaction "
                  + sub.txSeq()
                  + " (root "
                  + tree.root().toHexString()
                  + ") is uploaded but not replayed after "
                  + timeout.toMillis()
                  + " ms");
        }
        Thread.sleep(poll); // a remote node's progress: nothing to wait on but its answers
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** Uploads once the storage nodes have synced the submission from the chain. */
  private void upload(Path file, long txSeq, long deadline)
      throws IOException, InterruptedException, TimeoutException {
    while (true) {
      try {
        storage.upload(file, txSeq);
        return;
      } catch (StorageClientException e) {
        // most often the nodes have not seen the submission yet: they follow the chain
        if (System.nanoTime() > deadline) {
          throw new TimeoutException(
              "KV transaction " + txSeq + " is submitted but its upload failed: " + e.getMessage());
        }
        Thread.sleep(poll);
      }
    }
  }
}
