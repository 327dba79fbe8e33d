// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// Messages between the chains of an Axivon cluster, proven by a certified header and a state proof
/// (specs/cluster.md section 5). System module at 0x0000000000000000000000000000000000001006 on every
/// chain of a cluster.
interface ICrossChain {
    event MessageSent(uint256 indexed seq, uint256 indexed toChain, address indexed sender, bytes payload);
    event MessageDelivered(uint256 indexed fromChain, uint256 indexed seq, address indexed sender, bytes32 payloadHash);

    /// Puts a message for chain `toChain` (an EVM chain id of the cluster) in this chain's outbox.
    function send(uint256 toChain, bytes calldata payload) external returns (uint256 seq);

    /// Delivers message `seq` of chain `fromChain`: `header` and `certificate` are the RLP of a
    /// consensus header of the source chain and its commit certificate (axivon_getCertifiedHeader),
    /// `accountProof` and `storageProof` the RLP lists of the trie nodes eth_getProof returns for this
    /// module's outbox slot at the state the header commits to. Reverts with the reason otherwise.
    function deliver(
        uint256 fromChain,
        uint256 seq,
        address sender,
        bytes calldata payload,
        bytes calldata header,
        bytes calldata certificate,
        bytes calldata accountProof,
        bytes calldata storageProof
    ) external;

    /// The hash kept for outgoing message `seq` (zero if none).
    function outbox(uint256 seq) external view returns (bytes32 messageHash);

    /// How many messages this chain sent.
    function sentCount() external view returns (uint256);

    /// Whether message `seq` of chain `fromChain` was delivered here, by whom it was sent, and the
    /// keccak256 of its payload.
    function delivered(uint256 fromChain, uint256 seq)
        external
        view
        returns (bool ok, address sender, bytes32 payloadHash);
}
