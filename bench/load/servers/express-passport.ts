// Peer: Express + passport-http-oauth's TokenStrategy, the historical Node toolkit for OAuth 1.0a providers,
// verifying every request for real: consumer and token looked up (in memory), HMAC checked by the
// library, a timestamp window of 300 s and every nonce remembered until its timestamp leaves the window.
// Credentials come in BENCH_CREDENTIALS (JSON: consumerKey, consumerSecret, token, tokenSecret).
import express from 'express';
import passport from 'passport';
import { TokenStrategy } from 'passport-http-oauth';
import { VERIFY_CREDENTIALS_PATH, verifyCredentialsAnswer } from './answer.ts';

const credentials = JSON.parse(process.env.BENCH_CREDENTIALS ?? '{}') as Record<string, string>;
const WINDOW_SECONDS = 300;
const user = { id: '1', screenName: 'bench' };

// timestamp:nonce → when it may be forgotten (ms); pruned every second, so its size is rate × window.
const nonces = new Map<string, number>();
setInterval(() => {
  const now = Date.now();
  for (const [key, expires] of nonces) if (expires < now) nonces.delete(key);
}, 1000).unref();

passport.use(
  new TokenStrategy(
    {},
    (consumerKey, done) =>
      consumerKey === credentials.consumerKey
        ? done(null, { key: consumerKey }, credentials.consumerSecret)
        : done(null, false),
    (token, done) =>
      token === credentials.token ? done(null, user, credentials.tokenSecret) : done(null, false),
    (timestamp, nonce, done) => {
      const seconds = Number(timestamp);
      const now = Date.now();
      if (!Number.isFinite(seconds) || Math.abs(seconds * 1000 - now) > WINDOW_SECONDS * 1000) {
        return done(null, false);
      }
      const key = `${timestamp}:${nonce}`;
      if (nonces.has(key)) return done(null, false);
      nonces.set(key, (seconds + WINDOW_SECONDS + 1) * 1000);
      return done(null, true);
    },
  ),
);

const app = express();
app.use(passport.initialize());
app.get(VERIFY_CREDENTIALS_PATH, passport.authenticate('oauth', { session: false }), (_req, res) => {
  res.json(verifyCredentialsAnswer(user.id, user.screenName));
});
const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
process.once('SIGINT', () => server.close());
