// The signature debugger's comparison: what a developer pastes (their own signature base string, their
// request's parameters, or their Authorization header) against the base string the server computed for a
// refused request. A wrong signature is nearly always a different base string, and the first difference
// is where to look — so this finds it, marks it in both strings, and says in words what differs, after
// decoding: a parameter missing or extra, a value, the order, or the same value encoded differently
// (`/` left as is where RFC 5849 §3.6 wants %2F, lower-case hex, '+' for a space, encoded twice). Pure:
// the route renders the findings in the person's language.

import { signatureBaseString } from '../../core/base-string.ts';
import { type Parameter, percentEncode } from '../../core/encoding.ts';
import { parseAuthorizationHeader } from '../../core/parameters.ts';
import type { RejectedRequest } from '../../stores/types.ts';
import { REDACTED } from '../secret-parameters.ts';
import { redactBaseString } from './rejection-log.ts';

/** Longest paste compared; a base string is a few hundred characters. */
export const PASTE_MAX = 16 * 1024;

/** What the paste was read as. */
export type PasteKind = 'baseString' | 'header' | 'parameters';

/** Why a value that decodes the same was encoded differently. */
export type EncodingReason = 'lowercaseHex' | 'notEncoded' | 'encodedTwice' | 'other';
/** What differs in the base string URI. */
export type UriReason = 'scheme' | 'port' | 'case' | 'query' | 'slash' | 'notEncoded' | 'other';

export type Finding =
  | { kind: 'identical' }
  | { kind: 'method'; yours: string; server: string }
  | { kind: 'uri'; reason: UriReason; yours: string; server: string }
  | { kind: 'parametersNotEncoded' }
  | { kind: 'missing'; name: string; value: string }
  | { kind: 'extra'; name: string; value: string }
  | { kind: 'value'; name: string; yours: string; server: string }
  | { kind: 'plusForSpace'; name: string; yours: string; server: string }
  | {
      kind: 'encoding';
      reason: EncodingReason;
      name: string;
      yours: string;
      server: string;
      character: string;
    }
  | { kind: 'order'; name: string; previous: string };

/** A string cut at its first difference: `marked` is what differs (up to the end of that parameter). */
export interface Marked {
  before: string;
  marked: string;
  after: string;
}

export type Comparison =
  | { readable: false }
  | {
      readable: true;
      kind: PasteKind;
      /** The base string built from the paste (the paste itself when it was one). */
      yours: Marked;
      server: Marked;
      findings: Finding[];
    };

// ---- Reading ------------------------------------------------------------------------------------------

/** percentDecode that never throws: a malformed escape stays as it was (it is a finding, not an error). */
function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(/%[0-9A-Fa-f]{2}/g, (sequence) => {
      try {
        return decodeURIComponent(sequence);
      } catch {
        return sequence;
      }
    });
  }
}

interface Pair {
  /** As the normalized parameter string carries them (encoded once, if the client did it right). */
  rawName: string;
  rawValue: string;
  name: string;
  value: string;
}

function pairsOf(normalized: string): Pair[] {
  if (normalized === '') return [];
  return normalized.split('&').map((segment) => {
    const eq = segment.indexOf('=');
    const rawName = eq === -1 ? segment : segment.slice(0, eq);
    const rawValue = eq === -1 ? '' : segment.slice(eq + 1);
    return { rawName, rawValue, name: decode(rawName), value: decode(rawValue) };
  });
}

interface ParsedBaseString {
  method: string;
  rawUri: string;
  rawParameters: string;
  /** The parameter part had raw '&' or '=' (not encoded as a whole). */
  parametersNotEncoded: boolean;
}

function parseBaseString(text: string): ParsedBaseString | null {
  const parts = text.split('&');
  if (parts.length < 2 || !/^[A-Za-z]+$/.test(parts[0]!)) return null;
  const rest = parts.slice(2).join('&');
  return {
    method: parts[0]!,
    rawUri: parts[1]!,
    rawParameters: rest,
    parametersNotEncoded: parts.length > 3 || /=/.test(rest),
  };
}

/** The paste without what copying adds: surrounding quotes and spaces, line breaks of a wrapped copy. */
function cleaned(paste: string): string {
  let text = paste.slice(0, PASTE_MAX).trim();
  if (/^(["'`]).*\1$/s.test(text)) text = text.slice(1, -1).trim();
  return text;
}

/** The protocol parameters the server received outside the header (query and body), for a pasted header. */
function nonProtocolParameters(entry: RejectedRequest): Parameter[] {
  return entry.parameters.filter(([name]) => !name.startsWith('oauth_') && name !== '…');
}

function yourBaseString(paste: string, entry: RejectedRequest): { kind: PasteKind; text: string } | null {
  const text = cleaned(paste);
  if (text === '') return null;
  const header = text.replace(/^authorization:\s*/i, '');
  if (/^oauth\s/i.test(header)) {
    let parsed: ReturnType<typeof parseAuthorizationHeader>;
    try {
      parsed = parseAuthorizationHeader(header.replace(/\s*\n\s*/g, ' '));
    } catch {
      return null;
    }
    if (parsed === null) return null;
    const params = [
      ...nonProtocolParameters(entry),
      ...parsed.params.filter(([name]) => name !== 'oauth_signature'),
    ];
    return { kind: 'header', text: safeBaseString(entry, params) };
  }
  const oneLine = text.replace(/\s+/g, '');
  if (parseBaseString(oneLine) !== null && /^[A-Za-z]+&[a-z]+(%3A|:)/i.test(oneLine)) {
    return { kind: 'baseString', text: oneLine };
  }
  if (text.includes('=')) {
    // One parameter per line or `&`-separated, `name=value` with percent-encoding ('+' stays '+').
    const params: Parameter[] = text
      .split(/[&\n]/)
      .map((line) => line.trim())
      .filter((line) => line !== '')
      .map((line) => {
        const eq = line.indexOf('=');
        const name = decode(eq === -1 ? line : line.slice(0, eq));
        const value = decode(eq === -1 ? '' : line.slice(eq + 1).replace(/^"(.*)"$/, '$1'));
        return [name, value] as Parameter;
      })
      .filter(([name]) => name !== 'oauth_signature');
    return { kind: 'parameters', text: safeBaseString(entry, params) };
  }
  return null;
}

function safeBaseString(entry: RejectedRequest, params: Parameter[]): string {
  try {
    return signatureBaseString(entry.method, entry.url, params);
  } catch {
    // A lone surrogate or a bad URL: encode what can be encoded.
    return `${entry.method}&${percentEncode(entry.url.split('?', 1)[0]!)}&`;
  }
}

// ---- Comparing ----------------------------------------------------------------------------------------

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

function encodingReason(yours: string, server: string): { reason: EncodingReason; character: string } {
  if (yours.replace(/%[0-9a-f]{2}/gi, (e) => e.toUpperCase()) === server) {
    const lowercase = /%[0-9A-Fa-f]?[a-f][0-9A-Fa-f]?/.exec(yours);
    return { reason: 'lowercaseHex', character: lowercase ? lowercase[0] : '' };
  }
  const raw = [...decode(yours)].find((c) => !UNRESERVED.test(c) && yours.includes(c));
  if (raw !== undefined && !yours.includes('%25')) return { reason: 'notEncoded', character: raw };
  if (decode(yours) !== yours && percentEncode(decode(decode(yours))) === server) {
    return { reason: 'encodedTwice', character: '%25' };
  }
  return { reason: 'other', character: '' };
}

function compareUris(yourRaw: string, serverRaw: string): Finding | null {
  const yours = decode(yourRaw);
  const server = decode(serverRaw);
  if (yours !== server) {
    let reason: UriReason = 'other';
    try {
      const a = new URL(yours);
      const b = new URL(server);
      if (yours.includes('?')) reason = 'query';
      else if (yours.toLowerCase() === server.toLowerCase()) reason = 'case';
      else if (a.protocol !== b.protocol && a.host === b.host && a.pathname === b.pathname) reason = 'scheme';
      else if (a.hostname === b.hostname && a.port !== b.port && a.pathname === b.pathname) reason = 'port';
      else if (a.pathname.replace(/\/$/, '') === b.pathname.replace(/\/$/, '')) reason = 'slash';
    } catch {
      // not a URL at all: 'other'
    }
    return { kind: 'uri', reason, yours, server };
  }
  if (yourRaw !== serverRaw) return { kind: 'uri', reason: 'notEncoded', yours, server };
  return null;
}

function compareParameters(yours: Pair[], server: Pair[]): Finding[] {
  const findings: Finding[] = [];
  const used = new Set<number>();
  const matchOf = new Map<number, number>();
  // Same name and value first, then the same name: a repeated name pairs up as well as it can.
  for (const exact of [true, false]) {
    server.forEach((s, i) => {
      if (matchOf.has(i)) return;
      const j = yours.findIndex(
        (y, index) => !used.has(index) && y.name === s.name && (!exact || y.value === s.value),
      );
      if (j !== -1) {
        used.add(j);
        matchOf.set(i, j);
      }
    });
  }
  server.forEach((s, i) => {
    const j = matchOf.get(i);
    if (j === undefined) {
      findings.push({ kind: 'missing', name: s.name, value: s.value });
      return;
    }
    const y = yours[j]!;
    if (s.value === REDACTED) return; // a secret the debugger never kept: nothing to compare it with
    if (y.value !== s.value) {
      if (y.value.replaceAll('+', ' ') === s.value) {
        findings.push({ kind: 'plusForSpace', name: s.name, yours: y.value, server: s.value });
      } else if (decode(y.value) === s.value) {
        findings.push({
          kind: 'encoding',
          reason: 'encodedTwice',
          name: s.name,
          yours: y.rawValue,
          server: s.rawValue,
          character: '%25',
        });
      } else {
        findings.push({ kind: 'value', name: s.name, yours: y.value, server: s.value });
      }
    } else if (y.rawValue !== s.rawValue || y.rawName !== s.rawName) {
      const [yourText, serverText] =
        y.rawValue !== s.rawValue ? [y.rawValue, s.rawValue] : [y.rawName, s.rawName];
      findings.push({
        kind: 'encoding',
        ...encodingReason(yourText, serverText),
        name: s.name,
        yours: yourText,
        server: serverText,
      });
    }
  });
  yours.forEach((y, j) => {
    if (!used.has(j)) findings.push({ kind: 'extra', name: y.name, value: y.value });
  });
  if (findings.length === 0) {
    // Every parameter is there and encoded alike: what is left is their order.
    const order = server.map((_, i) => matchOf.get(i)!);
    const k = order.findIndex((j, i) => i > 0 && j < order[i - 1]!);
    if (k !== -1) findings.push({ kind: 'order', name: server[k]!.name, previous: server[k - 1]!.name });
  }
  return findings;
}

/** The end of the parameter (or part) holding `index`: its next separator, encoded or not. */
function endOfPart(text: string, index: number): number {
  const candidates = [text.indexOf('%26', index), text.indexOf('&', index)].filter((i) => i !== -1);
  const end = candidates.length === 0 ? text.length : Math.min(...candidates);
  return Math.max(end, Math.min(text.length, index + 1));
}

/** Where the escape holding `index` starts (`%2520`: at its first '%'), so the whole escape is marked. */
function startOfEscape(text: string, index: number): number {
  const percent = text.lastIndexOf('%', index);
  if (percent === -1) return index;
  const length = text.startsWith('%25', percent) ? 5 : 3;
  return index < percent + length ? percent : index;
}

function mark(text: string, start: number): Marked {
  const index = startOfEscape(text, start);
  const end = endOfPart(text, index);
  return { before: text.slice(0, index), marked: text.slice(index, end), after: text.slice(end) };
}

/** Compares what the developer pasted with the server's base string of a refused request. */
export function compareWithServer(paste: string, entry: RejectedRequest): Comparison {
  const server = entry.baseString;
  const built = yourBaseString(paste, entry);
  if (server === null || built === null) return { readable: false };
  const serverParts = parseBaseString(server);
  const yourParts = parseBaseString(built.text);
  if (serverParts === null || yourParts === null) return { readable: false };
  // A secret the server blanked is blanked in the paste too, so that it is no difference.
  const redactedNames = pairsOf(decode(serverParts.rawParameters))
    .filter((p) => p.value === REDACTED)
    .map((p) => p.name);
  const yours = redactBaseString(built.text, redactedNames);

  const findings: Finding[] = [];
  if (yourParts.method !== serverParts.method) {
    findings.push({ kind: 'method', yours: yourParts.method, server: serverParts.method });
  }
  const uri = compareUris(yourParts.rawUri, serverParts.rawUri);
  if (uri) findings.push(uri);
  if (yourParts.parametersNotEncoded) findings.push({ kind: 'parametersNotEncoded' });
  const yourPairs = pairsOf(
    yourParts.parametersNotEncoded ? yourParts.rawParameters : decode(yourParts.rawParameters),
  );
  findings.push(...compareParameters(yourPairs, pairsOf(decode(serverParts.rawParameters))));

  let index = 0;
  while (index < yours.length && index < server.length && yours[index] === server[index]) index++;
  if (index === yours.length && index === server.length) findings.length = 0;
  if (findings.length === 0 && yours !== server) {
    // Decoded alike but written differently somewhere the checks above do not name.
    findings.push({
      kind: 'encoding',
      reason: 'other',
      name: '',
      yours: yours.slice(index, endOfPart(yours, index)),
      server: server.slice(index, endOfPart(server, index)),
      character: '',
    });
  }
  return {
    readable: true,
    kind: built.kind,
    yours: mark(yours, index),
    server: mark(server, index),
    findings: yours === server ? [{ kind: 'identical' }] : findings,
  };
}
