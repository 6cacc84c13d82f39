// GET /oauth/pin: the PIN page, which the Allow POST redirects to. It shows the same PIN to the same
// browser session for as long as the PIN can be used — a reload, Back then Forward, or a phone reloading
// the tab does not lose it — and afterwards says kindly what became of it. The PIN is never in a URL (the
// request token names which PIN). Between the POST and the GET it lives in the session's stash, sealed
// with the session's cookie id (session-stash.ts): the request token keeps only what verifies it, and the
// database never holds a live PIN readable. The stash entry is deleted once the PIN is used or expired.

import type { FastifyInstance } from 'fastify';
import type { ApproveResult } from '../provider/index.ts';
import { requestTokenStatus } from '../provider/request-token-state.ts';
import type { Clock, ConsumerReader, RequestTokenStore } from '../provider/types.ts';
import type { BrowserSession } from './browser-sessions.ts';
import type { BrowserSide } from './browser-side.ts';
import { type FormBody, field } from './form-body.ts';
import { PageProblem } from './page-errors.ts';

const stashName = (requestToken: string) => `pin:${requestToken}`;

/** Keeps the PIN of `requestToken` for this browser until it expires. */
export async function stashPin(
  side: BrowserSide,
  session: BrowserSession,
  requestToken: string,
  approved: Extract<ApproveResult, { mode: 'oob' }>,
): Promise<void> {
  await side.sessions.stash(
    session,
    stashName(requestToken),
    { pin: approved.pin, app: approved.consumerName },
    approved.expiresAt,
  );
}

/** Where the PIN of `requestToken` is shown (in the language the flow was in). */
export function pinPagePath(requestToken: string, langpref: string): string {
  const query = new URLSearchParams({ oauth_token: requestToken });
  if (langpref) query.set('langpref', langpref);
  return `/oauth/pin?${query}`;
}

export interface PinPageOptions {
  side: BrowserSide;
  requestTokens: Pick<RequestTokenStore, 'get'>;
  consumers: ConsumerReader;
  clock: Clock;
}

export async function pinPage(app: FastifyInstance, options: PinPageOptions): Promise<void> {
  const { side, requestTokens, consumers, clock } = options;

  app.get('/oauth/pin', async (request, reply) => {
    const query = (request.query ?? {}) as FormBody;
    const token = field(query, 'oauth_token');
    if (token === '') throw new PageProblem(400, 'tokenMissing');
    const session = request.browserSession;
    const stashed = session ? side.sessions.stashed(session, stashName(token)) : null;
    const requestToken = token.length <= 200 ? await requestTokens.get(token) : null;
    const now = clock.now();
    // Long expired tokens are pruned; a PIN this browser still holds then only expired.
    const status = requestToken ? requestTokenStatus(requestToken, now) : stashed ? 'expired' : null;
    const appName =
      (typeof stashed?.app === 'string' ? stashed.app : null) ??
      (requestToken ? (await consumers.get(requestToken.consumerKey))?.name : null) ??
      '';
    const t = side.words(request);
    const forget = async () => {
      if (session) await side.sessions.unstash(session, stashName(token));
    };

    switch (status) {
      case 'authorized': {
        const state = requestToken!.state as { userId: string };
        if (!session || !stashed || state.userId !== session.user.id) {
          // Another browser, or this one signed out since: the PIN is not shown anywhere else.
          return side.message(request, reply, {
            status: 403,
            frame: 'card',
            title: t('pin.elsewhereTitle'),
            message: t('pin.elsewhereBody', { app: appName }),
          });
        }
        const secondsLeft = Math.max(0, Math.floor((requestToken!.expiresAt - now) / 1000));
        return side.page(
          request,
          reply,
          'oauth/pin',
          {
            title: t('pin.pageTitle', { app: appName }),
            appName,
            pin: String(stashed.pin),
            secondsLeft,
            minutesLeft: Math.ceil(secondsLeft / 60),
          },
          // The only page of the flow with a script (same-origin file): the copy button and the countdown.
          { withScript: true },
        );
      }
      case 'exchanged':
        await forget();
        return side.message(request, reply, {
          frame: 'card',
          title: t('pin.usedTitle'),
          message: t('pin.usedBody', { app: appName }),
        });
      case 'expired':
        await forget();
        return side.message(request, reply, {
          status: 400,
          frame: 'card',
          title: t('token.expiredTitle'),
          message: t('pin.expired', { app: appName }),
        });
      case 'burned':
        await forget();
        throw new PageProblem(400, 'tokenBurned');
      case 'denied':
        throw new PageProblem(400, 'tokenDenied');
      case 'issued': {
        // Not decided yet: the consent page is where that happens.
        const back = new URLSearchParams({ oauth_token: token });
        const langpref = field(query, 'langpref');
        if (langpref) back.set('langpref', langpref);
        return side.redirect(reply, `/oauth/authorize?${back}`);
      }
      default:
        throw new PageProblem(404, 'tokenUnknown');
    }
  });
}
