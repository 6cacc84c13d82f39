// Ceiling and reference of every ratio: Fastify answering the verify_credentials JSON with no verification.
import Fastify from 'fastify';
import { VERIFY_CREDENTIALS_PATH, verifyCredentialsAnswer } from './answer.ts';

const app = Fastify({ logger: false });
app.get(VERIFY_CREDENTIALS_PATH, async (_request, reply) =>
  reply.type('application/json; charset=utf-8').send(verifyCredentialsAnswer('1', 'bench')),
);
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
console.log('listening');
process.once('SIGINT', () => void app.close());
