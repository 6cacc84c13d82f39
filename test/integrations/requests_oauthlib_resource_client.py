#!/usr/bin/python3
"""Debian's python3-requests-oauthlib against APIs protected by Tripod, with a real PIN-flow token.

Usage: requests_oauthlib_resource_client.py TRIPOD_BASE CONFIG_JSON
CONFIG_JSON: {"key", "secret", "status", "targets": [{"name", "base"}]}

Protocol with the test that drives it (one JSON object per line on stdout), as pin-client-process.ts reads:
  1. prints {"authorize_url": …} after fetch_request_token(callback_uri='oob');
  2. reads the PIN from stdin (the test gets it through Tripod's pages, as a person would);
  3. fetch_access_token(verifier=PIN), then against each target's GET /hello and POST /echo:
     a signed GET, a form POST and a JSON POST of the status text, the same signed GET sent twice, a GET
     signed with a wrong consumer secret, and a GET carrying a spoofed X-Tripod-User-Id;
  4. prints {"access": …, "token": …, "token_secret": …, "results": {name: …}}.
Errors from requests-oauthlib are printed as {"error": …} with exit status 1.
"""

import json
import sys

import requests
from requests_oauthlib import OAuth1, OAuth1Session


def answer(response):
    try:
        document = response.json()
    except ValueError:
        document = response.text
    return {
        "status": response.status_code,
        "json": document,
        "access_level": response.headers.get("X-Access-Level"),
        "www_authenticate": response.headers.get("WWW-Authenticate"),
    }


def against(session, config, access, target):
    base = target["base"].rstrip("/")
    hello = session.get(base + "/hello")
    echo = session.post(base + "/echo", data={"status": config["status"]})
    # A JSON body is not signed (no oauth_body_hash from oauthlib): only the access level decides.
    echo_json = session.post(base + "/echo", json={"status": config["status"]})

    prepared = session.prepare_request(requests.Request("GET", base + "/hello"))
    first = session.send(prepared)
    again = session.send(prepared)

    forged = requests.get(base + "/hello", auth=OAuth1(
        config["key"], client_secret=config["secret"] + "-wrong",
        resource_owner_key=access["oauth_token"], resource_owner_secret=access["oauth_token_secret"]))
    spoofed = session.get(base + "/hello", headers={"X-Tripod-User-Id": "spoofed-user",
                                                    "X-Tripod-Screen-Name": "spoofed"})
    return {
        "hello": answer(hello),
        "echo": {**answer(echo), "sent_body": echo.request.body if isinstance(echo.request.body, str)
                 else echo.request.body.decode("utf-8")},
        "echo_json": {**answer(echo_json), "sent_body": echo_json.request.body.decode("utf-8")},
        "replay": [first.status_code, answer(again)],
        "forged": answer(forged),
        "spoofed": answer(spoofed),
    }


def main() -> int:
    base = sys.argv[1].rstrip("/")
    config = json.loads(sys.argv[2])
    try:
        session = OAuth1Session(config["key"], client_secret=config["secret"], callback_uri="oob")
        request_token = session.fetch_request_token(base + "/oauth/request_token")
        print(json.dumps({"authorize_url": session.authorization_url(base + "/oauth/authorize"),
                          "oauth_callback_confirmed": request_token.get("oauth_callback_confirmed")}),
              flush=True)
        pin = sys.stdin.readline().strip()
        access = session.fetch_access_token(base + "/oauth/access_token", verifier=pin)
        results = {target["name"]: against(session, config, access, target) for target in config["targets"]}
        print(json.dumps({
            "access": {k: access[k] for k in ("user_id", "screen_name") if k in access},
            "token": access["oauth_token"],
            "token_secret": access["oauth_token_secret"],
            "results": results,
        }), flush=True)
        return 0
    except Exception as error:  # report the client library's own words to the test
        print(json.dumps({"error": f"{type(error).__name__}: {error}"}), flush=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())
