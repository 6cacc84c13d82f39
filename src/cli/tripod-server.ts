// tripod-server: the operator's command line (DESIGN.md §3). `serve` runs the provider over HTTP(S);
// `user` (add, list, passwd, disable, enable, delete, reset) and `app` (add, list) manage the stores;
// `secrets new-key` and `secrets rotate` make and rotate the operator keys that encrypt secrets at rest;
// `audit` reads the audit trail. This is the only server code that reads process.env: the configuration is
// built here and passed down.

import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Command, CommanderError, Option } from 'commander';
import { systemClock } from '../provider/clock.ts';
import { createRandomSource } from '../provider/random-source.ts';
import type { AccessLevel, Consumer, User } from '../provider/types.ts';
import {
  deleteUser,
  isEmailAddress,
  issuePasswordReset,
  RESET_LINK_TTL_SECONDS,
  RESET_PATH,
  setPassword,
  setUserDisabled,
} from '../server/accounts.ts';
import { buildApp } from '../server/app.ts';
import { auditEventJson } from '../server/audit-trail.ts';
import {
  CONFIG_FILE_ENV,
  ConfigError,
  type ConfigSources,
  configFileOf,
  developmentOnlySettingsIn,
  effectiveConfiguration,
  flagOf,
  helpOf,
  type RawSettings,
  resolveServerConfig,
  resolveStoreConfig,
  SETTINGS,
  type ServerConfig,
  type SettingName,
  STORE_SETTINGS,
  storeSettingsOf,
} from '../server/config.ts';
import { GracefulShutdown } from '../server/graceful-shutdown.ts';
import { logDestination } from '../server/logger-options.ts';
import { listenForMetrics, METRICS_PATH, type MetricsListener } from '../server/metrics-endpoint.ts';
import { publicBasePath } from '../server/oauth-request.ts';
import { checkNewUsername, RegistrationError, registerApp, registerUser } from '../server/registration.ts';
import { withTimeLimit } from '../server/time-limit.ts';
import { AUDIT_QUERY_LIMIT, AUDIT_QUERY_MAX, LIST_PAGE_MAX } from '../stores/limits.ts';
import { describeStoreLocation, openStores, type StoreSettings } from '../stores/open-stores.ts';
import { newOperatorKeyLine } from '../stores/operator-keys.ts';
import { SecretKeyError } from '../stores/sql/envelope.ts';
import type { TripodStores } from '../stores/types.ts';
import { PasswordInputError, readNewPassword } from './password-input.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** An error whose message is the whole story: printed as one line, no stack trace. */
class CliError extends Error {
  override name = 'CliError';
}

function out(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Collects lines to print at once, so a reader of stdout sees the whole banner in one piece. */
function banner(): { line(text?: string): void; print(): void } {
  const lines: string[] = [];
  return {
    line: (text = '') => {
      lines.push(text);
    },
    print: () => {
      process.stdout.write(`${lines.join('\n')}\n`);
    },
  };
}

async function openDatabase(settings: StoreSettings): Promise<TripodStores> {
  try {
    return await openStores(settings);
  } catch (error) {
    throw new CliError(
      `cannot open the stores at ${describeStoreLocation(settings)}: ${(error as Error).message}`,
    );
  }
}

const STORE_CLOSE_TIMEOUT_MS = 5000;
/** How long a shutdown waits for the log's last lines to be written (a stalled stderr must not hold it). */
const LOG_FLUSH_TIMEOUT_MS = 1000;

const runtime = () => ({ clock: systemClock, random: createRandomSource() });

function listenUrl(config: ServerConfig, address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `${config.tls ? 'https' : 'http'}://${host}:${address.port}`;
}

function randomPassword(): string {
  return Buffer.from(createRandomSource().bytes(9)).toString('base64url');
}

/** First run on an empty database: a demo user and a PIN-only demo app, so the flow can be tried at once. */
async function createDemoAccounts(
  stores: TripodStores,
): Promise<{ username: string; password: string; app: Consumer } | null> {
  if ((await stores.users.count()) > 0 || (await stores.consumers.count()) > 0) return null;
  const password = randomPassword();
  let user: Awaited<ReturnType<typeof registerUser>>;
  try {
    user = await registerUser(stores, { username: 'demo', password }, runtime());
  } catch (error) {
    // Several instances started together on one empty database: another one made the demo accounts.
    if ((await stores.users.getByUsername('demo')) !== null) return null;
    throw error;
  }
  const app = await registerApp(
    stores,
    {
      name: 'Tripod demo app',
      description: 'A PIN-only app created on first run to try the flow.',
      accessLevel: 'read-write',
      ownerUserId: user.id,
    },
    runtime(),
  );
  return { username: user.username, password, app };
}

function printDemo(
  out: (line?: string) => void,
  site: string,
  demo: { username: string; password: string; app: Consumer },
): void {
  const { key, secret } = demo.app;
  out();
  out('First run: created a demo user and a PIN-only demo app (shown once; keep them).');
  out(`  user:             ${demo.username}`);
  out(`  password:         ${demo.password}`);
  out(`  consumer_key:     ${key}`);
  out(`  consumer_secret:  ${secret}`);
  out();
  out('Try the PIN flow with the Tripod CLI:');
  out(`  npx tripod authorize --site ${site} --consumer-key ${key} --consumer-secret ${secret}`);
  out("or with Python's requests-oauthlib (Debian: python3-requests-oauthlib):");
  out(`  /usr/bin/python3 -c "
from requests_oauthlib import OAuth1Session
s = OAuth1Session('${key}', client_secret='${secret}', callback_uri='oob')
t = s.fetch_request_token('${site}/oauth/request_token')
print('Open ${site}/oauth/authorize?oauth_token=' + t['oauth_token'])
s.fetch_access_token('${site}/oauth/access_token', verifier=input('PIN: '))
print(s.get('${site}/1.1/account/verify_credentials.json').json())"`);
  out();
}

function listenError(error: unknown, what: string, host: string, port: number, flag: string): CliError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return new CliError(
      `${what}port ${port} on ${host} is already in use: stop what is using it, or choose another port with ${flag}`,
    );
  }
  if (code === 'EACCES') return new CliError(`not allowed to listen on ${host}:${port}`);
  return new CliError(`cannot listen on ${host}:${port}: ${(error as Error).message}`);
}

async function serve(sources: ConfigSources): Promise<void> {
  const config = resolveServerConfig(sources);
  const stores = await openDatabase({ ...storeSettingsOf(config), checkpoints: config.sqliteCheckpoints });
  const demo = await createDemoAccounts(stores);
  const logStream = logDestination();
  const app = await buildApp({ config, stores, logStream });
  logStream.onDropped((lines) => app.metrics.logLinesDropped(lines));
  const unencrypted = stores.secretsAtRest !== undefined && !stores.secretsAtRest.encrypted;
  const unencryptedWarning = `secrets are stored UNENCRYPTED (consumer and token secrets in ${describeStoreLocation(storeSettingsOf(config))}): set ${SETTINGS.secretKeyFile.flag} (${SETTINGS.secretKeyFile.env}); see docs/operations.md`;
  let metricsListener: MetricsListener | null = null;
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await app.close();
    await stores.close();
    throw listenError(error, '', config.host, config.port, `${SETTINGS.port.flag} (${SETTINGS.port.env})`);
  }
  if (config.metricsPort !== null) {
    const host = config.metricsHost ?? config.host;
    try {
      metricsListener = await listenForMetrics(app.metrics, { host, port: config.metricsPort });
    } catch (error) {
      await app.close();
      await stores.close();
      throw listenError(
        error,
        'the metrics ',
        host,
        config.metricsPort,
        `${SETTINGS.metricsPort.flag} (${SETTINGS.metricsPort.env})`,
      );
    }
  }
  const url = listenUrl(config, app.server.address() as AddressInfo);
  const site = config.publicUrl ? `${config.publicUrl.origin}${publicBasePath(config)}` : url;
  const text = banner();
  text.line(`Tripod is listening on ${url}`);
  if (config.publicUrl) text.line(`Public URL (clients sign against it): ${site}`);
  for (const name of developmentOnlySettingsIn(config)) {
    text.line(`WARNING: ${SETTINGS[name].flag} is set: ${SETTINGS[name].doc} (development only)`);
  }
  if (unencrypted) {
    // Once listening (a start that fails says only why it failed): in the log and in the banner.
    app.log.warn({ event: 'secrets.unencrypted' }, unencryptedWarning);
    text.line(`WARNING: ${unencryptedWarning}`);
  }
  text.line(`Metrics: ${metricsListener?.url ?? `${url}${METRICS_PATH}`}`);
  text.line(`Data: ${describeStoreLocation(storeSettingsOf(config))}`);
  if (config.redisUrl) text.line('Nonces, rate limits and revocation events: Redis');
  if (demo) printDemo(text.line, site, demo);

  // SIGTERM or SIGINT: stop accepting, let requests in flight finish (at most --shutdown-timeout), close
  // the stores' pools, exit 0. A second signal closes the connections still open at once.
  const shutdown = new GracefulShutdown(app, config.shutdownTimeoutSeconds * 1000);
  const stop = async (signal: NodeJS.Signals) => {
    if (shutdown.started) {
      app.log.warn({ signal }, 'second signal: closing the connections still open');
      shutdown.cutShort();
      return;
    }
    app.log.info(
      { signal, timeoutSeconds: config.shutdownTimeoutSeconds },
      'shutting down: no new connections; requests in flight may finish',
    );
    let code = 0;
    try {
      const { cutShort } = await shutdown.begin();
      if (cutShort) app.log.warn('requests still in flight were cut short');
      await metricsListener?.close();
      // A database that stopped answering must not hold the exit: its connections end with the process.
      await withTimeLimit(stores.close(), STORE_CLOSE_TIMEOUT_MS).catch((error: unknown) =>
        app.log.warn({ err: error }, 'the stores did not close in time'),
      );
      app.log.info('shut down');
    } catch (error) {
      app.log.error({ err: error }, 'shutdown failed');
      code = 1;
    }
    // The log's last lines written before the exit (a stalled stderr holds it at most LOG_FLUSH_TIMEOUT_MS).
    await withTimeLimit(logStream.flushed(), LOG_FLUSH_TIMEOUT_MS).catch(() => {});
    process.exit(code);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // The banner says the server is ready, so it comes once a signal would stop it gracefully: a supervisor
  // (or a test) that signals as soon as it reads it would otherwise meet Node's default, an exit on the
  // spot that loses the log lines still waiting to be written.
  text.print();
}

async function withStores<T>(
  settings: StoreSettings,
  action: (stores: TripodStores) => Promise<T>,
): Promise<T> {
  const stores = await openDatabase(settings);
  try {
    return await action(stores);
  } finally {
    await stores.close();
  }
}

function readKeyFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

function consumerJson(app: Consumer, withSecret: boolean) {
  return {
    name: app.name,
    consumer_key: app.key,
    ...(withSecret ? { consumer_secret: app.secret } : {}),
    access: app.accessLevel,
    callback_urls: app.callbackUrls,
    pin_only: app.callbackUrls.length === 0,
    xauth: app.xauth,
    signature: app.rsaPublicKey ? 'RSA' : 'HMAC',
    created_at: new Date(app.createdAt).toISOString(),
  };
}

function buildProgram(env: Env): Command {
  const program = new Command('tripod-server')
    .description('Tripod, an OAuth 1.0a service provider built around PIN-based authorization')
    .exitOverride()
    .configureOutput({ outputError: (message, write) => write(message) });

  // Every setting's flag comes from the registry: `serve` takes them all, the other commands the ones
  // that say where the data is (and --config, which can hold any of them).
  const configOption = () =>
    new Option(
      '--config <file>',
      `JSON file of settings (keys: flag names without dashes) [env ${CONFIG_FILE_ENV}]`,
    );
  const addSettings = (command: Command, names: readonly SettingName[]) => {
    for (const name of names) {
      const option = new Option(flagOf(name), helpOf(name));
      // A repeatable flag (--protect) collects its values; the registry's parser takes the array.
      if (SETTINGS[name].type.repeatable) {
        option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
      }
      command.addOption(option);
    }
    return command.addOption(configOption());
  };
  const sourcesOf = (options: Record<string, unknown>): ConfigSources => ({
    flags: settingsFromOptions(options),
    env,
    file: configFileOf(options.config as string | undefined, env),
  });
  const storeSources = (options: Record<string, unknown>) =>
    storeSettingsOf(resolveStoreConfig(sourcesOf(options)));

  const serveCommand = program.command('serve').description('run the HTTP(S) server');
  addSettings(serveCommand, SETTING_NAMES).action(async (options: Record<string, unknown>) => {
    await serve(sourcesOf(options));
  });

  addSettings(
    program
      .command('config')
      .description(
        'print the effective configuration (every setting, its value and where it came from; secrets masked)',
      )
      .option('--json', 'print JSON only', false),
    SETTING_NAMES,
  ).action((options: Record<string, unknown>) => {
    const settings = effectiveConfiguration(sourcesOf(options));
    if (options.json) {
      out(
        JSON.stringify(
          Object.fromEntries(settings.map((s) => [s.name, { value: s.value, source: s.source }])),
        ),
      );
      return;
    }
    const width = Math.max(...settings.map((s) => s.flag.length));
    for (const s of settings) out(`${s.flag.padEnd(width)}  ${s.value}  (${s.source})`);
  });

  const user = program.command('user').description('manage the people who sign in on the pages');
  const userAdd = user
    .command('add')
    .description('create a user (the password is asked for at a terminal, or read with --password-stdin)')
    .argument('<username>')
    .addOption(
      new Option('--password <password>', 'the password (lands in shell history) [env TRIPOD_PASSWORD]'),
    )
    .option('--password-stdin', 'read the password from the first line of stdin', false)
    .option('--email <address>', 'where a password-reset link may be mailed')
    .option('--operator', 'may use the operator pages of the web portal (/operator)');
  addSettings(userAdd, STORE_SETTINGS).action(
    async (
      username: string,
      options: { password?: string; passwordStdin: boolean; email?: string; operator?: boolean } & Record<
        string,
        unknown
      >,
    ) => {
      if (options.email !== undefined && !isEmailAddress(options.email)) {
        throw new CliError(`--email: '${options.email}' is not an e-mail address such as name@example.org`);
      }
      // Refused before anyone types a password for it.
      checkNewUsername(username);
      const password =
        options.password ??
        env.TRIPOD_PASSWORD ??
        (await readNewPassword({ fromStdin: options.passwordStdin, who: username }));
      const created = await withStores(storeSources(options), async (stores) => {
        const created = await registerUser(
          stores,
          { username, password, isOperator: options.operator === true },
          runtime(),
        );
        if (options.email) await stores.users.setEmail(created.id, options.email);
        await recordOperatorAction(stores, 'operator.user_added', {
          userId: created.id,
          operator: created.isOperator,
        });
        return created;
      });
      out(`Created ${created.isOperator ? 'operator' : 'user'} ${created.username} (user_id ${created.id})`);
    },
  );

  /** The user of a command, by name in any letter case (a leading @ allowed). */
  const findUser = async (stores: TripodStores, name: string) => {
    const found = await stores.users.getByUsername(name.replace(/^@/, ''));
    if (!found) throw new CliError(`no user named '${name}' (tripod-server user list shows who exists)`);
    return found;
  };
  const userCommand = (name: string, description: string, extra: readonly SettingName[] = []) =>
    addSettings(user.command(name).description(description).argument('<username>'), [
      ...STORE_SETTINGS,
      ...extra,
    ]);

  const userList = user
    .command('list')
    .description('list users (name, role, status, e-mail, joined)')
    .option('--search <text>', 'only usernames containing this text')
    .option('--json', 'print JSON only', false);
  addSettings(userList, STORE_SETTINGS).action(
    async (options: { search?: string; json: boolean } & Record<string, unknown>) => {
      const users = await withStores(storeSources(options), async (stores) => {
        const all: User[] = [];
        for (;;) {
          const page = await stores.users.list({
            offset: all.length,
            limit: LIST_PAGE_MAX,
            search: options.search,
          });
          all.push(...page);
          if (page.length < LIST_PAGE_MAX) return all;
        }
      });
      const rows = users.map((u) => ({
        username: u.username,
        user_id: u.id,
        role: u.isOperator ? 'operator' : 'user',
        status: u.disabled ? 'disabled' : 'active',
        email: u.email ?? null,
        created_at: new Date(u.createdAt).toISOString(),
      }));
      if (options.json) {
        out(JSON.stringify(rows));
        return;
      }
      if (rows.length === 0) {
        out(
          options.search
            ? `No username contains '${options.search}'.`
            : 'No users yet. Add one with: tripod-server user add NAME',
        );
        return;
      }
      const width = Math.max(...rows.map((r) => r.username.length));
      for (const r of rows) {
        out(
          `${r.username.padEnd(width)}  ${r.role.padEnd(8)}  ${r.status.padEnd(8)}  ${r.created_at.slice(0, 10)}  ${r.email ?? ''}`.trimEnd(),
        );
      }
    },
  );

  userCommand(
    'passwd',
    "set a user's password (typed at a terminal, or --password-stdin); signs them out everywhere",
  )
    .option('--password-stdin', 'read the password from the first line of stdin', false)
    .action(async (name: string, options: { passwordStdin: boolean } & Record<string, unknown>) => {
      const settings = storeSources(options);
      // The user must exist before anyone types a password for them.
      await withStores(settings, (stores) => findUser(stores, name));
      const password = await readNewPassword({ fromStdin: options.passwordStdin, who: name });
      const changed = await withStores(settings, async (stores) => {
        const found = await findUser(stores, name);
        await setPassword(stores, found, password);
        return found;
      });
      out(`Changed the password of ${changed.username}; their sessions and reset links were ended.`);
    });

  for (const [name, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    userCommand(
      name,
      disabled
        ? 'disable a user: no sign-in, sessions ended, every access token they granted revoked'
        : 'enable a disabled user (apps they had authorized must be authorized again)',
    ).action(async (username: string, options: Record<string, unknown>) => {
      const changed = await withStores(storeSources(options), async (stores) => {
        const found = await findUser(stores, username);
        await setUserDisabled(stores, found, disabled, systemClock);
        return found;
      });
      out(`${disabled ? 'Disabled' : 'Enabled'} ${changed.username}.`);
    });
  }

  userCommand('delete', 'delete a user with their sessions and grants (asks for --yes)')
    .option('--yes', 'really delete: this cannot be undone', false)
    .action(async (username: string, options: { yes: boolean } & Record<string, unknown>) => {
      if (!options.yes) {
        throw new CliError(
          `deleting ${username} cannot be undone (their grants are revoked): run again with --yes, or disable them instead`,
        );
      }
      const deleted = await withStores(storeSources(options), async (stores) => {
        const found = await findUser(stores, username);
        await deleteUser(stores, found, systemClock);
        return found;
      });
      out(`Deleted ${deleted.username} and revoked every access token they granted.`);
    });

  userCommand(
    'reset',
    `print a one-time link (valid ${RESET_LINK_TTL_SECONDS / 60} min) with which the user chooses a new password`,
    ['publicUrl', 'port'],
  ).action(async (username: string, options: Record<string, unknown>) => {
    const config = resolveServerConfig(sourcesOf(options));
    const site = config.publicUrl
      ? `${config.publicUrl.origin}${publicBasePath(config)}`
      : `http://localhost:${config.port}`;
    const link = await withStores(storeSettingsOf(config), async (stores) => {
      const found = await findUser(stores, username);
      if (found.disabled) throw new CliError(`${found.username} is disabled: enable them first`);
      const { token } = await issuePasswordReset(stores, found, runtime());
      return `${site}${RESET_PATH}/${token}`;
    });
    out(link);
    process.stderr.write(
      `Give this link to ${username} in a way you trust; it works once, for ${RESET_LINK_TTL_SECONDS / 60} minutes.${config.publicUrl ? '' : ` (No --public-url: the link assumes ${site}.)`}\n`,
    );
  });

  const app = program.command('app').description('manage client applications (consumers)');
  const appAdd = app
    .command('add')
    .description('register an app; prints its consumer_key and consumer_secret')
    .requiredOption('--name <name>', 'the name people see on the authorization page')
    .option(
      '--callback <url>',
      'a registered callback URL (repeatable); none makes a PIN-only app',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .addOption(
      new Option('--access <level>', 'access level').choices(['read', 'read-write']).default('read-write'),
    )
    .option('--xauth', 'allow xAuth (x_auth_mode=client_auth) for this app', false)
    .option('--rsa-public-key <file>', 'PEM public key: the app signs with RSA-SHA1/RSA-SHA256')
    .option('--description <text>', 'a sentence shown on the authorization page', '')
    .option('--website <url>', 'the app website shown on the authorization page', '')
    .option('--json', 'print JSON only', false);
  addSettings(appAdd, STORE_SETTINGS).action(
    async (
      options: Record<string, unknown> & {
        name: string;
        callback: string[];
        access: AccessLevel;
        xauth: boolean;
        rsaPublicKey?: string;
        description: string;
        website: string;
        json: boolean;
      },
    ) => {
      const settings = storeSources(options);
      const rsaPublicKey = options.rsaPublicKey ? readKeyFile(options.rsaPublicKey) : null;
      const created = await withStores(settings, (stores) =>
        registerApp(
          stores,
          {
            name: options.name,
            description: options.description,
            website: options.website,
            callbackUrls: options.callback,
            accessLevel: options.access,
            xauth: options.xauth,
            rsaPublicKey,
          },
          runtime(),
        ).then(async (app) => {
          await recordOperatorAction(stores, 'operator.app_added', { consumerKey: app.key });
          return app;
        }),
      );
      if (options.json) {
        out(JSON.stringify(consumerJson(created, true)));
        return;
      }
      const kind =
        created.callbackUrls.length === 0 ? 'PIN-only' : `callbacks: ${created.callbackUrls.join(', ')}`;
      out(`Created app "${created.name}" (${created.accessLevel}, ${kind})`);
      out(`consumer_key:    ${created.key}`);
      out(`consumer_secret: ${created.secret}`);
    },
  );
  const appList = app
    .command('list')
    .description('list registered apps (secrets only with --show-secrets)')
    .option('--json', 'print JSON only', false)
    .option('--show-secrets', 'include consumer secrets', false);
  addSettings(appList, STORE_SETTINGS).action(
    async (options: { json: boolean; showSecrets: boolean } & Record<string, unknown>) => {
      const apps = await withStores(storeSources(options), async (stores) => {
        // Page through: a shared database may hold more apps than one page.
        const all: Consumer[] = [];
        for (;;) {
          const page = await stores.consumers.list({ offset: all.length, limit: LIST_PAGE_MAX });
          all.push(...page);
          if (page.length < LIST_PAGE_MAX) return all;
        }
      });
      if (options.json) {
        out(JSON.stringify(apps.map((a) => consumerJson(a, options.showSecrets))));
        return;
      }
      if (apps.length === 0) {
        out('No apps yet. Register one with: tripod-server app add --name NAME');
        return;
      }
      for (const a of apps) {
        const kind = a.callbackUrls.length === 0 ? 'PIN-only' : a.callbackUrls.join(' ');
        const secret = options.showSecrets ? `  secret ${a.secret}` : '';
        out(`${a.key}  ${a.name}  (${a.accessLevel}; ${kind}${a.xauth ? '; xAuth' : ''})${secret}`);
      }
    },
  );

  const secrets = program
    .command('secrets')
    .description('the operator keys that encrypt consumer and token secrets at rest (docs/operations.md)');
  secrets
    .command('new-key')
    .description('print a new key line (ID:BASE64) to append to the file of --secret-key-file')
    .action(() => {
      out(newOperatorKeyLine());
    });
  const secretsRotate = secrets
    .command('rotate')
    .description(
      "re-wrap every data key under the key file's newest key and re-encrypt every secret (clear ones too) under a new data key, in batches; safe to interrupt and run again",
    )
    .addOption(
      new Option('--batch-size <rows>', 'rows re-encrypted per transaction').default('500').argParser((v) => {
        if (!/^[1-9]\d{0,5}$/.test(v))
          throw new CliError(`--batch-size must be a whole number from 1 to 999999, got '${v}'`);
        return v;
      }),
    );
  addSettings(secretsRotate, STORE_SETTINGS).action(
    async (options: { batchSize: string } & Record<string, unknown>) => {
      const settings = storeSources(options);
      if (!settings.operatorKeys) {
        throw new CliError(
          `no secret key is configured: make one with \`tripod-server secrets new-key >> FILE\` and give ${SETTINGS.secretKeyFile.flag} FILE (${SETTINGS.secretKeyFile.env})`,
        );
      }
      const rotation = await withStores(settings, async (stores) => {
        if (!stores.secretsAtRest) throw new CliError('these stores keep no secrets at rest');
        return stores.secretsAtRest.rotate({ batchSize: Number(options.batchSize) });
      });
      out(
        `Rotated to operator key ${rotation.operatorKey}: ${rotation.dataKeysRewrapped} data key(s) re-wrapped, ${rotation.rowsResealed} secret(s) re-encrypted under data key ${rotation.dataKey} in ${rotation.batches} batch(es).`,
      );
      out('Keys older than it may now be removed from the key file (restart every instance after).');
    },
  );

  const audit = program
    .command('audit')
    .description(
      'show the audit trail, newest first: sign-ins, authorizations, tokens, revocations, operator actions…',
    )
    .option('--user <user>', 'only events of this user (username or user id)')
    .option('--app <key>', 'only events of this app (consumer key)')
    .option(
      '--since <when>',
      'only events since a date or time (2026-11-30, 2026-11-30T12:00Z) or a duration ago (90m, 24h, 7d)',
    )
    .option('--type <type>', 'only events of this type (sign_in.failed), or below a prefix (sign_in.*)')
    .option('--limit <n>', `at most this many events (1 to ${AUDIT_QUERY_MAX})`, String(AUDIT_QUERY_LIMIT))
    .option('--json', 'print one JSON object per line', false);
  addSettings(audit, STORE_SETTINGS).action(
    async (
      options: {
        user?: string;
        app?: string;
        since?: string;
        type?: string;
        limit: string;
        json: boolean;
      } & Record<string, unknown>,
    ) => {
      const since = options.since === undefined ? undefined : parseSince(options.since, Date.now());
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > AUDIT_QUERY_MAX) {
        throw new CliError(
          `--limit must be a whole number from 1 to ${AUDIT_QUERY_MAX}, got '${options.limit}'`,
        );
      }
      await withStores(storeSources(options), async (stores) => {
        let userId: string | undefined;
        if (options.user !== undefined) {
          const user =
            (await stores.users.getByUsername(options.user)) ?? (await stores.users.getById(options.user));
          // A deleted user's id still finds their events.
          userId = user?.id ?? options.user;
        }
        const events = await stores.audit.query({
          userId,
          consumerKey: options.app,
          since,
          type: options.type,
          limit,
        });
        if (options.json) {
          for (const event of events) out(JSON.stringify(auditEventJson(event)));
          return;
        }
        if (events.length === 0) {
          out('No audit events match.');
          return;
        }
        const usernames = new Map<string, string>();
        for (const id of new Set(events.flatMap((e) => (e.userId === null ? [] : [e.userId])))) {
          const user = await stores.users.getById(id);
          usernames.set(id, user ? user.username : id);
        }
        const rows = events.map((e) => [
          new Date(e.at).toISOString(),
          e.type,
          e.userId === null ? '-' : (usernames.get(e.userId) ?? e.userId),
          e.consumerKey ?? '-',
          e.address ?? '-',
          Object.keys(e.detail).length === 0 ? '' : JSON.stringify(e.detail),
        ]);
        const header = ['TIME', 'TYPE', 'USER', 'APP', 'ADDRESS', 'DETAIL'];
        const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
        for (const row of [header, ...rows]) {
          out(
            row
              .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
              .join('  ')
              .trimEnd(),
          );
        }
      });
    },
  );
  return program;
}

/** --since: a date or date-time Date.parse reads (a bare date is midnight UTC), or a duration ago. */
function parseSince(value: string, now: number): number {
  const ago = /^(\d+)\s*(s|m|h|d)$/.exec(value.trim());
  if (ago) {
    const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[ago[2] as 's' | 'm' | 'h' | 'd'];
    return now - Number(ago[1]) * unit;
  }
  const at = /^\d{4}-\d{2}-\d{2}/.test(value.trim()) ? Date.parse(value.trim()) : Number.NaN;
  if (Number.isNaN(at)) {
    throw new CliError(
      `--since must be a date (2026-11-30), a date and time (2026-11-30T12:00Z) or a duration such as 24h or 7d, got '${value}'`,
    );
  }
  return at;
}

/** An operator's action at the command line, for the audit trail (no address: it came from a shell). */
async function recordOperatorAction(
  stores: TripodStores,
  type: string,
  fields: { userId?: string; consumerKey?: string; operator?: boolean },
): Promise<void> {
  const { userId = null, consumerKey = null, ...detail } = fields;
  await stores.audit.append({
    at: Date.now(),
    type,
    userId,
    consumerKey,
    address: null,
    detail: { via: 'cli', ...detail },
  });
}

const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

/** Commander's options object (camel-cased flag names) → raw values by setting name. */
function settingsFromOptions(options: Record<string, unknown>): RawSettings {
  const flags: RawSettings = {};
  for (const name of SETTING_NAMES) {
    const key = SETTINGS[name].flag
      .replace(/^--/, '')
      .replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
    if (options[key] !== undefined) flags[name] = options[key];
  }
  return flags;
}

/** Runs the CLI; returns the exit code. Errors are one line on stderr, never a stack trace. */
export async function main(argv: readonly string[], env: Env): Promise<number> {
  try {
    await buildProgram(env).parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its one-line message (or the help text).
      return error.exitCode;
    }
    const known =
      error instanceof CliError ||
      error instanceof ConfigError ||
      error instanceof RegistrationError ||
      error instanceof SecretKeyError ||
      error instanceof PasswordInputError;
    const message = known
      ? (error as Error).message
      : `unexpected error: ${(error as Error)?.message ?? String(error)}`;
    process.stderr.write(`tripod-server: ${message}\n`);
    return 1;
  }
}
