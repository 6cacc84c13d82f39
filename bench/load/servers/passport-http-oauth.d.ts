// passport-http-oauth ships no types; the TokenStrategy constructor the Express peer uses.
declare module 'passport-http-oauth' {
  import type { Strategy } from 'passport';

  type Done<T extends unknown[]> = (error: Error | null, ...results: T) => void;
  export class TokenStrategy extends Strategy {
    constructor(
      options: { realm?: string; host?: string },
      consumer: (
        consumerKey: string,
        done: Done<[consumer: object | false, consumerSecret?: string]>,
      ) => void,
      verify: (token: string, done: Done<[user: object | false, tokenSecret?: string]>) => void,
      validate: (timestamp: string, nonce: string, done: Done<[valid: boolean]>) => void,
    );
  }
}
