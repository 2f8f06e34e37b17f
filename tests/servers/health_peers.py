#!/usr/bin/env python3
"""health_peers.py - two small loopback peers for phx-health's tests.

  --llm MODELS     an Ollama stand-in: GET /api/tags lists MODELS (comma
                   separated, "" for none) in Ollama's shape; --llm-hang makes
                   it accept and never answer (a hung server)
  --beat           a heartbeat receiver (healthchecks style): every request's
                   method and path appended to --log as one line; --beat-status
                   N answers N instead of 200 (a receiver that is broken)

Writes the port it listens on to --port-file. python3 stdlib only."""
import argparse
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

A = None


class H(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def send(self, code, body, ctype="application/json"):
        b = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(b)))
        self.end_headers()
        self.wfile.write(b)

    def handle_any(self):
        if A.beat:
            with open(A.log, "a") as f:
                f.write("%s %s\n" % (self.command, self.path))
            return self.send(A.beat_status, "OK", "text/plain")
        if A.llm_hang:
            time.sleep(3600)
            return None
        if self.path != "/api/tags":
            return self.send(404, "404 page not found", "text/plain")
        models = [m for m in A.llm.split(",") if m]
        out = {"models": [{"name": m, "model": m, "modified_at": "2026-11-30T10:00:00Z",
                           "size": 2019393189, "digest": "a80c4f17acd5",
                           "details": {"format": "gguf", "family": "llama",
                                       "parameter_size": "3.2B",
                                       "quantization_level": "Q4_K_M"}} for m in models]}
        return self.send(200, json.dumps(out))

    do_GET = handle_any
    do_POST = handle_any
    do_HEAD = handle_any


def main():
    global A
    p = argparse.ArgumentParser()
    p.add_argument("--port-file", required=True)
    p.add_argument("--llm", default="")
    p.add_argument("--llm-hang", action="store_true")
    p.add_argument("--beat", action="store_true")
    p.add_argument("--beat-status", type=int, default=200)
    p.add_argument("--log", default="/dev/null")
    A = p.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
    srv.daemon_threads = True
    with open(A.port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    import os
    os.rename(A.port_file + ".tmp", A.port_file)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    threading.Event().wait()


if __name__ == "__main__":
    main()
