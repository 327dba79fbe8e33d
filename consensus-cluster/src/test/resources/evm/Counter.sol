// SPDX-License-Identifier: MIT
// Compiled with solc-js 0.8.26, evmVersion shanghai, optimizer off, through its standard-JSON API
// (the solcjs CLI has no --evm-version): npm install solc@0.8.26, then node compile.js Counter.sol
// with compile.js next to this file; it writes Counter.bin and Counter.abi.
pragma solidity 0.8.26;

contract Counter {
    uint256 public count;

    event Incremented(address indexed by, uint256 newCount);

    error TooLarge(uint256 requested, uint256 limit);

    function increment() external {
        count += 1;
        emit Incremented(msg.sender, count);
    }

    function add(uint256 n) external {
        if (n > 100) {
            revert TooLarge(n, 100);
        }
        count += n;
        emit Incremented(msg.sender, count);
    }

    function reset() external {
        count = 0;
    }

    function fail() external pure {
        revert("nope");
    }
}
