// `tripod`: the consumer CLI — a twurl for any OAuth 1.0a provider (issue 3). Command names and the
// flags of `authorize` and `request` are part of the compatibility surface (DESIGN.md §3).
// Results go to stdout, prompts/URLs/progress/explanations to stderr; --json (or --format json for
// request/sign, whose --json is the request body) makes stdout hold JSON alone. Every command takes
// --debug and --config-dir after its name as well as before it; the ones that send requests take -v.

import { Command, CommanderError, Option } from 'commander';
import { runAccounts, runLogout, runUse } from './tripod/accounts-command.ts';
import { type AuthorizeFlags, runAuthorize } from './tripod/authorize-command.ts';
import { CliError, type CliIO, createContext, ExitCode } from './tripod/context.ts';
import { withDefaultCommand } from './tripod/default-command.ts';
import { runDoctor } from './tripod/doctor-command.ts';
import { examplesHelp } from './tripod/help-examples.ts';
import { type RequestFlags, runRequest, runSign } from './tripod/request-command.ts';
import { runImportTwurlrc } from './tripod/twurlrc.ts';

const collect = (value: string, previous: string[]) => [...previous, value];

function addRequestOptions(command: Command): Command {
  return command
    .argument('<target>', 'a path (resolved against --host or the profile) or a full URL')
    .option('-X, --request-method <method>', 'HTTP method (default GET, or POST with a body)')
    .option('-d, --data <name=value>', 'a form parameter, signed (repeatable; implies POST)', collect, [])
    .option('-r, --raw-data <body>', 'a raw body, covered by oauth_body_hash')
    .option('--json <body>', 'a JSON body, sent verbatim as application/json with oauth_body_hash')
    .option('-H, --header <header>', "a header, 'Name: value' (repeatable)", collect, [])
    .addOption(new Option('-A <header>', "twurl's header flag (alias of -H)").argParser(collect).default([]))
    .option(
      '--host <url>',
      'base URL for a path (twurl -H); with no scheme https://, or http:// for this machine',
    )
    .option('-i, --include', 'print the status line and response headers')
    .option('-o, --output <file>', 'write the output to FILE instead of stdout, as curl does ("-": stdout)')
    .option('--format <format>', 'json: print one JSON document instead (what -o json did before)')
    .option('--site <url>', 'use the default account of this site')
    .option('-u, --user <account>', 'use this account')
    .option('-c, --consumer-key <key>', 'sign with this consumer key instead of a profile')
    .option('-s, --consumer-secret <secret>', 'sign with this consumer secret instead of a profile')
    .option('-a, --access-token <token>', 'with -c/-s: the access token')
    .option('-S, --token-secret <secret>', 'with -c/-s: the token secret')
    .option(
      '--signature-method <method>',
      'HMAC-SHA1 | HMAC-SHA256 | HMAC-SHA512 | RSA-SHA1 | RSA-SHA256 | PLAINTEXT',
    )
    .option('--private-key <file>', 'PEM private key for RSA-SHA1/RSA-SHA256')
    .option('--realm <realm>', 'realm in the Authorization header')
    .option('--auth-in <where>', 'header (default) | query | body')
    .option('--no-body-hash', 'do not send oauth_body_hash for non-form bodies')
    .option('--no-oauth-version', 'do not send oauth_version=1.0')
    .option('--timestamp-offset <seconds>', 'add this many seconds to the local clock (see tripod doctor)')
    .option('--nonce <nonce>', 'fixed oauth_nonce (reproducible signatures)')
    .option('--timestamp <seconds>', 'fixed oauth_timestamp (reproducible signatures)')
    .option('--timeout <seconds>', 'give up after this many seconds (default 60)');
}

function requestFlags(options: Record<string, unknown>): RequestFlags {
  const flags = options as unknown as RequestFlags & { A: string[] };
  return { ...flags, header: [...flags.header, ...flags.A] };
}

const DEBUG_HELP = 'show signature base strings, normalized parameters and (masked) secrets on stderr';
const CONFIG_DIR_HELP = 'where profiles are kept (default $TRIPOD_CONFIG_DIR, else $XDG_CONFIG_HOME/tripod)';

const VERBOSE_HELP = 'show request and response headers on stderr, as curl -v does (secrets masked)';
/** The commands that send requests, and so take -v. */
const SENDS_REQUESTS = new Set(['authorize', 'request', 'logout', 'doctor']);

/** What every command takes (-v where it sends, --debug, --config-dir), after its own options in --help. */
function addCommonOptions(program: Command): void {
  for (const command of program.commands) {
    if (SENDS_REQUESTS.has(command.name())) command.option('-v, --verbose', VERBOSE_HELP);
    command
      .option('--debug', DEBUG_HELP)
      .option('--config-dir <dir>', CONFIG_DIR_HELP)
      .addHelpText('after', examplesHelp(command.name()));
  }
}

export function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command('tripod');
  // Options given after the command name win over the same ones given before it.
  const context = (command: Command) => {
    type Common = { debug?: boolean; configDir?: string; verbose?: boolean };
    const globals = program.opts<Common>();
    const local = command.opts<Common>();
    return createContext(io, {
      debug: local.debug ?? globals.debug,
      verbose: local.verbose ?? globals.verbose,
      configDir: local.configDir ?? globals.configDir,
    });
  };
  program
    .description('Sign OAuth 1.0a requests and get PIN-based tokens from any OAuth 1.0a provider.')
    .usage('[options] [command] | [request options] PATH|URL')
    .version('0.1.0')
    .option('--debug', DEBUG_HELP)
    .option('-v, --verbose', VERBOSE_HELP)
    .option('--config-dir <dir>', CONFIG_DIR_HELP)
    .enablePositionalOptions()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .showHelpAfterError(
      '(`tripod --help` lists the commands; `tripod COMMAND --help` shows options and examples)',
    )
    .exitOverride()
    .addHelpText(
      'after',
      `${examplesHelp('tripod')}\nA PATH or URL without a command means \`tripod request\`, as in twurl.\n`,
    );

  program
    .command('authorize')
    .description('get an access token with the PIN flow (or --loopback) and store it as a profile')
    .option('--site <url>', 'the provider (a Tripod server URL, or a preset’s host)')
    .option(
      '--provider <name>',
      'preset: tripod (default), x, flickr, trello, garmin, tumblr, discogs, jira, netsuite',
    )
    .option('-c, --consumer-key <key>', 'the app’s consumer key')
    .option('-s, --consumer-secret <secret>', 'the app’s consumer secret')
    .option('--request-token-url <url>', 'override the preset’s request-token endpoint')
    .option('--authorize-url <url>', 'override the preset’s authorize endpoint')
    .option('--access-token-url <url>', 'override the preset’s access-token endpoint')
    .option('--invalidate-token-url <url>', 'where `tripod logout` revokes the token')
    .option(
      '--signature-method <method>',
      'HMAC-SHA1 (default) | HMAC-SHA256 | HMAC-SHA512 | RSA-SHA1 | RSA-SHA256 | PLAINTEXT',
    )
    .option('--private-key <file>', 'PEM private key for the RSA methods')
    .option('--realm <realm>', 'realm for the Authorization header (NetSuite: the account id)')
    .option('--loopback', 'catch the verifier on http://127.0.0.1:PORT/callback instead of typing a PIN')
    .option('--loopback-port <port>', 'port for --loopback (default: a free one)')
    .option('--no-browser', 'never open a browser; just print the URL')
    .option('--force-login', 'ask the provider to make the person log in again')
    .option('--screen-name <name>', 'prefill the provider’s login form')
    .option('--langpref <codes>', 'pipe-separated ISO 639-1 codes for the authorize page (e.g. pl|en)')
    .option('--interactivity <mode>', 'minimal | confirm_user (OKAPI/Tripod)')
    .option('--access-type <level>', 'x_auth_access_type: read | write (X/Tripod)')
    .option(
      '--auth-param <name=value>',
      'extra authorize-URL parameter, e.g. scope=read,write (repeatable)',
      collect,
      [],
    )
    .option('--name <account>', 'store under this account name (default: the screen_name/user_id returned)')
    .option('--no-default', 'do not make this account the site’s default')
    .option(
      '--timeout <seconds>',
      'stop waiting for the PIN or the callback after this long (default: as long as the request token lives, if the provider says; else until Ctrl-C)',
    )
    .option('--json', 'print the result as JSON')
    .action(async (options: AuthorizeFlags, command: Command) =>
      setExit(await runAuthorize(context(command), options)),
    );

  addRequestOptions(
    program.command('request').description('send a signed request and print the response'),
  ).action(async (target: string, options: Record<string, unknown>, command: Command) =>
    setExit(await runRequest(context(command), target, requestFlags(options))),
  );

  addRequestOptions(
    program
      .command('sign')
      .description('print the Authorization header (or a curl command) for a request, without sending it'),
  )
    .option('--curl', 'print a ready curl command')
    .action((target: string, options: Record<string, unknown>, command: Command) =>
      setExit(runSign(context(command), target, requestFlags(options))),
    );

  program
    .command('accounts')
    .description('list the stored profiles: sites, their accounts, the defaults')
    .option('--json', 'print JSON')
    .option('--show-secrets', 'include consumer secrets, tokens and token secrets')
    .action((options: { json?: boolean; showSecrets?: boolean }, command: Command) =>
      setExit(runAccounts(context(command), options)),
    );

  program
    .command('use')
    .description('make an account its site’s default and the site current')
    .argument('[account]', 'account name')
    .option('--site <url>', 'the site of the account')
    .option('--json', 'print JSON')
    .action((account: string | undefined, options: { site?: string; json?: boolean }, command: Command) =>
      setExit(runUse(context(command), account, options)),
    );

  program
    .command('logout')
    .description('revoke the token where the provider can, and delete the profile')
    .argument('[account]', 'account name (default: the current one)')
    .option('--site <url>', 'the site of the account')
    .option('--no-invalidate', 'only delete the local profile')
    .option('--json', 'print JSON')
    .action(
      async (
        account: string | undefined,
        options: { site?: string; invalidate?: boolean; json?: boolean },
        command: Command,
      ) => setExit(await runLogout(context(command), account, options)),
    );

  program
    .command('import-twurlrc')
    .description('import the profiles of twurl’s ~/.twurlrc')
    .option('--file <path>', 'the rc file (default ~/.twurlrc)')
    .option('--json', 'print JSON')
    .action((options: { file?: string; json?: boolean }, command: Command) =>
      setExit(runImportTwurlrc(context(command), options)),
    );

  program
    .command('doctor')
    .description(
      'check the clock against the provider, the profile store, the profile, TLS and the credentials',
    )
    .option('--site <url>', 'check this site (default: the current profile)')
    .option('-u, --user <account>', 'check this account')
    .option('--json', 'print JSON')
    .action(async (options: { site?: string; user?: string; json?: boolean }, command: Command) =>
      setExit(await runDoctor(context(command), options)),
    );

  addCommonOptions(program);
  return program;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  let code: number = ExitCode.ok;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(withDefaultCommand(program, argv.slice(2)), { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? 0 : ExitCode.usage;
    }
    if (error instanceof CliError) {
      io.stderr.write(`tripod: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr.write(`tripod: ${(error as Error).message ?? String(error)}\n`);
    return ExitCode.failure;
  }
}
