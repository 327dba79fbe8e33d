// 0G's own TypeScript SDK against Axivon's storage log: the file's Merkle root (ZgFile), an upload
// without an indexer (Uploader: flow submit on chain 0, then segments to every storage node), a
// download with its Downloader compared byte for byte, a KV read with its KvClient, and a KV write
// with its Batcher read back once the KV node has replayed it.
//
//   node zg-check.mjs --rpc http://127.0.0.1:8545/ --flow 0x…1001 --key 0xac09…ff80
//                     --node http://127.0.0.1:5678/ --node http://127.0.0.1:5679/ --file F
//                     [--root 0x… (what `axivon storage root F` printed)]
//                     [--kv http://127.0.0.1:6789/ --kv-key K --kv-value V [--kv-version SEQ]
//                      [--kv-stream 0x… (default: the devnet's default stream)]
//                      [--kv-write-key K2 --kv-write-value V2 (written with the SDK's Batcher; --key
//                       must then be the stream's admin or a writer)]]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Batcher, Downloader, KvClient, StorageNode, Uploader, ZgFile, getFlowContract } from '@0gfoundation/0g-ts-sdk';
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
    'kv-write-key': { type: 'string' },
    'kv-write-value': { type: 'string' },
  },
  ['rpc', 'flow', 'key', 'node', 'file'],
);

run(async () => {
  const result = {};
  const nodes = opt.node.map((u) => new StorageNode(u));
  // cacheTimeout -1: see ethers-check.mjs (ethers' 250 ms request cache returns stale pending nonces)
  const signer = new Wallet(
    opt.key,
    new JsonRpcProvider(opt.rpc, undefined, { pollingInterval: 250, cacheTimeout: -1 }),
  );
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

    if (opt['kv-write-key'] !== undefined) {
      const key = toUtf8Bytes(opt['kv-write-key']);
      const want = opt['kv-write-value'] ?? '';
      const before = await kv.getValue(opt['kv-stream'], key);
      const batcher = new Batcher(before?.version ?? 0, nodes, getFlowContract(opt.flow, signer), opt.rpc);
      batcher.streamDataBuilder.set(opt['kv-stream'], key, toUtf8Bytes(want));
      const [written, writeErr] = await batcher.exec({ finalityRequired: true, expectedReplica: 1 });
      check(writeErr === null, `Batcher.exec failed: ${writeErr?.message ?? writeErr}`);
      // the KV node replays the transaction once it has synced it from the flow and the storage nodes
      const deadline = Date.now() + 120_000;
      let outcome = null;
      while ((outcome = await kv.getTransactionResult(written.txSeq)) === null && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
      }
      check(outcome === 'Commit', `the KV node's result for tx seq ${written.txSeq}: ${outcome}`);
      const back = await kv.getValue(opt['kv-stream'], key);
      const text = Buffer.from(back?.data ?? '', 'base64').toString('utf8');
      check(text === want, `after Batcher.exec, KvClient.getValue is ${JSON.stringify(text)}, expected ${JSON.stringify(want)}`);
      check(back.version === written.txSeq, `written value's version ${back.version}, tx seq ${written.txSeq}`);
      result.kvWrite = { key: opt['kv-write-key'], txSeq: written.txSeq, result: outcome };
    }
  }
  return result;
}, 420_000);
