#!/usr/bin/env python3
"""The API behind nginx: plain Python (http.server), no OAuth code at all. It trusts the X-Tripod-* headers
because only nginx can reach it, and nginx sets them from Tripod's answer to auth_request.

  GET  …/hello  -> {"screen_name", "user_id", "access_level"}
  POST …/echo   -> {"screen_name", "body": the raw body as received}
(the last path segment decides, so the API works behind any prefix, e.g. tripod-server --protect /api=…)

Usage: python3 upstream.py [PORT]   (default 8000; 0 picks a free port; prints the URL it listens on)
"""

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

NOT_FOUND = {"errors": [{"code": 34, "message": "Sorry, that page does not exist."}]}


def route(target):
    return urlsplit(target).path.rstrip("/").rsplit("/", 1)[-1]


class Api(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self, status, document):
        body = json.dumps(document, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if route(self.path) != "hello":
            return self.answer(404, NOT_FOUND)
        self.answer(200, {
            "screen_name": self.headers.get("X-Tripod-Screen-Name"),
            "user_id": self.headers.get("X-Tripod-User-Id"),
            "access_level": self.headers.get("X-Tripod-Access-Level"),
        })

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        if route(self.path) != "echo":
            return self.answer(404, NOT_FOUND)
        self.answer(200, {"screen_name": self.headers.get("X-Tripod-Screen-Name"), "body": body})

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 8000), Api)
    print(f"Python API listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()
