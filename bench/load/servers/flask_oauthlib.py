"""Peer: Flask + oauthlib's ResourceEndpoint (Debian's python3-flask, python3-oauthlib), served by gunicorn
with one sync worker. oauthlib does all the protocol work (collection, base string, HMAC, its own checks);
this validator keeps the credentials and the nonces in memory: a nonce is remembered until its timestamp
leaves the 300 s window, and forgotten entries are swept once a second, so the set is rate x window.

Credentials come in BENCH_CREDENTIALS (JSON: consumerKey, consumerSecret, token, tokenSecret).
Run: gunicorn -w 1 -k sync -b 127.0.0.1:PORT --chdir bench/load/servers flask_oauthlib:app
"""

import json
import os
import time

from flask import Flask, jsonify, request
from oauthlib.oauth1 import RequestValidator, ResourceEndpoint

CREDENTIALS = json.loads(os.environ.get("BENCH_CREDENTIALS", "{}"))
WINDOW_SECONDS = 300


class MemoryValidator(RequestValidator):
    def __init__(self):
        super().__init__()
        self.nonces = {}  # (client, token, timestamp, nonce) -> forget after (s)
        self.swept_at = time.time()

    # The bench's keys and tokens are longer than oauthlib's default 20-30 characters; nonces keep the default.
    enforce_ssl = False
    client_key_length = (8, 64)
    access_token_length = (8, 64)
    timestamp_lifetime = WINDOW_SECONDS
    dummy_client = "dummyclientdummyclientdummy"
    dummy_access_token = "dummytokendummytokendummy"

    def validate_client_key(self, client_key, request):
        return client_key == CREDENTIALS["consumerKey"]

    def get_client_secret(self, client_key, request):
        return CREDENTIALS["consumerSecret"] if client_key == CREDENTIALS["consumerKey"] else "dummysecret"

    def validate_access_token(self, client_key, token, request):
        return token == CREDENTIALS["token"]

    def get_access_token_secret(self, client_key, token, request):
        return CREDENTIALS["tokenSecret"] if token == CREDENTIALS["token"] else "dummysecret"

    def validate_realms(self, client_key, token, request, uri=None, realms=None):
        return True

    def validate_timestamp_and_nonce(self, client_key, timestamp, nonce, request, request_token=None,
                                     access_token=None):
        now = time.time()
        if now - self.swept_at > 1:
            self.nonces = {k: v for k, v in self.nonces.items() if v >= now}
            self.swept_at = now
        key = (client_key, access_token, timestamp, nonce)
        if key in self.nonces:
            return False
        self.nonces[key] = int(timestamp) + WINDOW_SECONDS + 1
        return True


endpoint = ResourceEndpoint(MemoryValidator())
app = Flask(__name__)


@app.get("/1.1/account/verify_credentials.json")
def verify_credentials():
    valid, _ = endpoint.validate_protected_resource_request(
        request.url, http_method=request.method, body=request.get_data(as_text=True) or None,
        headers=dict(request.headers))
    if not valid:
        return jsonify({"errors": [{"code": 32, "message": "Could not authenticate you."}]}), 401
    return jsonify({"id_str": "1", "screen_name": "bench", "name": "bench",
                    "created_at": "Wed Oct 10 20:19:24 +0000 2018"})
