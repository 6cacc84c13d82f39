// A fetch handler protected by Tripod: tripod/fetch verifies a Request and answers the identity or a ready
// Response. The same handler runs on Bun, Deno or a worker; on Node, srvx serves it. It reads the stores of
// a running tripod-server (TRIPOD_DATA, or TRIPOD_DATABASE_URL + TRIPOD_REDIS_URL).
//   GET  /hello  (read access)        → {"screen_name", "user_id", "access_level"}
//   POST /echo   (read-write access)  → {"screen_name", "body": the raw body as received}

import { serve } from 'srvx';
import { openVerifier, verifyFetchRequest } from 'tripod/fetch';

const verifier = await openVerifier({ env: process.env });

async function handle(request) {
  const { pathname } = new URL(request.url);
  if (request.method === 'GET' && pathname === '/hello') {
    const verified = await verifyFetchRequest(verifier, request, { access: 'read' });
    if (!verified.ok) return verified.response;
    const { screenName, userId, accessLevel } = verified.identity;
    return Response.json(
      { screen_name: screenName, user_id: userId, access_level: accessLevel },
      { headers: verified.headers },
    );
  }
  if (request.method === 'POST' && pathname === '/echo') {
    const verified = await verifyFetchRequest(verifier, request, { access: 'write' });
    if (!verified.ok) return verified.response;
    // The body is still there: the verifier read a copy.
    const body = await request.text();
    return Response.json({ screen_name: verified.identity.screenName, body }, { headers: verified.headers });
  }
  return Response.json(
    { errors: [{ code: 34, message: 'Sorry, that page does not exist.' }] },
    { status: 404 },
  );
}

const server = serve({
  fetch: handle,
  port: Number(process.env.PORT ?? 4002),
  hostname: '127.0.0.1',
  silent: true,
  gracefulShutdown: false,
});
await server.ready();
console.log(`fetch example listening on ${server.url}`);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    await server.close();
    await verifier.close();
  });
}
