"""A real SMTP server for the mail tests (aiosmtpd): accepts every message, with AUTH PLAIN or
LOGIN when a password is given, and writes each one to the output directory as JSON
({"from", "to", "auth", "subject", "headers", "text", "html"}, decoded). Prints "ready" once it listens.

    python3 smtp_sink.py PORT OUT_DIR [USER PASSWORD]
"""

import email
import email.policy
import itertools
import json
import os
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, out):
        self.out = out
        self.n = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        n = next(self.n)
        auth = session.auth_data
        if isinstance(auth, LoginPassword):
            auth = auth.login.decode()
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        text = msg.get_body(preferencelist=("plain",))
        html = msg.get_body(preferencelist=("html",))
        record = {
            "from": envelope.mail_from,
            "to": envelope.rcpt_tos,
            "auth": auth,
            # Decoded (RFC 2047 subjects, transfer encodings) by Python's own mail parser.
            "subject": str(msg["subject"]),
            "headers": {k: str(v) for k, v in msg.items()},
            "text": text.get_content() if text else None,
            "html": html.get_content() if html else None,
        }
        tmp = os.path.join(self.out, f"{n:05}.tmp")
        with open(tmp, "w") as f:
            json.dump(record, f)
        os.rename(tmp, os.path.join(self.out, f"{n:05}.json"))
        return "250 Message accepted for delivery"


def main():
    port, out = int(sys.argv[1]), sys.argv[2]
    user = sys.argv[3] if len(sys.argv) > 3 else None
    password = sys.argv[4] if len(sys.argv) > 4 else None

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == user
            and auth_data.password.decode() == password
        )
        # handled=False: aiosmtpd answers 535 itself on a failure.
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    kwargs = {}
    if user:
        kwargs = {"authenticator": authenticator, "auth_require_tls": False, "auth_required": True}
    controller = Controller(Sink(out), hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
