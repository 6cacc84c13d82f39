// An app's icon: uploaded by its owner as multipart/form-data (@fastify/multipart, at most ICON_MAX_BYTES,
// one file), accepted only when its first bytes are a PNG, JPEG or WebP signature — the client's content
// type is ignored — and kept in the store layer (AppIconStore). It is served from this origin at
// /icons/KEY with the type sniffed at upload, nosniff, a CSP of its own and an ETag, to anyone: the
// consent page shows it to people who are not signed in yet. A bad upload gets a page saying why.

import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IconType } from '../../stores/types.ts';
import type { MessageKey } from '../i18n/index.ts';
import { notFound } from '../page-errors.ts';
import { keyParam, manageableApp, signedInUser } from './manageable-app.ts';
import type { PortalOptions } from './portal.ts';

/** Largest icon accepted (bytes). */
export const ICON_MAX_BYTES = 256 * 1024;

const SIGNATURES: readonly { type: IconType; matches: (b: Uint8Array) => boolean }[] = [
  {
    type: 'image/png',
    matches: (b) => [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((byte, i) => b[i] === byte),
  },
  { type: 'image/jpeg', matches: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  {
    type: 'image/webp',
    matches: (b) =>
      Buffer.from(b.subarray(0, 4)).toString('latin1') === 'RIFF' &&
      Buffer.from(b.subarray(8, 12)).toString('latin1') === 'WEBP',
  },
];

/** The image type the bytes begin with, or null: what a client claims is never trusted. */
export function sniffIconType(bytes: Uint8Array): IconType | null {
  return SIGNATURES.find((signature) => signature.matches(bytes))?.type ?? null;
}

/** Where a page finds the icon of an app that has one; the version makes a new upload a new URL. */
export function iconPath(consumerKey: string, updatedAt: number): string {
  return `/icons/${encodeURIComponent(consumerKey)}?v=${updatedAt}`;
}

interface Upload {
  csrf: string;
  bytes: Buffer | null;
  refused: MessageKey | null;
}

/** Reads the form's parts: the CSRF field (sent before the file) and the first file named `icon`. */
async function readUpload(request: FastifyRequest): Promise<Upload> {
  const upload: Upload = { csrf: '', bytes: null, refused: null };
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        if (part.fieldname === 'icon' && upload.bytes === null && bytes.length > 0) upload.bytes = bytes;
      } else if (part.fieldname === '_csrf') {
        upload.csrf = String(part.value);
      }
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') upload.refused = 'icon.tooLarge';
    else if (typeof code === 'string' && code.startsWith('FST_')) upload.refused = 'icon.unreadable';
    else throw error;
  }
  return upload;
}

export async function appIconRoutes(app: FastifyInstance, options: PortalOptions): Promise<void> {
  const { side, stores, clock } = options;
  await app.register(fastifyMultipart, {
    limits: { fileSize: ICON_MAX_BYTES, files: 1, fields: 2, parts: 3, fieldSize: 1024 },
  });
  const csrf = side.csrf(app);
  const appPath = (key: string) => `/apps/${encodeURIComponent(key)}`;

  app.get('/icons/:key', async (request, reply) => {
    const key = keyParam(request);
    const icon = key.length <= 200 ? await stores.icons.get(key) : null;
    if (!icon) throw notFound();
    const etag = `"${icon.updatedAt}"`;
    reply
      .header('etag', etag)
      .header('cache-control', 'public, max-age=300')
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox");
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type(icon.type).send(Buffer.from(icon.bytes));
  });

  const refuse = (
    request: FastifyRequest,
    reply: FastifyReply,
    key: string,
    status: number,
    why: MessageKey,
  ) => {
    const t = side.words(request);
    return side.page(
      request,
      reply,
      'message',
      {
        title: t('icon.refusedTitle'),
        message: t(why, { max: `${ICON_MAX_BYTES / 1024} KB` }),
        next: '',
        back: { href: side.link(appPath(key)), label: t('icon.backToApp') },
      },
      { status, current: 'apps' },
    );
  };

  app.post('/apps/:key/icon', { preHandler: side.signedInOnly }, async (request, reply) => {
    const upload = await readUpload(request);
    // The CSRF check reads the token from the body, which a multipart request leaves to the handler.
    (request as { body: unknown }).body = { _csrf: upload.csrf };
    await csrf(request, reply);
    const user = signedInUser(request);
    const consumer = await manageableApp(stores.consumers, user, keyParam(request));
    if (upload.refused === 'icon.tooLarge') return refuse(request, reply, consumer.key, 413, upload.refused);
    if (upload.refused) return refuse(request, reply, consumer.key, 400, upload.refused);
    if (upload.bytes === null) return refuse(request, reply, consumer.key, 400, 'icon.missing');
    const type = sniffIconType(upload.bytes);
    if (type === null) return refuse(request, reply, consumer.key, 415, 'icon.notAnImage');
    await stores.icons.put(consumer.key, {
      type,
      bytes: new Uint8Array(upload.bytes),
      updatedAt: clock.now(),
    });
    request.log.info({ event: 'portal.icon_uploaded', consumerKey: consumer.key, type }, 'icon uploaded');
    side.notice(reply, 'app.iconSaved');
    return side.redirect(reply, appPath(consumer.key));
  });

  app.post('/apps/:key/icon/delete', { preHandler: [side.signedInOnly, csrf] }, async (request, reply) => {
    const user = signedInUser(request);
    const consumer = await manageableApp(stores.consumers, user, keyParam(request));
    await stores.icons.delete(consumer.key);
    side.notice(reply, 'app.iconRemoved');
    return side.redirect(reply, appPath(consumer.key));
  });
}
