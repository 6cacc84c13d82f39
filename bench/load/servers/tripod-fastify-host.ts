// Tripod's tripod/fastify plugin in a host app: a Fastify application of its own that verifies, on the
// stores of the Tripod the bench prepared (the TRIPOD_* environment, as examples/fastify reads it), the
// same route every other target answers.
import Fastify from 'fastify';
import tripodFastify, { openVerifier } from '../../../src/integrations/fastify.ts';
import { VERIFY_CREDENTIALS_PATH, verifyCredentialsAnswer } from './answer.ts';

const verifier = await openVerifier({ env: process.env });
const app = Fastify({ logger: false });
await app.register(tripodFastify, { verifier });
app.get(VERIFY_CREDENTIALS_PATH, { config: { oauth: { access: 'read' } } }, async (request, reply) => {
  const identity = request.oauth;
  if (identity === null) throw new Error('the plugin let an unverified request through');
  return reply
    .type('application/json; charset=utf-8')
    .send(verifyCredentialsAnswer(identity.userId ?? '', identity.screenName ?? ''));
});
app.addHook('onClose', () => verifier.close());
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
console.log('listening');
process.once('SIGINT', () => void app.close());
