// `tripod/server`: Tripod's endpoints and pages for embedders. `tripodServer` mounts them into an existing
// Fastify app under a prefix; `buildApp` is the whole standalone server `tripod-server serve` runs. The
// configuration comes from the one registry (`serverConfig` for defaults with overrides, or
// `resolveServerConfig` for flags, environment and config file), the stores from `tripod/stores`.

export { type BuildAppOptions, buildApp, type TripodServerOptions, tripodServer } from './app.ts';
export {
  ConfigError,
  type ConfigSources,
  type ProtectRule,
  type RawSettings,
  resolveServerConfig,
  type ServerConfig,
  serverConfig,
  storeSettingsOf,
} from './config.ts';
export { IDENTITY_HEADERS } from './identity-headers.ts';
