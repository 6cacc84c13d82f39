// Every provider setting in one place, with its default and the reason for it (node-oidc-provider's
// `defaults.js` habit). The configuration docs are generated from `providerSettings`; `buildProviderConfig`
// is the only way to make a `ProviderConfig`, so a bad value fails loudly at start-up, never mid-request.

import { SIGNATURE_METHODS } from '../core/signature.ts';
import {
  boolean,
  integer,
  listOf,
  oneOf,
  type SettingType,
  SettingValueError,
  text,
} from './setting-types.ts';
import type { SignatureMethodName } from './types.ts';

export interface ProviderConfig {
  /** Lifetime of a request token, from issue to exchange (seconds). */
  readonly requestTokenTtlSeconds: number;
  /** Request tokens one app may have waiting for an answer or an exchange at once; 0: no cap. */
  readonly maxOutstandingRequestTokens: number;
  /** Whether a callback's query must equal the registered one (`exact`) or may differ (`any`). */
  readonly callbackQuery: 'any' | 'exact';
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
  /** The kind of value, with its range or choices: the one validation of this setting. */
  readonly type: SettingType<ProviderConfig[K]>;
  readonly doc: string;
  /** Settings that weaken security: warn loudly when changed from the default. */
  readonly developmentOnly?: true;
}

// A helper so each entry's type is checked against its own key.
function setting<K extends keyof ProviderConfig>(entry: ProviderSetting<K>): ProviderSetting<K> {
  return Object.freeze(entry);
}

/** The settings, their defaults and why: the source of the configuration documentation. */
export const providerSettings: readonly ProviderSetting[] = Object.freeze([
  setting({
    name: 'requestTokenTtlSeconds',
    default: 900,
    type: integer(60, 86_400, 'seconds'),
    doc: 'A request token (and the PIN bound to it) expires 15 minutes after it was issued: long enough to sign in and type a PIN, short enough to bound guessing.',
  }),
  setting({
    name: 'maxOutstandingRequestTokens',
    default: 1000,
    type: integer(0, 10_000_000, 'count'),
    doc: 'An app may hold this many request tokens that are neither answered, exchanged nor expired; beyond it request_token answers 429 (code 88) until some are used or expire. Bounds what one app (or anyone holding its keys) can make the database keep; checking it counts at most this many. 0: no cap.',
  }),
  setting({
    name: 'callbackQuery',
    default: 'any',
    type: oneOf(['any', 'exact'] as const, 'any|exact'),
    doc: "oauth_callback must match a registered callback URL on scheme, host, port and path; with exact its query must also equal the registered one's, so a callback like https://app.example/cb?next=https://evil.example is refused (415) — set it when an app's callback handler follows a parameter of its query. any (the default) lets clients add their own state to the query, as many OAuth 1.0a clients do.",
  }),
  setting({
    name: 'pinLength',
    default: 7,
    type: integer(6, 10, 'digits'),
    doc: "Digits in the oob PIN. Twitter's PINs have 7. Each digit is drawn uniformly from a cryptographic RNG.",
  }),
  setting({
    name: 'pinMaxAttempts',
    default: 5,
    type: integer(1, 10, 'count'),
    doc: 'A 7-digit PIN has ~23 bits of entropy, so wrong tries are counted per request token; after this many the token is burned and even the right PIN fails.',
  }),
  setting({
    name: 'timestampWindowSeconds',
    default: 300,
    type: integer(30, 3600, 'seconds'),
    doc: 'oauth_timestamp may differ from the server clock by this much either way; outside it the answer is 401 code 135 with oauth_acceptable_timestamps. Nonces are kept this long.',
  }),
  setting({
    name: 'nonceMaxLength',
    default: 64,
    type: integer(8, 255, 'characters'),
    doc: "Longest oauth_nonce accepted, in ASCII characters, so the nonce store's keys stay bounded (Twitter's example nonce has 42).",
  }),
  setting({
    name: 'allowPlaintextOverHttp',
    default: false,
    type: boolean(),
    doc: 'DEVELOPMENT ONLY. PLAINTEXT sends the secrets themselves as the signature; over http:// anyone on the path reads them. Leave false in production.',
    developmentOnly: true,
  }),
  setting({
    name: 'realm',
    default: 'Tripod',
    type: text(
      /^[\x20\x21\x23-\x7e]{1,200}$/,
      '1–200 printable ASCII characters without a double quote',
      'realm',
    ),
    doc: 'The realm of the WWW-Authenticate header on 401 answers.',
  }),
  setting({
    name: 'signatureMethods',
    default: Object.freeze([...ALL_SIGNATURE_METHODS]),
    type: listOf(ALL_SIGNATURE_METHODS, 'methods'),
    doc: 'Signature methods accepted. RSA methods also need the consumer to have a registered public key; PLAINTEXT is still refused over http:// unless allowPlaintextOverHttp.',
  }),
] as ProviderSetting[]);

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

/** Builds the provider's configuration from partial input over the defaults; throws on any bad value. */
export function buildProviderConfig(input: Partial<ProviderConfig> = {}): ProviderConfig {
  const problems: string[] = [];
  const known = new Set<string>(providerSettings.map((s) => s.name));
  for (const name of Object.keys(input)) {
    if (!known.has(name)) problems.push(`unknown setting ${JSON.stringify(name)}`);
  }
  const config: Record<string, unknown> = {};
  for (const s of providerSettings) {
    const given = (input as Record<string, unknown>)[s.name];
    // A program passes typed values: a string where a number belongs is a mistake, not something to parse.
    if (given !== undefined && typeof given !== typeof s.default) {
      problems.push(`${s.name} must be ${s.type.describe}, got ${JSON.stringify(given)}`);
      continue;
    }
    try {
      config[s.name] = given === undefined ? s.default : s.type.parse(given);
    } catch (error) {
      if (!(error instanceof SettingValueError)) throw error;
      problems.push(`${s.name} ${error.message}`);
    }
  }
  if (problems.length > 0) throw new ProviderConfigError(problems);
  return Object.freeze(config) as unknown as ProviderConfig;
}

/** The settings as a Markdown table (name, default, what it does): the source of the configuration docs. */
export function providerSettingsMarkdown(): string {
  const rows = providerSettings.map((s) => {
    const value = (s.type as SettingType<unknown>).format(s.default);
    const doc = s.developmentOnly
      ? `**Development only.** ${s.doc.replace(/^DEVELOPMENT ONLY\. /, '')}`
      : s.doc;
    return `| \`${s.name}\` | \`${value}\` | ${doc.replace(/\|/g, '\\|')} (${s.type.describe}) |`;
  });
  return ['| Setting | Default | What it does |', '|---|---|---|', ...rows].join('\n');
}
