#!/usr/bin/python3
"""tests/servers/smtp.py - the SMTP peer of the phx-report tests (aiosmtpd).

Listens on 127.0.0.1, requires AUTH (PLAIN, LOGIN) with the user and the
password of --password-file, optionally over TLS (--tls starttls: STARTTLS
offered and required before AUTH; --tls implicit: TLS from the first byte).
Every accepted message is written whole to DIR/N.eml, and one JSON line
per message to DIR/envelopes.ndjson: sender, recipients, the user that
logged in, whether the session was encrypted. Writes its port to
--port-file once it accepts connections.
"""
import argparse
import json
import os
import socket
import ssl
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Keeper:
    def __init__(self, directory, implicit):
        self.dir = directory
        self.implicit = implicit
        self.n = 0

    async def handle_DATA(self, server, session, envelope):
        self.n += 1
        with open(os.path.join(self.dir, "%d.eml" % self.n), "wb") as f:
            f.write(envelope.original_content)
        user = None
        if session.auth_data is not None and isinstance(session.auth_data, LoginPassword):
            user = session.auth_data.login.decode("utf-8", "replace")
        line = {"from": envelope.mail_from, "to": envelope.rcpt_tos, "user": user,
                "tls": self.implicit or session.ssl is not None, "bytes": len(envelope.original_content)}
        with open(os.path.join(self.dir, "envelopes.ndjson"), "a") as f:
            f.write(json.dumps(line) + "\n")
        return "250 OK kept"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--user", default="phx")
    ap.add_argument("--password-file", required=True)
    ap.add_argument("--tls", choices=["none", "starttls", "implicit"], default="none")
    ap.add_argument("--cert")
    ap.add_argument("--key")
    a = ap.parse_args()
    with open(a.password_file, "rb") as f:
        password = f.read().rstrip(b"\n")

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == a.user.encode()
              and auth_data.password == password)
        # a refusal must not be "handled", or aiosmtpd sends no 535 at all
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    ctx = None
    if a.tls != "none":
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(a.cert, a.key)
    # implicit TLS: the whole session is encrypted, AUTH may be offered at
    # once (aiosmtpd's auth_require_tls only knows STARTTLS)
    kw = dict(authenticator=authenticator, auth_required=True,
              auth_require_tls=a.tls == "starttls")
    if a.tls == "starttls":
        kw.update(tls_context=ctx, require_starttls=True)
    port = a.port or free_port()
    ctl = Controller(Keeper(a.dir, a.tls == "implicit"), hostname="127.0.0.1", port=port,
                     ssl_context=ctx if a.tls == "implicit" else None, **kw)
    ctl.start()
    with open(a.port_file + ".tmp", "w") as f:
        f.write("%d\n" % port)
    os.rename(a.port_file + ".tmp", a.port_file)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        ctl.stop()


if __name__ == "__main__":
    sys.exit(main())
