// The JSON every benchmark server answers: the shape of Tripod's GET /1.1/account/verify_credentials.json,
// built per request as Tripod builds it, so the ceilings do the same serialisation work.

export const VERIFY_CREDENTIALS_PATH = '/1.1/account/verify_credentials.json';

export function verifyCredentialsAnswer(userId: string, screenName: string) {
  return {
    id_str: userId,
    screen_name: screenName,
    name: screenName,
    created_at: 'Wed Oct 10 20:19:24 +0000 2018',
  };
}
