// A verifier on the same stores as a running tripod-server, configured by the same settings: the TRIPOD_*
// environment (TRIPOD_DATA, or TRIPOD_DATABASE_URL + TRIPOD_REDIS_URL, TRIPOD_PUBLIC_URL, the timestamp
// window…) and/or the registry's names, validated by the one registry (src/server/config.ts), so a
// resource server and the server that issued the tokens cannot disagree on what a setting means.

import type { ProviderLog } from '../provider/provider.ts';
import type { Clock } from '../provider/types.ts';
import { Verifier } from '../provider/verifier.ts';
import {
  providerConfigOf,
  type RawSettings,
  resolveServerConfig,
  storeSettingsOf,
} from '../server/config.ts';
import { openStores } from '../stores/open-stores.ts';
import type { TripodStores } from '../stores/types.ts';

export interface OpenVerifierOptions {
  /** Settings by the registry's names (`dataDir`, `databaseUrl`, `redisUrl`, `publicUrl`…); win over `env`. */
  settings?: RawSettings;
  /** An environment to read TRIPOD_* settings from, e.g. `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  clock?: Clock;
  log?: ProviderLog;
}

/** A verifier that owns the stores it opened: close it when the server stops. */
export class OpenedVerifier extends Verifier {
  readonly #stores: TripodStores;

  constructor(stores: TripodStores, options: ConstructorParameters<typeof Verifier>[0]) {
    super(options);
    this.#stores = stores;
  }

  close(): Promise<void> {
    return this.#stores.close();
  }
}

/** Opens the stores the settings name and a verifier on them. Throws ConfigError for a bad setting. */
export async function openVerifier(options: OpenVerifierOptions = {}): Promise<OpenedVerifier> {
  const config = resolveServerConfig({ flags: options.settings, env: options.env });
  const stores = await openStores(storeSettingsOf(config));
  return new OpenedVerifier(stores, {
    stores,
    clock: options.clock,
    config: providerConfigOf(config),
    log: options.log,
    publicUrl: config.publicUrl,
  });
}
