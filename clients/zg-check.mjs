// 0G's own TypeScript SDK against Axivon's storage log: the file's Merkle root (ZgFile), an upload
// without an indexer (Uploader: flow submit on chain 0, then segments to every storage node), a
// download with its Downloader compared byte for byte, and a KV read with its KvClient.
//
//   node zg-check.mjs --rpc http://127.0.0.1:8545/ --flow 0x…1001 --key 0xac09…ff80
//                     --node http://127.0.0.1:5678/ --node http://127.0.0.1:5679/ --file F
//                     [--root 0x… (what `axivon storage root F` printed)]
//                     [--kv http://127.0.0.1:6789/ --kv-key K --kv-value V [--kv-version SEQ]
//                      [--kv-stream 0x… (default: the devnet's default stream)]]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Downloader, KvClient, StorageNode, Uploader, ZgFile, getFlowContract } from '@0gfoundation/0g-ts-sdk';
import { JsonRpcProvider, Wallet, keccak256, toUtf8Bytes } from 'ethers';
import { args, check, quietStdout, run } from './common.mjs';

quietStdout(); // the SDK logs its progress with console.log
const opt = args(
  {
    rpc: { type: 'string' },
    flow: { type: 'string' },
    key: { type: 'string' },
    node: { type: 'string', multiple: true },
    file: { type: 'string' },
    root: { type: 'string' },
    kv: { type: 'string' },
    'kv-stream': { type: 'string', default: keccak256(toUtf8Bytes('axivon.kv.default')) },
    'kv-key': { type: 'string' },
    'kv-value': { type: 'string' },
    'kv-version': { type: 'string' },
  },
  ['rpc', 'flow', 'key', 'node', 'file'],
);

run(async () => {
  const result = {};
  const file = await ZgFile.fromFilePath(opt.file);
  try {
    const [tree, treeErr] = await file.merkleTree();
    check(treeErr === null && tree !== null, `merkleTree failed: ${treeErr}`);
    const root = tree.rootHash();
    result.root = root;
    result.size = file.size();
    if (opt.root !== undefined) {
      check(root.toLowerCase() === opt.root.toLowerCase(), `SDK root ${root}, axivon storage root ${opt.root}`);
    }

    const nodes = opt.node.map((u) => new StorageNode(u));
    const signer = new Wallet(opt.key, new JsonRpcProvider(opt.rpc, undefined, { pollingInterval: 250 }));
    const uploader = new Uploader(nodes, opt.rpc, getFlowContract(opt.flow, signer));
    const [up, upErr] = await uploader.uploadFile(file, { finalityRequired: true, expectedReplica: 1 });
    check(upErr === null, `upload failed: ${upErr?.message ?? upErr}`);
    check(up.rootHash === root, `upload root ${up.rootHash}`);
    result.upload = up;
    for (const n of nodes) {
      const info = await n.getFileInfo(root, true);
      check(info?.finalized === true, `${n.url} has not finalized ${root}: ${JSON.stringify(info)}`);
    }

    const dir = mkdtempSync(join(tmpdir(), 'zg-check-'));
    try {
      const out = join(dir, 'downloaded');
      const downErr = await new Downloader(nodes).download(root, out, true);
      check(downErr === null, `download failed: ${downErr?.message ?? downErr}`);
      check(Buffer.compare(readFileSync(out), readFileSync(opt.file)) === 0, 'downloaded bytes differ from the file');
      result.downloaded = file.size();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    await file.close();
  }

  if (opt.kv !== undefined) {
    check(opt['kv-key'] !== undefined && opt['kv-value'] !== undefined, '--kv needs --kv-key and --kv-value');
    const kv = new KvClient(opt.kv);
    const value = await kv.getValue(opt['kv-stream'], toUtf8Bytes(opt['kv-key']));
    check(value !== null, `KvClient.getValue(${opt['kv-key']}) returned null`);
    const text = Buffer.from(value.data, 'base64').toString('utf8');
    check(text === opt['kv-value'], `KvClient.getValue(${opt['kv-key']}) is ${JSON.stringify(text)}, expected ${JSON.stringify(opt['kv-value'])}`);
    if (opt['kv-version'] !== undefined) {
      check(value.version === Number(opt['kv-version']), `value version ${value.version}, expected ${opt['kv-version']} (the put's tx seq)`);
    }
    result.kv = { stream: opt['kv-stream'], key: opt['kv-key'], version: value.version, size: value.size };
  }
  return result;
}, 420_000);
