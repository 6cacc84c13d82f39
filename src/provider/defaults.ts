// Every provider setting in one place, with its default and the reason for it (node-oidc-provider's
// `defaults.js` habit). The configuration docs are generated from `providerSettings`; `buildProviderConfig`
// is the only way to make a `ProviderConfig`, so a bad value fails loudly at start-up, never mid-request.

import { SIGNATURE_METHODS } from '../core/signature.ts';
import type { SignatureMethodName } from './types.ts';

export interface ProviderConfig {
  /** Lifetime of a request token, from issue to exchange (seconds). */
  readonly requestTokenTtlSeconds: number;
  /** Digits in the PIN shown in the oob flow. */
  readonly pinLength: number;
  /** Wrong verifiers/PINs a request token survives; the next wrong one burns it. */
  readonly pinMaxAttempts: number;
  /** Accepted distance between oauth_timestamp and the server clock, either way (seconds). */
  readonly timestampWindowSeconds: number;
  /** Longest oauth_nonce accepted (characters, ASCII only). */
  readonly nonceMaxLength: number;
  /** Development only: accept PLAINTEXT signatures on http:// URLs, where they expose the secrets. */
  readonly allowPlaintextOverHttp: boolean;
  /** The realm sent in `WWW-Authenticate: OAuth realm="…"`. */
  readonly realm: string;
  /** Signature methods the provider accepts. */
  readonly signatureMethods: readonly SignatureMethodName[];
}

/** Every method core implements. */
export const ALL_SIGNATURE_METHODS: readonly SignatureMethodName[] = SIGNATURE_METHODS;

export interface ProviderSetting<K extends keyof ProviderConfig = keyof ProviderConfig> {
  readonly name: K;
  readonly default: ProviderConfig[K];
  readonly doc: string;
  /** Settings that weaken security: warn loudly when changed from the default. */
  readonly developmentOnly?: true;
}

/** The settings, their defaults and why: the source of the configuration documentation. */
export const providerSettings: readonly ProviderSetting[] = Object.freeze([
  {
    name: 'requestTokenTtlSeconds',
    default: 900,
    doc: 'A request token (and the PIN bound to it) expires 15 minutes after it was issued: long enough to sign in and type a PIN, short enough to bound guessing (60–86400).',
  },
  {
    name: 'pinLength',
    default: 7,
    doc: "Digits in the oob PIN. Twitter's PINs have 7; 6–10 are allowed. Each digit is drawn uniformly from a cryptographic RNG.",
  },
  {
    name: 'pinMaxAttempts',
    default: 5,
    doc: 'A 7-digit PIN has ~23 bits of entropy, so wrong tries are counted per request token; after this many the token is burned and even the right PIN fails (1–10).',
  },
  {
    name: 'timestampWindowSeconds',
    default: 300,
    doc: 'oauth_timestamp may differ from the server clock by this much either way; outside it the answer is 401 code 135 with oauth_acceptable_timestamps. Nonces are kept this long (30–3600).',
  },
  {
    name: 'nonceMaxLength',
    default: 64,
    doc: "Longest oauth_nonce accepted, in ASCII characters, so the nonce store's keys stay bounded (Twitter's example nonce has 42) (8–255).",
  },
  {
    name: 'allowPlaintextOverHttp',
    default: false,
    doc: 'DEVELOPMENT ONLY. PLAINTEXT sends the secrets themselves as the signature; over http:// anyone on the path reads them. Leave false in production.',
    developmentOnly: true,
  },
  {
    name: 'realm',
    default: 'Tripod',
    doc: 'The realm of the WWW-Authenticate header on 401 answers (printable ASCII, no double quote).',
  },
  {
    name: 'signatureMethods',
    default: ALL_SIGNATURE_METHODS,
    doc: 'Signature methods accepted. RSA methods also need the consumer to have a registered public key; PLAINTEXT is still refused over http:// unless allowPlaintextOverHttp.',
  },
] satisfies ProviderSetting[]);

export const DEFAULT_PROVIDER_CONFIG: ProviderConfig = Object.freeze(
  Object.fromEntries(providerSettings.map((s) => [s.name, s.default])) as unknown as ProviderConfig,
);

/** Thrown by `buildProviderConfig`; `problems` lists every bad value, not just the first. */
export class ProviderConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: string[]) {
    super(`Invalid provider configuration: ${problems.join('; ')}`);
    this.name = 'ProviderConfigError';
    this.problems = problems;
  }
}

function checkInteger(problems: string[], name: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(value)})`);
  }
}

/** Builds the provider's configuration from partial input over the defaults; throws on any bad value. */
export function buildProviderConfig(input: Partial<ProviderConfig> = {}): ProviderConfig {
  const problems: string[] = [];
  const known = new Set<string>(providerSettings.map((s) => s.name));
  for (const name of Object.keys(input)) {
    if (!known.has(name)) problems.push(`unknown setting ${JSON.stringify(name)}`);
  }
  const defined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  const config = { ...DEFAULT_PROVIDER_CONFIG, ...defined } as ProviderConfig;

  checkInteger(problems, 'requestTokenTtlSeconds', config.requestTokenTtlSeconds, 60, 86_400);
  checkInteger(problems, 'pinLength', config.pinLength, 6, 10);
  checkInteger(problems, 'pinMaxAttempts', config.pinMaxAttempts, 1, 10);
  checkInteger(problems, 'timestampWindowSeconds', config.timestampWindowSeconds, 30, 3600);
  checkInteger(problems, 'nonceMaxLength', config.nonceMaxLength, 8, 255);
  if (typeof config.allowPlaintextOverHttp !== 'boolean') {
    problems.push('allowPlaintextOverHttp must be true or false');
  }
  if (typeof config.realm !== 'string' || !/^[\x20\x21\x23-\x7e]{1,200}$/.test(config.realm)) {
    problems.push('realm must be 1–200 printable ASCII characters without a double quote');
  }
  const methods: unknown = config.signatureMethods;
  if (!Array.isArray(methods) || methods.length === 0) {
    problems.push(`signatureMethods must be a non-empty list of ${ALL_SIGNATURE_METHODS.join(', ')}`);
  } else {
    for (const m of methods) {
      if (!ALL_SIGNATURE_METHODS.includes(m))
        problems.push(`signatureMethods: unknown method ${JSON.stringify(m)}`);
    }
  }
  if (problems.length > 0) throw new ProviderConfigError(problems);
  return Object.freeze({ ...config, signatureMethods: Object.freeze([...config.signatureMethods]) });
}

/** The settings as a Markdown table (name, default, what it does): the source of the configuration docs. */
export function providerSettingsMarkdown(): string {
  const rows = providerSettings.map((s) => {
    const value = Array.isArray(s.default) ? s.default.join(', ') : String(s.default);
    const doc = s.developmentOnly
      ? `**Development only.** ${s.doc.replace(/^DEVELOPMENT ONLY\. /, '')}`
      : s.doc;
    return `| \`${s.name}\` | \`${value}\` | ${doc.replace(/\|/g, '\\|')} |`;
  });
  return ['| Setting | Default | What it does |', '|---|---|---|', ...rows].join('\n');
}
