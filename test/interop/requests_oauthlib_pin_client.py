#!/usr/bin/python3
"""A PIN-flow client written with Debian's python3-requests-oauthlib, run against a Tripod server.

Usage: requests_oauthlib_pin_client.py BASE_URL CONFIG_JSON
CONFIG_JSON: {"key", "secret", "status", "signature_method"?, "signature_type"?}

Protocol with the test that drives it (one JSON object per line on stdout):
  1. prints {"authorize_url": …} after fetch_request_token(callback_uri='oob');
  2. reads the PIN from stdin (the test gets it through Tripod's pages, as a person would);
  3. fetch_access_token(verifier=PIN), GET verify_credentials, POST statuses/update with the status;
  4. prints {"access": …, "me": …, "update_status": …, "update": …}.
Errors from requests-oauthlib are printed as {"error": …} with exit status 1.
"""

import json
import sys

from oauthlib.oauth1 import SIGNATURE_HMAC, SIGNATURE_TYPE_AUTH_HEADER
from requests_oauthlib import OAuth1Session


def main() -> int:
    base = sys.argv[1].rstrip("/")
    config = json.loads(sys.argv[2])
    options = {
        "client_secret": config["secret"],
        "signature_method": config.get("signature_method", SIGNATURE_HMAC),
        "signature_type": config.get("signature_type", SIGNATURE_TYPE_AUTH_HEADER),
    }
    try:
        session = OAuth1Session(config["key"], callback_uri="oob", **options)
        request_token = session.fetch_request_token(base + "/oauth/request_token")
        print(json.dumps({"authorize_url": session.authorization_url(base + "/oauth/authorize"),
                          "oauth_callback_confirmed": request_token.get("oauth_callback_confirmed")}),
              flush=True)

        pin = sys.stdin.readline().strip()
        access = session.fetch_access_token(base + "/oauth/access_token", verifier=pin)

        me = session.get(base + "/1.1/account/verify_credentials.json")
        update = session.post(base + "/1.1/statuses/update.json", data={"status": config["status"]})
        print(json.dumps({
            "access": {k: access[k] for k in ("user_id", "screen_name") if k in access},
            "has_token": bool(access.get("oauth_token") and access.get("oauth_token_secret")),
            "me_status": me.status_code,
            "me": me.json(),
            "access_level": me.headers.get("X-Access-Level"),
            "update_status": update.status_code,
            "update": update.json(),
        }), flush=True)
        return 0
    except Exception as error:  # report the client library's own words to the test
        print(json.dumps({"error": f"{type(error).__name__}: {error}"}), flush=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())
