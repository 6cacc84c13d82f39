// Profiles like twurl's accounts, in one JSON file: several sites, several accounts per site, a
// default account per site and a current site. The file holds secrets, so it lives in a 0700
// directory with mode 0600, written through a temporary file and rename (never half-written), and
// its mode is checked — and repaired — on every read: twurl applies 0600 only when it creates
// ~/.twurlrc, so a copied or restored file kept whatever mode it had (clients.md §1.5).
//
// The OS keychain is not used: see docs/cli.md ("Where secrets are kept").

import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { SignatureMethodName } from '../core/signature.ts';
import type { OAuthEndpoints } from './pin-flow.ts';

export interface StoredProfile {
  /** The account name: the provider's screen_name, else user_id, else --name. */
  name: string;
  /** The site this account was authorized on (the profile key). */
  site: string;
  /** Preset id ("tripod", "x", …) or "custom". */
  provider: string;
  /** Where `tripod request /path` goes. */
  apiBase: string;
  consumerKey: string;
  consumerSecret: string;
  token: string;
  tokenSecret: string;
  userId?: string | undefined;
  screenName?: string | undefined;
  signatureMethod: SignatureMethodName;
  /** For RSA methods: the path of the PEM private key (the key itself is not copied here). */
  privateKeyFile?: string | undefined;
  realm?: string | undefined;
  endpoints: OAuthEndpoints;
  verifyCredentialsUrl?: string | undefined;
  headers?: [string, string][] | undefined;
  createdAt: string;
}

interface SiteEntry {
  defaultAccount?: string | undefined;
  accounts: Record<string, StoredProfile>;
}

export interface ProfileFile {
  version: 1;
  currentSite?: string | undefined;
  sites: Record<string, SiteEntry>;
}

export const PROFILE_FILE_NAME = 'profiles.json';

/** The site key: lower-case origin plus path, no trailing slash ("https://api.x.com"). */
export function siteKey(site: string): string {
  const url = new URL(site.includes('://') ? site : `https://${site}`);
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${path}`;
}

export class ProfileNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProfileNotFoundError';
  }
}

export interface ProfileStoreOptions {
  /** Told when a file or directory mode had to be repaired (the CLI prints it to stderr). */
  onRepair?: ((message: string) => void) | undefined;
}

export class ProfileStore {
  readonly dir: string;
  readonly file: string;
  private readonly onRepair: (message: string) => void;

  constructor(dir: string, options: ProfileStoreOptions = {}) {
    this.dir = dir;
    this.file = join(dir, PROFILE_FILE_NAME);
    this.onRepair = options.onRepair ?? (() => {});
  }

  /** Mode of the file and directory as found (before any repair), or undefined when absent. */
  modes(): { dir: number | undefined; file: number | undefined } {
    const mode = (path: string) => (existsSync(path) ? statSync(path).mode & 0o777 : undefined);
    return { dir: mode(this.dir), file: mode(this.file) };
  }

  private repairModes(): void {
    if (process.platform === 'win32') return;
    const { dir, file } = this.modes();
    if (dir !== undefined && (dir & 0o077) !== 0) {
      chmodSync(this.dir, 0o700);
      this.onRepair(`${this.dir} was mode ${dir.toString(8)}; set to 700`);
    }
    if (file !== undefined && (file & 0o077) !== 0) {
      chmodSync(this.file, 0o600);
      this.onRepair(`${this.file} was mode ${file.toString(8)} (readable by others); set to 600`);
    }
  }

  read(): ProfileFile {
    if (!existsSync(this.file)) return { version: 1, sites: {} };
    this.repairModes();
    const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as ProfileFile;
    if (parsed.version !== 1 || typeof parsed.sites !== 'object') {
      throw new Error(`${this.file} is not a tripod profile file (version ${String(parsed.version)}).`);
    }
    return parsed;
  }

  write(data: ProfileFile): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.repairModes();
    const temp = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(data, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(temp, 0o600);
    renameSync(temp, this.file);
  }

  /** Saves a profile; it becomes its site's default and the current site unless `makeDefault` is false. */
  save(profile: StoredProfile, options: { makeDefault?: boolean } = {}): void {
    const data = this.read();
    const key = siteKey(profile.site);
    data.sites[key] ??= { accounts: {} };
    const site = data.sites[key];
    site.accounts[profile.name] = { ...profile, site: key };
    if (options.makeDefault !== false || site.defaultAccount === undefined) {
      site.defaultAccount = profile.name;
      data.currentSite = key;
    }
    data.currentSite ??= key;
    this.write(data);
  }

  list(): {
    site: string;
    current: boolean;
    defaultAccount: string | undefined;
    accounts: StoredProfile[];
  }[] {
    const data = this.read();
    return Object.entries(data.sites).map(([site, entry]) => ({
      site,
      current: data.currentSite === site,
      defaultAccount: entry.defaultAccount,
      accounts: Object.values(entry.accounts),
    }));
  }

  private findSite(data: ProfileFile, site: string): string | undefined {
    const key = siteKey(site);
    if (data.sites[key] !== undefined) return key;
    // Accept a bare host ("api.x.com") or another scheme for the same host.
    const host = new URL(key).host;
    return Object.keys(data.sites).find((k) => new URL(k).host === host);
  }

  /** The profile to use: by site and/or account name, else the current site's default account. */
  resolve(selector: { site?: string | undefined; account?: string | undefined } = {}): StoredProfile {
    const data = this.read();
    let siteName: string | undefined;
    if (selector.site !== undefined) {
      siteName = this.findSite(data, selector.site);
      if (siteName === undefined)
        throw new ProfileNotFoundError(`No profile for ${selector.site}: run \`tripod authorize\`.`);
    } else if (selector.account !== undefined) {
      const sites = Object.entries(data.sites).filter(
        ([, entry]) => entry.accounts[selector.account!] !== undefined,
      );
      const current = sites.find(([name]) => name === data.currentSite);
      if (sites.length > 1 && current === undefined) {
        throw new ProfileNotFoundError(
          `Account ${selector.account} exists on several sites (${sites.map(([s]) => s).join(', ')}): add --site.`,
        );
      }
      if (sites.length === 0) {
        const known = Object.values(data.sites).flatMap((entry) => Object.keys(entry.accounts));
        throw new ProfileNotFoundError(
          `No account ${selector.account} on any site (accounts: ${known.join(', ') || 'none'}).`,
        );
      }
      siteName = (current ?? sites[0])?.[0];
    } else {
      siteName = data.currentSite;
    }
    if (siteName === undefined || data.sites[siteName] === undefined) {
      throw new ProfileNotFoundError(
        'No profile yet: run `tripod authorize --site URL --consumer-key K --consumer-secret S`.',
      );
    }
    const entry = data.sites[siteName]!;
    const name = selector.account ?? entry.defaultAccount ?? Object.keys(entry.accounts)[0];
    const profile = name === undefined ? undefined : entry.accounts[name];
    if (profile === undefined) {
      throw new ProfileNotFoundError(
        `No account ${name ?? ''} on ${siteName} (accounts: ${Object.keys(entry.accounts).join(', ') || 'none'}).`,
      );
    }
    return profile;
  }

  /** Makes an account its site's default, and the site current. */
  use(selector: { site?: string | undefined; account?: string | undefined }): StoredProfile {
    const profile = this.resolve(selector);
    const data = this.read();
    const entry = data.sites[profile.site]!;
    entry.defaultAccount = profile.name;
    data.currentSite = profile.site;
    this.write(data);
    return profile;
  }

  /** Deletes an account; the site's next account (if any) becomes its default. */
  remove(profile: Pick<StoredProfile, 'site' | 'name'>): void {
    const data = this.read();
    const entry = data.sites[profile.site];
    if (entry === undefined) return;
    delete entry.accounts[profile.name];
    if (entry.defaultAccount === profile.name) entry.defaultAccount = Object.keys(entry.accounts)[0];
    if (Object.keys(entry.accounts).length === 0) {
      delete data.sites[profile.site];
      if (data.currentSite === profile.site) data.currentSite = Object.keys(data.sites)[0];
    }
    this.write(data);
  }
}
