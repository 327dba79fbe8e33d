package io.axivon.kv.node;

import io.axivon.sdk.storage.FlowSubmission;
import java.io.IOException;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;

/** Where the replayer gets a submission's file: normally storage nodes over zgs_* RPC. */
public interface DataSource {

  /** The file's bytes, or empty while no source serves it yet (the replayer tries again later). */
  Optional<Bytes> fetch(FlowSubmission submission) throws IOException;
}
