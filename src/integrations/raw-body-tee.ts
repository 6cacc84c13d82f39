// Keeps the bytes of a request body as the host's own parser reads them, for the signature check: form
// parameters are signed (RFC 5849 §3.4.1.3.1) and oauth_body_hash covers other bodies, so verification
// needs the body exactly as sent while the application gets it parsed its own way. The tee pulls from the
// request only when the parser reads (a parser that never reads, or a bodyless route, costs nothing), keeps
// backpressure, and stops keeping bytes past the limit (the parser refuses the body then anyway).

import { Readable } from 'node:stream';

export interface RawBody {
  chunks: Buffer[];
  length: number;
  overflowed: boolean;
}

export function teeRawBody(payload: Readable, kept: RawBody, limit: number): Readable {
  let started = false;
  const onData = (chunk: Buffer) => {
    kept.length += chunk.length;
    if (kept.length > limit) {
      kept.overflowed = true;
      kept.chunks.length = 0;
    } else kept.chunks.push(chunk);
    if (!tee.push(chunk)) payload.pause();
  };
  const onEnd = () => tee.push(null);
  const onError = (error: Error) => tee.destroy(error);
  const tee = new Readable({
    read() {
      if (started) {
        payload.resume();
        return;
      }
      started = true;
      payload.on('data', onData);
      payload.once('end', onEnd);
      payload.once('error', onError);
    },
    destroy(error, callback) {
      // Whoever gave up on the body, the request is drained so its connection can carry the answer.
      payload.off('data', onData);
      payload.off('end', onEnd);
      payload.off('error', onError);
      payload.resume();
      callback(error);
    },
  });
  return tee;
}

/** The kept body, or null when there was none (or more than the limit). */
export function keptBody(kept: RawBody | undefined): Buffer | null {
  if (kept === undefined || kept.overflowed || kept.length === 0) return null;
  return kept.chunks.length === 1 ? (kept.chunks[0] as Buffer) : Buffer.concat(kept.chunks);
}
