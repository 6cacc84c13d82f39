#!/usr/bin/python3
"""Debian's python3-requests-oauthlib against APIs protected by Tripod, with a real PIN-flow token.

Usage: requests_oauthlib_resource_client.py TRIPOD_BASE CONFIG_JSON
CONFIG_JSON: {"key", "secret", "status", "targets": [{"name", "base"}]}

The PIN flow and its protocol with the test are requests_oauthlib_pin.py's (test/interop); with the access
token, this script calls each target's GET /hello and POST /echo: a signed GET, a form POST and a JSON POST
of the status text, the same signed GET sent twice, a GET signed with a wrong consumer secret, and a GET
carrying a spoofed X-Tripod-User-Id; and prints {"access": …, "token": …, "token_secret": …, "results": {name: …}}.
"""

import os
import sys

import requests
from requests_oauthlib import OAuth1

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "interop"))
from requests_oauthlib_pin import run_pin_flow  # noqa: E402


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


def calls(session, base, config, access):
    return {
        "access": {k: access[k] for k in ("user_id", "screen_name") if k in access},
        "token": access["oauth_token"],
        "token_secret": access["oauth_token_secret"],
        "results": {target["name"]: against(session, config, access, target) for target in config["targets"]},
    }


if __name__ == "__main__":
    sys.exit(run_pin_flow(calls))
