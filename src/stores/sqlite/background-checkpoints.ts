// SQLite copies its write-ahead log into the database file (a checkpoint: every page the log holds read
// and written again, and both files synced) on the connection whose commit took the log past
// `wal_autocheckpoint` (1,000 pages), inside that commit. Under load that was one group commit in ten,
// every 90 ms or so, each taking about 20 ms (a CPU profile of the server under wrk): the event loop stood
// still meanwhile, and the server used 81-88 % of its core where it used 92-94 % without. With
// `--sqlite-checkpoints background` the server checkpoints in a worker thread instead, on a connection of
// its own (below), and its own connection only past a threshold ten times higher: there it finds nearly
// everything copied already, copies the rest, and its next commit starts the log over (the worker never
// does: see below); that threshold also keeps the log bounded should the worker stop. What it costs: a
// thread's memory, about 17 MB. Short-lived commands keep SQLite's own checkpoints.

import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

// The worker: a PASSIVE checkpoint every interval on a connection of its own, which copies what the log
// holds into the file and syncs both alongside the server's writes (it never waits for them, nor they for
// it). It never restarts the log: a RESTART changes the log's header under the server's connection, which
// then drops its whole page cache (and would read it as another connection's write: data_version). Plain
// JavaScript run with \`eval\`: a TypeScript worker file costs a type-stripping isolate (+34 MB against
// +17 MB measured) and a file to ship beside this one. A failed checkpoint (the disk refused, say) is tried
// again at the next interval.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
let timer = null;
function checkpoint() {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {}
  timer = setTimeout(checkpoint, workerData.intervalMs);
}
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
checkpoint();
`;

export interface BackgroundCheckpointOptions {
  /** How often the worker checkpoints (ms). Default 100. */
  intervalMs?: number;
  /** Log frames past which the server's own connection checkpoints (and then starts the log over). Default 10,000 (40 MB). */
  fallbackFrames?: number;
}

export const BACKGROUND_CHECKPOINT_DEFAULTS = {
  intervalMs: 100,
  fallbackFrames: 10_000,
} as const;

export class BackgroundCheckpoints {
  readonly #worker: Worker;
  #exited = false;
  #stopped: Promise<void> | null = null;

  /** Starts checkpointing `file` in a worker; the server's connection `sqlite` checkpoints only past the fallback. */
  constructor(sqlite: Database.Database, file: string, options: BackgroundCheckpointOptions = {}) {
    const workerData = {
      file,
      intervalMs: options.intervalMs ?? BACKGROUND_CHECKPOINT_DEFAULTS.intervalMs,
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
    };
    sqlite.pragma(
      `wal_autocheckpoint = ${Math.trunc(options.fallbackFrames ?? BACKGROUND_CHECKPOINT_DEFAULTS.fallbackFrames)}`,
    );
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
    // The server must not stay up for it, nor fall over with it: its own connection takes over.
    this.#worker.unref();
    this.#worker.on('error', () => {
      if (sqlite.open) sqlite.pragma('wal_autocheckpoint = 1000');
    });
    this.#worker.once('exit', () => {
      this.#exited = true;
    });
  }

  /** Stops the worker (its connection closed) before the server's connection closes. */
  stop(): Promise<void> {
    this.#stopped ??= this.#exited
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          this.#worker.once('exit', () => resolve());
          this.#worker.postMessage('stop');
        });
    return this.#stopped;
  }

  /** Whether the worker is running (tests). */
  get running(): boolean {
    return !this.#exited;
  }
}
