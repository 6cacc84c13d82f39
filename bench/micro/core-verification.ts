// How much core/ verification costs next to the one HMAC it cannot avoid (issue 10's target: ≤ 2×), and
// next to the npm signers people would use instead. One process, every case interleaved round by round
// so that noise from other work on the machine hits all of them alike; each figure is the median over the
// rounds, each ratio the median of the per-round ratios to the floor of the same round.
//
//   node bench/micro/core-verification.ts [--rounds 15] [--iterations 20000]

import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { hmacsign, hmacsign256 } from 'oauth-sign';
import { signatureBaseString } from '../../src/core/base-string.ts';
import type { Parameter } from '../../src/core/encoding.ts';
import { collectRequestParameters } from '../../src/core/parameters.ts';
import { verifySignature } from '../../src/core/signature.ts';
import { signRequest } from '../../src/core/signing.ts';
import { DEFAULT_PROVIDER_CONFIG } from '../../src/provider/defaults.ts';
import { checkSignature, nonceKey, readSignedRequest } from '../../src/provider/signed-request.ts';
import type { Consumer } from '../../src/provider/types.ts';
import { benchArguments } from '../arguments.ts';
import { TYPICAL, TYPICAL_REQUESTS, typicalSignInput } from './typical-requests.ts';

type Method = 'HMAC-SHA1' | 'HMAC-SHA256';

const REQUESTS = TYPICAL_REQUESTS;

const { values: flags } = benchArguments({
  options: { rounds: { type: 'string', default: '15' }, iterations: { type: 'string', default: '20000' } },
});
const ROUNDS = Number(flags.rounds);
const ITERATIONS = Number(flags.iterations);

function formBody(form: readonly Parameter[]): string {
  return form.map(([n, v]) => `${encodeURIComponent(n)}=${encodeURIComponent(v)}`).join('&');
}

function casesFor(
  request: (typeof REQUESTS)[number],
  method: Method,
): Record<string, () => string | boolean> {
  const signInput = typicalSignInput(request, method);
  const signed = signRequest(signInput);
  const body = request.form.length > 0 ? formBody(request.form) : null;
  const headers: Record<string, string> = { authorization: signed.authorization };
  if (body !== null) headers['content-type'] = 'application/x-www-form-urlencoded';
  const parts = {
    url: request.url,
    authorization: signed.authorization,
    contentType: headers['content-type'],
    body,
  };
  const secrets = { consumerSecret: TYPICAL.consumerSecret, tokenSecret: TYPICAL.tokenSecret };
  const digest = method === 'HMAC-SHA1' ? 'sha1' : 'sha256';
  const key = `${TYPICAL.consumerSecret}&${TYPICAL.tokenSecret}`;
  // A flat copy, as a server that had the base string in hand would pass it.
  const baseString = signed.baseString.split('').join('');
  const consumer = { key: TYPICAL.consumerKey, secret: TYPICAL.consumerSecret } as Consumer;

  // Everything every signer is given: the query, the form and the protocol parameters but the signature.
  const oauthParams = Object.fromEntries(signed.oauthParams.filter(([n]) => n !== 'oauth_signature'));
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const form = Object.fromEntries(request.form);
  const allParams = { ...query, ...form, ...oauthParams };
  const baseUri = request.url.split('?')[0] as string;
  const oauth10a = new OAuth({
    consumer: { key: TYPICAL.consumerKey, secret: TYPICAL.consumerSecret },
    signature_method: method,
    hash_function: (text, k) => createHmac(digest, k).update(text).digest('base64'),
  });
  // The library draws its own nonce and timestamp; pinned here so that it signs the same request.
  oauth10a.getNonce = () => TYPICAL.nonce;
  oauth10a.getTimeStamp = () => Number(TYPICAL.timestamp);
  const oauthSign = method === 'HMAC-SHA1' ? hmacsign : hmacsign256;

  const cases: Record<string, () => string | boolean> = {
    'floor: one createHmac over the base string': () =>
      createHmac(digest, key).update(baseString).digest('base64'),
    'Tripod core: verify (parse, collect, base string, HMAC, compare)': () => {
      const collected = collectRequestParameters(parts);
      const text = signatureBaseString(request.method, request.url, collected.params);
      return verifySignature(method, text, collected.signature as string, secrets);
    },
    'Tripod provider: readSignedRequest + checkSignature + nonceKey': () => {
      const read = readSignedRequest(
        { method: request.method, url: request.url, headers, body },
        DEFAULT_PROVIDER_CONFIG,
        'required',
      );
      const check = checkSignature(read, consumer, TYPICAL.tokenSecret, true);
      return check.valid && nonceKey(read).length > 0;
    },
    'Tripod core: signRequest (sign, for comparison with the signers)': () =>
      signRequest(signInput).signature,
    'oauth-sign (sign from a parameter object)': () =>
      oauthSign(request.method, baseUri, allParams, TYPICAL.consumerSecret, TYPICAL.tokenSecret),
    'oauth-1.0a (authorize)': () =>
      oauth10a.authorize(
        { url: request.url, method: request.method, data: form },
        { key: TYPICAL.token, secret: TYPICAL.tokenSecret },
      ).oauth_signature,
  };
  // Every case must produce the same signature (or accept it), or the comparison means nothing.
  for (const [name, run] of Object.entries(cases)) {
    const result = run();
    if (result !== true && result !== signed.signature) {
      throw new Error(`${name} gave ${String(result)}, not ${signed.signature}`);
    }
  }
  return cases;
}

function microseconds(run: () => unknown): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) run();
  return Number(process.hrtime.bigint() - start) / ITERATIONS / 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

console.log(`node ${process.version}, ${ROUNDS} rounds × ${ITERATIONS} iterations per case, medians\n`);
for (const request of REQUESTS) {
  for (const method of ['HMAC-SHA1', 'HMAC-SHA256'] as const) {
    const cases = Object.entries(casesFor(request, method));
    const times = new Map<string, number[]>(cases.map(([name]) => [name, []]));
    const ratios = new Map<string, number[]>(cases.map(([name]) => [name, []]));
    for (let round = 0; round < ROUNDS + 1; round++) {
      const roundTimes = cases.map(([name, run]) => [name, microseconds(run)] as const);
      if (round === 0) continue; // warm-up
      const floor = roundTimes[0]?.[1] as number;
      for (const [name, us] of roundTimes) {
        times.get(name)?.push(us);
        ratios.get(name)?.push(us / floor);
      }
    }
    console.log(`### ${request.name}, ${method}\n`);
    console.log('| case | µs per request (median) | min–max | × floor (median of rounds) |');
    console.log('|---|---:|---:|---:|');
    for (const [name] of cases) {
      const t = times.get(name) as number[];
      console.log(
        `| ${name} | ${median(t).toFixed(2)} | ${Math.min(...t).toFixed(2)}–${Math.max(...t).toFixed(2)} | ${median(ratios.get(name) as number[]).toFixed(2)} |`,
      );
    }
    console.log('');
  }
}
