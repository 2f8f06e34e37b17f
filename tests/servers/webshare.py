#!/usr/bin/python3
"""webshare.py - a stand-in for the WebShare API v2 proxy list, on 127.0.0.1 only.

  GET /api/v2/proxy/list/?mode=direct&page=N&page_size=M
      Authorization: Token <key>
  -> 200 {"count","next","previous","results":[{id, username, password,
          proxy_address, port, valid, last_verification, country_code,
          city_name, created_at}]}
  DRF-style paging: "next" is an absolute URL or null; page_size at most 100;
  a page past the end is 404 {"detail":"Invalid page."}; a missing or wrong
  token is 401 {"detail": ...}; mode other than direct/backbone is 400.

Usage: webshare.py --port P --key KEY --proxies FILE [--log FILE]
                   [--fail-page N] [--max-page-size N]
FILE is a JSON array of result objects; missing members get defaults.
--fail-page N answers 500 on page N, once, to exercise the client's retry.
"""
import argparse
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


def load_proxies(path):
    with open(path, encoding="utf-8") as f:
        items = json.load(f)
    out = []
    for i, p in enumerate(items):
        r = {
            "id": "d-%d" % (i + 1),
            "username": p.get("username", "user%d" % i),
            "password": p.get("password", "pass%d" % i),
            "proxy_address": p["proxy_address"],
            "port": int(p["port"]),
            "valid": bool(p.get("valid", True)),
            "last_verification": p.get("last_verification", "2026-11-27T22:10:01.123456-08:00"),
            "country_code": p.get("country_code", "US"),
            "city_name": p.get("city_name", "Phoenix"),
            "created_at": p.get("created_at", "2026-01-02T03:04:05.000000-08:00"),
        }
        out.append(r)
    return out


class Handler(BaseHTTPRequestHandler):
    server_version = "webshare-standin/1"
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet; the request log is --log
        pass

    def reply(self, code, obj):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def note(self, code):
        if self.server.log:
            auth = self.headers.get("Authorization", "")
            line = {"path": self.path, "status": code,
                    "auth_ok": auth == "Token " + self.server.key}
            with open(self.server.log, "a", encoding="utf-8") as f:
                f.write(json.dumps(line) + "\n")

    def do_GET(self):
        code, obj = self.answer()
        self.note(code)
        self.reply(code, obj)

    def answer(self):
        u = urlsplit(self.path)
        if u.path != "/api/v2/proxy/list/":
            return 404, {"detail": "Not found."}
        auth = self.headers.get("Authorization")
        if not auth:
            return 401, {"detail": "Authentication credentials were not provided."}
        if auth != "Token " + self.server.key:
            return 401, {"detail": "Invalid token."}
        q = parse_qs(u.query)
        mode = q.get("mode", [""])[0]
        if mode not in ("direct", "backbone"):
            return 400, {"mode": ["Select a valid choice."]}
        try:
            page = int(q.get("page", ["1"])[0])
            size = int(q.get("page_size", ["25"])[0])
        except ValueError:
            return 404, {"detail": "Invalid page."}
        size = max(1, min(size, self.server.max_page_size))
        if page == self.server.fail_page and not self.server.failed_once:
            self.server.failed_once = True
            return 500, {"detail": "A server error occurred."}
        items = self.server.proxies
        start = (page - 1) * size
        if page < 1 or (start >= len(items) and page != 1):
            return 404, {"detail": "Invalid page."}
        base = "http://%s%s?mode=%s&page_size=%d" % (
            self.headers.get("Host", "127.0.0.1"), u.path, mode, size)
        nxt = base + "&page=%d" % (page + 1) if start + size < len(items) else None
        prev = base + "&page=%d" % (page - 1) if page > 1 else None
        return 200, {"count": len(items), "next": nxt, "previous": prev,
                     "results": items[start:start + size]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--proxies", required=True)
    ap.add_argument("--log")
    ap.add_argument("--fail-page", type=int, default=0)
    ap.add_argument("--max-page-size", type=int, default=100)
    a = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.key, srv.log = a.key, a.log
    srv.proxies = load_proxies(a.proxies)
    srv.fail_page, srv.failed_once = a.fail_page, False
    srv.max_page_size = a.max_page_size
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
