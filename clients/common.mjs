// Shared helpers of the check scripts: argument parsing, the one JSON result line, failures.
import { parseArgs } from 'node:util';

/** Parses --name value options; every option is a string, `required` ones must be present. */
export function args(options, required) {
  const { values } = parseArgs({ options, strict: true, allowPositionals: false });
  for (const name of required) {
    if (values[name] === undefined || values[name] === '') {
      fail(`missing --${name}`);
    }
  }
  return values;
}

/** Keeps stdout for the one result line: libraries that log with console.log go to stderr. */
export function quietStdout() {
  console.log = (...a) => console.error(...a);
  console.info = (...a) => console.error(...a);
}

/** Throws a mismatch error unless `cond`. */
export function check(cond, what) {
  if (!cond) {
    throw new Error(`mismatch: ${what}`);
  }
}

export function fail(message) {
  process.stderr.write(`FAILED: ${message}\n`);
  process.stdout.write(JSON.stringify({ ok: false, error: message }) + '\n');
  process.exit(1);
}

/** Runs `main`, prints its result as `{"ok":true,...}` and exits 0, or fails with the error. */
export async function run(main, timeoutMs = 240_000) {
  const timer = setTimeout(() => fail(`timed out after ${timeoutMs / 1000} s`), timeoutMs);
  try {
    const result = await main();
    clearTimeout(timer);
    process.stdout.write(JSON.stringify({ ok: true, ...result }, bigints) + '\n');
    process.exit(0);
  } catch (e) {
    clearTimeout(timer);
    process.stderr.write(`${e?.stack ?? e}\n`);
    const cause = e?.cause ? `: ${e.cause.message || e.cause.code || e.cause}` : '';
    fail((e?.shortMessage ?? e?.message ?? String(e)) + cause);
  }
}

function bigints(_key, value) {
  return typeof value === 'bigint' ? value.toString() : value;
}
