<?php
// A PIN-flow client written with Debian's php-oauth (PECL OAuth), run against a Tripod server.
//
// Usage: php pecl_oauth_pin_client.php BASE_URL CONFIG_JSON
// CONFIG_JSON: {"key", "secret", "status", "auth_type": "authorization" | "uri" | "form"}
//
// Protocol with the test that drives it (one JSON object per line on stdout), as the requests-oauthlib client:
//   1. prints {"authorize_url": …} after getRequestToken(callback 'oob');
//   2. reads the PIN from stdin (the test gets it through Tripod's pages, as a person would);
//   3. getAccessToken(verifier = PIN), GET verify_credentials, POST statuses/update with the status, every
//      call with the OAuth parameters where auth_type puts them (FORM on a GET: in a form body);
//   4. prints {"access": …, "me_status": …, "me": …, "update_status": …, "update": …}.
// Errors from PECL OAuth are printed as {"error": …} with exit status 1.

$base = rtrim($argv[1], '/');
$config = json_decode($argv[2], true);
$authTypes = [
    'authorization' => OAUTH_AUTH_TYPE_AUTHORIZATION,
    'uri' => OAUTH_AUTH_TYPE_URI,
    'form' => OAUTH_AUTH_TYPE_FORM,
];

function say(array $line): void
{
    echo json_encode($line, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), "\n";
    flush();
}

/** The last answer's status and body; PECL throws on 4xx/5xx, which the test wants to see, not a trace. */
function fetchAnswer(OAuth $oauth, string $url, array $params, string $method): array
{
    try {
        $oauth->fetch($url, $params, $method);
    } catch (OAuthException $error) {
        // Refused: the body and status are still there to report.
    }
    $info = $oauth->getLastResponseInfo();
    return [
        'status' => $info['http_code'] ?? null,
        'body' => json_decode((string) $oauth->getLastResponse(), true),
        'headers' => (string) $oauth->getLastResponseHeaders(),
    ];
}

try {
    $oauth = new OAuth($config['key'], $config['secret'], OAUTH_SIG_METHOD_HMACSHA1, $authTypes[$config['auth_type']]);
    $requestToken = $oauth->getRequestToken($base . '/oauth/request_token', 'oob', OAUTH_HTTP_METHOD_POST);
    say([
        'authorize_url' => $base . '/oauth/authorize?oauth_token=' . rawurlencode($requestToken['oauth_token']),
        'oauth_callback_confirmed' => $requestToken['oauth_callback_confirmed'] ?? null,
    ]);

    $pin = trim((string) fgets(STDIN));
    $oauth->setToken($requestToken['oauth_token'], $requestToken['oauth_token_secret']);
    $access = $oauth->getAccessToken($base . '/oauth/access_token', null, $pin, OAUTH_HTTP_METHOD_POST);
    $oauth->setToken($access['oauth_token'], $access['oauth_token_secret']);

    $me = fetchAnswer($oauth, $base . '/1.1/account/verify_credentials.json', [], OAUTH_HTTP_METHOD_GET);
    $update = fetchAnswer(
        $oauth,
        $base . '/1.1/statuses/update.json',
        ['status' => $config['status']],
        OAUTH_HTTP_METHOD_POST
    );
    preg_match('/^x-access-level:\s*(\S+)/mi', $me['headers'], $level);
    say([
        'access' => ['user_id' => $access['user_id'] ?? null, 'screen_name' => $access['screen_name'] ?? null],
        'has_token' => ($access['oauth_token'] ?? '') !== '' && ($access['oauth_token_secret'] ?? '') !== '',
        'me_status' => $me['status'],
        'me' => $me['body'],
        'access_level' => $level[1] ?? null,
        'update_status' => $update['status'],
        'update' => $update['body'],
    ]);
    exit(0);
} catch (Throwable $error) {
    // Report the client library's own words (and the server's answer, if any) to the test.
    $detail = $error instanceof OAuthException ? ' ' . (string) $error->lastResponse : '';
    say(['error' => get_class($error) . ': ' . $error->getMessage() . $detail]);
    exit(1);
}
