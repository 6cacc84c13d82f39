// oauth-sign ships no types; the two functions the micro-benchmark calls.
declare module 'oauth-sign' {
  type HmacSign = (
    method: string,
    baseUri: string,
    params: Record<string, string>,
    consumerSecret: string,
    tokenSecret?: string,
  ) => string;
  export const hmacsign: HmacSign;
  export const hmacsign256: HmacSign;
}
