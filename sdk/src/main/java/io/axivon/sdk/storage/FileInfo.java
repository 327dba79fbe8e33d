package io.axivon.sdk.storage;

/**
 * A file as the node reports it (0G's {@code FileInfo}, 0g-rpc.md §2.3).
 *
 * @param submission the flow submission
 * @param finalized whether every segment the node keeps of the file is stored and verified
 * @param uploadedSegments segments stored (all of the file's once finalized, as the Rust node says)
 */
public record FileInfo(FlowSubmission submission, boolean finalized, long uploadedSegments) {}
