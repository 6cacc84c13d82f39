// `tripod import-twurlrc`: reads twurl's ~/.twurlrc (YAML written by Ruby's Psych; format in
// clients.md §1.5) and stores each profile. Only the small YAML subset twurl writes is understood —
// nested mappings, "- item" sequences and plain, single- or double-quoted scalars — which keeps a YAML
// library out of the dependencies.

import { readFileSync } from 'node:fs';
import type { StoredProfile } from '../../client/profile-store.ts';
import { findPreset } from '../../client/provider-presets.ts';
import { type CliContext, CliError } from './context.ts';

type Yaml = string | Yaml[] | { [key: string]: Yaml };

function scalar(text: string): string {
  const t = text.trim();
  if (t.startsWith('"')) return JSON.parse(t) as string;
  if (t.startsWith("'")) return t.slice(1, -1).replaceAll("''", "'");
  return t;
}

/** Parses the indentation-structured subset of YAML that twurl writes. */
export function parseTwurlrc(text: string): Yaml {
  const lines = text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '' && !l.trim().startsWith('#') && l.trim() !== '---')
    .map((l) => ({ indent: l.length - l.trimStart().length, text: l.trim() }));
  let i = 0;
  const block = (indent: number): Yaml => {
    if (i < lines.length && lines[i]!.text.startsWith('- ') && lines[i]!.indent === indent) {
      const list: Yaml[] = [];
      while (i < lines.length && lines[i]!.indent === indent && lines[i]!.text.startsWith('- ')) {
        list.push(scalar(lines[i]!.text.slice(2)));
        i++;
      }
      return list;
    }
    const map: { [key: string]: Yaml } = {};
    while (i < lines.length && lines[i]!.indent === indent) {
      const line = lines[i]!;
      const colon = line.text.search(/:(\s|$)/);
      if (colon === -1) throw new Error(`unexpected line: ${line.text}`);
      const key = scalar(line.text.slice(0, colon));
      const rest = line.text.slice(colon + 1).trim();
      i++;
      if (rest !== '') map[key] = scalar(rest);
      else if (
        i < lines.length &&
        (lines[i]!.indent > indent || (lines[i]!.indent === indent && lines[i]!.text.startsWith('- ')))
      )
        map[key] = block(lines[i]!.indent);
      else map[key] = '';
    }
    return map;
  };
  return lines.length === 0 ? {} : block(lines[0]!.indent);
}

export function runImportTwurlrc(context: CliContext, flags: { file?: string; json?: boolean }): number {
  const home = context.io.env.HOME ?? context.io.env.USERPROFILE ?? '';
  const file = flags.file ?? `${home}/.twurlrc`;
  let parsed: Yaml;
  try {
    parsed = parseTwurlrc(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  const root = parsed as Record<string, Yaml>;
  const profiles = (root.profiles ?? {}) as Record<string, Record<string, Record<string, string>>>;
  const configuration = (root.configuration ?? {}) as Record<string, Yaml>;
  const defaultProfile = (configuration.default_profile ?? []) as string[];
  // twurl talks to api.twitter.com (its -H default); the X preset's endpoints on that host.
  const x = findPreset('x')!;
  const site = 'https://api.twitter.com';
  const imported: { account: string; consumerKey: string; default: boolean }[] = [];
  for (const [username, byKey] of Object.entries(profiles)) {
    const keys = Object.keys(byKey);
    for (const consumerKey of keys) {
      const entry = byKey[consumerKey]!;
      const isDefault = defaultProfile[0] === username && (defaultProfile[1] ?? consumerKey) === consumerKey;
      // One user with several apps gets one profile per app: "jack", then "jack@KEY".
      const name = keys.length > 1 && !isDefault ? `${username}@${consumerKey}` : username;
      const profile: StoredProfile = {
        name,
        site,
        provider: 'x',
        apiBase: site,
        consumerKey: entry.consumer_key ?? consumerKey,
        consumerSecret: entry.consumer_secret ?? '',
        token: entry.token ?? '',
        tokenSecret: entry.secret ?? '',
        screenName: entry.username ?? username,
        signatureMethod: 'HMAC-SHA1',
        endpoints: x.endpoints(site),
        verifyCredentialsUrl: x.verifyCredentialsUrl?.(site),
        createdAt: new Date().toISOString(),
      };
      context.store.save(profile, { makeDefault: isDefault });
      imported.push({ account: name, consumerKey: profile.consumerKey, default: isDefault });
    }
  }
  const skipped = [
    root.aliases ? 'aliases' : undefined,
    root.bearer_tokens ? 'bearer_tokens' : undefined,
  ].filter((s): s is string => s !== undefined);
  if (flags.json) {
    context.print(JSON.stringify({ file, site, imported, skipped }));
    return 0;
  }
  for (const p of imported)
    context.print(`Imported ${p.account} (consumer key ${p.consumerKey})${p.default ? ', default' : ''}`);
  if (imported.length === 0) context.note(`No profiles in ${file}.`);
  if (skipped.length > 0) context.note(`Not imported (tripod has no equivalent yet): ${skipped.join(', ')}.`);
  return 0;
}
