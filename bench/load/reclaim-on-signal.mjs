// Preloaded into the soak's server (`--expose-gc --import=…`, bench/load/soak.ts): on SIGUSR2, one
// memory-reducing collection (V8's "last resort": every space collected and compacted, and the pages it
// freed handed back to the system). V8 keeps the pages its collections free, to reuse them, and gives them
// back only on such a collection, which its own memory reducer did not start in this server even after
// 40 s without traffic. So the RSS after it is what the server holds in use; the rest was kept for reuse.
// JavaScript, not TypeScript: a .ts preload would load Node's type stripper into the server, whose memory
// is what is measured.

process.on('SIGUSR2', () => {
  globalThis.gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
});
