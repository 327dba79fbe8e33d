// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// Staking and slashing of an Axivon cluster: a native (Java) system module on chain 0 at
/// 0x0000000000000000000000000000000000001000. Semantics, storage layout and gas: specs/staking.md.
/// Failed calls revert with Error(string) reasons listed there.
interface IStaking {
    // ---------------------------------------------------------------- events

    event ValidatorRegistered(address indexed validator, bytes blsPublicKey, uint16 commissionBps);
    event Delegated(address indexed validator, address indexed delegator, uint256 amount);
    event Undelegated(
        address indexed validator, address indexed delegator, uint256 amount, uint256 completionHeight
    );
    event Withdrawn(address indexed delegator, uint256 amount);
    event RewardsClaimed(address indexed account, uint256 amount);
    /// `amount` is everything burned: the validator's pool and the unbonding entries that were at stake.
    event Slashed(address indexed validator, uint256 amount, uint256 infractionHeight, bytes32 evidenceHash);
    event Jailed(address indexed validator);

    // ---------------------------------------------------------------- transactions

    /// Registers msg.sender as a validator operator with a BLS12-381 key (48-byte compressed G1),
    /// its proof of possession (96-byte G2 signature of the key under the POP ciphersuite) and a
    /// commission in basis points. msg.value (at least the minimum self-stake) is its self-delegation.
    function registerValidator(bytes calldata blsPublicKey, bytes calldata proofOfPossession, uint16 commissionBps)
        external
        payable;

    /// Delegates msg.value to `validator` (not jailed).
    function delegate(address validator) external payable;

    /// Starts unbonding `amount` wei of msg.sender's delegation to `validator`; it can be withdrawn
    /// from the returned block height on.
    function undelegate(address validator, uint256 amount) external returns (uint256 completionHeight);

    /// Pays out every completed unbonding entry of msg.sender.
    function withdraw() external returns (uint256 amount);

    /// Pays out msg.sender's rewards: commissions and its delegations' shares of fees.
    function claimRewards() external returns (uint256 amount);

    /// Submits equivocation evidence: the RLP `Evidence = [Vote, Vote]` of specs/consensus.md.
    /// Verified against the validator set of its height; slashes and jails the offender once.
    function submitEvidence(bytes calldata evidence) external returns (uint256 slashed);

    /// Submits equivocation seen on another chain of the cluster: the RLP
    /// `ChainEvidence = [chainId, validatorsHash, Evidence]` of specs/cluster.md. The set that
    /// signed is found by its hash among the sets this module defined; slashes and jails once.
    function submitChainEvidence(bytes calldata evidence) external returns (uint256 slashed);

    // ---------------------------------------------------------------- views

    function getValidator(address validator)
        external
        view
        returns (bytes memory blsPublicKey, uint16 commissionBps, uint256 totalStake, uint256 selfStake, bool jailed);

    /// What `delegator`'s delegation to `validator` is worth now, in wei.
    function getDelegation(address validator, address delegator) external view returns (uint256);

    /// All bonded stake, in wei.
    function totalStake() external view returns (uint256);

    /// The validator set in force at the current block, in consensus order (power descending, then key).
    function currentValidators() external view returns (address[] memory validators, uint256[] memory powers);

    /// Rewards `account` can claim now.
    function pendingRewards(address account) external view returns (uint256);

    /// `delegator`'s unbonding stake: withdrawable now, and still unbonding.
    function unbonding(address delegator) external view returns (uint256 withdrawable, uint256 pending);

    /// The epoch length E, the epoch of the current block, and the next boundary height.
    function epochInfo() external view returns (uint256 epochLength, uint256 epoch, uint256 nextBoundary);

    /// Whether evidence with this key has been used: keccak256(RLP(Evidence)) for this chain's
    /// evidence; for evidence of another chain of the cluster, `ChainEvidence.replayKey()` =
    /// keccak256(RLP(chainId) ‖ RLP(Evidence)) (the set hash left out). `Slashed` reports the same key.
    function evidenceUsed(bytes32 evidenceHash) external view returns (bool);
}
