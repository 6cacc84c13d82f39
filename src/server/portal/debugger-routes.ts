// The signature debugger: the last requests of an app that the server refused, with the base string it
// computed (recorded by rejection-recorder.ts, redacted before they are kept), each collapsed to one line,
// and a box per entry where the developer pastes their own base string, parameters or Authorization
// header: the POST compares it on the server (base-string-comparison.ts) and answers with the same page,
// the entry open and the first difference marked. Comparing changes nothing, so it needs no redirect.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Consumer } from '../../provider/types.ts';
import { REJECTIONS_KEPT, type RejectedRequest } from '../../stores/types.ts';
import { type FormBody, field } from '../form-body.ts';
import type { MessageKey, Translate } from '../i18n/index.ts';
import { type Comparison, compareWithServer, type Finding, PASTE_MAX } from './base-string-comparison.ts';
import { keyParam, manageableApp, signedInUser } from './manageable-app.ts';
import type { PortalOptions } from './portal.ts';

const URI_KEYS = {
  scheme: 'compare.uriScheme',
  port: 'compare.uriPort',
  case: 'compare.uriCase',
  query: 'compare.uriQuery',
  slash: 'compare.uriSlash',
  notEncoded: 'compare.uriNotEncoded',
  other: 'compare.uriOther',
} as const satisfies Record<string, MessageKey>;

const ENCODING_KEYS = {
  lowercaseHex: 'compare.encodingLowercaseHex',
  notEncoded: 'compare.encodingNotEncoded',
  encodedTwice: 'compare.encodingTwice',
  other: 'compare.encodingOther',
} as const satisfies Record<string, MessageKey>;

/** A finding in words, in the person's language. */
function sentence(t: Translate, finding: Finding): string {
  switch (finding.kind) {
    case 'identical':
      return t('compare.identical');
    case 'method':
      return t('compare.method', finding);
    case 'uri':
      return t(URI_KEYS[finding.reason], finding);
    case 'parametersNotEncoded':
      return t('compare.parametersNotEncoded');
    case 'missing':
      return t('compare.missing', finding);
    case 'extra':
      return t('compare.extra', finding);
    case 'value':
      return t('compare.value', finding);
    case 'plusForSpace':
      return t('compare.plusForSpace', finding);
    case 'encoding':
      return t(ENCODING_KEYS[finding.reason], { ...finding, name: finding.name || '…' });
    case 'order':
      return t('compare.order', finding);
  }
}

/** The one line an entry is collapsed to: the request's path without its query. */
function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url.split('?', 1)[0]!;
  }
}

/** An entry's handle in the compare form: its time and place in the list (a newer refusal shifts it). */
const entryId = (entry: RejectedRequest, index: number) => `${entry.at}.${index}`;

function findEntry(rejections: readonly RejectedRequest[], id: string): number {
  const [at, place] = id.split('.').map(Number);
  if (rejections[place!]?.at === at) return place!;
  return rejections.findIndex((entry) => entry.at === at);
}

interface Compared {
  index: number;
  pasted: string;
  comparison: Comparison;
}

export async function debuggerRoutes(app: FastifyInstance, options: PortalOptions): Promise<void> {
  const { side, stores } = options;
  app.addHook('preHandler', side.signedInOnly);
  const protect = { preHandler: side.csrf(app) };

  function debuggerPage(
    request: FastifyRequest,
    reply: FastifyReply,
    consumer: Consumer,
    rejections: readonly RejectedRequest[],
    compared: Compared | null,
    gone = false,
  ) {
    const t = side.words(request);
    return side.page(
      request,
      reply,
      'portal/debugger',
      {
        title: t('debugger.pageTitle', { app: consumer.name }),
        app: { key: consumer.key, name: consumer.name },
        kept: REJECTIONS_KEPT,
        pasteMax: PASTE_MAX,
        rejections: rejections.map((entry, index) => ({
          ...entry,
          id: entryId(entry, index),
          path: pathOf(entry.url),
          open: compared?.index === index,
          pasted: compared?.index === index ? compared.pasted : '',
          comparison:
            compared?.index === index
              ? compared.comparison.readable
                ? {
                    ...compared.comparison,
                    sentences: compared.comparison.findings.map((f) => sentence(t, f)),
                  }
                : { readable: false }
              : null,
        })),
      },
      { current: 'apps', ...(gone ? { notice: t('compare.entryGone') } : {}) },
    );
  }

  app.get('/apps/:key/debugger', async (request, reply) => {
    const user = signedInUser(request);
    const consumer = await manageableApp(stores.consumers, user, keyParam(request));
    const rejections = await stores.rejections.list(consumer.key, REJECTIONS_KEPT);
    return debuggerPage(request, reply, consumer, rejections, null);
  });

  app.post('/apps/:key/debugger/compare', protect, async (request, reply) => {
    const user = signedInUser(request);
    const consumer = await manageableApp(stores.consumers, user, keyParam(request));
    const body = request.body as FormBody;
    const rejections = await stores.rejections.list(consumer.key, REJECTIONS_KEPT);
    const index = findEntry(rejections, field(body, 'entry'));
    if (index === -1) return debuggerPage(request, reply, consumer, rejections, null, true);
    const pasted = field(body, 'pasted').slice(0, PASTE_MAX);
    const comparison = compareWithServer(pasted, rejections[index]!);
    return debuggerPage(request, reply, consumer, rejections, { index, pasted, comparison });
  });
}
