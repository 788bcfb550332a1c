"""A local stand-in for WeChat's `jscode2session`, so the fuzzer can log members in.

`python3 wechat_stub.py PORT` answers `GET /sns/jscode2session?js_code=C&...` with an openid
derived from the code (a hash, so any fuzzed code maps to a well-formed id, as real WeChat
ids are), and refuses an empty code the way WeChat does. The server is pointed at it with
`SBM_WECHAT_BASE_URL=http://127.0.0.1:PORT`.
"""

import hashlib
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        url = urlparse(self.path)
        code = parse_qs(url.query).get("js_code", [""])[0]
        if url.path != "/sns/jscode2session":
            body = {"errcode": 404, "errmsg": "not found"}
        elif not code:
            body = {"errcode": 40029, "errmsg": "invalid code"}
        else:
            digest = hashlib.sha256(code.encode()).hexdigest()[:24]
            body = {"openid": f"o-{digest}", "session_key": "sk"}
        raw = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *args):
        pass  # quiet: the fuzzer makes thousands of calls


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
