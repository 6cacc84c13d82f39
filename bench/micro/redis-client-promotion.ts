// What one Redis command costs V8's old generation, through ioredis and through a plain socket writing the
// same bytes: the reproduction, outside Tripod, of why the PostgreSQL + Redis server promotes three times
// what the SQLite one does (BENCHMARKS.md, 2026-12-03 16:05). Four cases: ioredis's `evalsha` (what the
// store's script call comes down to), ioredis's `Command` sent with `sendCommand` and its promise awaited,
// without and with a callback given to the command, and the socket. Each turn makes 38 requests' worth of
// short-lived objects, then sends the turn's nonce script call as the Redis store does (EVALSHA, 38 keys,
// the buckets' key and 38 expiry seconds) and awaits its answer. Each case runs in a child Node under
// `--trace-gc-nvp` with `npm start`'s young generation (`--max-semi-space-size=8`), twice, for two numbers
// of turns; what a command promotes is the difference in promoted bytes over the difference in turns
// (which leaves out the start-up's). Needs Redis on --redis-url.
//
//   node bench/micro/redis-client-promotion.ts [--turns 20000] [--redis-url redis://127.0.0.1:6379]

import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Command, Redis } from 'ioredis';
import { benchArguments } from '../arguments.ts';

const { values } = benchArguments({
  options: {
    turns: { type: 'string', default: '20000' },
    'redis-url': { type: 'string', default: 'redis://127.0.0.1:6379' },
    // Internal: the child's case ("ioredis" or "socket") and its number of turns.
    child: { type: 'string' },
  },
});
const SCRIPT = 'local claimed = {} for i = 1, #KEYS - 1 do claimed[i] = 1 end return claimed';
const CLAIMS = 38;
const VIAS = ['ioredis', 'ioredis-command', 'ioredis-command-with-callback', 'socket'] as const;

if (values.child === undefined) {
  const turns = Number(values.turns);
  const fewer = Math.max(1, Math.round(turns / 4));
  console.log(`| case | promoted over ${fewer} turns, MB | over ${turns}, MB | a command, KB |`);
  console.log('|---|---:|---:|---:|');
  for (const via of VIAS) {
    const [small, large] = [fewer, turns].map((n) => promotedBytes(via, n));
    const perCommand = ((large as number) - (small as number)) / (turns - fewer) / 1024;
    console.log(
      `| ${via} | ${((small as number) / 2 ** 20).toFixed(1)} | ${((large as number) / 2 ** 20).toFixed(1)} | ${perCommand.toFixed(2)} |`,
    );
  }
} else {
  await runTurns(values.child, Number(values.turns), values['redis-url'] as string);
}

/** Bytes the scavenges of a child running `turns` turns through `via` promoted, from its GC trace. */
function promotedBytes(via: string, turns: number): number {
  const child = spawnSync(
    process.execPath,
    [
      '--max-semi-space-size=8',
      '--trace-gc-nvp',
      fileURLToPath(import.meta.url),
      '--child',
      via,
      '--turns',
      String(turns),
      '--redis-url',
      values['redis-url'] as string,
    ],
    { encoding: 'utf8', maxBuffer: 1 << 30 },
  );
  if (child.status !== 0) throw new Error(`the ${via} case failed: ${child.stderr}`);
  let promoted = 0;
  for (const line of child.stdout.split('\n')) {
    const scavenge = / gc=s .* promoted=(\d+)/.exec(line);
    if (scavenge) promoted += Number(scavenge[1]);
  }
  return promoted;
}

async function runTurns(via: string, turns: number, redisUrl: string): Promise<void> {
  const redis = new Redis(redisUrl, { enableOfflineQueue: false });
  await new Promise((ready) => redis.once('ready', ready));
  const sha = (await redis.script('LOAD', SCRIPT)) as string;
  const url = new URL(redisUrl);
  const socket = connect(Number(url.port || 6379), url.hostname);
  await new Promise((connected) => socket.once('connect', connected));
  let kept = 0;
  for (let turn = 0; turn < turns; turn++) {
    const requests: object[][] = [];
    for (let r = 0; r < CLAIMS; r++) requests.push(requestGarbage(r));
    const args: (string | number)[] = new Array(CLAIMS * 2 + 1);
    for (let i = 0; i < CLAIMS; i++) {
      args[i] = `bench:nonce:${1764770000 + turn}.${Math.random().toString(36).slice(2).padEnd(22, 'x')}`;
      args[CLAIMS + 1 + i] = 1764770300 + turn;
    }
    args[CLAIMS] = 'bench:nonce-buckets';
    if (via === 'ioredis') await redis.evalsha(sha, CLAIMS + 1, ...args);
    else if (via === 'ioredis-command' || via === 'ioredis-command-with-callback') {
      const callback = via === 'ioredis-command' ? undefined : () => {};
      const command = new Command('evalsha', [sha, CLAIMS + 1, ...args], { replyEncoding: 'utf8' }, callback);
      redis.sendCommand(command);
      await command.promise;
    } else {
      // The same RESP text, built by concatenation as ioredis builds it.
      let command = `*${args.length + 3}\r\n$7\r\nevalsha\r\n$40\r\n${sha}\r\n$2\r\n${CLAIMS + 1}\r\n`;
      for (const arg of args) {
        const text = String(arg);
        command += `$${Buffer.byteLength(text)}\r\n${text}\r\n`;
      }
      await new Promise((answered) => {
        socket.once('data', answered);
        socket.write(command);
      });
    }
    kept += requests.length;
  }
  if (kept !== turns * CLAIMS) throw new Error('lost a turn');
  socket.destroy();
  redis.disconnect();
}

/** About what a request leaves behind: 200 small objects, a tenth of them held until its turn ends. */
function requestGarbage(seed: number): object[] {
  const held: object[] = [];
  for (let i = 0; i < 200; i++) {
    const object = { a: i, b: `x${i + seed}`, c: [i, i + 1, i + 2] };
    if (i % 20 === 0) held.push(object);
  }
  return held;
}
