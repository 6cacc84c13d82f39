// The operator's people view (/operator/people): every account, searched by name and paged; disabling
// (after a confirmation: sessions end, grants are revoked), enabling, promoting to operator and back, and
// a one-time password-reset link to hand over. The link is the answer to a POST, so it is kept in this
// browser's session stash and shown by the GET the POST redirects to (a reload shows it again, never
// issues another). An operator cannot disable or demote themselves (someone must stay operator).

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { User } from '../../provider/types.ts';
import { issuePasswordReset, RESET_LINK_TTL_SECONDS, RESET_PATH, setUserDisabled } from '../accounts.ts';
import { type FormBody, field } from '../form-body.ts';
import { badRequest, forbidden, notFound } from '../page-errors.ts';
import { isConfirmed, mustBeOperator, signedInUser } from './manageable-app.ts';
import { absoluteLink, type PortalOptions } from './portal.ts';

const PAGE_SIZE = 20;
const ACTIONS = ['disable', 'enable', 'promote', 'demote', 'reset'] as const;
type Action = (typeof ACTIONS)[number];
const STASHED_LINK = 'resetLink';

const idParam = (request: FastifyRequest) => (request.params as { id: string }).id;

export async function operatorPeopleRoutes(app: FastifyInstance, options: PortalOptions): Promise<void> {
  const { side, stores, clock, random } = options;
  app.addHook('preHandler', side.signedInOnly);
  const protect = { preHandler: side.csrf(app) };
  const personPath = (id: string) => `/operator/people/${encodeURIComponent(id)}`;

  function operator(request: FastifyRequest): User {
    const user = signedInUser(request);
    mustBeOperator(user);
    return user;
  }
  async function person(request: FastifyRequest): Promise<User> {
    const id = idParam(request);
    const found = id.length <= 64 ? await stores.users.getById(id) : null;
    if (!found) throw notFound();
    return found;
  }

  app.get('/operator/people', async (request, reply) => {
    const me = operator(request);
    const query = (request.query ?? {}) as FormBody;
    const search = field(query, 'search').trim().slice(0, 64);
    const total = await stores.users.count(search);
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const pageNumber = Math.min(pages, Math.max(1, Number.parseInt(field(query, 'page'), 10) || 1));
    const offset = (pageNumber - 1) * PAGE_SIZE;
    const people = await stores.users.list({ offset, limit: PAGE_SIZE, search });
    const pageHref = (n: number) =>
      `${side.link('/operator/people')}?${new URLSearchParams({ ...(search ? { search } : {}), page: String(n) })}`;
    const t = side.words(request);
    return side.page(
      request,
      reply,
      'portal/people',
      {
        title: t('people.pageTitle'),
        search,
        people: people.map((u) => ({
          id: u.id,
          username: u.username,
          email: u.email ?? '',
          isOperator: u.isOperator,
          disabled: u.disabled,
          createdAt: u.createdAt,
          self: u.id === me.id,
        })),
        from: total === 0 ? 0 : offset + 1,
        to: offset + people.length,
        total,
        previousHref: pageNumber > 1 ? pageHref(pageNumber - 1) : '',
        nextHref: pageNumber < pages ? pageHref(pageNumber + 1) : '',
      },
      { current: 'people' },
    );
  });

  app.get('/operator/people/:id/disable', async (request, reply) => {
    operator(request);
    const target = await person(request);
    const t = side.words(request);
    const user = target.username;
    return side.confirm(request, reply, {
      title: t('people.disableTitle', { user }),
      message: t('people.disableBody', { user }),
      warning: t('people.disableWarning', { user }),
      action: side.link(personPath(target.id)),
      fields: [['action', 'disable']],
      confirmLabel: t('people.disable', { user }),
      cancelHref: side.link('/operator/people'),
      current: 'people',
    });
  });

  app.post('/operator/people/:id', protect, async (request, reply) => {
    const me = operator(request);
    const target = await person(request);
    const action = field(request.body as FormBody, 'action') as Action;
    if (!ACTIONS.includes(action)) throw badRequest();
    if (target.id === me.id && (action === 'disable' || action === 'demote')) throw forbidden();
    if (action === 'disable' && !isConfirmed(request.body)) {
      return side.redirect(reply, `${personPath(target.id)}/disable`);
    }
    request.log.info(
      { event: 'portal.operator_people_action', userId: target.id, action },
      'operator action',
    );
    if (action === 'reset') {
      if (target.disabled) throw badRequest();
      const session = request.browserSession;
      if (!session) throw forbidden();
      const { token, expiresAt } = await issuePasswordReset(stores, target, { clock, random });
      const link = absoluteLink(options, request, `${RESET_PATH}/${token}`);
      await side.sessions.stash(session, STASHED_LINK, { userId: target.id, link }, expiresAt);
      return side.redirect(reply, `${personPath(target.id)}/reset-link`);
    }
    if (action === 'disable' || action === 'enable') {
      await setUserDisabled(stores, target, action === 'disable', clock);
    } else {
      await stores.users.setOperator(target.id, action === 'promote');
    }
    side.notice(reply, 'people.updated', { user: target.username });
    return side.redirect(reply, '/operator/people');
  });

  app.get('/operator/people/:id/reset-link', async (request, reply) => {
    operator(request);
    const target = await person(request);
    const session = request.browserSession;
    const stashed = session ? side.sessions.stashed(session, STASHED_LINK) : null;
    // Shown only in the browser that issued it, and only for this person.
    if (!stashed || stashed.userId !== target.id) throw notFound();
    const t = side.words(request);
    reply.header('cache-control', 'no-store');
    return side.page(
      request,
      reply,
      'portal/reset-link',
      {
        title: t('people.issueReset', { user: target.username }),
        username: target.username,
        link: String(stashed.link),
        minutes: RESET_LINK_TTL_SECONDS / 60,
      },
      { current: 'people' },
    );
  });
}
