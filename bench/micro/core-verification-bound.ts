// Why issue 10's "core/ verification ≤ 2× the HMAC" is out of reach in JavaScript on Node 24: a lower bound.
// The fused verifier below does only what any verifier must do for the benchmark's typical requests —
// scan the header, the query and the form body, encode every name and value twice, sort, concatenate, one
// HMAC, compare — with none of what Tripod's API and refusals add: no [name, value] tuples, no protocol
// Map, no base string URI parsing (the encoded URI is given), no check of quoting, repeats or escapes.
// It is NOT a verifier (it accepts malformed requests) and nothing uses it; it only measures how far the
// floor is from the cheapest possible pipeline. Cases interleaved round by round, as in
// core-verification.ts; ratios are medians of per-round ratios to the floor (one createHmac).
//
//   node bench/micro/core-verification-bound.ts [--rounds 15] [--iterations 20000]

import { createHmac } from 'node:crypto';
import { signatureBaseString } from '../../src/core/base-string.ts';
import { percentEncodeTwice } from '../../src/core/encoding.ts';
import { collectRequestParameters } from '../../src/core/parameters.ts';
import { verifySignature } from '../../src/core/signature.ts';
import { benchArguments } from '../arguments.ts';
import { signTypical, TYPICAL, TYPICAL_REQUESTS } from './typical-requests.ts';

const { values: flags } = benchArguments({
  options: { rounds: { type: 'string', default: '15' }, iterations: { type: 'string', default: '20000' } },
});
const ROUNDS = Number(flags.rounds);
const ITERATIONS = Number(flags.iterations);

// A value already in canonical percent-encoding is its own encoding (RFC 5849 §3.6): unreserved characters
// and upper-case escapes of bytes that are not unreserved (test/core/fast-paths.test.ts checks the claim).
// It is encoded once more by doubling each "%"; anything else is decoded and encoded.
const CANONICAL =
  /^(?:[A-Za-z0-9\-._~]|%(?:[01][0-9A-F]|2[0-9A-CF]|3[A-F]|40|5[B-E]|60|7[B-DF]|[89A-F][0-9A-F]))*$/;
function twice(raw: string): string {
  if (CANONICAL.test(raw)) return raw.includes('%') ? raw.replaceAll('%', '%25') : raw;
  return percentEncodeTwice(decodeURIComponent(raw.replaceAll('+', ' ')));
}

function fusedVerify(
  prefix: string,
  authorization: string,
  url: string,
  body: string,
  key: string,
  digest: string,
) {
  const entries: string[] = [];
  let signature = '';
  let position = authorization.indexOf(' ') + 1;
  while (position > 0 && position < authorization.length) {
    while (authorization.charCodeAt(position) === 0x20) position++;
    const eq = authorization.indexOf('=', position);
    const name = authorization.slice(position, eq);
    const valueEnd = authorization.indexOf('"', eq + 2);
    const raw = authorization.slice(eq + 2, valueEnd);
    if (name === 'oauth_signature') signature = decodeURIComponent(raw);
    else if (name !== 'realm') entries.push(`${name}\0${twice(raw)}`);
    position = valueEnd + 2;
  }
  const question = url.indexOf('?');
  for (const text of [question === -1 ? '' : url.slice(question + 1), body]) {
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('&', start);
      if (end === -1) end = text.length;
      const eq = text.indexOf('=', start);
      entries.push(`${twice(text.slice(start, eq))}\0${twice(text.slice(eq + 1, end))}`);
      start = end + 1;
    }
  }
  // "\0" sorts before every character an encoded name holds: name order first, then value order.
  entries.sort();
  let out = prefix;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as string;
    const zero = entry.indexOf('\0');
    out += `${i === 0 ? '' : '%26'}${entry.slice(0, zero)}%3D${entry.slice(zero + 1)}`;
  }
  const mac = createHmac(digest, key).update(out).digest('base64');
  let difference = mac.length ^ signature.length;
  for (let i = 0; i < mac.length; i++) difference |= mac.charCodeAt(i) ^ signature.charCodeAt(i);
  return difference === 0;
}

const REQUESTS = TYPICAL_REQUESTS;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

console.log(`node ${process.version}, ${ROUNDS} rounds × ${ITERATIONS} iterations per case, medians\n`);
console.log('| request | floor µs | Tripod core verify × floor | fused lower bound × floor |');
console.log('|---|---:|---:|---:|');
for (const request of REQUESTS) {
  for (const method of ['HMAC-SHA1', 'HMAC-SHA256'] as const) {
    const digest = method === 'HMAC-SHA1' ? 'sha1' : 'sha256';
    const signed = signTypical(request, method);
    const key = `${TYPICAL.consumerSecret}&${TYPICAL.tokenSecret}`;
    const baseString = signed.baseString.split('').join('');
    const prefix = signatureBaseString(request.method, request.url, []);
    const parts = {
      url: request.url,
      authorization: signed.authorization,
      contentType: request.body === '' ? undefined : 'application/x-www-form-urlencoded',
      body: request.body === '' ? null : request.body,
    };
    const secrets = { consumerSecret: TYPICAL.consumerSecret, tokenSecret: TYPICAL.tokenSecret };
    const cases: [string, () => unknown][] = [
      ['floor', () => createHmac(digest, key).update(baseString).digest('base64')],
      [
        'core',
        () => {
          const collected = collectRequestParameters(parts);
          const text = signatureBaseString(request.method, request.url, collected.params);
          return verifySignature(method, text, collected.signature as string, secrets);
        },
      ],
      [
        'fused',
        () => fusedVerify(prefix, signed.authorization, request.url, request.body ?? '', key, digest),
      ],
    ];
    for (const [name, run] of cases.slice(1)) {
      if (run() !== true) throw new Error(`${name} does not accept the request`);
    }
    const ratios = new Map<string, number[]>(cases.map(([name]) => [name, []]));
    const floors: number[] = [];
    for (let round = 0; round <= ROUNDS; round++) {
      let floor = 0;
      for (const [name, run] of cases) {
        const start = process.hrtime.bigint();
        for (let i = 0; i < ITERATIONS; i++) run();
        const us = Number(process.hrtime.bigint() - start) / ITERATIONS / 1000;
        if (name === 'floor') floor = us;
        if (round > 0) ratios.get(name)?.push(us / floor);
      }
      if (round > 0) floors.push(floor);
    }
    console.log(
      `| ${request.name}, ${method} | ${median(floors).toFixed(2)} | ${median(ratios.get('core') as number[]).toFixed(2)} | ${median(ratios.get('fused') as number[]).toFixed(2)} |`,
    );
  }
}
