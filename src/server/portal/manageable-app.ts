// Who may manage an app: its owner, or the operator any app. For anyone else the app looks as if it did
// not exist (404), so a key cannot be probed through the portal.

import type { FastifyRequest } from 'fastify';
import type { Consumer, ConsumerReader, User } from '../../provider/types.ts';
import { forbidden, notFound } from '../page-errors.ts';

/** The `:key` of the route. */
export const keyParam = (request: FastifyRequest) => (request.params as { key: string }).key;

export async function manageableApp(consumers: ConsumerReader, user: User, key: string): Promise<Consumer> {
  const consumer = key.length <= 200 ? await consumers.get(key) : null;
  if (!consumer || (consumer.ownerUserId !== user.id && !user.isOperator)) throw notFound();
  return consumer;
}

/** The person on a page behind BrowserSide.signedInOnly (never null there). */
export function signedInUser(request: FastifyRequest): User {
  if (!request.user) throw forbidden();
  return request.user;
}

/** The operator's pages: anyone else signed in gets 403. */
export function mustBeOperator(user: User): void {
  if (!user.isOperator) throw forbidden();
}

/** A confirmation step's POST carries confirm=yes; without it, the route sends the person to the step. */
export function isConfirmed(body: unknown): boolean {
  return (body as Record<string, unknown> | null)?.confirm === 'yes';
}
