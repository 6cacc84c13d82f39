// node:http for the server's modules, taken without an ES module import. Importing a built-in from an ES
// module makes Node build the module's export namespace, which reads every export, and node:http's exports
// include WebSocket, CloseEvent and MessageEvent: getters that load Node's bundled undici (fetch's HTTP
// client, 745 KB of source, compiled and kept). The server never uses it: without it a server from the
// build starts at 105 MB of RSS instead of 107 (BENCHMARKS.md, 2026-12-02). process.getBuiltinModule
// hands the CommonJS module itself, as Fastify's own require('node:http') does, and reads no export until
// it is used. Types are imported as usual: `import type` is erased.

export const { createServer, validateHeaderName, validateHeaderValue } =
  process.getBuiltinModule('node:http');
