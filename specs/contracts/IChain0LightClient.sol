// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// Chain i > 0's light client of chain 0 (system module at 0x0000000000000000000000000000000000001002).
/// It follows chain 0's validator set from the chain-0 validator-set changes that proposers put into
/// this chain's blocks (see specs/consensus.md, section 10); contracts and tools can read what it trusts.
interface IChain0LightClient {
    /// The chain-0 validator set this chain trusts: it signs chain 0 from `chain0FromHeight` on;
    /// `setHash` = keccak256(RLP(ValidatorSet)).
    function trustedSet() external view returns (uint256 chain0FromHeight, bytes32 setHash);
}
