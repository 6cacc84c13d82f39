// Asks for the PIN the provider showed until the provider accepts one, as a person expects of a prompt:
// an empty line or something that is not a PIN (letters, for a provider whose PINs are digits) is asked
// for again without being sent, so it costs none of the provider's tries; a wrong PIN is asked for again
// while the provider says tries are left (Tripod's `oauth_verifier_attempts_left`); and the prompt waits
// as long as it is told to (the request token's lifetime), not a fixed 300 s.
//
// At a terminal the prompt goes to stderr. When stdin is not a terminal (scripts, tests, CI) every line
// of stdin is one try, without a prompt to answer; the run ends when stdin does.

import { createInterface } from 'node:readline';
import { OAuthResponseError } from '../../client/errors.ts';
import { type CliContext, CliError, exitCodeForStatus } from './context.ts';

export interface PinPromptOptions {
  /** The provider's PINs are digits (Tripod, X, Flickr): spaces and dashes between them are allowed. */
  digits: boolean;
  /** Stop waiting after this long (undefined: wait until stdin ends or Ctrl-C). */
  timeoutMs: number | undefined;
}

const PIN_OF_DIGITS = /^[\d\s-]*\d[\d\s-]*$/;

/** Tries the provider says are left after a wrong PIN (Tripod's oauth_verifier_attempts_left), if it says. */
function attemptsLeft(error: OAuthResponseError): number | undefined {
  const left = Number(error.problemParameters.oauth_verifier_attempts_left ?? Number.NaN);
  return Number.isInteger(left) && left >= 0 ? left : undefined;
}

/** Reads PINs and hands each plausible one to `exchange` until it resolves; its value is returned. */
export async function promptForPin<T>(
  context: CliContext,
  options: PinPromptOptions,
  exchange: (pin: string) => Promise<T>,
): Promise<T> {
  const { stdin, stderr } = context.io;
  const interactive = stdin.isTTY === true;
  const reader = createInterface({ input: stdin, terminal: false });
  const lines = reader[Symbol.asyncIterator]();
  const deadline = options.timeoutMs === undefined ? undefined : Date.now() + options.timeoutMs;
  let wrong = 0;

  const nextLine = async (): Promise<string | undefined> => {
    if (interactive) stderr.write('Enter the PIN: ');
    if (deadline === undefined) return (await lines.next()).value;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()));
    });
    const outcome = await Promise.race([lines.next(), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      throw new CliError(
        `No PIN within ${Math.round(options.timeoutMs! / 1000)} s: run \`tripod authorize\` again (--timeout sets how long to wait).`,
      );
    }
    return outcome.value;
  };

  try {
    for (;;) {
      const line = await nextLine();
      if (line === undefined) {
        throw new CliError(
          wrong > 0
            ? 'stdin ended after a wrong PIN: run `tripod authorize` again.'
            : 'No PIN was given (stdin ended).',
        );
      }
      const pin = line.trim();
      if (pin === '') {
        if (interactive) context.note('Type the PIN the page shows, then Enter (Ctrl-C gives up).');
        continue;
      }
      if (options.digits && !PIN_OF_DIGITS.test(pin)) {
        context.note(
          `"${pin}" is not a PIN: a PIN is digits (spaces and dashes between them are fine). Nothing was sent; type it again.`,
        );
        continue;
      }
      try {
        return await exchange(pin);
      } catch (error) {
        if (!(error instanceof OAuthResponseError)) throw error;
        // Typed before anyone pressed Allow: the provider spent nothing (Tripod answers permission_unknown).
        if (error.oauthProblem === 'permission_unknown') {
          context.note(
            'The provider says nobody has authorized this request token yet: open the URL above, press Allow, then type the PIN the page shows.',
          );
          continue;
        }
        // Anything but a wrong PIN (expired, used, denied, or a provider that does not say) ends the run.
        if (error.oauthProblem !== 'verifier_invalid') throw error;
        const left = attemptsLeft(error);
        if (left === 0) {
          throw new CliError(
            'That PIN is wrong, and it was the last try: the provider has locked this request token. Run `tripod authorize` again for a new PIN.',
            exitCodeForStatus(error.status),
          );
        }
        wrong++;
        context.note(
          left === undefined
            ? 'That PIN is wrong: type it again.'
            : `That PIN is wrong: ${left} ${left === 1 ? 'try' : 'tries'} left. Type it again.`,
        );
      }
    }
  } finally {
    reader.close();
  }
}
