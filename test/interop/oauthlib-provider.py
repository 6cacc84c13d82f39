#!/usr/bin/python3
"""A small OAuth 1.0a provider built on Debian's python3-oauthlib (its rfc5849 endpoints).

It exists so that the `tripod` SDK and CLI are tested against a provider nobody on this project wrote.
Everything protocol-related (parameter collection, signature verification, token issuing) is oauthlib's;
this file only stores state in memory and renders two tiny HTML pages that mirror Tripod's page contract
(consent buttons `#allow`/`#deny`, PIN shown in `#oauth_pin`).

Usage: /usr/bin/python3 oauthlib-provider.py CONFIG_JSON
  CONFIG_JSON: {"clients": [{"key": "...", "secret": "...", "rsa_public_key": "PEM"?}],
                "user": {"user_id": "42", "screen_name": "alice"}}
Prints "listening http://127.0.0.1:PORT" on stdout once ready, then serves until killed.
"""

import html
import json
import secrets
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

from oauthlib.oauth1 import (
    AccessTokenEndpoint,
    AuthorizationEndpoint,
    RequestTokenEndpoint,
    RequestValidator,
    ResourceEndpoint,
)
from oauthlib.oauth1.rfc5849 import errors

CONFIG = json.loads(sys.argv[1])
USER = CONFIG.get("user", {"user_id": "42", "screen_name": "alice"})
LOCK = threading.Lock()


def pin_generator():
    # Twitter's "~7 digit PIN"; oauthlib's default verifier is a 30-character token.
    return "".join(secrets.choice("0123456789") for _ in range(7))


class MemoryValidator(RequestValidator):
    """State in dicts. The format checks keep oauthlib's defaults except where noted."""

    def __init__(self, clients):
        super().__init__()
        self.clients = {c["key"]: c for c in clients}
        self.request_tokens = {}  # token -> {client, secret, callback, verifier?, user?}
        self.access_tokens = {}  # token -> {client, secret, user}
        self.nonces = set()

    # oauthlib's default lengths are (20, 30) for every credential and the nonce, and the character set is
    # alphanumeric. Our PIN is 7 digits, and the test consumer keys are shorter, so those two are widened;
    # the nonce check stays at oauthlib's default so the SDK's nonce must satisfy it.
    @property
    def enforce_ssl(self):
        return False

    @property
    def client_key_length(self):
        return 8, 64

    @property
    def verifier_length(self):
        return 7, 7

    @property
    def dummy_client(self):
        return "dummyclientdummyclient"

    @property
    def dummy_request_token(self):
        return "dummytokendummytokendummy"

    @property
    def dummy_access_token(self):
        return "dummytokendummytokendummy"

    def validate_client_key(self, client_key, request):
        return client_key in self.clients

    def get_client_secret(self, client_key, request):
        return self.clients.get(client_key, {}).get("secret", "dummysecret")

    def get_rsa_key(self, client_key, request):
        return self.clients.get(client_key, {}).get("rsa_public_key", "")

    def validate_timestamp_and_nonce(self, client_key, timestamp, nonce, request, request_token=None,
                                     access_token=None):
        entry = (client_key, timestamp, nonce, request_token, access_token)
        with LOCK:
            if entry in self.nonces:
                return False
            self.nonces.add(entry)
        return True

    def validate_redirect_uri(self, client_key, redirect_uri, request):
        return redirect_uri == "oob" or redirect_uri.startswith("http://127.0.0.1:")

    def get_default_realms(self, client_key, request):
        return []

    def validate_requested_realms(self, client_key, realms, request):
        return True

    def get_realms(self, token, request):
        return []

    def verify_realms(self, token, realms, request):
        return True

    def validate_realms(self, client_key, token, request, uri=None, realms=None):
        return True

    def save_request_token(self, token, request):
        with LOCK:
            self.request_tokens[token["oauth_token"]] = {
                "client": request.client_key,
                "secret": token["oauth_token_secret"],
                "callback": request.redirect_uri,
            }

    def verify_request_token(self, token, request):
        return token in self.request_tokens

    def validate_request_token(self, client_key, token, request):
        entry = self.request_tokens.get(token)
        return entry is not None and entry["client"] == client_key

    def get_request_token_secret(self, client_key, token, request):
        return self.request_tokens.get(token, {}).get("secret", "dummysecret")

    def get_redirect_uri(self, token, request):
        return self.request_tokens[token]["callback"]

    def save_verifier(self, token, verifier, request):
        with LOCK:
            self.request_tokens[token]["verifier"] = verifier["oauth_verifier"]
            self.request_tokens[token]["user"] = USER

    def validate_verifier(self, client_key, token, verifier, request):
        entry = self.request_tokens.get(token)
        ok = entry is not None and entry.get("verifier") == verifier and entry["client"] == client_key
        if ok:
            request.user = entry["user"]
        return ok

    def invalidate_request_token(self, client_key, request_token, request):
        with LOCK:
            self.request_tokens.pop(request_token, None)

    def save_access_token(self, token, request):
        # oauthlib urlencodes this same dict after saving it, so the response carries user_id and screen_name
        # as X's does.
        token.update(USER)
        with LOCK:
            self.access_tokens[token["oauth_token"]] = {
                "client": request.client_key,
                "secret": token["oauth_token_secret"],
                "user": USER,
            }

    def validate_access_token(self, client_key, token, request):
        entry = self.access_tokens.get(token)
        return entry is not None and entry["client"] == client_key

    def get_access_token_secret(self, client_key, token, request):
        return self.access_tokens.get(token, {}).get("secret", "dummysecret")


VALIDATOR = MemoryValidator(CONFIG["clients"])
REQUEST_TOKEN = RequestTokenEndpoint(VALIDATOR)
AUTHORIZATION = AuthorizationEndpoint(VALIDATOR, token_generator=pin_generator)
ACCESS_TOKEN = AccessTokenEndpoint(VALIDATOR)
RESOURCE = ResourceEndpoint(VALIDATOR)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # keep the test output quiet
        pass

    def uri(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}{self.path}"

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length).decode("utf-8") if length else ""

    def send(self, status, body, content_type="text/plain; charset=utf-8", headers=None):
        data = (body or "").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def route(self, method):
        path = urlsplit(self.path).path
        body = self.body()
        headers = dict(self.headers.items())
        if method == "POST" and path == "/oauth/request_token":
            h, b, s = REQUEST_TOKEN.create_request_token_response(self.uri(), method, body, headers)
            return self.send(s, b, h.get("Content-Type", "text/plain"))
        if method == "POST" and path == "/oauth/access_token":
            h, b, s = ACCESS_TOKEN.create_access_token_response(self.uri(), method, body, headers)
            return self.send(s, b, h.get("Content-Type", "text/plain"))
        if method == "GET" and path == "/oauth/authorize":
            return self.consent_page()
        if method == "POST" and path == "/oauth/authorize":
            return self.decide(dict(parse_qsl(body)))
        if path.startswith("/1.1/"):
            return self.resource(method, path, body, headers)
        return self.send(404, "not found")

    def consent_page(self):
        query = dict(parse_qsl(urlsplit(self.path).query))
        token = query.get("oauth_token", "")
        if token not in VALIDATOR.request_tokens:
            return self.send(400, "unknown oauth_token")
        page = (
            "<!doctype html><title>Authorize</title><form method=post action=/oauth/authorize>"
            f'<input type=hidden name=oauth_token value="{html.escape(token)}">'
            '<button id=allow name=decision value=allow>Authorize app</button>'
            '<button id=deny name=decision value=deny>Cancel</button></form>'
        )
        return self.send(200, page, "text/html; charset=utf-8")

    def decide(self, form):
        token = form.get("oauth_token", "")
        uri = f"http://127.0.0.1:{self.server.server_address[1]}/oauth/authorize?" + urlencode({"oauth_token": token})
        if form.get("decision") != "allow":
            entry = VALIDATOR.request_tokens.pop(token, None)
            if entry and entry["callback"] != "oob":
                sep = "&" if "?" in entry["callback"] else "?"
                location = entry["callback"] + sep + urlencode({"oauth_token": token, "denied": token,
                                                                "error": "access_denied"})
                return self.send(302, "", headers={"Location": location})
            return self.send(200, "<!doctype html><p>Access denied.</p>", "text/html; charset=utf-8")
        try:
            h, b, s = AUTHORIZATION.create_authorization_response(uri, "GET")
        except errors.OAuth1Error as e:
            return self.send(e.status_code, e.urlencoded)
        if s == 302:
            return self.send(302, "", headers={"Location": h["Location"]})
        verifier = dict(parse_qsl(b))["oauth_verifier"]
        page = f'<!doctype html><title>PIN</title><p>Your PIN: <code id="oauth_pin">{verifier}</code></p>'
        return self.send(200, page, "text/html; charset=utf-8")

    def resource(self, method, path, body, headers):
        valid, request = RESOURCE.validate_protected_resource_request(self.uri(), method, body, headers)
        if not valid:
            return self.send(401, json.dumps({"errors": [{"code": 32, "message": "Could not authenticate you."}]}),
                             "application/json", {"WWW-Authenticate": 'OAuth realm="oauthlib-provider"'})
        user = VALIDATOR.access_tokens[request.resource_owner_key]["user"]
        params = [[k, v] for k, v in request.params if not k.startswith("oauth_")]
        answer = {"id_str": user["user_id"], "screen_name": user["screen_name"], "method": method,
                  "params": params, "body": body if "application/x-www-form-urlencoded" not in
                  headers.get("Content-Type", "") else None}
        return self.send(200, json.dumps(answer), "application/json")

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")

    def do_PUT(self):
        self.route("PUT")

    def do_DELETE(self):
        self.route("DELETE")

    def do_PATCH(self):
        self.route("PATCH")


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(f"listening http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
