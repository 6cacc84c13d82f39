// What the server's pino logger may write: no secret, from wherever it came. Paths of known fields are
// blanked by pino's redaction; URLs and error messages (which quote URLs, e.g. Fastify's bad-URL error) go
// through serializers that blank every secret parameter (secret-parameters.ts). Headers and bodies are
// never logged at all. Request and access tokens in the provider's events keep a short prefix, enough to
// follow one token through the log, never enough to use it. A request is logged once, when it has been
// answered (an access line: method, redacted URL, status, time), as nginx and gunicorn do; its arrival only
// at debug. Fastify's two lines per request were a third of the cost of a verified request at level info.

import { fstatSync } from 'node:fs';
import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import pino from 'pino';
import sonicBoom, { type SonicBoom } from 'sonic-boom';
import { REDACTED, redactSecretParameters } from './secret-parameters.ts';

// Fields whose value is a secret, at the top of a line or one level down (an event's `detail`).
const SECRET_FIELDS = new Set(['password', 'oauth_token_secret', 'verifier']);
// The provider's events name the token they are about (top level, or in a refusal's `detail`).
const TOKEN_FIELDS = new Set(['requestToken', 'accessToken']);
const TOKEN_PREFIX_LENGTH = 6;
// Serialized by loggedRequest and loggedError (no headers, no body, URLs blanked); pino's res is a status.
const SERIALIZED = new Set(['req', 'res', 'err']);

/** The censored value of field `name`, or `value` itself when it needs none. */
function censoredField(name: string, value: unknown): unknown {
  if (SECRET_FIELDS.has(name)) return REDACTED;
  if (TOKEN_FIELDS.has(name)) {
    // '...', not '…': one character outside ASCII makes the whole line a two-byte string in V8, and it
    // made each refused request, whose line names its token, 3-7 % dearer over sockets (BENCHMARKS.md).
    return typeof value === 'string' ? `${value.slice(0, TOKEN_PREFIX_LENGTH)}...` : REDACTED;
  }
  return value;
}

/** `object` with its secret fields censored: itself when it has none (nothing copied), else a copy. */
function censorFields(object: Record<string, unknown>, depth: number): Record<string, unknown> {
  let censored = object;
  for (const name in object) {
    const value = object[name];
    let replacement = censoredField(name, value);
    if (replacement === value && depth > 0 && !SERIALIZED.has(name) && isPlainObject(value)) {
      replacement = censorFields(value, depth - 1);
    }
    if (replacement !== value) {
      if (censored === object) censored = { ...object };
      censored[name] = replacement;
    }
  }
  return censored;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Every line's fields, censored before they are written: what pino's `redact` did with the paths
 * `password`, `*.password` (and the same for the other fields), in a fraction of its cost (its per-line
 * path evaluation cost more than writing the line itself).
 */
export function censorSecrets(fields: Record<string, unknown>): Record<string, unknown> {
  return censorFields(fields, 1);
}

function loggedRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactSecretParameters(request.url),
    host: request.host,
    remoteAddress: request.ip,
  };
}

function loggedError(error: Error) {
  const serialized = pino.stdSerializers.err(error);
  // Node's HTTP parser errors carry the raw request bytes (URL, headers, body).
  delete serialized.rawPacket;
  serialized.message = redactSecretParameters(String(serialized.message ?? ''));
  serialized.stack = redactSecretParameters(String(serialized.stack ?? ''));
  return serialized;
}

/** Log lines waiting for stderr beyond which newer ones are dropped (and counted) rather than kept. */
export const LOG_PENDING_MAX_BYTES = 16 * 1024 * 1024;
/** Characters of one turn's lines past which they are handed on at once rather than at the turn's end. */
const TURN_BATCH_MAX_CHARS = 64 * 1024;

/**
 * The standalone server's log destination: pino's own writer (sonic-boom) on a file descriptor
 * (asynchronous on a pipe, synchronous on a regular file: logDestination, below), fed the lines of one
 * event-loop turn in one write. Under load a turn answers about 45 requests; handed over line by line,
 * each line made sonic-boom flatten and measure everything waiting behind the write in flight (`+=`, then
 * `Buffer.byteLength` of its last buffer), quadratic in the lines of a turn: 2 µs of CPU a line more than
 * joining them once (BENCHMARKS.md). A line still leaves within the turn it was logged in (at
 * `setImmediate`), or at once past TURN_BATCH_MAX_CHARS, and lines waiting when the process exits are
 * written before it does (and a shutdown waits for them: `flushed`).
 *
 * A write that fails (a full disk: ENOSPC; a reader gone: EPIPE) neither stops the server nor its exit:
 * sonic-boom keeps the lines and tries them again with the next write, up to its bound, past which they
 * are dropped and counted as above, and at exit they are given up. Through `pino.destination` (sonic-boom
 * 4) such an error was an uncaught exception, and the flush pino registers for exit then retried the write
 * forever: the process neither served nor ended. sonic-boom 5's flush gives up instead.
 */
export class LogDestination implements pino.DestinationStream {
  readonly #out: SonicBoom;
  #lines: string[] = [];
  #chars = 0;
  #scheduled = false;
  #destroyed = false;

  constructor(out: SonicBoom) {
    this.#out = out;
    // The failed write's lines wait in sonic-boom for the next (see above); without a listener, an error.
    out.on('error', () => {});
    process.on('exit', this.#flushAtExit);
  }

  write(line: string): void {
    this.#lines.push(line);
    this.#chars += line.length;
    if (this.#chars > TURN_BATCH_MAX_CHARS) this.#handOn();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#atTurnEnd);
    }
  }

  /** Calls `listener` with the number of lines each time the bound drops some. */
  onDropped(listener: (lines: number) => void): void {
    // sonic-boom drops a write whole; a pino line is one line of JSON, its newline its end.
    this.#out.on('drop', (data: string) => listener(linesIn(data)));
  }

  /**
   * Resolves once every line logged so far has been written (or could not be: a failing destination): for
   * a shutdown, before `process.exit`, which would lose a write still waiting for libuv's thread pool.
   */
  flushed(): Promise<void> {
    this.#handOn();
    if (this.#closed) return Promise.resolve();
    return new Promise((resolve) => this.#out.flush(() => resolve()));
  }

  /** Writes every waiting line now, synchronously (at exit; pino's `final`); throws when it cannot. */
  flushSync(): void {
    this.#handOn();
    if (!this.#closed) this.#out.flushSync();
  }

  readonly #flushAtExit = (): void => {
    try {
      this.flushSync();
    } catch {
      // Exiting anyway: a destination that cannot take the last lines (closed, failing) must not change
      // the exit.
    }
  };

  destroy(): void {
    this.#destroyed = true;
    process.removeListener('exit', this.#flushAtExit);
    this.#lines = [];
    this.#chars = 0;
    this.#out.destroy();
  }

  readonly #atTurnEnd = () => {
    this.#scheduled = false;
    this.#handOn();
  };

  /** Destroyed, here or by whoever else holds the writer: nothing can take lines any more. */
  get #closed(): boolean {
    return this.#destroyed || (this.#out as { destroyed?: boolean }).destroyed === true;
  }

  #handOn(): void {
    const lines = this.#lines;
    if (lines.length === 0) return;
    this.#lines = [];
    this.#chars = 0;
    if (this.#closed) return;
    this.#out.write(lines.length === 1 ? (lines[0] as string) : lines.join(''));
  }
}

function linesIn(text: string): number {
  let lines = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines++;
  return lines;
}

/**
 * Where the standalone server's log goes (LogDestination, above): stderr, fed a turn's lines in one write.
 * Through process.stderr every line was a synchronous write(2) behind a stream, about 5 % of a verified
 * request's CPU under load (BENCHMARKS.md).
 *
 * - **A pipe, a socket or a terminal** (a container runtime, journald, a shell) is written asynchronously:
 *   a turn's lines go out at once when no write is in flight; lines that arrive meanwhile go out together
 *   in the next write. When it is not read (a stalled pipe), at most LOG_PENDING_MAX_BYTES of lines wait,
 *   and newer ones are dropped (`onDropped`; tripod-server counts them in tripod_log_lines_dropped_total):
 *   the server keeps answering and its memory stays bounded, where a synchronous write stopped it.
 * - **A regular file** (`2>>tripod.log`, systemd's `StandardError=append:`) is written synchronously, a
 *   turn's lines in one write(2) on the main thread, as Node writes its own stdio to files: a file cannot
 *   stall the way an unread pipe does, and the asynchronous write handed every batch to libuv's thread pool
 *   and back, which on the server's core cost more than the write (BENCHMARKS.md).
 *
 * Apart from a destination whose writes fail, only a process killed outright (SIGKILL) can lose lines:
 * those of the asynchronous write in flight.
 */
export function logDestination(fd = 2, maxPendingBytes = LOG_PENDING_MAX_BYTES): LogDestination {
  return new LogDestination(
    new sonicBoom.SonicBoom({ fd, sync: isRegularFile(fd), maxLength: maxPendingBytes }),
  );
}

function isRegularFile(fd: number): boolean {
  try {
    return fstatSync(fd).isFile();
  } catch {
    return false;
  }
}

export function loggerOptions(level: string, stream?: pino.DestinationStream) {
  return {
    level,
    formatters: { log: censorSecrets },
    serializers: { req: loggedRequest, err: loggedError },
    ...(stream ? { stream } : {}),
  };
}

/**
 * Fastify's request logging, one line per answered request: the arrival only at debug (pino makes a
 * disabled level's method a no-op), the answer at info with the request, its status and time, and what
 * was noted for it (noteOnAccessLine: a refusal's problem and reasons).
 */
export class AccessLog extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const fields = {
      req: request,
      res: { statusCode: reply.statusCode },
      responseTime: reply.elapsedTime,
      ...request.accessNotes,
    };
    if (error) reply.log.error({ ...fields, err: error }, 'request errored');
    else reply.log.info(fields, 'request completed');
  }
}
