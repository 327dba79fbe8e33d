// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// The storage log's flow: a native (Java) system module on chain 0 at
/// 0x0000000000000000000000000000000000001001, with the ABI of 0G's Flow contract and of its
/// fixed-price market (the module is its own market). Semantics, storage layout, gas and revert
/// reasons: specs/flow.md.
interface IFlow {
    struct SubmissionNode {
        bytes32 root; // perfect Merkle root of the node's 2^height sectors
        uint256 height;
    }

    struct Submission {
        uint256 length; // file size in bytes
        bytes tags; // free bytes (empty for plain files)
        SubmissionNode[] nodes; // largest first: the 1-bits of the padded sector count
    }

    /// One per submission. identity = keccak256 of the node roots concatenated; length = sum of
    /// 2^height (the padded sector count); startPos = the flow sector of the first node.
    /// topic0 = 0x167ce04d2aa1981994d3a31695da0d785373335b1078cec239a1a3a2c7675555
    event Submit(
        address indexed sender,
        bytes32 indexed identity,
        uint256 submissionIndex,
        uint256 startPos,
        uint256 length,
        Submission submission
    );

    /// msg.value was below price * amount (amount = the sectors charged).
    error NotEnoughFee(uint256 price, uint256 amount, uint256 paid);

    /// Appends the submission's nodes at aligned positions and charges pricePerSector per padded
    /// sector; value above the fee stays with the sender. Returns what the Submit event carries.
    function submit(Submission calldata submission)
        external
        payable
        returns (uint256 submissionIndex, bytes32 identity, uint256 startPos, uint256 length);

    /// submit for each of at most 64 submissions, in order, charging their summed fee at once.
    function batchSubmit(Submission[] calldata submissions)
        external
        payable
        returns (
            uint256[] memory submissionIndexes,
            bytes32[] memory identities,
            uint256[] memory startPositions,
            uint256[] memory lengths
        );

    /// This address: the flow is its own market.
    function market() external view returns (address);

    /// Wei per 256-byte sector.
    function pricePerSector() external view returns (uint256);

    /// Submissions so far: the next submissionIndex.
    function numSubmissions() external view returns (uint256);

    /// Sectors in the flow, alignment padding included.
    function flowLength() external view returns (uint256);

    /// The flow's current Merkle root (keccak, zero sectors as padding; specs/flow.md section 4).
    function root() external view returns (bytes32);

    /// The current mining epoch: block number / epochBlocks at the last boundary.
    function epoch() external view returns (uint256);

    /// The current epoch's mining context (0G's MineContext shape);
    /// digest = keccak256(abi.encode(epoch, mineStart, flowRoot, flowLength, blockDigest)).
    function getContext()
        external
        view
        returns (
            uint256 epoch,
            uint256 mineStart,
            bytes32 flowRoot,
            uint256 flowLength,
            bytes32 blockDigest,
            bytes32 digest
        );

    /// Wei of fees held for storage rewards.
    function rewardPool() external view returns (uint256);
}
