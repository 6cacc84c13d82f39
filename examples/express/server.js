// An Express 5 API protected by Tripod: tripod/express verifies the signed requests of the tokens a running
// tripod-server issued, reading the same stores (TRIPOD_DATA, or TRIPOD_DATABASE_URL + TRIPOD_REDIS_URL).
//   GET  /hello  (read access)        → {"screen_name", "user_id", "access_level"}
//   POST /echo   (read-write access)  → {"screen_name", "body": the raw body as received}

import express from 'express';
import { keepRawBody, oauth, openVerifier } from 'tripod/express';

const verifier = await openVerifier({ env: process.env });
const app = express();
// Body parsers keep the bytes they read (verify: keepRawBody), so oauth() can check what was signed.
app.use(express.urlencoded({ extended: false, verify: keepRawBody }));
app.use(express.json({ verify: keepRawBody }));

app.get('/hello', oauth(verifier, { access: 'read' }), (req, res) => {
  res.json({
    screen_name: req.oauth.screenName,
    user_id: req.oauth.userId,
    access_level: req.oauth.accessLevel,
  });
});

app.post('/echo', oauth(verifier, { access: 'write' }), (req, res) => {
  res.json({ screen_name: req.oauth.screenName, body: req.rawBody?.toString('utf8') ?? '' });
});

const server = app.listen(Number(process.env.PORT ?? 4001), '127.0.0.1', () => {
  console.log(`Express example listening on http://127.0.0.1:${server.address().port}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => server.close(() => verifier.close()));
}
