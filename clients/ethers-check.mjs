// ethers.js 6 against an Axivon chain's Ethereum JSON-RPC: network, blocks, an EIP-1559 transfer, a
// contract deployment, a view, an event read back with a filter, revert reasons and custom errors
// decoded by ethers, gas estimates and fee data.
//
//   node ethers-check.mjs --rpc http://127.0.0.1:8545/ --key 0xac09…ff80 [--chain-id 12700]
//                         [--abi Counter.abi --bin Counter.bin]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ContractFactory, JsonRpcProvider, Wallet, isError, parseEther } from 'ethers';
import { args, check, run } from './common.mjs';

const evm = (f) => fileURLToPath(new URL(`../consensus-cluster/src/test/resources/evm/${f}`, import.meta.url));
const opt = args(
  {
    rpc: { type: 'string' },
    key: { type: 'string' },
    'chain-id': { type: 'string' },
    abi: { type: 'string', default: evm('Counter.abi') },
    bin: { type: 'string', default: evm('Counter.bin') },
  },
  ['rpc', 'key'],
);

/** Runs `f`, which must fail with CALL_EXCEPTION; returns the error. */
async function callException(what, f) {
  try {
    await f();
  } catch (e) {
    check(isError(e, 'CALL_EXCEPTION'), `${what}: expected CALL_EXCEPTION, got ${e.code}: ${e.message}`);
    return e;
  }
  throw new Error(`mismatch: ${what} did not revert`);
}

run(async () => {
  // cacheTimeout -1: ethers otherwise answers an identical request made within 250 ms from its own
  // cache, so on a chain that includes a transaction that fast, the next transaction's
  // getTransactionCount(addr, 'pending') returns the previous one's nonce without asking the node
  // ("nonce too low"; ethers-io/ethers.js#4549).
  const provider = new JsonRpcProvider(opt.rpc, undefined, { pollingInterval: 250, cacheTimeout: -1 });
  const network = await provider.getNetwork();
  if (opt['chain-id'] !== undefined) {
    check(network.chainId === BigInt(opt['chain-id']), `chain id ${network.chainId}, expected ${opt['chain-id']}`);
  }
  const head = await provider.getBlock('latest');
  check(head !== null && head.number >= 0 && head.hash?.length === 66, `latest block ${JSON.stringify(head)}`);
  const byNumber = await provider.getBlock(head.number);
  check(byNumber.hash === head.hash, `block ${head.number} by number has hash ${byNumber.hash}, by tag ${head.hash}`);

  const fee = await provider.getFeeData();
  check(fee.gasPrice !== null && fee.gasPrice > 0n, `getFeeData gasPrice ${fee.gasPrice}`);
  check(fee.maxFeePerGas !== null && fee.maxPriorityFeePerGas !== null, 'getFeeData has no EIP-1559 fees');
  check(head.baseFeePerGas !== null, 'latest block has no baseFeePerGas');

  const wallet = new Wallet(opt.key, provider);
  const to = Wallet.createRandom().address;
  const value = parseEther('0.001');
  const transferGas = await provider.estimateGas({ from: wallet.address, to, value });
  check(transferGas === 21000n, `estimateGas of a plain transfer is ${transferGas}, expected 21000`);
  const sent = await wallet.sendTransaction({ to, value });
  check(sent.type === 2, `ethers sent a type ${sent.type} transfer, expected EIP-1559 (2)`);
  const transfer = await sent.wait(1, 60_000);
  check(transfer.status === 1, `transfer status ${transfer.status}`);
  check((await provider.getBalance(to)) === value, 'recipient balance after the transfer');
  const fetched = await provider.getTransaction(sent.hash);
  check(fetched.hash === sent.hash && fetched.blockNumber === transfer.blockNumber, 'getTransaction of the transfer');

  const abi = JSON.parse(readFileSync(opt.abi, 'utf8'));
  const bytecode = '0x' + readFileSync(opt.bin, 'utf8').trim().replace(/^0x/, '');
  const deployed = await new ContractFactory(abi, bytecode, wallet).deploy();
  await deployed.waitForDeployment();
  const counter = deployed.connect(wallet);
  const address = await counter.getAddress();
  const deployReceipt = await deployed.deploymentTransaction().wait(1, 60_000);
  check(deployReceipt.contractAddress === address, `receipt contractAddress ${deployReceipt.contractAddress}`);
  check((await provider.getCode(address)).length > 2, 'no code at the deployed address');
  check((await counter.count()) === 0n, 'count() of a new Counter');

  const incrementGas = await counter.increment.estimateGas();
  check(incrementGas > 21000n, `estimateGas of increment() is ${incrementGas}`);
  const inc = await (await counter.increment()).wait(1, 60_000);
  check(inc.status === 1, `increment status ${inc.status}`);
  check((await counter.count()) === 1n, 'count() after increment()');
  const parsed = inc.logs.map((l) => counter.interface.parseLog(l)).filter((l) => l !== null);
  check(parsed.length === 1 && parsed[0].name === 'Incremented', 'receipt logs of increment()');
  const events = await counter.queryFilter(counter.filters.Incremented(wallet.address), inc.blockNumber, inc.blockNumber);
  check(events.length === 1, `queryFilter found ${events.length} Incremented events`);
  check(events[0].args.by === wallet.address && events[0].args.newCount === 1n, 'Incremented event args');
  check(events[0].transactionHash === inc.hash, 'event transaction hash');
  const others = await counter.queryFilter(counter.filters.Incremented(to), inc.blockNumber, inc.blockNumber);
  check(others.length === 0, 'a filter on another indexed sender matched');

  const reason = await callException('fail()', () => counter.fail.staticCall());
  check(reason.reason === 'nope', `revert reason ${JSON.stringify(reason.reason)}, expected "nope"`);
  const custom = await callException('add(101)', () => counter.add.staticCall(101));
  check(custom.revert?.name === 'TooLarge', `custom error ${custom.revert?.name}, expected TooLarge`);
  check(custom.revert.args[0] === 101n && custom.revert.args[1] === 100n, 'TooLarge args');
  const estimated = await callException('estimateGas of fail()', () => counter.fail.estimateGas());
  check(estimated.reason === 'nope', `estimateGas revert reason ${JSON.stringify(estimated.reason)}`);
  const added = await (await counter.add(5)).wait(1, 60_000);
  check(added.status === 1 && (await counter.count()) === 6n, 'add(5)');

  return {
    chainId: network.chainId,
    block: head.number,
    gasPrice: fee.gasPrice,
    transfer: { hash: sent.hash, block: transfer.blockNumber, gasUsed: transfer.gasUsed },
    contract: address,
    incrementGas,
    event: { block: inc.blockNumber, newCount: events[0].args.newCount },
    revertReason: reason.reason,
    customError: custom.revert.name,
  };
});
