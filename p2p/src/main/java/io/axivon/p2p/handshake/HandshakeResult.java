package io.axivon.p2p.handshake;

import io.axivon.p2p.NodeId;
import io.axivon.p2p.frame.FrameCipher;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A finished handshake: the authenticated remote and the two frame ciphers (of the negotiated
 * suite, {@code sender.suite()}), whose counters continue after the auth messages (the first
 * transport frame in each direction uses counter 1).
 */
public record HandshakeResult(
    NodeId remoteId,
    int remoteListenPort,
    FrameCipher sender,
    FrameCipher receiver,
    Bytes32 transcriptHash) {}
