// oauth-sign ships no types; the two functions the micro-benchmark calls.
declare module 'oauth-sign' {
  type Params = Record<string, string>;
  export function hmacsign(
    method: string,
    baseUri: string,
    params: Params,
    consumerSecret: string,
    tokenSecret?: string,
  ): string;
  export function hmacsign256(
    method: string,
    baseUri: string,
    params: Params,
    consumerSecret: string,
    tokenSecret?: string,
  ): string;
}
