// Solidity ABI and RLP, just what the explorer reads: calls with static arguments, decoding of
// return data, event data and call data (static and dynamic types, arrays, tuples), and RLP lists
// (consensus headers and certificates). No library, so the page needs no build step.

// Selectors and event topics (keccak-256 of the signatures, computed offline so the page needs no
// keccak). ExplorerAbiTest checks every entry against the modules' Java constants.
export const SELECTORS = {
  "currentValidators()": "0xa2cde609",
  "getValidator(address)": "0x1904bb2e",
  "totalStake()": "0x8b0e9f3f",
  "epochInfo()": "0x1f1b8a8c",
  "operators()": "0xe673df8a",
  "blob(bytes32)": "0xce3c84d0",
  "quorum(uint64,uint64,uint32)": "0x904f43f7",
  "confirmBlob(bytes,bytes32,uint32,uint64)": "0xdb370702",
  "numSubmissions()": "0x77e19824",
  "flowLength()": "0x178bb4e2",
  "pricePerSector()": "0x61ec5082",
  "target()": "0xd4b83992",
  "answers()": "0xe1145e4b",
  "totals()": "0xc038a38e",
  "listServices()": "0xde1c5488",
};

export const TOPICS = {
  "Slashed(address,uint256,uint256,bytes32)": "0xa1b8abd2708707db861b65abf75467a87ba3a261ce82b3bc5a1d3f512a0483a5",
  "Jailed(address)": "0x519ec2af7b403e5bfa116afc87904cd6aa3e97a09cae81b522551191195674e7",
  "BlobCertified(bytes32,uint64,uint64,address,uint64)": "0x61e86d47688fde8d1c8536f46e6baf92ddaa48675f785f23cb7f98212581329c",
  "BlobInvalidated(bytes32,address,uint256,uint256)": "0x487243a583aa5fe5b7e8a108673fdcfeed6c49472c377455297552f49635a00a",
  "Submit(address,bytes32,uint256,uint256,uint256,(uint256,bytes,(bytes32,uint256)[]))": "0x167ce04d2aa1981994d3a31695da0d785373335b1078cec239a1a3a2c7675555",
  "MinerRegistered(bytes32,address)": "0xf449a7d1a166111df7c67095db22f10d9cc3f0ca1c60b55dbcff20912f4a5458",
  "AnswerAccepted(bytes32,uint256,address,uint256,bytes32,uint256)": "0xf8062282f4f251784b500254d6415a58a779968865bcad2e145fe096d6a3c7b3",
  "FeesSettled(address,address,uint256,uint256,uint256)": "0x07a75b15ab28b03d01340a757d100ccc0961ded245d8badb6c590cea7bef77bf",
};

export function selector(signature) {
  const s = SELECTORS[signature];
  if (!s) throw new Error("no selector for " + signature);
  return s;
}

export function topic(signature) {
  const t = TOPICS[signature];
  if (!t) throw new Error("no topic for " + signature);
  return t;
}

export function hexToBytes(hex) {
  const h = hex.startsWith("0x") ? hex.slice(2) : hex;
  if (h.length % 2 !== 0 || /[^0-9a-fA-F]/.test(h)) throw new Error("not hex data: " + hex.slice(0, 20));
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.substr(i * 2, 2), 16);
  return out;
}

export function bytesToHex(bytes) {
  let s = "0x";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}

function word(value) {
  if (typeof value === "bigint" || typeof value === "number") {
    return BigInt(value).toString(16).padStart(64, "0");
  }
  const h = value.startsWith("0x") ? value.slice(2) : value;
  if (h.length > 64 || /[^0-9a-fA-F]/.test(h)) throw new Error("not a 32-byte word: " + value);
  return h.toLowerCase().padStart(64, "0");
}

/** Call data for `signature` with static arguments (addresses, bytes32 and integers). */
export function encodeCall(signature, args = []) {
  return selector(signature) + args.map(word).join("");
}

// ------------------------------------------------------------------ types

/** Parses a comma-separated list of ABI types, e.g. "address[],(uint256,bytes)[]". */
export function parseTypes(s) {
  const out = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = s[i];
    if (c === "(") depth++;
    else if (c === ")") depth--;
    else if ((c === "," && depth === 0) || i === s.length) {
      if (i > start) out.push(parseType(s.slice(start, i).trim()));
      start = i + 1;
    }
  }
  return out;
}

function parseType(s) {
  const array = /^(.*)\[(\d*)\]$/.exec(s);
  if (array) {
    return { kind: "array", inner: parseType(array[1]), length: array[2] === "" ? null : Number(array[2]) };
  }
  if (s.startsWith("(")) return { kind: "tuple", components: parseTypes(s.slice(1, -1)) };
  if (s === "bytes" || s === "string") return { kind: s };
  if (/^(address|bool|u?int\d*|bytes\d+)$/.test(s)) return { kind: "static", name: s };
  throw new Error("unsupported ABI type " + s);
}

function dynamic(t) {
  if (t.kind === "bytes" || t.kind === "string") return true;
  if (t.kind === "array") return t.length === null || dynamic(t.inner);
  if (t.kind === "tuple") return t.components.some(dynamic);
  return false;
}

function headSize(t) {
  if (dynamic(t)) return 32;
  if (t.kind === "array") return t.length * headSize(t.inner);
  if (t.kind === "tuple") return t.components.reduce((n, c) => n + headSize(c), 0);
  return 32;
}

function uintAt(data, at) {
  if (at + 32 > data.length) throw new Error("ABI data too short");
  let v = 0n;
  for (let i = at; i < at + 32; i++) v = (v << 8n) | BigInt(data[i]);
  return v;
}

function offsetAt(data, at) {
  const v = uintAt(data, at);
  if (v > BigInt(data.length)) throw new Error("ABI offset out of range");
  return Number(v);
}

function decodeList(types, data, start) {
  const out = [];
  let pos = start;
  for (const t of types) {
    if (dynamic(t)) {
      out.push(decodeValue(t, data, start + offsetAt(data, pos)));
      pos += 32;
    } else {
      out.push(decodeValue(t, data, pos));
      pos += headSize(t);
    }
  }
  return out;
}

function decodeValue(t, data, at) {
  switch (t.kind) {
    case "bytes":
    case "string": {
      const n = offsetAt(data, at);
      if (at + 32 + n > data.length) throw new Error("ABI data too short");
      const b = data.slice(at + 32, at + 32 + n);
      return t.kind === "string" ? new TextDecoder().decode(b) : bytesToHex(b);
    }
    case "array": {
      const n = t.length === null ? offsetAt(data, at) : t.length;
      if (n > data.length) throw new Error("ABI array length out of range");
      return decodeList(Array(n).fill(t.inner), data, t.length === null ? at + 32 : at);
    }
    case "tuple":
      return decodeList(t.components, data, at);
    default: {
      const v = uintAt(data, at);
      if (t.name === "address") return "0x" + v.toString(16).padStart(40, "0");
      if (t.name === "bool") return v !== 0n;
      if (t.name.startsWith("bytes")) {
        return bytesToHex(data.slice(at, at + Number(t.name.slice(5))));
      }
      return v;
    }
  }
}

/** Decodes ABI data (return data, event data) of the comma-separated `types`. */
export function decode(types, hex) {
  return decodeList(parseTypes(types), hexToBytes(hex), 0);
}

/** Decodes call data of `signature` (its selector is checked). */
export function decodeCall(signature, hex) {
  if (!hex.toLowerCase().startsWith(selector(signature))) throw new Error("not a call of " + signature);
  const open = signature.indexOf("(");
  return decode(signature.slice(open + 1, -1), "0x" + hex.slice(10));
}

// ------------------------------------------------------------------ RLP

/** Decodes one RLP item: a Uint8Array for a string, an array for a list. */
export function rlpDecode(bytes) {
  const [item, end] = rlpItem(bytes, 0);
  if (end !== bytes.length) throw new Error("RLP has trailing bytes");
  return item;
}

function rlpLength(bytes, at, n) {
  if (at + n > bytes.length) throw new Error("RLP too short");
  let v = 0;
  for (let i = 0; i < n; i++) v = v * 256 + bytes[at + i];
  return v;
}

function rlpItem(bytes, at) {
  if (at >= bytes.length) throw new Error("RLP too short");
  const p = bytes[at];
  if (p < 0x80) return [bytes.slice(at, at + 1), at + 1];
  let start;
  let n;
  let list;
  if (p < 0xb8) [start, n, list] = [at + 1, p - 0x80, false];
  else if (p < 0xc0) [start, n, list] = [at + 1 + (p - 0xb7), rlpLength(bytes, at + 1, p - 0xb7), false];
  else if (p < 0xf8) [start, n, list] = [at + 1, p - 0xc0, true];
  else [start, n, list] = [at + 1 + (p - 0xf7), rlpLength(bytes, at + 1, p - 0xf7), true];
  const end = start + n;
  if (end > bytes.length) throw new Error("RLP too short");
  if (!list) return [bytes.slice(start, end), end];
  const items = [];
  let pos = start;
  while (pos < end) {
    const [item, next] = rlpItem(bytes, pos);
    items.push(item);
    pos = next;
  }
  return [items, end];
}

/** An RLP string as an unsigned integer. */
export function rlpUint(bytes) {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

/** The indexes of the set bits of a signer bitmap (bit i mod 8 of byte i / 8, LSB first). */
export function bitmapIndexes(bytes) {
  const out = [];
  for (let i = 0; i < bytes.length * 8; i++) if (bytes[i >> 3] & (1 << (i & 7))) out.push(i);
  return out;
}
