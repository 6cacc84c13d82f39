#!/usr/bin/python3
"""A PIN-flow client written with Debian's python3-requests-oauthlib, run against a Tripod server.

Usage: requests_oauthlib_pin_client.py BASE_URL CONFIG_JSON
CONFIG_JSON: {"key", "secret", "status", "signature_method"?, "signature_type"?}

The PIN flow and its protocol with the test are requests_oauthlib_pin.py's; with the access token, this
script GETs verify_credentials, POSTs statuses/update with the status, and prints
{"access": …, "me": …, "update_status": …, "update": …}.
"""

import sys

from requests_oauthlib_pin import run_pin_flow


def calls(session, base, config, access):
    me = session.get(base + "/1.1/account/verify_credentials.json")
    update = session.post(base + "/1.1/statuses/update.json", data={"status": config["status"]})
    return {
        "access": {k: access[k] for k in ("user_id", "screen_name") if k in access},
        "has_token": bool(access.get("oauth_token") and access.get("oauth_token_secret")),
        "me_status": me.status_code,
        "me": me.json(),
        "access_level": me.headers.get("X-Access-Level"),
        "update_status": update.status_code,
        "update": update.json(),
    }


if __name__ == "__main__":
    sys.exit(run_pin_flow(calls))
