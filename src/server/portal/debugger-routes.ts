// The signature debugger: the last requests of an app that the server refused, with the base string it
// computed (recorded by rejection-recorder.ts, redacted before they are kept).

import type { FastifyInstance } from 'fastify';
import { REJECTIONS_KEPT } from '../../stores/types.ts';
import { keyParam, manageableApp, signedInUser } from './manageable-app.ts';
import type { PortalOptions } from './portal.ts';

export async function debuggerRoutes(app: FastifyInstance, options: PortalOptions): Promise<void> {
  const { side, stores } = options;
  app.addHook('preHandler', side.signedInOnly);

  app.get('/apps/:key/debugger', async (request, reply) => {
    const user = signedInUser(request);
    const consumer = await manageableApp(stores.consumers, user, keyParam(request));
    const t = side.words(request);
    return side.page(
      request,
      reply,
      'portal/debugger',
      {
        title: t('debugger.pageTitle', { app: consumer.name }),
        app: { key: consumer.key, name: consumer.name },
        kept: REJECTIONS_KEPT,
        rejections: await stores.rejections.list(consumer.key, REJECTIONS_KEPT),
      },
      { current: 'apps' },
    );
  });
}
