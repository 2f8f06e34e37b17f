#!/usr/bin/python3
"""proxy_target.py - a web site for proxy tests, on 127.0.0.1 only.

Every request is logged (one JSON line: path, via, x_forwarded_for, and
whether a Proxy-Authorization header leaked through) so tests can tell
which proxy carried it: tinyproxy and squid name themselves in Via.

  /page/<anything>  200 "page <anything>" (JSON object body)
  /empty            200 with an empty body
  /blocked          200 with a block page ("Access Denied")
Requests whose Via contains a --deny-via word get 403 (a site that banned
that proxy).

Usage: proxy_target.py --port P --log FILE [--deny-via WORD]...
"""
import argparse
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send(self, code, body, ctype="application/json"):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        via = self.headers.get("Via", "")
        entry = {"path": self.path, "via": via,
                 "x_forwarded_for": self.headers.get("X-Forwarded-For", ""),
                 "proxy_auth_leaked": "Proxy-Authorization" in self.headers}
        denied = any(w in via for w in self.server.deny_via)
        entry["status"] = 403 if denied else 200
        with open(self.server.log, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry) + "\n")
        if denied:
            self.send(403, b"<html><body>Forbidden</body></html>", "text/html")
        elif self.path == "/empty":
            self.send(200, b"")
        elif self.path == "/blocked":
            self.send(200, b"<html><h1>Access Denied</h1>You are a robot.</html>",
                      "text/html")
        else:
            self.send(200, json.dumps({"page": self.path}).encode())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--deny-via", action="append", default=[])
    a = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.log, srv.deny_via = a.log, a.deny_via
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
