// Generates ethers-vectors.json (read by TxCodecTest): npm install ethers@6.13.4, then
// node ethers-vectors.js > ethers-vectors.json. Signs with development account 0.
const { Wallet, Transaction } = require('ethers');
const w = new Wallet('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80');
const specs = [
  { type: 0, chainId: 1337, nonce: 0, gasPrice: 1000000000n, gasLimit: 21000, to: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', value: 10n ** 18n, data: '0x' },
  { type: 0, chainId: 0, nonce: 7, gasPrice: 20000000000n, gasLimit: 50000, to: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', value: 1n, data: '0xdeadbeef' },
  { type: 0, chainId: 1, nonce: 300, gasPrice: 0n, gasLimit: 100000, to: null, value: 0n, data: '0x6080604052' },
  { type: 1, chainId: 1337, nonce: 1, gasPrice: 3000000000n, gasLimit: 60000, to: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC', value: 5n, data: '0x00ff00',
    accessList: [{ address: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC', storageKeys: ['0x0000000000000000000000000000000000000000000000000000000000000001', '0x00000000000000000000000000000000000000000000000000000000000000ff'] }, { address: '0x90F79bf6EB2c4f870365E785982E1f101E93b906', storageKeys: [] }] },
  { type: 2, chainId: 1337, nonce: 2, maxPriorityFeePerGas: 2000000000n, maxFeePerGas: 10000000000n, gasLimit: 21000, to: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', value: 123456789n, data: '0x' },
  { type: 2, chainId: 31337, nonce: 0, maxPriorityFeePerGas: 0n, maxFeePerGas: 1n, gasLimit: 1000000, to: null, value: 0n, data: '0x60016000556000', accessList: [] },
  { type: 2, chainId: 1, nonce: 1000000, maxPriorityFeePerGas: 1n, maxFeePerGas: (1n << 100n), gasLimit: 30000000, to: '0x90F79bf6EB2c4f870365E785982E1f101E93b906', value: (1n << 200n), data: '0x' + 'ab'.repeat(100),
    accessList: [{ address: '0x90F79bf6EB2c4f870365E785982E1f101E93b906', storageKeys: ['0x' + '11'.repeat(32)] }] },
];
(async () => {
  const out = [];
  for (const s of specs) {
    const tx = Transaction.from(s);
    const raw = await w.signTransaction(tx);
    const p = Transaction.from(raw);
    out.push({ raw, hash: p.hash, from: p.from, signingHash: p.unsignedHash, type: p.type });
  }
  console.log(JSON.stringify(out, null, 1));
})();
