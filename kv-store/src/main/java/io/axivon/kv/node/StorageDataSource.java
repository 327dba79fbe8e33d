package io.axivon.kv.node;

import io.axivon.sdk.storage.FlowSubmission;
import io.axivon.sdk.storage.StorageClient;
import io.axivon.sdk.storage.StorageClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads KV transactions from storage nodes with the sdk's {@link StorageClient}, which checks
 * every segment's proof against the root the flow gives. A file no node serves finalized yet is
 * "not available": the replayer waits for it rather than skipping it.
 */
public final class StorageDataSource implements DataSource {
  private static final Logger LOG = LoggerFactory.getLogger(StorageDataSource.class);

  private final StorageClient client;
  private final Path tmpDir;

  /** {@code tmpDir}: where downloads land before they are read (deleted right after). */
  public StorageDataSource(StorageClient client, Path tmpDir) {
    this.client = Objects.requireNonNull(client, "client");
    this.tmpDir = Objects.requireNonNull(tmpDir, "tmpDir");
  }

  @Override
  public Optional<Bytes> fetch(FlowSubmission submission) throws IOException {
    Files.createDirectories(tmpDir);
    Path out = tmpDir.resolve("tx-" + submission.txSeq() + ".bin");
    try {
      // by sequence number: another submission may share this root with another length
      client.download(submission, out);
      return Optional.of(Bytes.wrap(Files.readAllBytes(out)));
    } catch (StorageClientException e) {
      LOG.debug("submission {} not available yet: {}", submission.txSeq(), e.getMessage());
      return Optional.empty();
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
