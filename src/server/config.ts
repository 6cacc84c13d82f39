// The server's configuration: one validated object built once at start-up and passed down (DESIGN.md §4).
// Every setting is declared once in SETTINGS below, with its default, its flag, its environment variable
// and the sentence that documents it; precedence is flags > environment (TRIPOD_*) > defaults.
// Nothing in src/server reads process.env: the CLI hands the environment in as a plain record.

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface ServerConfig {
  /** TCP port to listen on; 0 picks a free one. */
  port: number;
  /** Interface to bind. */
  host: string;
  /** Directory holding the SQLite file (DIR/tripod.db). */
  dataDir: string;
  /** postgres://… : PostgreSQL instead of the SQLite file. */
  databaseUrl: string | null;
  /** redis://… : nonces, rate limits and revocation events in Redis. */
  redisUrl: string | null;
  /** Prefix of every Redis key and channel (several deployments may share one Redis). */
  redisKeyPrefix: string;
  /**
   * The URL clients use to reach this server (scheme, host, port, optional path prefix). Base strings are
   * built from it plus the request's path and query, so a server behind a TLS-terminating proxy verifies
   * what the client signed. Null: scheme of this listener plus the request's Host header (RFC 5849 §3.4.1.2).
   */
  publicUrl: URL | null;
  /** Serve HTTPS with this certificate and key (PEM files); null serves plain HTTP. */
  tls: { certFile: string; keyFile: string } | null;
  /** DEVELOPMENT ONLY: accept PLAINTEXT signatures over plain http. */
  allowPlaintextOverHttp: boolean;
  /** Digits in a PIN (the oob verifier), 6–10. */
  pinLength: number;
  /** Wrong PINs tolerated before the request token is burned. */
  pinMaxAttempts: number;
  /** Lifetime of a request token that has not been exchanged. */
  requestTokenTtlSeconds: number;
  /** Accepted distance between oauth_timestamp and the server clock, either way. */
  timestampWindowSeconds: number;
  /** Lifetime of a browser sign-in session on the authorization pages. */
  sessionTtlSeconds: number;
  /** Sign-in attempts allowed per client address and username per minute. */
  signInAttemptsPerMinute: number;
  /** Trust X-Forwarded-For for the client address (set when behind a reverse proxy). */
  trustProxy: boolean;
  /** How often expired nonces, request tokens and sessions are deleted. */
  pruneIntervalSeconds: number;
  /** pino log level. */
  logLevel: LogLevel;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

type SettingName = Exclude<keyof ServerConfig, 'tls'> | 'tlsCert' | 'tlsKey';

interface SettingSpec {
  /** Long command-line flag, e.g. `--port`. */
  flag: string;
  /** Environment variable, e.g. `TRIPOD_PORT`. */
  env: string;
  /** The default, as the string a user would type; null: not set. */
  default: string | null;
  /** One line for `--help` and the configuration docs. */
  doc: string;
  /** Boolean switch (a flag without a value). */
  boolean?: true;
  /** The value's name in --help, e.g. `port` for `--port <port>`. */
  arg?: string;
}

// ---- All defaults, in one place ------------------------------------------------------------------------
export const SETTINGS: Readonly<Record<SettingName, SettingSpec>> = {
  // 3000 is what `npm start` serves on; tests pass 0 to get a free port.
  port: {
    flag: '--port',
    arg: 'port',
    env: 'TRIPOD_PORT',
    default: '3000',
    doc: 'TCP port to listen on (0: any free port)',
  },
  // Loopback only unless told otherwise: a development server should not be reachable from the network.
  host: { flag: '--host', arg: 'host', env: 'TRIPOD_HOST', default: '127.0.0.1', doc: 'interface to bind' },
  dataDir: {
    flag: '--data',
    arg: 'dir',
    env: 'TRIPOD_DATA',
    default: './data',
    doc: 'data directory (holds tripod.db)',
  },
  databaseUrl: {
    flag: '--database-url',
    arg: 'url',
    env: 'TRIPOD_DATABASE_URL',
    default: null,
    doc: 'PostgreSQL URL (postgres://user:password@host/db): use PostgreSQL instead of the SQLite file',
  },
  redisUrl: {
    flag: '--redis-url',
    arg: 'url',
    env: 'TRIPOD_REDIS_URL',
    default: null,
    doc: 'Redis URL (redis://host:6379): keep nonces, rate limits and revocation events in Redis',
  },
  redisKeyPrefix: {
    flag: '--redis-key-prefix',
    arg: 'prefix',
    env: 'TRIPOD_REDIS_KEY_PREFIX',
    default: 'tripod:',
    doc: 'prefix of every Redis key and channel (to share one Redis between deployments)',
  },
  // Unset: the base string uses this listener's scheme and the request's Host header, as RFC 5849 says.
  publicUrl: {
    flag: '--public-url',
    arg: 'url',
    env: 'TRIPOD_PUBLIC_URL',
    default: null,
    doc: 'public URL clients sign against, e.g. https://tripod.example (set it behind a TLS proxy)',
  },
  tlsCert: {
    flag: '--tls-cert',
    arg: 'file',
    env: 'TRIPOD_TLS_CERT',
    default: null,
    doc: 'PEM certificate: serve HTTPS',
  },
  tlsKey: {
    flag: '--tls-key',
    arg: 'file',
    env: 'TRIPOD_TLS_KEY',
    default: null,
    doc: 'PEM private key for --tls-cert',
  },
  // WARNING: PLAINTEXT over http sends the secrets in clear. Development only.
  allowPlaintextOverHttp: {
    flag: '--allow-plaintext-over-http',
    env: 'TRIPOD_ALLOW_PLAINTEXT_OVER_HTTP',
    default: 'false',
    doc: 'DEVELOPMENT ONLY: accept PLAINTEXT signatures over plain http',
    boolean: true,
  },
  // Twitter's "~7 digit PIN".
  pinLength: {
    flag: '--pin-length',
    arg: 'digits',
    env: 'TRIPOD_PIN_LENGTH',
    default: '7',
    doc: 'digits in a PIN (6-10)',
  },
  pinMaxAttempts: {
    flag: '--pin-attempts',
    arg: 'count',
    env: 'TRIPOD_PIN_ATTEMPTS',
    default: '5',
    doc: 'wrong PINs before the request token is burned (1-10)',
  },
  requestTokenTtlSeconds: {
    flag: '--request-token-ttl',
    arg: 'seconds',
    env: 'TRIPOD_REQUEST_TOKEN_TTL',
    default: '900',
    doc: 'request token lifetime in seconds (60-86400)',
  },
  timestampWindowSeconds: {
    flag: '--timestamp-window',
    arg: 'seconds',
    env: 'TRIPOD_TIMESTAMP_WINDOW',
    default: '300',
    doc: 'accepted oauth_timestamp skew in seconds, either way (30-3600)',
  },
  sessionTtlSeconds: {
    flag: '--session-ttl',
    arg: 'seconds',
    env: 'TRIPOD_SESSION_TTL',
    default: String(7 * 24 * 3600),
    doc: 'sign-in session lifetime in seconds',
  },
  signInAttemptsPerMinute: {
    flag: '--sign-in-rate',
    arg: 'count',
    env: 'TRIPOD_SIGN_IN_RATE',
    default: '10',
    doc: 'sign-in attempts per minute per address and username',
  },
  trustProxy: {
    flag: '--trust-proxy',
    env: 'TRIPOD_TRUST_PROXY',
    default: 'false',
    doc: 'trust X-Forwarded-For for client addresses (behind a reverse proxy)',
    boolean: true,
  },
  // Nonces must outlive the timestamp window anyway; pruning more often than this only costs queries.
  pruneIntervalSeconds: {
    flag: '--prune-interval',
    arg: 'seconds',
    env: 'TRIPOD_PRUNE_INTERVAL',
    default: '300',
    doc: 'seconds between deletions of expired nonces, request tokens and sessions',
  },
  logLevel: {
    flag: '--log-level',
    arg: 'level',
    env: 'TRIPOD_LOG_LEVEL',
    default: 'info',
    doc: `log level (${LOG_LEVELS.join(', ')})`,
  },
};
// ---------------------------------------------------------------------------------------------------------

/** Raw values as typed by a person: flags (already parsed by the CLI) or environment variables. */
export type RawSettings = Partial<Record<SettingName, string | boolean | undefined>>;

export interface ConfigSources {
  flags?: RawSettings;
  env?: Readonly<Record<string, string | undefined>>;
}

function describe(name: SettingName): string {
  const spec = SETTINGS[name];
  return `${spec.flag} (${spec.env})`;
}

function rawValue(name: SettingName, sources: ConfigSources): string | null {
  const flag = sources.flags?.[name];
  if (flag !== undefined && flag !== null) return String(flag);
  const env = sources.env?.[SETTINGS[name].env];
  if (env !== undefined && env !== '') return env;
  return SETTINGS[name].default;
}

function integer(name: SettingName, raw: string, min: number, max: number): number {
  const value = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`${describe(name)} must be a whole number from ${min} to ${max}, got '${raw}'`);
  }
  return value;
}

function boolean(name: SettingName, raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(`${describe(name)} must be true or false, got '${raw}'`);
}

function publicUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      `${describe('publicUrl')} must be an absolute URL such as https://tripod.example, got '${raw}'`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${describe('publicUrl')} must use http or https, got '${raw}'`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new ConfigError(
      `${describe('publicUrl')} must not carry a query, fragment or credentials, got '${raw}'`,
    );
  }
  // A path prefix is kept without its trailing slash: request paths are appended to it.
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}

/** A service URL with one of the given schemes; the message never repeats the URL (it may hold a password). */
function serviceUrl(name: 'databaseUrl' | 'redisUrl', raw: string | null, schemes: string[]): string | null {
  if (raw === null || raw.trim() === '') return null;
  let protocol: string | null = null;
  try {
    protocol = new URL(raw.trim()).protocol;
  } catch {
    protocol = null;
  }
  if (protocol === null || !schemes.includes(protocol)) {
    throw new ConfigError(
      `${describe(name)} must be a URL starting with ${schemes.map((s) => `${s}//`).join(' or ')}`,
    );
  }
  return raw.trim();
}

/** Builds and validates the configuration; throws ConfigError with one line a person can act on. */
export function resolveServerConfig(sources: ConfigSources = {}): ServerConfig {
  const get = (name: SettingName) => rawValue(name, sources);
  const tlsCert = get('tlsCert');
  const tlsKey = get('tlsKey');
  if ((tlsCert === null) !== (tlsKey === null)) {
    throw new ConfigError(`${describe('tlsCert')} and ${describe('tlsKey')} must be given together`);
  }
  const logLevel = get('logLevel') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(
      `${describe('logLevel')} must be one of ${LOG_LEVELS.join(', ')}, got '${logLevel}'`,
    );
  }
  const host = get('host')!.trim();
  if (host === '') throw new ConfigError(`${describe('host')} must not be empty`);
  const rawPublicUrl = get('publicUrl');
  return {
    port: integer('port', get('port')!, 0, 65535),
    host,
    ...resolveStoreConfig(sources),
    publicUrl: rawPublicUrl === null ? null : publicUrl(rawPublicUrl),
    tls: tlsCert !== null && tlsKey !== null ? { certFile: tlsCert, keyFile: tlsKey } : null,
    allowPlaintextOverHttp: boolean('allowPlaintextOverHttp', get('allowPlaintextOverHttp')!),
    pinLength: integer('pinLength', get('pinLength')!, 6, 10),
    pinMaxAttempts: integer('pinMaxAttempts', get('pinMaxAttempts')!, 1, 10),
    requestTokenTtlSeconds: integer('requestTokenTtlSeconds', get('requestTokenTtlSeconds')!, 60, 86400),
    timestampWindowSeconds: integer('timestampWindowSeconds', get('timestampWindowSeconds')!, 30, 3600),
    sessionTtlSeconds: integer('sessionTtlSeconds', get('sessionTtlSeconds')!, 60, 365 * 86400),
    signInAttemptsPerMinute: integer('signInAttemptsPerMinute', get('signInAttemptsPerMinute')!, 1, 100000),
    trustProxy: boolean('trustProxy', get('trustProxy')!),
    pruneIntervalSeconds: integer('pruneIntervalSeconds', get('pruneIntervalSeconds')!, 10, 86400),
    logLevel,
  };
}

/** The defaults with some settings overridden (tests and embedders); validated like the CLI's. */
export function serverConfig(overrides: RawSettings = {}): ServerConfig {
  return resolveServerConfig({ flags: overrides });
}

/** Whether pages and cookies are served over https as the client sees them. */
export function isPublicHttps(config: ServerConfig): boolean {
  return config.publicUrl ? config.publicUrl.protocol === 'https:' : config.tls !== null;
}

/** The realm of `WWW-Authenticate: OAuth realm="…"`: the public origin when known (as Twitter's is). */
export function realmOf(config: ServerConfig): string {
  return config.publicUrl ? config.publicUrl.origin : 'Tripod';
}

/** Where the stores are (every command that opens them takes these three settings). */
export function resolveStoreConfig(sources: ConfigSources = {}): {
  dataDir: string;
  databaseUrl: string | null;
  redisUrl: string | null;
  redisKeyPrefix: string;
} {
  return {
    dataDir: resolveDataDir(sources),
    databaseUrl: serviceUrl('databaseUrl', rawValue('databaseUrl', sources), ['postgres:', 'postgresql:']),
    redisUrl: serviceUrl('redisUrl', rawValue('redisUrl', sources), ['redis:', 'rediss:']),
    redisKeyPrefix: rawValue('redisKeyPrefix', sources) ?? 'tripod:',
  };
}

/** Only the data directory (for commands that open the database but serve nothing). */
export function resolveDataDir(sources: ConfigSources = {}): string {
  const dataDir = (rawValue('dataDir', sources) ?? '').trim();
  if (dataDir === '') throw new ConfigError(`${describe('dataDir')} must not be empty`);
  return dataDir;
}
