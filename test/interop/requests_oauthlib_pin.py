"""The PIN flow the requests-oauthlib test scripts share, with the protocol their driver reads
(pin-client-process.ts), one JSON object per line on stdout:
  1. {"authorize_url", "oauth_callback_confirmed"} after fetch_request_token(callback_uri='oob');
  2. the PIN is read from stdin (the test gets it through Tripod's pages, as a person would);
  3. fetch_access_token(verifier=PIN), then `then(session, base, config, access)` does the script's calls;
  4. what `then` returns, as the last line; or {"error": …} with exit status 1 for anything raised.
Arguments: BASE_URL CONFIG_JSON, with CONFIG_JSON {"key", "secret", "signature_method"?, "signature_type"?, …}.
"""

import json
import sys

from oauthlib.oauth1 import SIGNATURE_HMAC, SIGNATURE_TYPE_AUTH_HEADER
from requests_oauthlib import OAuth1Session


def run_pin_flow(then) -> int:
    base = sys.argv[1].rstrip("/")
    config = json.loads(sys.argv[2])
    try:
        session = OAuth1Session(
            config["key"],
            client_secret=config["secret"],
            callback_uri="oob",
            signature_method=config.get("signature_method", SIGNATURE_HMAC),
            signature_type=config.get("signature_type", SIGNATURE_TYPE_AUTH_HEADER),
        )
        request_token = session.fetch_request_token(base + "/oauth/request_token")
        print(json.dumps({"authorize_url": session.authorization_url(base + "/oauth/authorize"),
                          "oauth_callback_confirmed": request_token.get("oauth_callback_confirmed")}),
              flush=True)
        pin = sys.stdin.readline().strip()
        access = session.fetch_access_token(base + "/oauth/access_token", verifier=pin)
        print(json.dumps(then(session, base, config, access)), flush=True)
        return 0
    except Exception as error:  # report the client library's own words to the test
        print(json.dumps({"error": f"{type(error).__name__}: {error}"}), flush=True)
        return 1
