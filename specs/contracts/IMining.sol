// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// PoRA mining: a native (Java) system module on chain 0 at
/// 0x0000000000000000000000000000000000001003. Miners register an id bound to their account and
/// submit proofs of random access to the flow's data (module 0x…1001); valid answers are paid
/// from the storage fees of the pricing chunk they recalled. Semantics, verification order,
/// revert reasons, rewards and storage layout: specs/pora.md.
interface IMining {
    struct PoraAnswer {
        bytes32 contextDigest; // the flow's current getContext().digest
        bytes32 minerId; // keccak256(account left-padded to 32 bytes ++ salt)
        bytes32 nonce;
        uint256 rangeStart; // sectors, a multiple of 16
        uint256 rangeLength; // sectors, a multiple of 16, at most 2^28
        uint256 shardId; // the miner holds segments g with g % numShard == shardId; 0 unsharded
        uint256 numShard; // a power of two up to 2^32; 1 unsharded (else whole 1024-sector segments)
        uint256 recallPosition; // first sector of the recalled 4 KiB unit
        bytes32 sealContextDigest; // a recorded context the unit was sealed with
        bytes32 unitRoot; // Merkle root of the unit's 16 unsealed sectors
        bytes32[128] sealedData; // the sealed unit
        bytes32[] proof; // unitRoot's siblings up to the flow root, bottom up (at most 58)
    }

    /// topic0 = 0xf449a7d1a166111df7c67095db22f10d9cc3f0ca1c60b55dbcff20912f4a5458
    event MinerRegistered(bytes32 indexed minerId, address indexed beneficiary);

    /// topic0 = 0xf8062282f4f251784b500254d6415a58a779968865bcad2e145fe096d6a3c7b3
    event AnswerAccepted(
        bytes32 indexed minerId,
        uint256 indexed epoch,
        address beneficiary,
        uint256 recallPosition,
        bytes32 quality,
        uint256 reward
    );

    /// Logged by the block hook when a new context starts.
    /// topic0 = 0x693ece4e350392cfc16f35838f2e8c109e64f763f4b793dd1874e57c96cdb643
    event DifficultyAdjusted(uint256 epoch, uint256 answers, uint256 oldTarget, uint256 newTarget);

    /// minerId = keccak256(msg.sender left-padded ++ salt); reverts if already registered.
    function registerMiner(bytes32 salt) external returns (bytes32 minerId);

    /// Verifies the answer against the current context and pays the recalled pricing chunk's
    /// released fees to the miner's account. Reverts with Error("<code>: <detail>").
    function submitAnswer(PoraAnswer calldata answer) external returns (uint256 reward);

    function minerOf(bytes32 minerId) external view returns (address);

    function target() external view returns (uint256);

    /// The answers accepted for the current context.
    function answers() external view returns (uint256 epoch, uint256 count);

    function rewarded(bytes32 contextDigest, bytes32 minerId) external view returns (bool);

    /// Stored (not settled) values of pricing chunk `index` (8 GiB of the flow each).
    function pricingChunk(uint256 index)
        external
        view
        returns (uint256 unreleased, uint256 claimable, uint256 epoch);

    /// Wei swept from the flow's fee pool and paid to miners, since genesis.
    function totals() external view returns (uint256 swept, uint256 paid);

    /// A miner's accepted answers and wei paid since genesis, and the epoch and context digest of
    /// its last accepted answer (zeros before the first).
    function minerStats(bytes32 minerId)
        external
        view
        returns (uint256 answers, uint256 rewards, uint256 lastEpoch, bytes32 lastContext);
}
