// A Fastify API protected by Tripod: tripod/fastify verifies the signed requests of the tokens a running
// tripod-server issued, reading the same stores (TRIPOD_DATA, or TRIPOD_DATABASE_URL + TRIPOD_REDIS_URL).
//   GET  /hello  (read access)        → {"screen_name", "user_id", "access_level"}
//   POST /echo   (read-write access)  → {"screen_name", "body": the raw body as received}

import Fastify from 'fastify';
import tripodFastify, { openVerifier } from 'tripod/fastify';

const verifier = await openVerifier({ env: process.env });
const app = Fastify();
// The application's own parser (the plugin leaves parsers alone): form bodies as the text received.
app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
  done(null, body),
);
await app.register(tripodFastify, { verifier });

app.get('/hello', { config: { oauth: { access: 'read' } } }, async (request) => ({
  screen_name: request.oauth.screenName,
  user_id: request.oauth.userId,
  access_level: request.oauth.accessLevel,
}));

app.post('/echo', { config: { oauth: { access: 'write' } } }, async (request) => ({
  screen_name: request.oauth.screenName,
  body: typeof request.body === 'string' ? request.body : '',
}));

app.addHook('onClose', () => verifier.close());
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => app.close());

const url = await app.listen({ port: Number(process.env.PORT ?? 4000), host: '127.0.0.1' });
console.log(`Fastify example listening on ${url}`);
