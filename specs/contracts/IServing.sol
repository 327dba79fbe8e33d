// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// The compute marketplace: a native (Java) system module on chain 0 at
/// 0x0000000000000000000000000000000000001005. Providers list services; users prepay into a
/// ledger, move funds to per-provider sub-accounts and sign each request (EIP-712, domain
/// AxivonServing/1/chainId/this address); providers settle batches of signed requests.
/// Semantics, storage layout, gas and revert reasons: specs/compute.md.
interface IServing {
    /// verifiability: 0 none, 1 signed-response, 2 tee-attested
    struct Service {
        address provider;
        string name; // 1..64 bytes of A-Z a-z 0-9 . _ -
        string serviceType; // 1..32 bytes of a-z 0-9 -
        string url; // http:// or https://, at most 256 bytes
        string model; // at most 128 bytes of printable ASCII
        uint256 inputPrice; // wei per input unit, below 2^128
        uint256 outputPrice; // wei per output unit, below 2^128
        uint8 verifiability;
        uint256 updatedAt; // block of the last add or update
    }

    /// A user's sub-account with one provider.
    struct Account {
        uint256 balance; // chargeable by the provider, pending refund included
        uint256 nonce; // last settled request nonce; the next must be greater
        uint256 pendingRefund; // returned to the ledger by processRefund after the lock
        uint256 refundUnlockBlock;
    }

    /// One request in a settlement; the provider is msg.sender. The signature (r ‖ s ‖ v, 65
    /// bytes) is the user's over the EIP-712 digest of
    /// Request(address user,address provider,string service,uint256 nonce,uint256 fee,bytes32 requestHash).
    struct SettledRequest {
        address user;
        string service;
        uint256 nonce;
        uint256 fee;
        bytes32 requestHash;
        bytes signature;
    }

    /// What a signed-response provider signs for each answer (EIP-712, same domain):
    /// Response(address user,address provider,string service,uint256 nonce,uint256 fee,
    /// bytes32 requestHash,bytes32 responseHash,uint256 outputUnits). fee is the request's.
    struct Receipt {
        address user;
        address provider;
        string service;
        uint256 nonce;
        uint256 fee;
        bytes32 requestHash;
        bytes32 responseHash; // keccak256 of the response body
        uint256 outputUnits; // what the gateway metered: response body bytes
    }

    event ServiceUpdated(
        address indexed provider,
        string name,
        string serviceType,
        string url,
        string model,
        uint256 inputPrice,
        uint256 outputPrice,
        uint8 verifiability
    );
    event ServiceRemoved(address indexed provider, string name);
    event Deposited(address indexed user, uint256 amount, uint256 balance);
    event Transferred(address indexed user, address indexed provider, uint256 amount);
    event RefundRequested(address indexed user, address indexed provider, uint256 amount, uint256 unlockBlock);
    event RefundProcessed(address indexed user, address indexed provider, uint256 amount);
    event Withdrawn(address indexed user, uint256 amount);
    /// One per user of a batch: how many of its requests, their total fee, the last nonce.
    event FeesSettled(address indexed user, address indexed provider, uint256 count, uint256 total, uint256 lastNonce);
    event BondDeposited(address indexed provider, uint256 amount, uint256 bond);
    event UnbondRequested(address indexed provider, uint256 amount, uint256 unlockBlock);
    event BondWithdrawn(address indexed provider, uint256 amount);
    /// kind: 1 equivocation, 2 overmetered; paid moved from the provider's bond to the user's ledger.
    event Disputed(address indexed user, address indexed provider, uint256 nonce, uint8 kind, uint256 paid);

    function addOrUpdateService(
        string calldata name,
        string calldata serviceType,
        string calldata url,
        string calldata model,
        uint256 inputPrice,
        uint256 outputPrice,
        uint8 verifiability
    ) external;
    function removeService(string calldata name) external;
    function getService(address provider, string calldata name) external view returns (Service memory);
    function listServices() external view returns (Service[] memory);

    function deposit() external payable;
    function transferFund(address provider, uint256 amount) external;
    function requestRefund(address provider, uint256 amount) external;
    /// Returns the amount moved back to the ledger balance.
    function processRefund(address provider) external returns (uint256);
    function withdraw(uint256 amount) external;
    function getAccount(address user, address provider) external view returns (Account memory);
    function getBalance(address user) external view returns (uint256);
    function lockBlocks() external view returns (uint256);

    /// Verifies every request and charges it; all or nothing. Returns the total paid to msg.sender.
    function settleFees(SettledRequest[] calldata requests) external returns (uint256);

    /// The provider's bond, which disputes are paid from.
    function depositBond() external payable;
    /// Asks amount back; withdrawable lockBlocks later, chargeable by disputes until withdrawn.
    function requestUnbond(uint256 amount) external;
    /// Returns the amount paid out: the pending unbond, less what disputes took since.
    function withdrawBond() external returns (uint256);
    function getBond(address provider) external view returns (uint256 bond, uint256 pendingUnbond, uint256 unlockBlock);

    /// Two different receipts the provider signed for one request (same user, provider, service,
    /// nonce and request hash). Pays the user min(bond, min(feeA, feeB) + penalty). Returns it.
    function disputeEquivocation(Receipt calldata a, bytes calldata signatureA, Receipt calldata b, bytes calldata signatureB)
        external
        returns (uint256);
    /// A receipt metering more output units than its response body (hashing to responseHash,
    /// at most 256 KiB) has bytes. Pays the user min(bond, fee + penalty). Returns it.
    function disputeMetering(Receipt calldata receipt, bytes calldata signature, bytes calldata body)
        external
        returns (uint256);
    function isDisputed(address user, address provider, uint256 nonce) external view returns (bool);
}
