// Published test vectors, verbatim, with their provenance (see ../shared/research/providers.md §10(b)).
// Every expected value here was printed in the cited document, except where a comment says otherwise.

/** RFC 5849 §3.4.1.3.1: the example request whose parameters §3.4.1.3.2 normalizes. */
export const rfcExampleRequest = {
  method: 'POST',
  url: 'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b',
  authorization:
    'OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", oauth_token="kkk9d7dh3k39sjv7", oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", oauth_signature="djosJKDKJSD8743243%2Fjdk33klY%3D"',
  contentType: 'application/x-www-form-urlencoded',
  body: 'c2&a3=2+q',
  /** §3.4.1.3.1's table of decoded parameters (realm and oauth_signature excluded). */
  collected: [
    ['b5', '=%3D'],
    ['a3', 'a'],
    ['c@', ''],
    ['a2', 'r b'],
    ['oauth_consumer_key', '9djdj82h48djs9d2'],
    ['oauth_token', 'kkk9d7dh3k39sjv7'],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', '137131201'],
    ['oauth_nonce', '7d8f3e4a'],
    ['c2', ''],
    ['a3', '2 q'],
  ] as [string, string][],
  /** §3.4.1.3.2 */
  normalized:
    'a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2&oauth_nonce=7d8f3e4a&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201&oauth_token=kkk9d7dh3k39sjv7',
  /** §3.4.1.1 */
  baseString:
    'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
  /**
   * §3.1 prints oauth_signature="bYT5CMsGcbgUdFHObYMEfcx6bsw=" for this request with client secret
   * j49sk3j29djd and token secret dh893hdasih9. It does NOT reproduce (known erratum; recomputation gives
   * r6/TJjbCOr97/+UU0NsvSne7s5g=), so tests assert the base string and never that signature.
   */
  unreproducibleSignature: 'bYT5CMsGcbgUdFHObYMEfcx6bsw=',
};

/**
 * oauthlib's tests (tests/oauth1/rfc5849/test_signatures.py) sign the RFC base string above with these
 * secrets; the expected values were computed by oauthlib's authors with `openssl dgst`.
 */
export const oauthlibHmacOverRfcBaseString = {
  consumerSecret: 'ECrDNoq1VYzzzzzzzzzyAK7TwZNtPnkqatqZZZZ',
  tokenSecret: 'just-a-string    asdasd',
  hmacSha1: 'wsdNmjGB7lvis0UJuPAmjvX/PXw=',
  hmacSha256: 'wdfdHUKXHbOnOGZP8WFAWMSAmWzN3EVBWWgXGlC/Eo4=',
};

/** RFC 5849 §3.4.1.2: base string URIs. */
export const rfcBaseStringUris = [
  { url: 'http://EXAMPLE.COM:80/r%20v/X?id=123', expected: 'http://example.com/r%20v/X' },
  { url: 'https://www.example.net:8080/?q=1', expected: 'https://www.example.net:8080/' },
];

/** RFC 5849 §1.2: the photo-printing walkthrough (temporary credentials, token, protected resource). */
export const rfcPhotos = {
  consumerKey: 'dpf43f3p2l4k3l03',
  consumerSecret: 'kd94hf93k423kf44',
  initiate: {
    url: 'https://photos.example.net/initiate',
    timestamp: '137131200',
    nonce: 'wIjqoS',
    callback: 'http://printer.example.com/ready',
    realm: 'Photos',
    signature: '74KNZJeDHnMBp0EMJ9ZHt/XKycU=',
    headerSignature: '74KNZJeDHnMBp0EMJ9ZHt%2FXKycU%3D',
  },
  token: {
    url: 'https://photos.example.net/token',
    token: 'hh5s93j4hdidpola',
    tokenSecret: 'hdhd0244k9j7ao03',
    timestamp: '137131201',
    nonce: 'walatlh',
    verifier: 'hfdp7dh39dks9884',
    signature: 'gKgrFCywp7rO0OXSjdot/IHF7IU=',
  },
  /** Reproduces only with scheme http although §1.2 describes https (https gives 91yh92rtXzicpezVYjTDNzieVps=). */
  resource: {
    url: 'http://photos.example.net/photos?file=vacation.jpg&size=original',
    token: 'nnch734d00sl2jdk',
    tokenSecret: 'pfkkdhi9sl3r4s00',
    timestamp: '137131202',
    nonce: 'chapoH',
    signature: 'MdpQcU8iPSUjWoN/UDMsK2sui9I=',
  },
};

/** RFC 5849 §2.3 / §3.4.4: a PLAINTEXT signature is the encoded secrets joined by "&". */
export const rfcPlaintext = {
  consumerSecret: 'ja893SD9',
  tokenSecret: 'xyz4992k83j47x0b',
  headerSignature: 'ja893SD9%26xyz4992k83j47x0b',
  signature: 'ja893SD9&xyz4992k83j47x0b',
};

/** RFC 5849 §2.2: a callback with an existing query keeps it and gets the parameters appended. */
export const rfcCallbackWithQuery = {
  callback: 'http://client.example.net/cb?x=1',
  token: 'hdk48Djdsa',
  verifier: '473f82d3',
  redirect: 'http://client.example.net/cb?x=1&oauth_token=hdk48Djdsa&oauth_verifier=473f82d3',
};

/**
 * Twitter, "Creating a signature" (developer.twitter.com/en/docs/authentication/oauth-1-0a/creating-a-signature).
 * Values depend on the exact URL: only https://api.twitter.com/1.1/statuses/update.json gives the
 * published signature; the v1 URL gives the "Authorizing a request" page's tnnArxj06cWHq44gCs1OSKk/jLY=.
 */
export const twitterCreatingASignature = {
  method: 'POST',
  url: 'https://api.twitter.com/1.1/statuses/update.json?include_entities=true',
  status: 'Hello Ladies + Gentlemen, a signed OAuth request!',
  consumerKey: 'xvz1evFS4wEEPTGEFPHBog',
  consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
  token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
  tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
  nonce: 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg',
  timestamp: '1318622958',
  parameterString:
    'include_entities=true&oauth_consumer_key=xvz1evFS4wEEPTGEFPHBog&oauth_nonce=kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1318622958&oauth_token=370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb&oauth_version=1.0&status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21',
  baseString:
    'POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521',
  signingKey: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw&LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
  signature: 'hCtSmYh+iHYCEqBWrE7C7hYmtUk=',
  headerSignature: 'hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D',
  /** "Authorizing a request": the same inputs with the v1 URL. */
  v1Url: 'https://api.twitter.com/1/statuses/update.json?include_entities=true',
  v1Signature: 'tnnArxj06cWHq44gCs1OSKk/jLY=',
};

/**
 * Twitter's request above as the signers' input (signRequest, signRequestWeb): not a published value, the
 * published ones arranged once, so that every signer is checked against the same request.
 */
export const twitterSignInput = {
  method: twitterCreatingASignature.method,
  url: twitterCreatingASignature.url,
  consumerKey: twitterCreatingASignature.consumerKey,
  consumerSecret: twitterCreatingASignature.consumerSecret,
  token: twitterCreatingASignature.token,
  tokenSecret: twitterCreatingASignature.tokenSecret,
  nonce: twitterCreatingASignature.nonce,
  timestamp: twitterCreatingASignature.timestamp,
  body: { form: [['status', twitterCreatingASignature.status]] as [string, string][] },
};
