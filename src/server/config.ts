// The configuration registry: every setting of `tripod-server` declared once — its flag, its environment
// variable, its kind of value (with range or choices), its default and the sentence that documents it.
// Settings of the provider itself (PIN length, windows, signature methods…) are not restated here: their
// default, kind and documentation come from provider/defaults.ts, and only the flag name is added.
// The CLI's flags and --help, the README's settings table (a test fails when it drifts) and
// `tripod-server config` are all generated from this one list. Precedence: flags > environment (TRIPOD_*)
// > config file (--config, JSON) > defaults. One validated object is built at start-up and passed down
// (DESIGN.md §4); nothing in src/server reads process.env — the CLI hands the environment in.

import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { type ProviderConfig, providerSettings } from '../provider/defaults.ts';
import {
  integer,
  oneOf,
  type SettingType,
  SettingValueError,
  text,
  typedList,
} from '../provider/setting-types.ts';
import type { StoreSettings } from '../stores/open-stores.ts';
import { type OperatorKey, OperatorKeyError, parseOperatorKeys } from '../stores/operator-keys.ts';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface SettingSpec<V> {
  /** Long command-line flag, e.g. `--port`. */
  readonly flag: string;
  /** Environment variable, e.g. `TRIPOD_PORT`. */
  readonly env: string;
  readonly type: SettingType<NonNullable<V>>;
  /** The default; null: not set unless given. */
  readonly default: V;
  /** One sentence for --help, the README and `tripod-server config`. */
  readonly doc: string;
  /** Masked wherever the configuration is shown (a URL keeps all but its password). */
  readonly secret?: true;
  /** Weakens security: said loudly at start when changed from the default. */
  readonly developmentOnly?: true;
}

function setting<T>(spec: SettingSpec<T>): SettingSpec<T> {
  return Object.freeze(spec);
}

/** A setting that is unset unless given. */
function optional<T>(spec: Omit<SettingSpec<T | null>, 'default'>): SettingSpec<T | null> {
  return Object.freeze({ ...spec, default: null });
}

/** A provider setting (provider/defaults.ts) exposed as a flag: default, kind and doc come from there. */
function fromProvider<K extends keyof ProviderConfig>(
  name: K,
  names: { flag: string; env: string },
): SettingSpec<ProviderConfig[K]> {
  const source = providerSettings.find((s) => s.name === name);
  if (!source) throw new Error(`no provider setting ${name}`);
  return Object.freeze({
    ...names,
    type: source.type as unknown as SettingType<NonNullable<ProviderConfig[K]>>,
    default: source.default as ProviderConfig[K],
    doc: source.doc.replace(/^DEVELOPMENT ONLY\. /, ''),
    ...(source.developmentOnly ? { developmentOnly: true as const } : {}),
  });
}

const nonEmpty = (arg: string, describe: string) => text(/^\S(.*\S)?$/, describe, arg);

/** An absolute http(s) URL with no query, fragment or credentials; a path prefix loses its trailing slash. */
const publicUrlType: SettingType<URL> = {
  describe: 'an absolute http(s) URL such as https://tripod.example, without query, fragment or credentials',
  arg: 'url',
  parse(raw) {
    const fail = (why: string): never => {
      throw new SettingValueError(
        `${why}, got ${typeof raw === 'string' ? `'${raw}'` : JSON.stringify(raw)}`,
      );
    };
    if (raw instanceof URL) raw = raw.href;
    if (typeof raw !== 'string') return fail('must be an absolute URL such as https://tripod.example');
    let url: URL;
    try {
      url = new URL(raw.trim());
    } catch {
      return fail('must be an absolute URL such as https://tripod.example');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') fail('must use http or https');
    if (url.search || url.hash || url.username || url.password) {
      fail('must not carry a query, fragment or credentials');
    }
    url.pathname = url.pathname.replace(/\/+$/, '');
    return url;
  },
  format: (url) => url.href,
};

/** A service URL with one of `schemes`; an error never repeats the value (it may hold a password). */
function serviceUrlType(schemes: readonly string[], example: string): SettingType<string> {
  const describe = `a URL such as ${example}`;
  return {
    describe,
    arg: 'url',
    parse(raw) {
      let protocol: string | null = null;
      try {
        protocol = typeof raw === 'string' ? new URL(raw.trim()).protocol : null;
      } catch {
        protocol = null;
      }
      if (protocol === null || !schemes.includes(protocol)) {
        throw new SettingValueError(
          `must be a URL starting with ${schemes.map((s) => `${s}//`).join(' or ')}, such as ${example}`,
        );
      }
      return (raw as string).trim();
    },
    format: (value) => value,
  };
}

// The names Fastify's proxy-addr knows for address ranges, beside addresses and CIDR ranges.
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function isProxyAddress(item: string): boolean {
  if (PROXY_RANGE_NAMES.includes(item)) return true;
  const [address = '', prefix, ...rest] = item.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * The proxies whose X-Forwarded-For is believed, by address: a client's address is the last one that a
 * trusted proxy added, so rotating the header's other entries gains nothing. No hop count: it cannot tell
 * a proxy from a client that connects directly and sends the header itself (Fastify 5 trusts nothing for
 * a number, for that reason). `true` (the old switch) means `loopback`, a proxy on this machine; `false`
 * trusts none.
 */
const trustedProxiesType: SettingType<readonly string[]> = {
  describe:
    'proxy addresses or CIDR ranges, comma-separated, or loopback, linklocal, uniquelocal (true: loopback, false: none)',
  arg: 'addresses',
  valueOptional: true,
  parse(raw) {
    if (raw === true || (typeof raw === 'string' && raw.trim().toLowerCase() === 'true')) {
      return Object.freeze(['loopback']);
    }
    if (raw === false || (typeof raw === 'string' && raw.trim().toLowerCase() === 'false')) {
      return Object.freeze([]);
    }
    const items = typedList(raw);
    if (!Array.isArray(items) || items.length === 0) {
      throw new SettingValueError(
        `must name the proxies in front of Tripod, such as 10.0.0.5, 10.0.0.0/8 or loopback, got ${JSON.stringify(raw)}`,
      );
    }
    for (const item of items) {
      if (typeof item !== 'string' || !isProxyAddress(item)) {
        const hint = /^\s*\d+\s*$/.test(String(item))
          ? ' (a hop count cannot tell a proxy from a client that sends the header itself: name the proxies)'
          : '';
        throw new SettingValueError(
          `must list proxy addresses or CIDR ranges (or loopback, linklocal, uniquelocal); ${JSON.stringify(item)} is not one${hint}`,
        );
      }
    }
    return Object.freeze([...new Set(items as string[])]);
  },
  format: (value) => (value.length === 0 ? 'false' : value.join(',')),
};

/** One `--protect PREFIX=UPSTREAM`: requests under the path prefix are verified, then sent to the upstream. */
export interface ProtectRule {
  /** `/api` protects /api and /api/…; `` (given as `/`) protects every path Tripod does not serve itself. */
  prefix: string;
  /** The upstream's origin, e.g. `http://127.0.0.1:8000`: the path is forwarded unchanged. */
  upstream: URL;
}

// Only plain path segments: Fastify's route syntax (`:param`, `*`) and anything a URL would escape are out.
const PROTECT_PREFIX = /^(?:\/|(?:\/[A-Za-z0-9._~!$&'()+,;=@%-]+)+\/?)$/;

/** PREFIX=UPSTREAM, repeatable (a flag per rule), comma-separated when typed as one value. */
const protectRulesType: SettingType<readonly ProtectRule[]> = {
  describe: 'PREFIX=UPSTREAM such as /api=http://127.0.0.1:8000 (repeatable; comma-separated in one value)',
  arg: 'prefix=upstream',
  repeatable: true,
  parse(raw) {
    const items = (Array.isArray(raw) ? raw : [raw]).flatMap((item) =>
      typeof item === 'string' ? item.split(',') : [item],
    );
    const rules: ProtectRule[] = [];
    for (const item of items) {
      const text = typeof item === 'string' ? item.trim() : '';
      const equals = text.indexOf('=');
      const prefix = text.slice(0, equals).trim();
      const target = text.slice(equals + 1).trim();
      if (equals === -1 || !PROTECT_PREFIX.test(prefix) || /\/\.{1,2}(?:\/|$)/.test(prefix)) {
        throw new SettingValueError(
          `must be PREFIX=UPSTREAM with PREFIX a path such as /api, got ${JSON.stringify(item)}`,
        );
      }
      let upstream: URL | null = null;
      try {
        upstream = new URL(target);
      } catch {
        upstream = null;
      }
      if (
        upstream === null ||
        (upstream.protocol !== 'http:' && upstream.protocol !== 'https:') ||
        upstream.pathname !== '/' ||
        upstream.search ||
        upstream.hash ||
        upstream.username ||
        upstream.password
      ) {
        throw new SettingValueError(
          `must name an upstream origin such as http://127.0.0.1:8000 (no path, query or credentials: the request's path is forwarded unchanged), got ${JSON.stringify(target)} for ${prefix}`,
        );
      }
      const rule = { prefix: prefix.replace(/\/+$/, ''), upstream };
      if (rules.some((r) => r.prefix === rule.prefix)) {
        throw new SettingValueError(`names the prefix ${prefix} twice`);
      }
      rules.push(rule);
    }
    return Object.freeze(rules);
  },
  format: (rules) => rules.map((r) => `${r.prefix || '/'}=${r.upstream.origin}`).join(','),
};

/** Audit webhooks: http(s) URLs without credentials (they are shown unmasked), repeatable or comma-separated. */
const webhookUrlsType: SettingType<readonly string[]> = {
  describe: 'http(s) URLs such as https://siem.example/tripod (repeatable; comma-separated in one value)',
  arg: 'url',
  repeatable: true,
  parse(raw) {
    const items = (Array.isArray(raw) ? raw : [raw]).flatMap((item) =>
      typeof item === 'string' ? item.split(',').map((part) => part.trim()) : [item],
    );
    const urls: string[] = [];
    for (const item of items) {
      let url: URL | null = null;
      try {
        url = typeof item === 'string' ? new URL(item) : null;
      } catch {
        url = null;
      }
      if (
        url === null ||
        (url.protocol !== 'http:' && url.protocol !== 'https:') ||
        url.username ||
        url.password
      ) {
        throw new SettingValueError(
          `must be http(s) URLs without credentials (the signature authenticates Tripod), got ${JSON.stringify(item)}`,
        );
      }
      if (!urls.includes(url.href)) urls.push(url.href);
    }
    return Object.freeze(urls);
  },
  format: (urls) => urls.join(','),
};

/** A key of at least 16 characters; a refused one is not repeated in the error (it is a secret). */
const webhookSecretType: SettingType<string> = {
  describe: 'at least 16 characters without spaces',
  arg: 'secret',
  parse(raw) {
    const value = typeof raw === 'string' ? raw.trim() : '';
    if (!/^\S{16,}$/.test(value)) {
      throw new SettingValueError(
        `must be at least 16 characters without spaces, got ${typeof raw === 'string' ? `${raw.length} characters` : typeof raw}`,
      );
    }
    return value;
  },
  format: (value) => value,
};

// ---- Every setting, in one place ------------------------------------------------------------------------
export const SETTINGS = {
  // Where the data is: every command takes these.
  dataDir: setting({
    flag: '--data',
    env: 'TRIPOD_DATA',
    type: nonEmpty('dir', 'a directory'),
    default: './data',
    doc: 'Directory of the embedded SQLite database (DIR/tripod.db).',
  }),
  // Several instances share PostgreSQL (and Redis): src/stores opens whichever is given.
  databaseUrl: optional<string>({
    flag: '--database-url',
    env: 'TRIPOD_DATABASE_URL',
    type: serviceUrlType(['postgres:', 'postgresql:'], 'postgres://tripod:password@db.example/tripod'),
    doc: 'PostgreSQL instead of the SQLite file (for several instances).',
    secret: true,
  }),
  redisUrl: optional<string>({
    flag: '--redis-url',
    env: 'TRIPOD_REDIS_URL',
    type: serviceUrlType(['redis:', 'rediss:'], 'redis://redis.example:6379'),
    doc: 'Redis for nonces, rate limits and revocation events (shared by every instance).',
    secret: true,
  }),
  redisKeyPrefix: setting({
    flag: '--redis-key-prefix',
    env: 'TRIPOD_REDIS_KEY_PREFIX',
    type: text(/^\S+$/, 'a prefix without spaces', 'prefix'),
    default: 'tripod:',
    doc: 'Prefix of every Redis key and channel (several deployments may share one Redis).',
  }),
  // Nonce claims on the SQLite file (src/stores/nonce-window.ts): durable before the answer by default, as
  // SECURITY.md's crash-safety row promises; written behind on request (once a third of a verified
  // request's CPU; no faster than commit since 2026-12-01, BENCHMARKS.md). PostgreSQL and Redis decide every
  // first use whatever this says (several instances).
  nonceWrites: setting({
    flag: '--nonce-writes',
    env: 'TRIPOD_NONCE_WRITES',
    type: oneOf(['commit', 'behind'] as const, 'commit|behind'),
    default: 'commit' as 'commit' | 'behind',
    doc: "On the SQLite file: commit writes each accepted request's nonce before its answer (a kill -9 forgets none); behind decides nonces in memory and writes them every 100 ms in one transaction (a crash can forget the last 100 ms of nonces, whose requests could then be replayed once after the restart; under sustained load it is no faster than commit and holds more memory, see BENCHMARKS.md).",
  }),
  // The SQLite log's checkpoints (src/stores/sqlite/background-checkpoints.ts): in the commit that fills
  // the log, as SQLite does, by default; in a worker thread on request, off the event loop, for about a
  // fifth more requests a second under load and a thread's memory (BENCHMARKS.md). `serve` only.
  sqliteCheckpoints: setting({
    flag: '--sqlite-checkpoints',
    env: 'TRIPOD_SQLITE_CHECKPOINTS',
    type: oneOf(['inline', 'background'] as const, 'inline|background'),
    default: 'inline' as 'inline' | 'background',
    doc: "How the server copies the SQLite file's write-ahead log into the file: inline, in the commit that fills it (the event loop waits, about 20 ms every 1,000 pages written); background, in a worker thread of its own (the event loop never waits for it; about 17 MB more memory).",
  }),
  // Secrets at rest (src/stores/operator-keys.ts, sql/envelope.ts): unset, they are stored in clear and
  // `serve` says so at start. Every command takes it, since `app add` writes a secret too.
  secretKeyFile: optional<string>({
    flag: '--secret-key-file',
    env: 'TRIPOD_SECRET_KEY_FILE',
    type: nonEmpty('file', 'a file'),
    doc: 'File of operator keys (ID:BASE64 lines, newest last; make one with `tripod-server secrets new-key`) that encrypt consumer and token secrets at rest.',
  }),
  secretKey: optional<string>({
    flag: '--secret-key',
    env: 'TRIPOD_SECRET_KEY',
    type: nonEmpty('keys', 'ID:BASE64 keys separated by spaces or commas, newest last'),
    doc: 'The operator keys themselves instead of --secret-key-file (set the environment variable: a flag shows in the process list).',
    secret: true,
  }),

  // 3000 is what `npm start` serves on; tests pass 0 to get a free port.
  port: setting({
    flag: '--port',
    env: 'TRIPOD_PORT',
    type: integer(0, 65535, 'port'),
    default: 3000,
    doc: 'TCP port to listen on (0: any free port).',
  }),
  // Loopback only unless told otherwise: a development server should not be reachable from the network.
  host: setting({
    flag: '--host',
    env: 'TRIPOD_HOST',
    type: nonEmpty('host', 'a host name or address'),
    default: '127.0.0.1',
    doc: 'Interface to bind.',
  }),
  // Unset: the base string uses this listener's scheme and the request's Host header, as RFC 5849 says.
  publicUrl: optional<URL>({
    flag: '--public-url',
    env: 'TRIPOD_PUBLIC_URL',
    type: publicUrlType,
    doc: 'The URL clients use (base strings, links, cookies); set it behind a TLS-terminating proxy.',
  }),
  tlsCert: optional<string>({
    flag: '--tls-cert',
    env: 'TRIPOD_TLS_CERT',
    type: nonEmpty('file', 'a file'),
    doc: 'PEM certificate file: serve HTTPS directly (with --tls-key).',
  }),
  tlsKey: optional<string>({
    flag: '--tls-key',
    env: 'TRIPOD_TLS_KEY',
    type: nonEmpty('file', 'a file'),
    doc: 'PEM private key file for --tls-cert.',
  }),

  // The protocol (defaults and reasons in provider/defaults.ts).
  allowPlaintextOverHttp: fromProvider('allowPlaintextOverHttp', {
    flag: '--allow-plaintext-over-http',
    env: 'TRIPOD_ALLOW_PLAINTEXT_OVER_HTTP',
  }),
  pinLength: fromProvider('pinLength', { flag: '--pin-length', env: 'TRIPOD_PIN_LENGTH' }),
  pinMaxAttempts: fromProvider('pinMaxAttempts', { flag: '--pin-attempts', env: 'TRIPOD_PIN_ATTEMPTS' }),
  requestTokenTtlSeconds: fromProvider('requestTokenTtlSeconds', {
    flag: '--request-token-ttl',
    env: 'TRIPOD_REQUEST_TOKEN_TTL',
  }),
  callbackQuery: fromProvider('callbackQuery', { flag: '--callback-query', env: 'TRIPOD_CALLBACK_QUERY' }),
  maxOutstandingRequestTokens: fromProvider('maxOutstandingRequestTokens', {
    flag: '--max-outstanding-request-tokens',
    env: 'TRIPOD_MAX_OUTSTANDING_REQUEST_TOKENS',
  }),
  timestampWindowSeconds: fromProvider('timestampWindowSeconds', {
    flag: '--timestamp-window',
    env: 'TRIPOD_TIMESTAMP_WINDOW',
  }),
  nonceMaxLength: fromProvider('nonceMaxLength', {
    flag: '--nonce-max-length',
    env: 'TRIPOD_NONCE_MAX_LENGTH',
  }),
  signatureMethods: fromProvider('signatureMethods', {
    flag: '--signature-methods',
    env: 'TRIPOD_SIGNATURE_METHODS',
  }),

  // People and pages.
  sessionTtlSeconds: setting({
    flag: '--session-ttl',
    env: 'TRIPOD_SESSION_TTL',
    type: integer(60, 365 * 86400, 'seconds'),
    default: 7 * 24 * 3600,
    doc: 'Lifetime of a browser sign-in session, in seconds.',
  }),
  // Failures only: a success resets the account's count (server/rate-limits.ts has every limit).
  signInAttemptsPerMinute: setting({
    flag: '--sign-in-rate',
    env: 'TRIPOD_SIGN_IN_RATE',
    type: integer(1, 100_000, 'count'),
    default: 10,
    doc: 'Failed sign-ins per minute for one account from one address (5 times as many per address).',
  }),
  // Rate limits (server/rate-limits.ts has every limit and why): on by default, in the shared store.
  rateLimits: setting({
    flag: '--rate-limits',
    env: 'TRIPOD_RATE_LIMITS',
    type: oneOf(['on', 'off'] as const, 'on|off'),
    default: 'on' as 'on' | 'off',
    doc: 'off turns every rate limit off: the token endpoints, sign-in, xAuth and --rate-limit-protected.',
  }),
  tokenRequestsPerMinute: setting({
    flag: '--token-rate',
    env: 'TRIPOD_TOKEN_RATE',
    type: integer(1, 1_000_000, 'count'),
    default: 300,
    doc: 'Requests a minute to each of /oauth/request_token, /oauth/access_token and /oauth/invalidate_token from one address (5 times as many for one consumer); beyond: 429, code 88.',
  }),
  rateLimitProtected: optional<number>({
    flag: '--rate-limit-protected',
    env: 'TRIPOD_RATE_LIMIT_PROTECTED',
    type: integer(1, 1_000_000_000, 'count'),
    doc: 'Requests per access token in a 15-minute window on protected resources (the demo API, --protect, /oauth/verify); unset: no limit.',
  }),
  // Accounts (issue 12): who may create one, and how a reset link reaches a person who forgot a password.
  signUp: setting({
    flag: '--sign-up',
    env: 'TRIPOD_SIGN_UP',
    type: oneOf(['open', 'off'] as const, 'mode'),
    default: 'open' as 'open' | 'off',
    doc: 'Whether anyone may create an account on the pages (open) or only the operator, with tripod-server user add (off).',
  }),
  smtpUrl: optional<string>({
    flag: '--smtp-url',
    env: 'TRIPOD_SMTP_URL',
    type: serviceUrlType(['smtp:', 'smtps:'], 'smtps://user:password@mail.example:465'),
    doc: 'Mail server for password-reset links; set --public-url with it, which the links start with (unset: only the operator issues links, from the CLI or /operator/people).',
    secret: true,
  }),
  mailFrom: optional<string>({
    flag: '--mail-from',
    env: 'TRIPOD_MAIL_FROM',
    type: nonEmpty('address', 'an e-mail address, optionally with a name: Tripod <tripod@example.org>'),
    doc: "Sender of the mails Tripod sends (default: tripod@ and the public URL's host).",
  }),
  trustProxy: optional<readonly string[]>({
    flag: '--trust-proxy',
    env: 'TRIPOD_TRUST_PROXY',
    type: trustedProxiesType,
    doc: 'Reverse proxies whose X-Forwarded-For gives the client address (set it behind one).',
  }),

  // Protecting other APIs (DESIGN.md §3): verify, strip X-Tripod-*, forward with the identity headers.
  protect: optional<readonly ProtectRule[]>({
    flag: '--protect',
    env: 'TRIPOD_PROTECT',
    type: protectRulesType,
    doc: 'Verify requests under PREFIX as signed three-legged requests (GET, HEAD, OPTIONS need read access, other methods read-write) and forward them to UPSTREAM with X-Tripod-User-Id, -Screen-Name, -Consumer-Key and -Access-Level.',
  }),

  // The audit trail's copy for a SIEM (issue 11): every event POSTed, signed, retried until delivered.
  auditWebhooks: optional<readonly string[]>({
    flag: '--audit-webhook',
    env: 'TRIPOD_AUDIT_WEBHOOK',
    type: webhookUrlsType,
    doc: 'POST every audit event as JSON to this URL, signed with --audit-webhook-secret and retried with backoff (see docs/operations.md).',
  }),
  auditWebhookSecret: optional<string>({
    flag: '--audit-webhook-secret',
    env: 'TRIPOD_AUDIT_WEBHOOK_SECRET',
    type: webhookSecretType,
    doc: "Key of the audit webhooks' HMAC-SHA256 signature header (Tripod-Signature); required with --audit-webhook.",
    secret: true,
  }),

  // Connections: a client that is slow on purpose must not hold a connection (and its memory) for ever.
  // Slower ones get 408 and are closed; the cap closes connections beyond it at once.
  requestTimeoutSeconds: setting({
    flag: '--request-timeout',
    env: 'TRIPOD_REQUEST_TIMEOUT',
    type: integer(1, 3600, 'seconds'),
    default: 30,
    doc: 'Seconds a client has to send a whole request, headers and body (else 408 and the connection closes).',
  }),
  // Also how long a new connection may stay silent before it is closed.
  headersTimeoutSeconds: setting({
    flag: '--headers-timeout',
    env: 'TRIPOD_HEADERS_TIMEOUT',
    type: integer(1, 3600, 'seconds'),
    default: 10,
    doc: 'Seconds a client has to send the request headers (at most --request-timeout).',
  }),
  // Node's own default; behind a load balancer, set it above the balancer's idle timeout.
  keepAliveTimeoutSeconds: setting({
    flag: '--keep-alive-timeout',
    env: 'TRIPOD_KEEP_ALIVE_TIMEOUT',
    type: integer(1, 3600, 'seconds'),
    default: 5,
    doc: 'Seconds an idle keep-alive connection is kept open for the next request.',
  }),
  // Below the usual 1024 open files of a process, leaving room for the database and logs.
  maxConnections: setting({
    flag: '--max-connections',
    env: 'TRIPOD_MAX_CONNECTIONS',
    type: integer(1, 1_000_000, 'count'),
    default: 900,
    doc: 'Open client connections at most; further ones are closed at once.',
  }),

  // Operations.
  // Nonces must outlive the timestamp window anyway; pruning more often than this only costs queries.
  pruneIntervalSeconds: setting({
    flag: '--prune-interval',
    env: 'TRIPOD_PRUNE_INTERVAL',
    type: integer(10, 86400, 'seconds'),
    default: 300,
    doc: 'Seconds between deletions of expired nonces, request tokens and sessions.',
  }),
  // Unset: /metrics is served on the main port beside the API. Set: only on this port, which a firewall
  // can keep to the monitoring network while the main port faces the clients.
  metricsPort: optional<number>({
    flag: '--metrics-port',
    env: 'TRIPOD_METRICS_PORT',
    type: integer(0, 65535, 'port'),
    doc: 'Serve Prometheus metrics (GET /metrics) on this port instead of the main one (0: any free port).',
  }),
  metricsHost: optional<string>({
    flag: '--metrics-host',
    env: 'TRIPOD_METRICS_HOST',
    type: nonEmpty('host', 'a host name or address'),
    doc: 'Interface for --metrics-port (default: the same as --host).',
  }),
  // Long enough for any request Tripod serves (the slowest are password checks, well under a second);
  // a load balancer's own drain time is usually longer.
  shutdownTimeoutSeconds: setting({
    flag: '--shutdown-timeout',
    env: 'TRIPOD_SHUTDOWN_TIMEOUT',
    type: integer(1, 3600, 'seconds'),
    default: 10,
    doc: 'On SIGTERM or SIGINT, seconds given to requests in flight to finish before their connections are closed.',
  }),
  logLevel: setting({
    flag: '--log-level',
    env: 'TRIPOD_LOG_LEVEL',
    type: oneOf(LOG_LEVELS, 'level'),
    default: 'info' as LogLevel,
    doc: 'Log level (JSON logs on stderr).',
  }),
} as const;
// ---------------------------------------------------------------------------------------------------------

export type SettingName = keyof typeof SETTINGS;

/** Where the data is: taken by every `tripod-server` command, not only `serve`. */
export const STORE_SETTINGS = [
  'dataDir',
  'databaseUrl',
  'redisUrl',
  'redisKeyPrefix',
  'nonceWrites',
  'secretKeyFile',
  'secretKey',
] as const satisfies readonly SettingName[];
export type StoreSettingName = (typeof STORE_SETTINGS)[number];
const isStoreSetting = (name: SettingName) => (STORE_SETTINGS as readonly SettingName[]).includes(name);
type ValueOf<S> = S extends SettingSpec<infer V> ? V : never;
/** Every setting's value, by name. */
export type SettingValues = { -readonly [K in SettingName]: ValueOf<(typeof SETTINGS)[K]> };

/** The server's configuration: every setting's value, TLS as one optional pair. */
export type ServerConfig = Omit<SettingValues, 'tlsCert' | 'tlsKey'> & {
  /** Serve HTTPS with this certificate and key (PEM files); null serves plain HTTP. */
  tls: { certFile: string; keyFile: string } | null;
};

/** The environment variable that names a JSON configuration file (same as --config). */
export const CONFIG_FILE_ENV = 'TRIPOD_CONFIG';

/** Raw values by setting name, as typed by a person (flags parsed by the CLI) or passed by a program. */
export type RawSettings = Partial<Record<SettingName, unknown>>;

export interface ConfigSources {
  flags?: RawSettings;
  env?: Readonly<Record<string, string | undefined>>;
  /** The parsed config file (keys are flag names without the dashes); see `readConfigFile`. */
  file?: Readonly<Record<string, unknown>>;
}

export type SettingSource = 'flag' | 'environment' | 'config file' | 'default';

const NAMES = Object.keys(SETTINGS) as SettingName[];

/** The key of a setting in a config file: its flag without the dashes (`--pin-length` → `pin-length`). */
export function fileKeyOf(name: SettingName): string {
  return SETTINGS[name].flag.replace(/^--/, '');
}

function describeSetting(name: SettingName): string {
  const spec = SETTINGS[name];
  return `${spec.flag} (${spec.env})`;
}

function rawValue(name: SettingName, sources: ConfigSources): { raw: unknown; source: SettingSource } {
  const flag = sources.flags?.[name];
  if (flag !== undefined && flag !== null) return { raw: flag, source: 'flag' };
  const env = sources.env?.[SETTINGS[name].env];
  if (env !== undefined && env !== '') return { raw: env, source: 'environment' };
  const file = sources.file?.[fileKeyOf(name)];
  if (file !== undefined && file !== null) return { raw: file, source: 'config file' };
  return { raw: undefined, source: 'default' };
}

function resolvedSetting(
  name: SettingName,
  sources: ConfigSources,
): { value: unknown; source: SettingSource } {
  const spec = SETTINGS[name] as SettingSpec<unknown>;
  const { raw, source } = rawValue(name, sources);
  if (source === 'default') return { value: spec.default, source };
  try {
    return { value: (spec.type as SettingType<unknown>).parse(raw), source };
  } catch (error) {
    if (!(error instanceof SettingValueError)) throw error;
    const from = source === 'config file' ? ` in the config file (key "${fileKeyOf(name)}")` : '';
    throw new ConfigError(`${describeSetting(name)}${from} ${error.message}`);
  }
}

/** Reads a JSON config file; its keys are flag names without the dashes. Unknown keys are refused. */
export function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read the config file ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`the config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`the config file ${path} must hold one JSON object of settings`);
  }
  const known = new Set(NAMES.map(fileKeyOf));
  for (const key of Object.keys(parsed)) {
    if (!known.has(key)) {
      throw new ConfigError(
        `the config file ${path} has an unknown setting "${key}" (keys are flag names without the dashes, e.g. "pin-length")`,
      );
    }
  }
  return parsed as Record<string, unknown>;
}

/** The config file the sources name (--config flag value or TRIPOD_CONFIG), read, or undefined. */
export function configFileOf(
  flagValue: string | undefined,
  env: ConfigSources['env'],
): ConfigSources['file'] {
  const path = flagValue ?? (env?.[CONFIG_FILE_ENV] || undefined);
  return path === undefined ? undefined : readConfigFile(path);
}

function resolveValues(sources: ConfigSources, names: readonly SettingName[]): Partial<SettingValues> {
  const values: Record<string, unknown> = {};
  for (const name of names) values[name] = resolvedSetting(name, sources).value;
  return values as Partial<SettingValues>;
}

/** Builds and validates the configuration; throws ConfigError with one line a person can act on. */
export function resolveServerConfig(sources: ConfigSources = {}): ServerConfig {
  const { tlsCert, tlsKey, ...rest } = resolveValues(sources, NAMES) as SettingValues;
  if ((tlsCert === null) !== (tlsKey === null)) {
    throw new ConfigError(
      `${describeSetting('tlsCert')} and ${describeSetting('tlsKey')} must be given together`,
    );
  }
  // Node refuses a headers timeout longer than the request timeout.
  if (rest.headersTimeoutSeconds > rest.requestTimeoutSeconds) {
    throw new ConfigError(
      `${describeSetting('headersTimeoutSeconds')} must not exceed ${describeSetting('requestTimeoutSeconds')}`,
    );
  }
  if (rest.auditWebhooks !== null && rest.auditWebhooks.length > 0 && rest.auditWebhookSecret === null) {
    throw new ConfigError(
      `${describeSetting('auditWebhooks')} needs ${describeSetting('auditWebhookSecret')}: receivers check every event's signature with it`,
    );
  }
  if (rest.metricsHost !== null && rest.metricsPort === null) {
    throw new ConfigError(
      `${describeSetting('metricsHost')} needs ${describeSetting('metricsPort')}: without it, metrics are served on the main port`,
    );
  }
  return {
    ...rest,
    tls: tlsCert !== null && tlsKey !== null ? { certFile: tlsCert, keyFile: tlsKey } : null,
  };
}

/** The settings every command takes (where the data is), without validating the serve-only ones. */
export function resolveStoreConfig(sources: ConfigSources = {}): Pick<SettingValues, StoreSettingName> {
  return resolveValues(sources, STORE_SETTINGS) as Pick<SettingValues, StoreSettingName>;
}

/** The operator's keys the settings give (read from the key file), newest last; null when none is set. */
export function operatorKeysOf(
  config: Pick<SettingValues, 'secretKeyFile' | 'secretKey'>,
): OperatorKey[] | null {
  const file = config.secretKeyFile ?? null;
  const inline = config.secretKey ?? null;
  if (file !== null && inline !== null) {
    throw new ConfigError(
      `give the operator keys once: ${describeSetting('secretKeyFile')} or ${describeSetting('secretKey')}, not both`,
    );
  }
  try {
    if (inline !== null) return parseOperatorKeys(inline.split(/[\s,]+/).join('\n'), SETTINGS.secretKey.env);
    if (file === null) return null;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError(
        `cannot read the secret key file ${file} (${describeSetting('secretKeyFile')}): ${(error as Error).message}`,
      );
    }
    return parseOperatorKeys(text, `the secret key file ${file}`);
  } catch (error) {
    if (error instanceof OperatorKeyError) throw new ConfigError(error.message);
    throw error;
  }
}

/** The store settings of the configuration, as `openStores` takes them (the key file read). */
export function storeSettingsOf(config: Pick<SettingValues, StoreSettingName>): StoreSettings {
  return {
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    redisUrl: config.redisUrl,
    keyPrefix: config.redisKeyPrefix,
    nonceWrites: config.nonceWrites,
    operatorKeys: operatorKeysOf(config),
  };
}

/** The defaults with some settings overridden (tests and embedders); validated like the CLI's. */
export function serverConfig(overrides: RawSettings = {}): ServerConfig {
  return resolveServerConfig({ flags: overrides });
}

/** The provider's part of the configuration (the realm is the public origin when known). */
export function providerConfigOf(config: ServerConfig): Partial<ProviderConfig> {
  const provider: Record<string, unknown> = { realm: realmOf(config) };
  for (const s of providerSettings) {
    if (s.name in config) provider[s.name] = (config as unknown as Record<string, unknown>)[s.name];
  }
  return provider as Partial<ProviderConfig>;
}

/** Whether pages and cookies are served over https as the client sees them. */
export function isPublicHttps(config: ServerConfig): boolean {
  return config.publicUrl ? config.publicUrl.protocol === 'https:' : config.tls !== null;
}

/** The realm of `WWW-Authenticate: OAuth realm="…"`: the public origin when known (as Twitter's is). */
export function realmOf(config: ServerConfig): string {
  return config.publicUrl ? config.publicUrl.origin : 'Tripod';
}

/** Settings changed from their default that weaken security (said loudly at start). */
export function developmentOnlySettingsIn(config: ServerConfig): SettingName[] {
  return NAMES.filter((name) => {
    const spec = SETTINGS[name] as SettingSpec<unknown>;
    return spec.developmentOnly === true && (config as Record<string, unknown>)[name] !== spec.default;
  });
}

// ---- Showing the configuration: `tripod-server config`, --help and the README ----------------------------

const MASK = '********';

function shownValue(name: SettingName, value: unknown): string {
  if (value === null || value === undefined) return '(not set)';
  const spec = SETTINGS[name] as SettingSpec<unknown>;
  const formatted = (spec.type as SettingType<unknown>).format(value);
  if (!spec.secret) return formatted;
  try {
    const url = new URL(formatted);
    // Only a service URL keeps its shape (`k1:…`, a key, parses as a URL with no host).
    if (url.host === '') return MASK;
    if (url.password === '' && url.username === '') return formatted;
    if (url.password !== '') url.password = MASK;
    return url.href;
  } catch {
    return MASK;
  }
}

export interface EffectiveSetting {
  name: SettingName;
  flag: string;
  env: string;
  /** As a person would type it, secrets masked. */
  value: string;
  source: SettingSource;
}

/** Every setting's effective value and where it came from (secrets masked); validates as it goes. */
export function effectiveConfiguration(sources: ConfigSources): EffectiveSetting[] {
  return NAMES.map((name) => {
    const { value, source } = resolvedSetting(name, sources);
    return {
      name,
      flag: SETTINGS[name].flag,
      env: SETTINGS[name].env,
      value: shownValue(name, value),
      source,
    };
  });
}

/** The flag's --help line (without the flag itself). */
export function helpOf(name: SettingName): string {
  const spec = SETTINGS[name] as SettingSpec<unknown>;
  const value = spec.default === null ? '' : `, default ${shownValue(name, spec.default)}`;
  return `${spec.developmentOnly ? 'DEVELOPMENT ONLY. ' : ''}${spec.doc} [env ${spec.env}${value}]`;
}

/**
 * The flag with its value's name, as commander takes it: `--port <port>`, `--trust-proxy [addresses]`
 * when the value may be left out, or the bare flag for a switch.
 */
export function flagOf(name: SettingName): string {
  const spec = SETTINGS[name] as SettingSpec<unknown>;
  if (spec.type.switch) return spec.flag;
  return spec.type.valueOptional ? `${spec.flag} [${spec.type.arg}]` : `${spec.flag} <${spec.type.arg}>`;
}

/** The README's settings table (a test keeps README.md equal to it). */
export function settingsMarkdown(): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const rows = NAMES.map((name) => {
    const spec = SETTINGS[name] as SettingSpec<unknown>;
    const value = spec.default === null ? '—' : `\`${shownValue(name, spec.default)}\``;
    const commands = isStoreSetting(name) ? ' Every command takes it.' : '';
    const dev = spec.developmentOnly ? '**Development only.** ' : '';
    return `| \`${spec.flag}\` | \`${spec.env}\` | ${value} | ${cell(`${dev}${spec.doc}${commands} (${spec.type.describe})`)} |`;
  });
  return ['| flag | environment | default | meaning |', '|---|---|---|---|', ...rows].join('\n');
}
