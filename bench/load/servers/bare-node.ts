// Ceiling: node:http answering the verify_credentials JSON with no verification at all.
import { createServer } from 'node:http';
import { VERIFY_CREDENTIALS_PATH, verifyCredentialsAnswer } from './answer.ts';

const server = createServer((req, res) => {
  if (req.url !== VERIFY_CREDENTIALS_PATH) {
    res.writeHead(404).end();
    return;
  }
  const body = JSON.stringify(verifyCredentialsAnswer('1', 'bench'));
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body);
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
process.once('SIGINT', () => server.close());
