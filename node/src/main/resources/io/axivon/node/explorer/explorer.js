// The devnet explorer. Everything comes through the explorer server's same-origin relay to the
// endpoints of the devnet manifest (/rpc/chain/I, /rpc/storage/I, /rpc/kv, /api/da/...): chain
// data from Ethereum JSON-RPC, system module state from eth_call and eth_getLogs, storage and KV
// from their nodes' JSON-RPC. All decoding happens here.
import * as abi from "./abi.js";

const CHAIN_REFRESH_MS = 1000; // a new block shows within about a second (the brief asks 5 s)
const STACK_REFRESH_MS = 4000;
const RECENT_BLOCKS = 8;
const LOG_WINDOW = 9999; // blocks per eth_getLogs: the node serves at most 10,000
const SEGMENT_BYTES = 256 * 1024; // a storage segment: 1,024 sectors of 256 bytes

let manifest = null;
let rpcId = 1;
const validatorSet = { addresses: [], powers: [] }; // chain 0's staking set, consensus order
const blockCache = new Map(); // "chain/number" -> {block, cert}
const firstHeights = new Map();

// ------------------------------------------------------------------ transport

class RpcError extends Error {}

/** One JSON-RPC call through the relay; an error answer throws an RpcError with its message. */
async function rpc(path, method, params = []) {
  const [r] = await batch(path, [[method, params]]);
  if (r instanceof Error) throw r;
  return r;
}

/** A JSON-RPC batch through the relay: each result, or an RpcError in its place. */
async function batch(path, calls) {
  if (calls.length === 0) return [];
  const body = calls.map(([method, params]) => ({ jsonrpc: "2.0", id: rpcId++, method, params }));
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(path + ": HTTP " + response.status + " " + (await response.text()).trim());
  const answers = await response.json();
  const byId = new Map((Array.isArray(answers) ? answers : [answers]).map((a) => [a.id, a]));
  return body.map((req) => {
    const a = byId.get(req.id);
    if (!a) return new RpcError(req.method + ": no answer");
    if (a.error) return new RpcError(req.method + ": " + a.error.message);
    return a.result;
  });
}

const chainPath = (i) => "/rpc/chain/" + i;
const module0 = (name) => (manifest.chains[0] && manifest.chains[0].contracts[name]) || null;

/** eth_call of a chain 0 module view; decodes the answer as `returns`. */
async function view(moduleName, signature, args, returns) {
  const to = module0(moduleName);
  const data = await rpc(chainPath(0), "eth_call", [{ to, data: abi.encodeCall(signature, args) }, "latest"]);
  return abi.decode(returns, data);
}

/** Several views of chain 0 modules in one batch: [module, signature, args, returns] each. */
async function views(list) {
  const answers = await batch(
    chainPath(0),
    list.map(([m, sig, args]) => ["eth_call", [{ to: module0(m), data: abi.encodeCall(sig, args) }, "latest"]]));
  return answers.map((a, i) => (a instanceof Error ? a : abi.decode(list[i][3], a)));
}

let chain0Head = 0;

/**
 * Chain 0 logs of a module with topic0 `event`, over the last LOG_WINDOW blocks up to the head the
 * page knows ("latest" would stretch the range past the node's limit as blocks are decided).
 */
async function logs(moduleName, event, topics = []) {
  const from = Math.max(0, chain0Head - LOG_WINDOW + 1);
  return rpc(chainPath(0), "eth_getLogs", [
    { fromBlock: hex(from), toBlock: hex(chain0Head), address: module0(moduleName), topics: [abi.topic(event), ...topics] },
  ]);
}

// ------------------------------------------------------------------ formatting

const hex = (n) => "0x" + BigInt(n).toString(16);
const num = (h) => (h == null ? null : Number(BigInt(h)));
const short = (h) => (h && h.length > 18 ? h.slice(0, 10) + "…" + h.slice(-6) : h);
const topicAddress = (t) => "0x" + t.slice(26);
const plural = (n, what) => n + " " + what + (n === 1 ? "" : "s");

function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

/** Wei as AXN (up to 4 decimals), or as gwei or wei when smaller, so fees and rewards stay visible. */
function axn(wei) {
  const w = BigInt(wei);
  if (w < 10n ** 9n) return w.toLocaleString("en-US") + " wei";
  if (w < 10n ** 15n) return (Number(w / 10n ** 7n) / 100).toLocaleString("en-US", { maximumFractionDigits: 2 }) + " gwei";
  return (Number(w / 10n ** 14n) / 1e4).toLocaleString("en-US", { maximumFractionDigits: 4 }) + " AXN";
}

const code = (h, full) => "<code title='" + esc(h) + "'>" + esc(full ? h : short(h)) + "</code>";
const link = (q, text) => "<a href='#q=" + encodeURIComponent(q) + "' class='q'>" + esc(text || short(q)) + "</a>";

function table(headers, rows, empty, rowClass = "") {
  if (rows.length === 0) return "<p class='muted empty'>" + esc(empty) + "</p>";
  return (
    "<table><thead><tr>" + headers.map((h) => "<th>" + esc(h) + "</th>").join("") + "</tr></thead><tbody>" +
    rows.map((r) => "<tr" + (rowClass ? " class='" + rowClass + "'" : "") + "><td>" + r.join("</td><td>") + "</td></tr>").join("") +
    "</tbody></table>");
}

/** Renders a section's body; a failure shows as the section's error, never a blank section. */
async function section(id, render) {
  const el = document.getElementById(id);
  const body = el.querySelector(".body");
  try {
    body.innerHTML = await render();
    el.dataset.rendered = "ok";
  } catch (e) {
    body.innerHTML = "<p class='error'>" + esc(e.message) + "</p>";
    el.dataset.rendered = "error";
  }
}

function validatorLabel(index) {
  const a = validatorSet.addresses[index];
  return a ? "v" + index + " " + short(a) : "v" + index;
}

// ------------------------------------------------------------------ chains

/** The block and its commit certificate, cached once both are known (decided blocks are final). */
async function blockWithCert(chain, n) {
  const key = chain.index + "/" + n;
  const cached = blockCache.get(key);
  if (cached && cached.cert) return cached;
  const [block, certified] = await batch(chainPath(chain.index), [
    ["eth_getBlockByNumber", [hex(n), true]],
    ["axivon_getCertifiedHeader", [hex(n)]],
  ]);
  if (block instanceof Error) throw block;
  let cert = null;
  if (certified && !(certified instanceof Error)) {
    const c = abi.rlpDecode(abi.hexToBytes(certified.certificate));
    const h = abi.rlpDecode(abi.hexToBytes(certified.header));
    cert = { round: Number(abi.rlpUint(c[1])), signers: abi.bitmapIndexes(c[3]), proposer: Number(abi.rlpUint(h[8])) };
  }
  const entry = { block, cert };
  if (block) blockCache.set(key, entry);
  return entry;
}

async function refreshChain(chain) {
  const card = document.getElementById("chain-" + chain.index);
  try {
    const head = num(await rpc(chainPath(chain.index), "eth_blockNumber"));
    if (chain.index === 0) chain0Head = head;
    if (!firstHeights.has(chain.index)) firstHeights.set(chain.index, head);
    const entries = [];
    for (let n = head; n >= Math.max(0, head - RECENT_BLOCKS + 1); n--) entries.push(blockWithCert(chain, n));
    const blocks = (await Promise.all(entries)).filter((e) => e.block);
    const rows = blocks.map(({ block: b, cert }) => [
      link(String(num(b.number)), String(num(b.number))),
      link(b.hash),
      new Date(num(b.timestamp) * 1000).toLocaleTimeString("en-GB"),
      String(b.transactions.length),
      num(b.gasUsed).toLocaleString("en-US"),
      cert ? "<span title='" + esc(validatorLabel(cert.proposer)) + "'>v" + cert.proposer + "</span>" : "–",
      cert
        ? "<span class='signers' title='" + esc(cert.signers.map(validatorLabel).join(", ")) + "'>" +
          cert.signers.length + (validatorSet.addresses.length ? "/" + validatorSet.addresses.length : "") + " signed: " +
          esc(cert.signers.map((i) => "v" + i).join(" ")) + (cert.round > 0 ? " (round " + cert.round + ")" : "") + "</span>"
        : "<span class='muted'>no certificate yet</span>",
    ]);
    const txs = blocks.flatMap(({ block: b }) => b.transactions).slice(0, 10);
    const txRows = txs.map((t) => [
      link(t.hash), String(num(t.blockNumber)), link(t.from), t.to ? link(t.to) : "<i>create</i>", esc(axn(t.value)),
    ]);
    card.innerHTML =
      "<h3>" + esc(chain.chainId) + " <span class='muted'>EVM chain id " + chain.evmChainId + "</span></h3>" +
      "<div>height <b class='height' data-chain='" + esc(chain.chainId) + "' data-first='" + firstHeights.get(chain.index) + "'>" + head + "</b></div>" +
      table(["block", "hash", "time", "txs", "gas used", "proposer", "commit signers"], rows, "no blocks yet", "block") +
      "<h4>Latest transactions</h4>" +
      table(["hash", "block", "from", "to", "value"], txRows, "no transactions in the last " + RECENT_BLOCKS + " blocks", "tx");
    card.dataset.rendered = "ok";
  } catch (e) {
    card.innerHTML = "<h3>" + esc(chain.chainId) + "</h3><p class='error'>" + esc(e.message) + "</p>";
    card.dataset.rendered = "error";
  }
}

// ------------------------------------------------------------------ validators

async function renderValidators() {
  if (!module0("staking")) return "<p class='muted empty'>chain 0 runs no staking module</p>";
  const [[addresses, powers], [total]] = await Promise.all([
    view("staking", "currentValidators()", [], "address[],uint256[]"),
    view("staking", "totalStake()", [], "uint256"),
  ]);
  validatorSet.addresses = addresses;
  validatorSet.powers = powers;
  const [slashedLogs, jailedLogs] = await Promise.all([
    logs("staking", "Slashed(address,uint256,uint256,bytes32)"),
    logs("staking", "Jailed(address)"),
  ]);
  const slashed = new Map();
  for (const l of slashedLogs) {
    const a = topicAddress(l.topics[1]);
    slashed.set(a, (slashed.get(a) || 0n) + abi.decode("uint256,uint256,bytes32", l.data)[0]);
  }
  const all = [...addresses];
  for (const l of jailedLogs) if (!all.includes(topicAddress(l.topics[1]))) all.push(topicAddress(l.topics[1]));
  for (const a of slashed.keys()) if (!all.includes(a)) all.push(a);
  const infos = await views(all.map((a) => ["staking", "getValidator(address)", [a], "bytes,uint16,uint256,uint256,bool"]));
  const rows = all.map((a, i) => {
    const info = infos[i];
    const inSet = i < addresses.length;
    if (info instanceof Error) return [inSet ? "v" + i : "–", link(a, a), "–", "–", "–", "–", "<span class='muted'>" + esc(info.message) + "</span>", "–"];
    const [, commission, totalStake, selfStake, jailed] = info;
    return [
      inSet ? "v" + i : "–",
      link(a, a),
      inSet ? String(powers[i]) : "0",
      esc(axn(totalStake)),
      esc(axn(selfStake)),
      (Number(commission) / 100).toFixed(2) + " %",
      jailed ? "<b class='jailed'>jailed</b>" : inSet ? "active" : "not in set",
      slashed.has(a) ? "<b class='slashed'>" + esc(axn(slashed.get(a))) + "</b>" : "no",
    ];
  });
  return "<p>" + addresses.length + (addresses.length === 1 ? " validator" : " validators") + " in chain 0's set · total stake " + esc(axn(total)) + "</p>" +
    table(["#", "operator", "power", "total stake", "self stake", "commission", "status", "slashed"], rows, "no validators", "validator");
}

// ------------------------------------------------------------------ data availability

const BLOB_STATUS = ["unknown", "available", "invalidated"];

function daApiUrl() {
  if (manifest.da && manifest.da.api) return manifest.da.api;
  const s = manifest.services || {};
  if (s.da) return s.da;
  const k = Object.keys(s).find((name) => name.toLowerCase().startsWith("da"));
  return k ? s[k] : null;
}

async function renderDa() {
  if (!module0("dataAvailability")) return "<p class='muted empty'>chain 0 runs no DA module</p>";
  const [[epoch, , operatorCount], [operators]] = await Promise.all([
    view("dataAvailability", "epochInfo()", [], "uint64,bytes32,uint256"),
    view("dataAvailability", "operators()", [], "address[]"),
  ]);
  const [certified, invalidated] = await Promise.all([
    logs("dataAvailability", "BlobCertified(bytes32,uint64,uint64,address,uint64)"),
    logs("dataAvailability", "BlobInvalidated(bytes32,address,uint256,uint256)"),
  ]);
  const recent = certified.slice(-20).reverse();
  const [records, txs] = await Promise.all([
    views(recent.map((l) => ["dataAvailability", "blob(bytes32)", [l.topics[1]], "uint8,address,uint64,uint64,uint32,uint64,uint64"])),
    batch(chainPath(0), recent.map((l) => ["eth_getTransactionByHash", [l.transactionHash]])),
  ]);
  // each (epoch, quorum, k) once: how many members the certificate's signers are out of
  const quorums = new Map();
  for (const r of records) if (!(r instanceof Error)) quorums.set(r[2] + "/" + r[3] + "/" + r[4], [r[2], r[3], r[4]]);
  const keys = [...quorums.keys()];
  const sizes = await views(keys.map((k) => ["dataAvailability", "quorum(uint64,uint64,uint32)", quorums.get(k), "address[],bytes,uint64[],uint32[]"]));
  const quorumSize = new Map(keys.map((k, i) => [k, sizes[i] instanceof Error ? null : sizes[i][0].length]));
  const rows = recent.map((l, i) => {
    const r = records[i];
    const status = r instanceof Error ? r.message : BLOB_STATUS[Number(r[0])] || "status " + r[0];
    let cert = "–";
    try {
      const tx = txs[i];
      const [certificate] = abi.decodeCall("confirmBlob(bytes,bytes32,uint32,uint64)", tx.input);
      const c = abi.rlpDecode(abi.hexToBytes(certificate));
      const members = r instanceof Error ? null : quorumSize.get(r[2] + "/" + r[3] + "/" + r[4]);
      cert = abi.bitmapIndexes(c[4]).length + (members == null ? "" : " of " + members) + " quorum members signed · k " + abi.rlpUint(c[1]) + " · " +
        (certificate.length / 2 - 1) + " bytes";
    } catch (e) {
      cert = "<span class='muted'>not decodable: " + esc(e.message) + "</span>";
    }
    const [, , size] = abi.decode("uint64,uint64,uint64", l.data);
    return [
      link(l.topics[1]), esc(status), r instanceof Error ? "–" : String(r[2]), r instanceof Error ? "–" : String(r[3]),
      r instanceof Error ? "–" : String(r[4]), Number(size).toLocaleString("en-US") + " B", link(topicAddress(l.topics[2])),
      String(num(l.blockNumber)), cert,
    ];
  });
  const api = daApiUrl();
  const daNodes = (manifest.da && manifest.da.nodes) || [];
  const nodeRows = daNodes.map((n) => [esc(n.name), link(n.operator), operators.map((o) => o.toLowerCase()).includes(String(n.operator).toLowerCase()) ? "registered" : "not registered", code(n.address)]);
  return (daNodes.length ? table(["DA node", "operator", "on chain 0", "P2P address"], nodeRows, "", "da-node") : "") +
    "<p>epoch " + epoch + " · " + plural(operators.length, "DA operator") + " (" + operatorCount + " drawn from this epoch) · " +
    plural(certified.length, "blob") + " certified, " + invalidated.length + " invalidated · " +
    (api ? "blob API <a href='" + esc(api) + "' id='da-api'>" + esc(api) + "</a>" : "<span class='muted'>no DA API in this devnet</span>") + "</p>" +
    table(["data root", "status", "epoch", "quorum", "k", "size", "disperser", "block", "certificate"], rows, "no blobs certified yet", "blob");
}

// ------------------------------------------------------------------ storage and mining

async function renderStorage() {
  const nodes = manifest.storage || [];
  const statuses = await Promise.all(nodes.map((_, i) =>
    batch("/rpc/storage/" + i, [["zgs_getStatus", []], ["zgs_getShardConfig", []]]).catch((e) => [e, e])));
  const nodeRows = nodes.map((n, i) => {
    const [s, shard] = statuses[i];
    if (s instanceof Error) return [esc(n.name), "<span class='error'>" + esc(s.message) + "</span>", "", ""];
    return [esc(n.name), String(s.nextTxSeq), String(s.logSyncHeight), shard instanceof Error ? "–" : shard.shardId + " of " + shard.numShard];
  });
  let files = "<p class='muted empty'>chain 0 runs no flow module</p>";
  if (module0("flow")) {
    const [[count], [length], [price]] = await Promise.all([
      view("flow", "numSubmissions()", [], "uint256"),
      view("flow", "flowLength()", [], "uint256"),
      view("flow", "pricePerSector()", [], "uint256"),
    ]);
    const submits = (await logs("flow", "Submit(address,bytes32,uint256,uint256,uint256,(uint256,bytes,(bytes32,uint256)[]))"))
      .slice(-20).reverse();
    const decoded = submits.map((l) => abi.decode("uint256,uint256,uint256,(uint256,bytes,(bytes32,uint256)[])", l.data));
    const infos = await Promise.all(nodes.map((_, i) =>
      batch("/rpc/storage/" + i, decoded.map((d) => ["zgs_getFileInfoByTxSeq", [Number(d[0])]])).catch((e) => decoded.map(() => e))));
    const rows = submits.map((l, j) => {
      const [seq, startPos, sectors, submission] = decoded[j];
      const size = Number(submission[0]);
      const segments = Math.max(1, Math.ceil(size / SEGMENT_BYTES));
      let root = null;
      const perNode = nodes.map((n, i) => {
        const info = infos[i][j];
        if (info instanceof Error) return esc(n.name) + ": <span class='muted'>" + esc(info.message) + "</span>";
        if (!info) return esc(n.name) + ": not synced";
        root = info.tx.dataMerkleRoot;
        return "<span class='" + (info.finalized ? "stored" : "partial") + "'>" + esc(n.name) + ": " +
          info.uploadedSegNum + "/" + segments + " segments" + (info.finalized ? " ✓" : "") + "</span>";
      });
      return [String(seq), root ? link(root) : "–", size.toLocaleString("en-US") + " B", String(startPos) + "+" + sectors,
        link(topicAddress(l.topics[1])), String(num(l.blockNumber)), perNode.join("<br>")];
    });
    files = "<p>" + plural(Number(count), "submission") + " · flow length " + length + " sectors · " + esc(axn(price)) + " per sector</p>" +
      table(["tx seq", "file root", "size", "sectors", "sender", "block", "segments stored per node"], rows, "no files submitted yet", "file");
  }
  return table(["node", "next tx seq", "synced to block", "shard"], nodeRows, "no storage nodes in this devnet", "storage-node") + files;
}

async function renderMining() {
  if (!module0("mining")) return "<p class='muted empty'>chain 0 runs no mining module</p>";
  const [[target], [epoch, count], [swept, paid]] = await Promise.all([
    view("mining", "target()", [], "uint256"),
    view("mining", "answers()", [], "uint256,uint256"),
    view("mining", "totals()", [], "uint256,uint256"),
  ]);
  const [registered, accepted] = await Promise.all([
    logs("mining", "MinerRegistered(bytes32,address)"),
    logs("mining", "AnswerAccepted(bytes32,uint256,address,uint256,bytes32,uint256)"),
  ]);
  const miners = new Map(registered.map((l) => [l.topics[1], { beneficiary: topicAddress(l.topics[2]), answers: 0, reward: 0n, last: null }]));
  for (const l of accepted) {
    const [beneficiary, , , reward] = abi.decode("address,uint256,bytes32,uint256", l.data);
    const m = miners.get(l.topics[1]) || { beneficiary, answers: 0, reward: 0n, last: null };
    m.answers++;
    m.reward += reward;
    m.last = num(l.topics[2]);
    miners.set(l.topics[1], m);
  }
  const rows = [...miners].map(([id, m]) => [
    code(id), link(m.beneficiary), String(m.answers), esc(axn(m.reward)), m.last == null ? "–" : String(m.last)]);
  const answerRows = accepted.slice(-10).reverse().map((l) => {
    const [, recall, quality, reward] = abi.decode("address,uint256,bytes32,uint256", l.data);
    return [code(l.topics[1]), String(num(l.topics[2])), String(recall), code(quality), esc(axn(reward)), String(num(l.blockNumber))];
  });
  return "<p>epoch " + epoch + " · " + plural(Number(count), "answer") + " this context · target " + code(hex(target)) +
    " · swept " + esc(axn(swept)) + ", paid " + esc(axn(paid)) + "</p>" +
    table(["miner id", "beneficiary", "answers", "rewards", "last epoch"], rows, "no miners registered yet", "miner") +
    "<h4>Latest answers</h4>" +
    table(["miner id", "epoch", "recall position", "quality", "reward", "block"], answerRows, "no answers accepted yet", "answer");
}

// ------------------------------------------------------------------ KV

function printable(b64) {
  const text = atob(b64);
  if (/^[\x20-\x7e]*$/.test(text)) return JSON.stringify(text.length > 48 ? text.slice(0, 48) + "…" : text);
  return short(abi.bytesToHex(Uint8Array.from(text, (c) => c.charCodeAt(0))));
}

async function renderKv() {
  if (!(manifest.services || {}).kv) return "<p class='muted empty'>no KV node in this devnet</p>";
  const streams = await rpc("/rpc/kv", "kv_getHoldingStreamIds");
  const rows = [];
  for (const stream of streams.slice(0, 10)) {
    const keys = [];
    let kv = await rpc("/rpc/kv", "kv_getFirst", [stream, 0, 64]);
    while (kv && keys.length < 5) {
      keys.push(esc(printable(kv.key)) + " = " + esc(printable(kv.data)) + " <span class='muted'>(" + kv.size + " B, v" + kv.version + ")</span>");
      kv = await rpc("/rpc/kv", "kv_getNext", [stream, kv.key, 0, 64, false]);
    }
    rows.push([code(stream), keys.length ? keys.join("<br>") + (kv ? "<br>…" : "") : "<span class='muted'>no keys</span>"]);
  }
  return "<p>" + plural(streams.length, "stream") + " held by the KV node</p>" +
    table(["stream", "keys (first 5)"], rows, "the KV node holds no streams yet", "stream");
}

// ------------------------------------------------------------------ compute

const VERIFIABILITY = ["none", "signed-response", "tee-attested"];

async function renderCompute() {
  if (!module0("serving")) return "<p class='muted empty'>chain 0 runs no serving module</p>";
  const [[services], settled] = await Promise.all([
    view("serving", "listServices()", [], "(address,string,string,string,string,uint256,uint256,uint8,uint256)[]"),
    logs("serving", "FeesSettled(address,address,uint256,uint256,uint256)"),
  ]);
  const byProvider = new Map();
  for (const l of settled) {
    const p = topicAddress(l.topics[2]);
    const [count, total] = abi.decode("uint256,uint256,uint256", l.data);
    const s = byProvider.get(p) || { requests: 0n, total: 0n, batches: 0 };
    s.requests += count;
    s.total += total;
    s.batches++;
    byProvider.set(p, s);
  }
  const rows = services.map(([provider, name, type, url, model, inPrice, outPrice, verif, updated]) => {
    const s = byProvider.get(provider.toLowerCase()) || { requests: 0n, total: 0n, batches: 0 };
    return [esc(name), link(provider), esc(type), esc(url), esc(model || "–"), esc(axn(inPrice)) + " / unit in", esc(axn(outPrice)) + " / unit out",
      esc(VERIFIABILITY[Number(verif)] || String(verif)), String(s.requests), esc(axn(s.total)), String(updated)];
  });
  const gateways = (manifest.compute || []).map((g) => esc(g.name) + " <code>" + esc(g.gateway) + "</code>").join(", ");
  return "<p>" + plural(services.length, "service") + " · " + plural(settled.length, "settlement") + (gateways ? " · gateways " + gateways : "") + "</p>" +
    table(["service", "provider", "type", "url", "model", "input price", "output price", "verifiability", "requests settled", "settled", "updated at block"],
      rows, "no services registered", "service");
}

// ------------------------------------------------------------------ accounts

async function renderAccounts() {
  const balances = await batch(chainPath(0), manifest.devAccounts.map((a) => ["eth_getBalance", [a, "latest"]]));
  const rows = manifest.devAccounts.map((a, i) => [
    String(i), link(a, a), balances[i] instanceof Error ? esc(balances[i].message) : esc(axn(balances[i]))]);
  return table(["#", "address", "balance on " + manifest.chains[0].chainId], rows, "no development accounts", "account");
}

// ------------------------------------------------------------------ search

const USAGE = "enter a block number, a block or transaction hash, a DA blob key or data root, a file root (0x + 64 hex digits) or an address (0x + 40 hex digits)";

function pairs(list) {
  return "<table class='kv'>" + list.map(([k, v]) => "<tr><th>" + esc(k) + "</th><td>" + v + "</td></tr>").join("") + "</table>";
}

async function searchHash(q) {
  const hits = [];
  await Promise.all(manifest.chains.map(async (c) => {
    const [tx, receipt, block] = await batch(chainPath(c.index), [
      ["eth_getTransactionByHash", [q]], ["eth_getTransactionReceipt", [q]], ["eth_getBlockByHash", [q, false]]]);
    if (tx && !(tx instanceof Error)) {
      hits.push("<h4 class='hit' data-kind='transaction'>Transaction on " + esc(c.chainId) + "</h4>" + pairs([
        ["hash", code(tx.hash, true)],
        ["block", tx.blockNumber ? link(String(num(tx.blockNumber))) : "pending"],
        ["from", link(tx.from, tx.from)], ["to", tx.to ? link(tx.to, tx.to) : "contract creation"],
        ["value", esc(axn(tx.value))], ["nonce", String(num(tx.nonce))],
        ["status", receipt && !(receipt instanceof Error) ? (receipt.status === "0x1" ? "success" : "reverted") : "pending"],
        ["gas used", receipt && !(receipt instanceof Error) ? num(receipt.gasUsed).toLocaleString("en-US") : "–"],
        ["logs", receipt && !(receipt instanceof Error) ? String(receipt.logs.length) : "–"],
        ["input", code(tx.input)],
      ]));
    }
    if (block && !(block instanceof Error)) hits.push(blockHit(c, block));
  }));
  if (module0("dataAvailability")) {
    const [r] = await view("dataAvailability", "blob(bytes32)", [q], "uint8,address,uint64,uint64,uint32,uint64,uint64").then((v) => [v], () => [null]);
    if (r && Number(r[0]) !== 0) {
      hits.push("<h4 class='hit' data-kind='blob'>DA blob (data root)</h4>" + pairs([
        ["status", esc(BLOB_STATUS[Number(r[0])])], ["disperser", link(r[1], r[1])], ["epoch", String(r[2])],
        ["quorum", String(r[3])], ["k", String(r[4])], ["size", String(r[5]) + " B"], ["confirmed at block", String(r[6])]]));
    }
  }
  if (daApiUrl()) {
    const response = await fetch("/api/da/blobs/" + q + "/status");
    if (response.ok) {
      const s = await response.json();
      hits.push("<h4 class='hit' data-kind='blob-key'>DA blob (key)</h4>" +
        pairs(Object.entries(s).map(([k, v]) => [k,
          typeof v === "string" && /^0x[0-9a-fA-F]{64}$/.test(v) && k !== "key" ? link(v, v)
            : k === "block" ? link(String(v))
            : typeof v === "string" && v.startsWith("0x") ? code(v) : esc(String(v))])));
    }
  }
  const files = await Promise.all((manifest.storage || []).map((n, i) =>
    rpc("/rpc/storage/" + i, "zgs_getFileInfo", [q]).then((f) => [n, f], (e) => [n, null])));
  const stored = files.filter(([, f]) => f);
  if (stored.length) {
    const f = stored[0][1];
    hits.push("<h4 class='hit' data-kind='file'>Stored file</h4>" + pairs([
      ["root", code(f.tx.dataMerkleRoot, true)], ["size", Number(f.tx.size).toLocaleString("en-US") + " B"], ["tx seq", String(f.tx.seq)],
      ...stored.map(([n, fi]) => [n.name, fi.uploadedSegNum + " segments" + (fi.finalized ? ", finalized" : ", not finalized")])]));
  }
  return hits;
}

function blockHit(c, b) {
  return "<h4 class='hit' data-kind='block'>Block " + num(b.number) + " of " + esc(c.chainId) + "</h4>" + pairs([
    ["hash", code(b.hash, true)], ["parent", code(b.parentHash)], ["time", new Date(num(b.timestamp) * 1000).toLocaleString()],
    ["transactions", b.transactions.map((t) => link(typeof t === "string" ? t : t.hash)).join(" ") || "none"],
    ["gas used", num(b.gasUsed).toLocaleString("en-US")], ["state root", code(b.stateRoot)]]);
}

async function searchAddress(q) {
  const hits = [];
  const rows = await Promise.all(manifest.chains.map(async (c) => {
    const [balance, nonce, codeHex] = await batch(chainPath(c.index), [
      ["eth_getBalance", [q, "latest"]], ["eth_getTransactionCount", [q, "latest"]], ["eth_getCode", [q, "latest"]]]);
    return [esc(c.chainId), balance instanceof Error ? esc(balance.message) : esc(axn(balance)),
      nonce instanceof Error ? "–" : String(num(nonce)), codeHex instanceof Error || codeHex === "0x" ? "no code" : (codeHex.length / 2 - 1) + " B of code"];
  }));
  hits.push("<h4 class='hit' data-kind='address'>Address " + code(q, true) + "</h4>" + table(["chain", "balance", "nonce", "code"], rows, ""));
  const modules = Object.entries(manifest.chains[0].contracts).filter(([, a]) => a.toLowerCase() === q.toLowerCase());
  if (modules.length) hits.push("<p>chain 0 system module <b>" + esc(modules[0][0]) + "</b></p>");
  if (module0("staking")) {
    const v = await view("staking", "getValidator(address)", [q], "bytes,uint16,uint256,uint256,bool").catch(() => null);
    if (v && v[2] > 0n) hits.push("<p>validator: total stake " + esc(axn(v[2])) + ", self stake " + esc(axn(v[3])) + (v[4] ? ", <b>jailed</b>" : "") + "</p>");
  }
  return hits;
}

async function search(raw) {
  const out = document.getElementById("search-result");
  const q = raw.trim();
  document.getElementById("q").value = q;
  if (!q) {
    out.innerHTML = "";
    return;
  }
  out.innerHTML = "<p class='muted'>searching…</p>";
  try {
    let hits;
    let what;
    if (/^[0-9]+$/.test(q)) {
      const n = BigInt(q);
      what = "block " + q;
      const blocks = await Promise.all(manifest.chains.map((c) => rpc(chainPath(c.index), "eth_getBlockByNumber", [hex(n), false]).catch(() => null)));
      hits = manifest.chains.map((c, i) => (blocks[i] ? blockHit(c, blocks[i]) : null)).filter(Boolean);
      if (!hits.length) what += " (the chains are at heights " + [...firstHeights.keys()].map((i) => document.querySelector("#chain-" + i + " .height")?.textContent).join(", ") + ")";
    } else if (/^0x[0-9a-fA-F]{64}$/.test(q)) {
      what = "hash " + q;
      hits = await searchHash(q.toLowerCase());
    } else if (/^0x[0-9a-fA-F]{40}$/.test(q)) {
      what = "address " + q;
      hits = await searchAddress(q.toLowerCase());
    } else if (/^0x[0-9a-fA-F]*$/.test(q)) {
      throw new Error("not a valid hash or address: " + (q.length - 2) + " hex digits; " + USAGE);
    } else {
      throw new Error("not a valid query: " + USAGE);
    }
    out.innerHTML = hits.length
      ? hits.join("")
      : "<p class='not-found'>not found: no block, transaction, DA blob or stored file has " + esc(what) + "</p>";
  } catch (e) {
    out.innerHTML = "<p class='invalid'>" + esc(e.message) + "</p>";
  }
}

function queryFromUrl() {
  const fromHash = /^#q=(.*)$/.exec(location.hash);
  if (fromHash) return decodeURIComponent(fromHash[1]);
  return new URLSearchParams(location.search).get("q") || "";
}

// ------------------------------------------------------------------ main

function every(ms, task) {
  const loop = async () => {
    try {
      await task();
    } finally {
      setTimeout(loop, ms);
    }
  };
  setTimeout(loop, ms);
}

async function refreshStack() {
  await section("validators", renderValidators); // first: block rows label signers with it
  await Promise.all([
    section("da", renderDa), section("storage", renderStorage), section("mining", renderMining),
    section("kv", renderKv), section("compute", renderCompute), section("accounts", renderAccounts)]);
}

async function main() {
  const response = await fetch("/api/manifest");
  if (!response.ok) throw new Error("cannot read the devnet manifest: HTTP " + response.status);
  manifest = await response.json();
  const chains = document.getElementById("chains");
  for (const c of manifest.chains) {
    const card = document.createElement("div");
    card.className = "card";
    card.id = "chain-" + c.index;
    chains.appendChild(card);
  }
  document.getElementById("summary").innerHTML =
    esc(manifest.chainId) + " · " + manifest.chains.length + " chains · " + (manifest.storage || []).length + " storage nodes · " +
    "<a href='" + esc(manifest.metrics) + "'>metrics</a> · <a href='/api/manifest'>manifest</a>" +
    (daApiUrl() ? " · <a href='" + esc(daApiUrl()) + "'>DA API</a>" : "");
  document.getElementById("search-form").addEventListener("submit", (e) => {
    e.preventDefault();
    location.hash = "q=" + encodeURIComponent(document.getElementById("q").value.trim());
  });
  window.addEventListener("hashchange", () => search(queryFromUrl()));
  await Promise.all(manifest.chains.map(refreshChain));
  await refreshStack();
  await search(queryFromUrl());
  document.body.dataset.loaded = "1";
  every(CHAIN_REFRESH_MS, () => Promise.all(manifest.chains.map(refreshChain)));
  every(STACK_REFRESH_MS, refreshStack);
}

main().catch((e) => {
  document.getElementById("summary").innerHTML = "<span class='error'>" + esc(e.message) + "</span>";
});
