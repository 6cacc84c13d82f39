// One case of request-path.ts, for counting instructions under valgrind (request-path-instructions.sh):
// the real app on a real SQLite file, the headers of WARM + MAX requests signed first (so that both counts
// sign the same), WARM requests sent, then N more. The difference between two counts with different N,
// divided by the difference in N, is the instructions one request of the case costs the server.
//
//   node bench/micro/request-path-run.ts CASE N   (CASE: accepted|wrong-signature|unknown-consumer|replayed-nonce)

import { randomBytes } from 'node:crypto';
import { startInProcessTripod } from './in-process-tripod.ts';

const WARM = 3000;
const MAX = 3000;
const [kind = 'accepted', n = '0'] = process.argv.slice(2);
const N = Number(n);
if (!(N >= 0 && N <= MAX)) throw new Error(`N must be 0…${MAX}`);

const tripod = await startInProcessTripod({ logLevel: 'info' });
const { consumer, header, send } = tripod;
let headers: string[];
if (kind === 'replayed-nonce') {
  const once = header(consumer.key, consumer.secret);
  await send([once], 200);
  headers = Array.from({ length: WARM + MAX }, () => once);
} else {
  headers = Array.from({ length: WARM + MAX }, () =>
    kind === 'accepted'
      ? header(consumer.key, consumer.secret)
      : kind === 'wrong-signature'
        ? header(consumer.key, 'not-the-secret')
        : kind === 'unknown-consumer'
          ? header(`unknown-${randomBytes(6).toString('hex')}`, consumer.secret)
          : (() => {
              throw new Error(`unknown case ${kind}`);
            })(),
  );
}
const expected = kind === 'accepted' ? 200 : 401;
await send(headers.slice(0, WARM), expected);
await send(headers.slice(WARM, WARM + N), expected);
await tripod.close();
