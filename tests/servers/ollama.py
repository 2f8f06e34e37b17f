#!/usr/bin/python3
"""ollama.py - a stand-in for an Ollama server (and its OpenAI-compatible /v1
layer, or llama.cpp's llama-server flavour of it), on loopback.

It answers the way Ollama v0.33 answers (phx-llm(1) lists the wire facts):
native /api/chat and /api/generate, streaming NDJSON by default or one object
with "stream":false, /v1/chat/completions as one chat.completion object or SSE
chunks with a separate finish chunk, an optional usage chunk and [DONE]; the
error texts and statuses of the real server; metrics omitted when zero.

The "model" is deterministic: it reads the listing description out of the
delimited data block of the last user message and answers the keys of the
JSON schema it was sent (format / response_format), each from a fixed pattern
over the description (see extract()), so tests can compute what it must say.
Modes make it misbehave the ways real models and servers do.

Every request is logged (path, body) to an NDJSON file so tests can check
what the client sent. Standard library only.
"""
import argparse
import datetime
import hashlib
import json
import os
import re
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VERSION = "0.33.0-rc2"
BUSY = "server busy, please try again.  maximum pending requests exceeded"
TOO_LONG = ("the prompt is longer than the context length currently available to the "
            "model; shorten the prompt, adjust the context length in settings, or use a "
            "model with a longer context length")
MID_ERROR = "an error was encountered while running the model"
DIGEST = "a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72"

WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
         "single": 1}


def num(s):
    s = s.lower().replace(",", "")
    if s in WORDS:
        return WORDS[s]
    return float(s) if "." in s else int(s)


PATTERNS = {
    "bedrooms": r"\b(\d+|one|two|three|four|five|six)[ -]*(?:bedrooms?|beds?|bd|br)\b",
    "bathrooms": r"\b(\d+(?:\.\d+)?|one|two|three|four)[ -]*(?:bathrooms?|baths?|ba)\b",
    "square_feet": r"\b(\d[\d,]*)\s*(?:sq\.?\s*ft|sqft|square feet)\b",
    "year_built": r"\bbuilt in (\d{4})\b",
    "garage_spaces": r"\b(\d+|one|two|three|four)[ -]car garage\b",
    "stories": r"\b(\d+|single|one|two|three)[ -]stor(?:y|ies)\b",
}
FLAGS = ("pool", "solar", "spa")


def extract(desc, key):
    """What the model says for one schema key: a pure function of the text."""
    text = desc.lower()
    if key in PATTERNS:
        m = re.search(PATTERNS[key], text)
        return num(m.group(1)) if m else None
    if key in FLAGS:
        if re.search(r"\bno " + key + r"\b", text):
            return False
        return True if re.search(r"\b" + key + r"\b", text) else None
    return None


def description_of(messages):
    """The text between the data markers of the last user message."""
    for m in reversed(messages or []):
        if m.get("role") == "user":
            c = m.get("content") or ""
            s = re.search(r"<<<DATA [0-9a-f]+>>>\n(.*)\n<<<END DATA [0-9a-f]+>>>", c, re.S)
            return (s.group(1) if s else c), c
    return "", ""


def now_rfc3339():
    t = time.time()
    d = datetime.datetime.fromtimestamp(int(t), datetime.timezone.utc)
    return d.strftime("%Y-%m-%dT%H:%M:%S") + ".%09dZ" % int((t % 1) * 1e9)


class State:
    def __init__(self, a):
        self.a = a
        self.lock = threading.Lock()
        self.slots = threading.Semaphore(a.slots)
        self.chat_requests = 0
        self.seen = {}
        self.log = open(a.log, "a") if a.log else None

    def log_request(self, path, method, body):
        if not self.log:
            return
        with self.lock:
            self.log.write(json.dumps({"path": path, "method": method, "body": body}) + "\n")
            self.log.flush()


S = None


def schema_keys(schema):
    if isinstance(schema, dict) and isinstance(schema.get("properties"), dict):
        return list(schema["properties"].keys())
    return []


def answer_object(keys, desc, times_seen):
    a = S.a
    mode = a.mode
    if mode == "invalid-once" and times_seen == 0:
        return None
    out = {k: extract(desc, k) for k in keys}
    if mode == "wrong-types":
        for k in keys:
            if k in FLAGS:
                out[k] = "yes"
            elif k == "bathrooms":
                out[k] = 250
            else:
                out[k] = "three"
    elif mode == "extra-keys":
        out["list_price"] = 1
        out["notes"] = "nice house"
    elif mode == "unsupported":
        for k in keys:
            if k in FLAGS:
                out[k] = True
    elif mode == "inject" and "ignore previous instructions" in desc.lower():
        # the model obeys the text: it claims everything and invents a price
        for k in keys:
            out[k] = True if k in FLAGS else 999
        out["list_price"] = 1
        out["apn"] = "00000000"
    return out


def content_for(keys, desc, times_seen):
    a = S.a
    if a.mode == "prose":
        return "The listing describes a lovely home. Bedrooms: %s." % extract(desc, "bedrooms")
    obj = answer_object(keys, desc, times_seen)
    if obj is None:
        return "Sure! Here is the JSON you asked for: {bedrooms: 3"
    text = json.dumps(obj)
    if a.mode == "fence":
        text = "```json\n" + text + "\n```"
    if a.mode == "length":
        text = text[: max(1, len(text) // 2)]
    return text


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Ollama is a Go server: net/http sets TCP_NODELAY on every connection.
    # Without it a keep-alive client meets a 40 ms delayed-ACK stall between
    # the header and body writes, which no real Ollama shows.
    disable_nagle_algorithm = True
    server_version = "ollama-standin"

    def log_message(self, *args):
        pass

    # ---- plumbing ----
    def send(self, status, obj, ctype="application/json; charset=utf-8"):
        body = obj if isinstance(obj, bytes) else json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def error(self, status, text, v1=False):
        if not v1:
            return self.send(status, {"error": text})
        if S.a.llamacpp:
            typ = "invalid_request_error" if status == 400 else (
                "not_found_error" if status == 404 else "server_error")
            return self.send(status, {"error": {"code": status, "message": text, "type": typ}})
        typ = {400: "invalid_request_error", 404: "not_found_error"}.get(status, "api_error")
        return self.send(status, {"error": {"message": text, "type": typ, "param": None,
                                            "code": None}})

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def start_stream(self, ctype):
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def chunk(self, data):
        b = data.encode() if isinstance(data, str) else data
        self.wfile.write(b"%x\r\n%s\r\n" % (len(b), b))
        self.wfile.flush()

    def end_chunks(self):
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def reset(self):
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       b"\x01\x00\x00\x00\x00\x00\x00\x00")
        except OSError:
            pass
        self.close_connection = True
        self.connection.close()

    # ---- routes ----
    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        S.log_request(self.path, self.command, None)
        a = S.a
        if self.path == "/":
            return self.send(200, b"Ollama is running", "text/plain; charset=utf-8")
        if self.path == "/api/version":
            return self.send(200, {"version": VERSION})
        if self.path == "/api/tags":
            return self.send(200, {"models": [self.model_entry(m) for m in a.models]})
        if self.path == "/api/ps":
            models = []
            if a.loaded:
                for m in a.models:
                    e = self.model_entry(m)
                    e["context_length"] = a.ctx
                    e["expires_at"] = "2026-12-06T12:00:00Z"
                    models.append(e)
            return self.send(200, {"models": models})
        if self.path == "/v1/models":
            data = [{"id": m, "object": "model", "created": 1787418131, "owned_by": "library"}
                    for m in a.models]
            return self.send(200, {"object": "list", "data": data or None})
        if self.path == "/health" and a.llamacpp:
            return self.send(200, {"status": "ok"})
        return self.send(404, b"404 page not found", "text/plain")

    def model_entry(self, m):
        return {"name": m, "model": m, "modified_at": "2026-11-01T10:00:00Z",
                "size": 2019393189, "digest": DIGEST,
                "details": {"parent_model": "", "format": self.fmt(), "family": "llama",
                            "families": ["llama"], "parameter_size": "3.2B",
                            "quantization_level": "Q4_K_M"}}

    def fmt(self):
        return "safetensors" if S.a.safetensors else "gguf"

    def do_POST(self):
        raw = self.read_body()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        S.log_request(self.path, "POST", body)
        if self.path == "/api/show":
            return self.show(body)
        if self.path in ("/api/chat", "/api/generate"):
            return self.native(body, raw)
        if self.path == "/v1/chat/completions":
            return self.openai(body, raw)
        return self.send(404, b"404 page not found", "text/plain")

    def show(self, body):
        a = S.a
        m = body.get("model") if isinstance(body, dict) else None
        if m not in a.models:
            return self.error(404, "model '%s' not found" % m)
        caps = ["completion", "tools"] + (["thinking"] if a.thinking else [])
        return self.send(200, {"parameters": "temperature 0.6\nstop \"<|eot_id|>\"",
                               "template": "{{ .Prompt }}",
                               "details": self.model_entry(m)["details"],
                               "model_info": {"general.architecture": "llama",
                                              "llama.context_length": a.trained_ctx},
                               "capabilities": caps,
                               "modified_at": "2026-11-01T10:00:00Z"})

    def admit(self, body, raw, v1):
        """Checks before a slot: returns False when an error was sent."""
        a = S.a
        if not raw:
            self.error(400, "missing request body" if not v1 else "EOF", v1)
            return False
        if not isinstance(body, dict):
            self.error(400, "invalid character looking for beginning of value", v1)
            return False
        with S.lock:
            S.chat_requests += 1
            n = S.chat_requests
        if a.die_after and n > a.die_after:
            sys.stderr.write("ollama.py: dying after %d chat requests\n" % a.die_after)
            os._exit(3)
        if n <= a.cold_503:
            self.error(503, BUSY, v1)
            return False
        model = body.get("model")
        if not model:
            self.error(400, "model is required", v1)
            return False
        if model not in a.models:
            self.error(404, "model '%s' not found" % model, v1)
            return False
        fmt = body.get("format")
        if not v1 and fmt not in (None, "", "json") and not isinstance(fmt, dict):
            self.error(500, "invalid format: %s; expected \"json\" or a valid JSON Schema object"
                       % json.dumps(fmt)[:60], v1)
            return False
        opts = body.get("options") or {}
        for k in ("num_ctx", "num_predict", "seed"):
            if k in opts and not isinstance(opts[k], int):
                self.error(500, "option \"%s\" must be of type integer" % k, v1)
                return False
        think = body.get("think")
        if think not in (None, False) and not a.thinking:
            self.error(400, "\"%s\" does not support thinking" % model, v1)
            return False
        return True

    def prompt_tokens(self, messages):
        return sum(len((m.get("content") or "").encode()) for m in messages) // 4 + 8

    def generate(self, body, v1):
        """Run the model: (content, done_reason, prompt_eval_count, eval_count, thinking)."""
        a = S.a
        messages = body.get("messages")
        if messages is None and "prompt" in body:
            messages = [{"role": "user", "content": body.get("prompt") or ""}]
        desc, _ = description_of(messages)
        if v1:
            rf = body.get("response_format") or {}
            schema = (rf.get("json_schema") or {}).get("schema") \
                if rf.get("type") == "json_schema" else None
        else:
            schema = body.get("format")
        if a.mode == "ignore-format":
            schema = None
        keys = schema_keys(schema)
        ctx = a.ctx
        ptok = self.prompt_tokens(messages)
        if ptok > ctx:
            if a.overflow == "strict" or body.get("truncate") is False:
                return ("overflow", ptok)
            ptok = ctx - (ctx - 4) // 2
            desc = desc[len(desc) // 2:]      # the start is what a cut loses
        h = hashlib.sha256((body.get("model", "") + "\0" + desc).encode()).hexdigest()
        with S.lock:
            seen = S.seen.get(h, 0)
            S.seen[h] = seen + 1
        if keys:
            content = content_for(keys, desc, seen)
        elif a.mode == "ignore-format":
            content = "This home has %s bedrooms and a nice yard." % extract(desc, "bedrooms")
        else:
            content = "{}"
        reason = "length" if a.mode == "length" else "stop"
        thinking = None
        if a.thinking and body.get("think") is not False and not v1:
            thinking = "Let me look at the listing."
        return (content, reason, ptok, max(1, len(content) // 4), thinking)

    def wait_slot(self):
        a = S.a
        S.slots.acquire()
        started = time.monotonic()
        if a.first_byte_ms:
            time.sleep(a.first_byte_ms / 1000.0)
        if a.service_ms:
            time.sleep(a.service_ms / 1000.0)
        return started

    def native(self, body, raw):
        a = S.a
        if not self.admit(body, raw, False):
            return
        chat = self.path == "/api/chat"
        if chat and body.get("messages") == []:
            return self.send(200, {"model": body["model"], "created_at": now_rfc3339(),
                                   "message": {"role": "assistant", "content": ""},
                                   "done": True, "done_reason": "load"})
        started = self.wait_slot()
        try:
            g = self.generate(body, False)
            if g[0] == "overflow":
                if a.overflow_llamacpp:
                    inner = json.dumps({"error": {"code": 400, "message":
                                       "request (%d tokens) exceeds the available context size "
                                       "(%d tokens), try increasing it" % (g[1], a.ctx),
                                       "type": "exceed_context_size_error",
                                       "n_prompt_tokens": g[1], "n_ctx": a.ctx}})
                    return self.error(400, inner)
                return self.error(400, TOO_LONG)
            content, reason, ptok, etok, thinking = g
            total = int((time.monotonic() - started) * 1e9) + 1
            final = {"model": body["model"], "created_at": now_rfc3339()}
            metrics = {"done": True, "done_reason": reason, "total_duration": total,
                       "load_duration": int(a.first_byte_ms * 1e6),
                       "prompt_eval_count": ptok, "prompt_eval_duration": total // 3,
                       "eval_count": etok, "eval_duration": total // 2}
            metrics = {k: v for k, v in metrics.items() if v != 0}
            stream = body.get("stream", True) is not False
            if not stream:
                msg = {"role": "assistant", "content": content}
                if thinking:
                    msg["thinking"] = thinking
                if a.mode == "mid-error":
                    return self.send(200, {"error": MID_ERROR})
                if chat:
                    final["message"] = msg
                else:
                    final["response"] = content
                if a.mode == "no-done":
                    final["done"] = False
                    return self.send(200, final)
                final.update(metrics)
                if a.mode == "reset":
                    return self.reset_mid_body(json.dumps(final).encode())
                return self.send(200, final)
            self.start_stream("application/x-ndjson")
            pieces = [content[i:i + 7] for i in range(0, len(content), 7)] or [""]
            last = pieces.pop() if len(pieces) > 1 else ""
            for p in pieces:
                c = {"model": body["model"], "created_at": now_rfc3339(), "done": False}
                if chat:
                    c["message"] = {"role": "assistant", "content": p}
                else:
                    c["response"] = p
                self.chunk(json.dumps(c) + "\n")
            if a.mode == "mid-error":
                self.chunk(json.dumps({"error": MID_ERROR}) + "\n")
                return self.end_chunks()
            if a.mode == "reset":
                return self.reset()
            if a.mode != "no-done":
                if chat:
                    final["message"] = {"role": "assistant", "content": last}
                else:
                    final["response"] = last
                final.update(metrics)
                self.chunk(json.dumps(final) + "\n")
            self.end_chunks()
        finally:
            S.slots.release()

    def reset_mid_body(self, body):
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2])
        self.wfile.flush()
        self.reset()

    def openai(self, body, raw):
        a = S.a
        if isinstance(body, dict) and body.get("messages") == []:
            return self.error(400, "[] is too short - 'messages'", True)
        if not self.admit(body, raw, True):
            return
        started = self.wait_slot()
        try:
            g = self.generate(body, True)
            if g[0] == "overflow":
                return self.error(400, TOO_LONG, True)
            content, reason, ptok, etok, _ = g
            ident = "chatcmpl-%d" % (S.chat_requests % 999)
            usage = {"prompt_tokens": ptok, "completion_tokens": etok,
                     "total_tokens": ptok + etok}
            base = {"id": ident, "created": int(time.time()), "model": body["model"],
                    "system_fingerprint": "fp_ollama"}
            if body.get("stream") is not True:
                if a.mode == "mid-error":
                    return self.error(500, MID_ERROR, True)
                msg = {"role": "assistant", "content": content}
                o = dict(base, object="chat.completion",
                         choices=[{"index": 0, "message": msg,
                                   "finish_reason": None if a.mode == "no-done" else reason}],
                         usage=usage)
                if a.llamacpp:
                    o["timings"] = {"cache_n": 0, "prompt_n": ptok, "predicted_n": etok,
                                    "prompt_ms": 1.0, "predicted_ms": 2.0}
                return self.send(200, o)
            self.start_stream("text/event-stream")
            first = True
            for i in range(0, len(content), 7):
                delta = {"content": content[i:i + 7]}
                if first:
                    delta["role"] = "assistant"
                    first = False
                c = dict(base, object="chat.completion.chunk",
                         choices=[{"index": 0, "delta": delta, "finish_reason": None}])
                self.chunk("data: " + json.dumps(c) + "\n\n")
            if a.mode == "mid-error":
                c = dict(base, object="chat.completion.chunk",
                         choices=[{"index": 0, "delta": {"content": ""}, "finish_reason": None}])
                self.chunk("data: " + json.dumps(c) + "\n\n")
                return self.end_chunks()
            if a.mode != "no-done":
                c = dict(base, object="chat.completion.chunk",
                         choices=[{"index": 0, "delta": {}, "finish_reason": reason}])
                self.chunk("data: " + json.dumps(c) + "\n\n")
                if (body.get("stream_options") or {}).get("include_usage"):
                    c = dict(base, object="chat.completion.chunk", choices=[], usage=usage)
                    self.chunk("data: " + json.dumps(c) + "\n\n")
                self.chunk("data: [DONE]\n\n")
            self.end_chunks()
        finally:
            S.slots.release()


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256


def main():
    global S
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file")
    p.add_argument("--log")
    p.add_argument("--models", default="llama3.2:latest",
                   help="comma-separated models that exist (others: 404)")
    p.add_argument("--mode", default="normal",
                   choices=["normal", "wrong-types", "extra-keys", "unsupported", "inject",
                            "prose", "ignore-format", "fence", "length", "no-done",
                            "mid-error", "reset", "invalid-once"])
    p.add_argument("--ctx", type=int, default=4096, help="context allocated (num_ctx)")
    p.add_argument("--trained-ctx", type=int, default=131072)
    p.add_argument("--overflow", choices=["silent", "strict"], default="silent")
    p.add_argument("--overflow-llamacpp", action="store_true",
                   help="strict overflow answered with llama-server's error as a string")
    p.add_argument("--loaded", action="store_true", help="/api/ps lists the models")
    p.add_argument("--safetensors", action="store_true")
    p.add_argument("--thinking", action="store_true")
    p.add_argument("--llamacpp", action="store_true", help="llama-server flavour of /v1")
    p.add_argument("--cold-503", type=int, default=0, help="first N chat requests get 503")
    p.add_argument("--die-after", type=int, default=0, help="exit at chat request N+1")
    p.add_argument("--first-byte-ms", type=float, default=0)
    p.add_argument("--slots", type=int, default=1, help="parallel slots (OLLAMA_NUM_PARALLEL)")
    p.add_argument("--service-ms", type=float, default=0, help="time per request in a slot")
    a = p.parse_args()
    a.models = [m for m in a.models.split(",") if m]
    S = State(a)
    srv = Server(("127.0.0.1", a.port), Handler)
    if a.port_file:
        tmp = a.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % srv.server_address[1])
        os.rename(tmp, a.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
