// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// Data availability on chain 0 (specs/da.md section 11): DA operators, per-epoch quorums, disperser
/// bonds, blob certification and bad-encoding fraud proofs. System module at
/// 0x0000000000000000000000000000000000001004 on chain 0.
interface IDataAvailability {
    event OperatorRegistered(address indexed operator, bytes blsKey, string networkAddress);
    event OperatorUpdated(address indexed operator, string networkAddress);
    event OperatorDeregistered(address indexed operator);
    event DisperserBonded(address indexed disperser, uint256 bond);
    event DisperserUnbonding(address indexed disperser, uint64 withdrawableAt);
    event DisperserWithdrawn(address indexed disperser, uint256 amount);
    event BlobCertified(bytes32 indexed dataRoot, uint64 epoch, uint64 quorumId, address indexed disperser, uint64 size);
    event BlobInvalidated(bytes32 indexed dataRoot, address indexed prover, uint256 slashed, uint256 reward);

    /// Registers msg.sender, a registered and non-jailed staking validator, as a DA operator with a
    /// 48-byte BLS key, its 96-byte proof of possession and the address its DA node listens on
    /// (1..256 bytes). Its validator's total stake is its weight from the next epoch on.
    function registerOperator(bytes calldata blsKey, bytes calldata proofOfPossession, string calldata networkAddress) external;

    /// Changes the caller's network address.
    function updateOperator(string calldata networkAddress) external;

    /// Leaves the operator list from the next epoch on; the key may be registered again.
    function deregisterOperator() external;

    /// Adds msg.value to the caller's disperser bond; the bond must reach the minimum.
    function registerDisperser() external payable;

    /// Stops the caller confirming blobs; its bond is withdrawable after the configured delay.
    function unbondDisperser() external;

    /// Pays an unbonded disperser its remaining bond.
    function withdrawDisperserBond() external returns (uint256 amount);

    /// Certifies a blob: `certificate` is the RLP DaCertificate (specs/da.md section 7) for
    /// `dataRoot` and width `k`, of the current or the previous epoch, `size` the blob's length (it
    /// must need exactly width k). msg.value must be exactly blobFee(size); it is burned. The caller
    /// must be a bonded disperser.
    function confirmBlob(bytes calldata certificate, bytes32 dataRoot, uint32 k, uint64 size) external payable;

    /// Invalidates a certified blob with an RLP bad-encoding proof (specs/da.md section 6): the
    /// blob's disperser loses its whole bond, a share to msg.sender, the rest burned. Once per blob.
    function submitFraudProof(bytes32 dataRoot, bytes calldata proof) external;

    /// Whether `dataRoot` is certified and not invalidated: what rollup contracts check.
    function isAvailable(bytes32 dataRoot) external view returns (bool);

    /// A blob's record; status 0 unknown, 1 available, 2 invalidated.
    function blob(bytes32 dataRoot)
        external
        view
        returns (uint8 status, address disperser, uint64 epoch, uint64 quorumId, uint32 k, uint64 size, uint64 confirmedAt);

    /// The members of quorum `quorumId` in `epoch` in sortition order, their BLS keys (48 bytes each,
    /// concatenated), weights (stake in gwei) and rows held in a square of width `k`.
    function quorum(uint64 epoch, uint64 quorumId, uint32 k)
        external
        view
        returns (address[] memory members, bytes memory blsKeys, uint64[] memory weights, uint32[] memory rows);

    function operator(address account) external view returns (bool registered, bytes memory blsKey, string memory networkAddress);

    function operators() external view returns (address[] memory);

    function disperser(address account) external view returns (uint256 bond, uint64 withdrawableAt, bool active);

    /// The current epoch, its seed and the number of operators its quorums are drawn from.
    function epochInfo() external view returns (uint64 epoch, bytes32 seed, uint256 operatorCount);

    function epochSeed(uint64 epoch) external view returns (bytes32);

    function blobFee(uint64 size) external view returns (uint256);
}
