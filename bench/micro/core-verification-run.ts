// Runs one case of core-verification.ts N times after a warm-up of 20000, and nothing else: the work for
// core-verification-instructions.sh to count under valgrind, where the machine's other load cannot reach
// the figure (instructions executed do not depend on what else the CPU runs; time does).
//
//   node bench/micro/core-verification-run.ts ROOT floor|core|provider N [POST|GET]
// ROOT is a checkout whose src/ is measured (so that an older commit can be measured from this script).

import { createHmac } from 'node:crypto';
import { resolve } from 'node:path';
import { signTypical, TYPICAL, TYPICAL_REQUESTS } from './typical-requests.ts';

const [rootArgument = '.', which = 'core', count = '0', verb = 'POST'] = process.argv.slice(2);
const root = resolve(rootArgument);
const { signatureBaseString } = await import(`${root}/src/core/base-string.ts`);
const { collectRequestParameters } = await import(`${root}/src/core/parameters.ts`);
const { verifySignature } = await import(`${root}/src/core/signature.ts`);
const { checkSignature, nonceKey, readSignedRequest } = await import(
  `${root}/src/provider/signed-request.ts`
);
const { DEFAULT_PROVIDER_CONFIG } = await import(`${root}/src/provider/defaults.ts`);

const request = TYPICAL_REQUESTS.find((r) => r.method === verb) ?? TYPICAL_REQUESTS[0]!;
const signed = signTypical(request, 'HMAC-SHA1');
const contentType = request.body === null ? undefined : 'application/x-www-form-urlencoded';
const headers: Record<string, string> = { authorization: signed.authorization };
if (contentType !== undefined) headers['content-type'] = contentType;
const parts = { url: request.url, authorization: signed.authorization, contentType, body: request.body };
const secrets = { consumerSecret: TYPICAL.consumerSecret, tokenSecret: TYPICAL.tokenSecret };
const key = `${TYPICAL.consumerSecret}&${TYPICAL.tokenSecret}`;
const baseString = signed.baseString.split('').join('');
const consumer = { key: TYPICAL.consumerKey, secret: TYPICAL.consumerSecret };

const cases: Record<string, () => unknown> = {
  floor: () => createHmac('sha1', key).update(baseString).digest('base64'),
  core: () => {
    const collected = collectRequestParameters(parts);
    const text = signatureBaseString(request.method, request.url, collected.params);
    return verifySignature('HMAC-SHA1', text, collected.signature, secrets);
  },
  provider: () => {
    const read = readSignedRequest(
      { method: request.method, url: request.url, headers, body: request.body },
      DEFAULT_PROVIDER_CONFIG,
      'required',
    );
    return checkSignature(read, consumer, TYPICAL.tokenSecret, true).valid && nonceKey(read).length > 0;
  },
};
const run = cases[which];
if (run === undefined) throw new Error(`no case ${which}`);
if (which !== 'floor' && run() !== true) throw new Error(`${which} does not accept the request`);
for (let i = 0; i < 20000; i++) run();
for (let i = 0; i < Number(count); i++) run();
