// What the signature debugger may keep of a refused request: the entry with every secret value replaced,
// applied by the recorder before anything reaches the store (src/stores keeps the entries: RejectionLog).
// Nothing secret is kept: consumer and token secrets never enter an entry, and xAuth passwords are
// replaced here.

import type { RejectedRequest } from '../../stores/types.ts';

// Parameters whose values are secrets a client may (wrongly or by design) send in clear.
const SECRET_PARAMETERS = new Set(['x_auth_password']);
const REDACTED = '[redacted]';
// In the base string each value is percent-encoded twice, so '&' between parameters is %26 and never
// occurs inside a value; `[redacted]` encoded twice is %255Bredacted%255D.
const SECRET_IN_BASE_STRING = /(x_auth_password%3D).*?(?=%26|$)/g;

/** The entry with every secret value replaced. */
export function redactRejectedRequest(entry: RejectedRequest): RejectedRequest {
  let url = entry.url;
  try {
    const parsed = new URL(entry.url);
    let changed = false;
    for (const name of SECRET_PARAMETERS) {
      if (parsed.searchParams.has(name)) {
        parsed.searchParams.set(name, REDACTED);
        changed = true;
      }
    }
    if (changed) url = parsed.toString();
  } catch {
    url = entry.url.split('?', 1)[0]!;
  }
  return {
    ...entry,
    url,
    parameters: entry.parameters.map(([name, value]) => [
      name,
      SECRET_PARAMETERS.has(name) ? REDACTED : value,
    ]),
    baseString: entry.baseString?.replace(SECRET_IN_BASE_STRING, '$1%255Bredacted%255D') ?? null,
  };
}
