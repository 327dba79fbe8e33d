// Compiles Counter.sol for Shanghai through solc-js 0.8.26 standard JSON (see Counter.sol).
const solc = require('solc'); const fs = require('fs');
const input = { language: 'Solidity', sources: { 'Counter.sol': { content: fs.readFileSync(process.argv[2], 'utf8') } },
  settings: { evmVersion: 'shanghai', optimizer: { enabled: false }, outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } } } };
const out = JSON.parse(solc.compile(JSON.stringify(input)));
if (out.errors && out.errors.some(e => e.severity === 'error')) { console.error(JSON.stringify(out.errors)); process.exit(1); }
const c = out.contracts['Counter.sol'].Counter;
fs.writeFileSync('Counter.bin', c.evm.bytecode.object); fs.writeFileSync('Counter.abi', JSON.stringify(c.abi));
console.log(solc.version());
